/** Merging two records and the GDPR delete of a contact. */
import { Router } from 'express';
import { badRequest } from '../http/hubspot-error.js';
import { objectJson } from '../http/object-json.js';
import { gdprDeleteSchema, mergeSchema } from '../http/request-schemas.js';
import { actorOf, scopedObjectType, type HubSpotServices } from '../http/services.js';

export function objectsMergeRoutes(services: HubSpotServices): Router {
  const { store } = services;
  const router = Router();

  router.post('/crm/v3/objects/:objectType/merge', (req, res) => {
    const type = scopedObjectType(req, req.params.objectType, 'write');
    const body = mergeSchema.parse(req.body);
    const merged = store.merge(type, body.primaryObjectId, body.objectIdToMerge, { actor: actorOf(req) });
    res.json(objectJson(merged));
  });

  router.post('/crm/v3/objects/:objectType/gdpr-delete', (req, res) => {
    const type = scopedObjectType(req, req.params.objectType, 'write');
    if (type !== 'contacts') throw badRequest('GDPR delete is available for contacts only.');
    const body = gdprDeleteSchema.parse(req.body);
    store.purge(type, body.objectId, {
      actor: actorOf(req),
      ...(body.idProperty !== undefined ? { idProperty: body.idProperty } : {}),
    });
    res.status(204).end();
  });

  return router;
}
