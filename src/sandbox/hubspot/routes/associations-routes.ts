/**
 * Associations v4, single and batch (`/crm/v4/objects/...` and `/crm/v4/associations/...`). Ids in
 * responses are strings, as the spec declares them.
 */
import { Router, type Request } from 'express';
import { z } from 'zod';
import { toHubSpotError } from '../http/error-mapping.js';
import { batchJson, objectTypeParam, sendBatch, type BatchError } from '../http/object-json.js';
import { queryInt, queryString } from '../http/query.js';
import { associationSpecSchema } from '../http/request-schemas.js';
import { actorOf, requireObjectScopes, type HubSpotServices } from '../http/services.js';
import { associationType, defaultTypeBetween, typesBetween } from '../store/association-types.js';
import type { Associated } from '../store/hubspot-store.js';
import { OBJECT_TYPE_INFO, type ObjectTypeName } from '../store/object-types.js';

const id = z.union([z.string().min(1), z.number().int().nonnegative()]).transform((v) => String(v));
const batch = <T extends z.ZodType>(item: T) => z.object({ inputs: z.array(item).max(100) });

function typeSpec(typeId: number) {
  const def = associationType(typeId);
  return { category: 'HUBSPOT_DEFINED', typeId, label: def?.label ?? null };
}

function multiJson(entry: Associated) {
  return { toObjectId: entry.toId, associationTypes: entry.typeIds.map(typeSpec) };
}

function labelsJson(fromType: ObjectTypeName, fromId: string, toType: ObjectTypeName, toId: string, typeIds: number[]) {
  return {
    fromObjectTypeId: OBJECT_TYPE_INFO[fromType].typeId,
    fromObjectId: fromId,
    toObjectTypeId: OBJECT_TYPE_INFO[toType].typeId,
    toObjectId: toId,
    labels: typeIds.map((t) => associationType(t)?.label).filter((l): l is string => typeof l === 'string'),
  };
}

