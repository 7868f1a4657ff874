/** CRM search: `POST /crm/v3/objects/{objectType}/search`. */
import { Router } from 'express';
import { objectJson } from '../http/object-json.js';
import { scopedObjectType, type HubSpotServices } from '../http/services.js';
import { searchRequestSchema } from '../search/search-request.js';

export function objectsSearchRoutes(services: HubSpotServices): Router {
  const { store } = services;
  const router = Router();

  router.post('/crm/v3/objects/:objectType/search', (req, res) => {
    const type = scopedObjectType(req, req.params.objectType, 'read');
    const request = searchRequestSchema.parse(req.body ?? {});
    const page = store.runSearch(type, request);
    const results = page.results.map(objectJson);
    res.json(
      page.nextAfter === undefined
        ? { total: page.total, results }
        : { total: page.total, results, paging: { next: { after: page.nextAfter, link: `?after=${page.nextAfter}` } } },
    );
  });

  return router;
}
