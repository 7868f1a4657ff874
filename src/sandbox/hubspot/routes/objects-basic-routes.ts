/** CRM v3 objects: list, read, create, update, archive (`/crm/v3/objects/{objectType}`). */
import { Router, type Request } from 'express';
import { associationsJson, objectJson, sendJson } from '../http/object-json.js';
import { queryBool, queryInt, queryList, queryString } from '../http/query.js';
import { createAssociationsInput, createObjectSchema, updateObjectSchema } from '../http/request-schemas.js';
import { actorOf, scopedObjectType, type HubSpotServices } from '../http/services.js';
import { HubSpotHttpError } from '../http/hubspot-error.js';
import type { ReadOptions } from '../store/record-reader.js';

function readOptionsFrom(req: Request): ReadOptions {
  const properties = queryList(req, 'properties');
  const history = queryList(req, 'propertiesWithHistory');
  return {
    ...(properties !== undefined && properties.length > 0 ? { properties } : {}),
    ...(history !== undefined ? { propertiesWithHistory: history } : {}),
  };
}

export function objectsBasicRoutes(services: HubSpotServices): Router {
  const { store } = services;
  const router = Router();
  const typeOf = (req: Request<{ objectType: string }>, access: 'read' | 'write') => scopedObjectType(req, req.params.objectType, access);

  router.get('/crm/v3/objects/:objectType', (req, res) => {
    const type = typeOf(req, 'read');
    const limit = queryInt(req, 'limit', { min: 1, max: 100, fallback: 10 });
    const associations = queryList(req, 'associations') ?? [];
    const after = queryString(req, 'after');
    const page = store.list(type, {
      ...readOptionsFrom(req),
      limit,
      archived: queryBool(req, 'archived') ?? false,
      ...(after !== undefined ? { after } : {}),
    });
    const results = page.results.map((record) => {
      const links = associationsJson(store, type, record.id, associations);
      return links === undefined ? objectJson(record) : { ...objectJson(record), associations: links };
    });
    sendJson(
      res,
      200,
      page.nextAfter === undefined ? { results } : { results, paging: { next: { after: page.nextAfter, link: `?after=${page.nextAfter}` } } },
    );
  });

  router.post('/crm/v3/objects/:objectType', (req, res) => {
    const type = typeOf(req, 'write');
    const body = createObjectSchema.parse(req.body);
    const record = store.create(
      type,
      {
        properties: body.properties,
        associations: createAssociationsInput(body.associations),
      },
      { actor: actorOf(req), enforceReadOnly: true },
    );
    res.status(201).json(objectJson(record));
  });

  router.get('/crm/v3/objects/:objectType/:objectId', (req, res) => {
    const type = typeOf(req, 'read');
    const idProperty = queryString(req, 'idProperty');
    const archived = queryBool(req, 'archived') ?? false;
    const options = readOptionsFrom(req);
    const record =
      idProperty === undefined || idProperty === 'hs_object_id'
        ? store.get(type, req.params.objectId, { ...options, archived })
        : store.getBy(type, idProperty, req.params.objectId, options);
    if (record === undefined) {
      throw new HubSpotHttpError(404, 'OBJECT_NOT_FOUND', 'resource not found', { context: { id: [req.params.objectId] } });
    }
    const links = associationsJson(store, type, record.id, queryList(req, 'associations') ?? []);
    res.json(links === undefined ? objectJson(record) : { ...objectJson(record), associations: links });
  });

  router.patch('/crm/v3/objects/:objectType/:objectId', (req, res) => {
    const type = typeOf(req, 'write');
    const body = updateObjectSchema.parse(req.body);
    const idProperty = queryString(req, 'idProperty');
    const record = store.update(type, req.params.objectId, body.properties, {
      actor: actorOf(req),
      enforceReadOnly: true,
      ...(idProperty !== undefined ? { idProperty } : {}),
    });
    res.json(objectJson(record));
  });

  router.delete('/crm/v3/objects/:objectType/:objectId', (req, res) => {
    const type = typeOf(req, 'write');
    store.archive(type, req.params.objectId, { actor: actorOf(req) });
    res.status(204).end();
  });

  return router;
}