export function associationsRoutes(services: HubSpotServices): Router {
  const { store, portalId } = services;
  const router = Router();
  const scoped = (req: Request, type: ObjectTypeName, access: 'read' | 'write') => requireObjectScopes(req, type, access);

  router.put('/crm/v4/objects/:objectType/:objectId/associations/default/:toObjectType/:toObjectId', (req, res) => {
    const from = objectTypeParam(req.params.objectType);
    const to = objectTypeParam(req.params.toObjectType);
    scoped(req, from, 'write');
    const started = store.now();
    store.associate(from, req.params.objectId, to, req.params.toObjectId, undefined, { actor: actorOf(req) });
    sendBatch(res, batchJson(started, store.now(), defaultPairJson(from, req.params.objectId, to, req.params.toObjectId), [], 200));
  });

  router.put('/crm/v4/objects/:objectType/:objectId/associations/:toObjectType/:toObjectId', (req, res) => {
    const from = objectTypeParam(req.params.objectType);
    const to = objectTypeParam(req.params.toObjectType);
    scoped(req, from, 'write');
    const specs = z.array(associationSpecSchema).min(1).parse(req.body);
    const typeIds = store.associate(
      from,
      req.params.objectId,
      to,
      req.params.toObjectId,
      specs.map((s) => s.associationTypeId),
      { actor: actorOf(req) },
    );
    res.status(201).json(labelsJson(from, req.params.objectId, to, req.params.toObjectId, typeIds));
  });

  router.get('/crm/v4/objects/:objectType/:objectId/associations/:toObjectType', (req, res) => {
    const from = objectTypeParam(req.params.objectType);
    const to = objectTypeParam(req.params.toObjectType);
    scoped(req, from, 'read');
    const limit = queryInt(req, 'limit', { min: 1, max: 500, fallback: 500 });
    const after = Number(queryString(req, 'after') ?? '0');
    const all = store.associationsOf(from, req.params.objectId, to);
    const start = Number.isInteger(after) && after > 0 ? after : 0;
    const page = all.slice(start, start + limit).map(multiJson);
    const next = start + limit;
    res.json(next < all.length ? { results: page, paging: { next: { after: String(next), link: `?after=${next}` } } } : { results: page });
  });

  router.delete('/crm/v4/objects/:objectType/:objectId/associations/:toObjectType/:toObjectId', (req, res) => {
    const from = objectTypeParam(req.params.objectType);
    const to = objectTypeParam(req.params.toObjectType);
    scoped(req, from, 'write');
    store.dissociate(from, req.params.objectId, to, req.params.toObjectId, undefined, { actor: actorOf(req) });
    res.status(204).end();
  });

  router.post('/crm/v4/associations/:fromObjectType/:toObjectType/batch/create', (req, res) => {
    const from = objectTypeParam(req.params.fromObjectType);
    const to = objectTypeParam(req.params.toObjectType);
    scoped(req, from, 'write');
    const started = store.now();
    const { inputs } = batch(z.object({ from: z.object({ id }), to: z.object({ id }), types: z.array(associationSpecSchema).min(1) })).parse(req.body);
    const results: unknown[] = [];
    const errors: BatchError[] = [];
    for (const input of inputs) {
      try {
        const typeIds = store.associate(from, input.from.id, to, input.to.id, input.types.map((t) => t.associationTypeId), { actor: actorOf(req) });
        results.push(labelsJson(from, input.from.id, to, input.to.id, typeIds));
      } catch (err) {
        errors.push(errorOf(err, { fromObjectId: [input.from.id], toObjectId: [input.to.id] }));
      }
    }
    sendBatch(res, batchJson(started, store.now(), results, errors, 201));
  });

  router.post('/crm/v4/associations/:fromObjectType/:toObjectType/batch/associate/default', (req, res) => {
    const from = objectTypeParam(req.params.fromObjectType);
    const to = objectTypeParam(req.params.toObjectType);
    scoped(req, from, 'write');
    const started = store.now();
    const { inputs } = batch(z.object({ from: z.object({ id }), to: z.object({ id }) })).parse(req.body);
    const results: unknown[] = [];
    const errors: BatchError[] = [];
    for (const input of inputs) {
      try {
        store.associate(from, input.from.id, to, input.to.id, undefined, { actor: actorOf(req) });
        results.push(...defaultPairJson(from, input.from.id, to, input.to.id));
      } catch (err) {
        errors.push(errorOf(err, { fromObjectId: [input.from.id], toObjectId: [input.to.id] }));
      }
    }
    sendBatch(res, batchJson(started, store.now(), results, errors, 200));
  });

  router.post('/crm/v4/associations/:fromObjectType/:toObjectType/batch/read', (req, res) => {
    const from = objectTypeParam(req.params.fromObjectType);
    const to = objectTypeParam(req.params.toObjectType);
    scoped(req, from, 'read');
    const started = store.now();
    const { inputs } = batch(z.object({ id, after: z.string().optional() })).parse(req.body);
    const results: unknown[] = [];
    const errors: BatchError[] = [];
    for (const input of inputs) {
      try {
        const found = store.associationsOf(from, input.id, to);
        if (found.length === 0) {
          errors.push({
            category: 'OBJECT_NOT_FOUND',
            message: `No ${OBJECT_TYPE_INFO[to].singular} is associated with ${OBJECT_TYPE_INFO[from].singular} ${input.id}.`,
            context: { fromObjectId: [input.id] },
          });
          continue;
        }
        const start = Number(input.after ?? '0') || 0;
        const page = found.slice(start, start + 500);
        const next = start + 500;
        results.push({
          from: { id: input.id },
          to: page.map(multiJson),
          ...(next < found.length ? { paging: { next: { after: String(next) } } } : {}),
        });
      } catch (err) {
        errors.push(errorOf(err, { fromObjectId: [input.id] }));
      }
    }
    sendBatch(res, batchJson(started, store.now(), results, errors, 200));
  });

  router.post('/crm/v4/associations/:fromObjectType/:toObjectType/batch/archive', (req, res) => {
    const from = objectTypeParam(req.params.fromObjectType);
    const to = objectTypeParam(req.params.toObjectType);
    scoped(req, from, 'write');
    const { inputs } = batch(z.object({ from: z.object({ id }), to: z.array(z.object({ id })) })).parse(req.body);
    for (const input of inputs) {
      for (const target of input.to) {
        try {
          store.dissociate(from, input.from.id, to, target.id, undefined, { actor: actorOf(req) });
        } catch {
          // HubSpot answers 204 for the batch whether or not each pair existed.
        }
      }
    }
    res.status(204).end();
  });

  router.post('/crm/v4/associations/:fromObjectType/:toObjectType/batch/labels/archive', (req, res) => {
    const from = objectTypeParam(req.params.fromObjectType);
    const to = objectTypeParam(req.params.toObjectType);
    scoped(req, from, 'write');
    const { inputs } = batch(z.object({ from: z.object({ id }), to: z.object({ id }), types: z.array(associationSpecSchema).min(1) })).parse(req.body);
    for (const input of inputs) {
      store.dissociate(from, input.from.id, to, input.to.id, input.types.map((t) => t.associationTypeId), { actor: actorOf(req) });
    }
    res.status(204).end();
  });

  router.get('/crm/v4/associations/:fromObjectType/:toObjectType/labels', (req, res) => {
    const from = objectTypeParam(req.params.fromObjectType);
    const to = objectTypeParam(req.params.toObjectType);
    scoped(req, from, 'read');
    res.json({ results: typesBetween(from, to).map((t) => typeSpec(t.typeId)) });
  });

  function errorOf(err: unknown, context: Record<string, string[]>): BatchError {
    const mapped = toHubSpotError(err, portalId);
    return { category: mapped.category, message: mapped.message, context };
  }

  return router;
}

/** PublicDefaultAssociation entries for both directions of a default association. */
function defaultPairJson(from: ObjectTypeName, fromId: string, to: ObjectTypeName, toId: string) {
  const forward = defaultTypeBetween(from, to);
  const backward = defaultTypeBetween(to, from);
  return [
    { from: { id: fromId }, to: { id: toId }, associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: forward?.typeId } },
    { from: { id: toId }, to: { id: fromId }, associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: backward?.typeId } },
  ];
}
