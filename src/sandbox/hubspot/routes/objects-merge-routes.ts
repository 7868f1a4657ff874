/** Merging two records and the GDPR delete of a contact. */
import { Router } from 'express';
import { badRequest } from '../http/hubspot-error.js';
import { objectJson, objectTypeParam } from '../http/object-json.js';
import { gdprDeleteSchema, mergeSchema } from '../http/request-schemas.js';
import { actorOf, requireScopes, type HubSpotServices } from '../http/services.js';
import { OBJECT_SCOPES } from '../oauth/scopes.js';

export function objectsMergeRoutes(services: HubSpotServices): Router {
  const { store } = services;
  const router = Router();

  router.post('/crm/v3/objects/:objectType/merge', (req, res) => {
    const type = objectTypeParam(req.params.objectType);
    requireScopes(req, [OBJECT_SCOPES[type].write]);
    const body = mergeSchema.parse(req.body);
    const merged = store.merge(type, body.primaryObjectId, body.objectIdToMerge, { actor: actorOf(req) });
    res.json(objectJson(merged));
  });

  router.post('/crm/v3/objects/:objectType/gdpr-delete', (req, res) => {
    const type = objectTypeParam(req.params.objectType);
    if (type !== 'contacts') throw badRequest('GDPR delete is available for contacts only.');
    requireScopes(req, [OBJECT_SCOPES.contacts.write]);
    const body = gdprDeleteSchema.parse(req.body);
    store.purge(type, body.objectId, {
      actor: actorOf(req),
      ...(body.idProperty !== undefined ? { idProperty: body.idProperty } : {}),
    });
    res.status(204).end();
  });

  return router;
}
