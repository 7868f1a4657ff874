/**
 * CRM v3 batch endpoints (create, read, update, upsert, archive; at most 100 inputs).
 *
 * Partial success is opt-in, as HubSpot documents it: when every input carries an
 * `objectWriteTraceId`, each input succeeds or fails on its own and failures come back in a 207
 * with the trace id in their context. Without trace ids a batch is all-or-nothing: every input is
 * checked first, and the first failure is the answer (400, 404 or 409) with nothing written.
 * Batch read always answers 207 for ids it cannot find.
 */
import { Router, type Request, type Response } from 'express';
import { toHubSpotError } from '../http/error-mapping.js';
import { badRequest } from '../http/hubspot-error.js';
import { batchJson, objectJson, sendBatch, type BatchError } from '../http/object-json.js';
import { queryBool } from '../http/query.js';
import {
  createAssociationsInput,
  batchArchiveSchema,
  batchCreateSchema,
  batchReadSchema,
  batchUpdateSchema,
  batchUpsertSchema,
} from '../http/request-schemas.js';
import { actorOf, scopedObjectType, type HubSpotServices } from '../http/services.js';
import type { WriteOptions } from '../store/record-writer.js';
import { OBJECT_TYPE_INFO } from '../store/object-types.js';

interface Traced {
  objectWriteTraceId?: string | undefined;
}

function partialMode(inputs: Traced[]): boolean {
  return inputs.length > 0 && inputs.every((i) => i.objectWriteTraceId !== undefined);
}

function batchErrorOf(err: unknown, portalId: number, context: Record<string, string[]>): BatchError {
  const mapped = toHubSpotError(err, portalId);
  return {
    category: mapped.category,
    message: mapped.message,
    context: { ...mapped.extras.context, ...context },
    ...(mapped.extras.errors !== undefined ? { errors: mapped.extras.errors } : {}),
  };
}

/** All-or-nothing batches refuse two inputs that would claim the same unique value. */
function refuseDuplicates(values: Array<string | undefined>, what: string): void {
  const seen = new Set<string>();
  for (const value of values) {
    if (value === undefined) continue;
    const key = value.toLowerCase();
    if (seen.has(key)) throw badRequest(`Duplicate ${what} found in batch input: [${value}]. Each input must have a different ${what}.`);
    seen.add(key);
  }
}

export function objectsBatchRoutes(services: HubSpotServices): Router {
  const { store, portalId } = services;
  const router = Router();
  const typeOf = (req: Request<{ objectType: string }>, access: 'read' | 'write') => scopedObjectType(req, req.params.objectType, access);
  const write = (req: Request): WriteOptions => ({ actor: actorOf(req), enforceReadOnly: true });

  router.post('/crm/v3/objects/:objectType/batch/create', (req, res) => {
    const type = typeOf(req, 'write');
    const started = store.now();
    const { inputs } = batchCreateSchema.parse(req.body);
    const options = write(req);
    const toInput = (input: (typeof inputs)[number]) => ({
      properties: input.properties,
      associations: createAssociationsInput(input.associations),
    });
    if (!partialMode(inputs)) {
      const checked = inputs.map((input) => store.checkCreate(type, toInput(input), options));
      if (type === 'contacts') refuseDuplicates(checked.map((v) => v.get('email')), 'email');
      const results = inputs.map((input) => objectJson(store.create(type, toInput(input), options)));
      sendBatch(res, batchJson(started, store.now(), results, [], 201));
      return;
    }
    const results: unknown[] = [];
    const errors: BatchError[] = [];
    for (const input of inputs) {
      try {
        results.push({ ...objectJson(store.create(type, toInput(input), options)), objectWriteTraceId: input.objectWriteTraceId });
      } catch (err) {
        errors.push(batchErrorOf(err, portalId, { objectWriteTraceId: [input.objectWriteTraceId ?? ''] }));
      }
    }
    sendBatch(res, batchJson(started, store.now(), results, errors, 201));
  });

  router.post('/crm/v3/objects/:objectType/batch/read', (req, res) => {
    const type = typeOf(req, 'read');
    const started = store.now();
    const body = batchReadSchema.parse(req.body);
    const archived = queryBool(req, 'archived') ?? false;
    const read = {
      ...(body.properties.length > 0 ? { properties: body.properties } : {}),
      propertiesWithHistory: body.propertiesWithHistory,
    };
    const missing: string[] = [];
    const seen = new Set<string>();
    const results: unknown[] = [];
    for (const { id } of body.inputs) {
      const record =
        body.idProperty === undefined || body.idProperty === 'hs_object_id'
          ? store.get(type, id, { ...read, archived })
          : store.getBy(type, body.idProperty, id, read);
      if (record === undefined) missing.push(id);
      else if (!seen.has(record.id)) {
        seen.add(record.id);
        results.push(objectJson(record));
      }
    }
    const errors: BatchError[] =
      missing.length === 0
        ? []
        : [
            {
              category: 'OBJECT_NOT_FOUND',
              message: `Could not get some ${OBJECT_TYPE_INFO[type].upper} objects, they may be deleted or not exist. Check that ids are valid.`,
              context: { ids: missing },
            },
          ];
    sendBatch(res, batchJson(started, store.now(), results, errors, 200));
  });

  router.post('/crm/v3/objects/:objectType/batch/update', (req, res) => {
    const type = typeOf(req, 'write');
    const started = store.now();
    const { inputs } = batchUpdateSchema.parse(req.body);
    const options = write(req);
    const byId = (input: (typeof inputs)[number]) => ({ ...options, ...(input.idProperty !== undefined ? { idProperty: input.idProperty } : {}) });
    if (!partialMode(inputs)) {
      refuseDuplicates(inputs.map((i) => i.id), 'id');
      for (const input of inputs) store.checkUpdate(type, input.id, input.properties, byId(input));
      const results = inputs.map((input) => objectJson(store.update(type, input.id, input.properties, byId(input))));
      sendBatch(res, batchJson(started, store.now(), results, [], 200));
      return;
    }
    respondPartial(res, started, inputs, (input) => objectJson(store.update(type, input.id, input.properties, byId(input))));
  });

  router.post('/crm/v3/objects/:objectType/batch/upsert', (req, res) => {
    const type = typeOf(req, 'write');
    const started = store.now();
    const { inputs } = batchUpsertSchema.parse(req.body);
    const options = write(req);
    const upsert = (input: (typeof inputs)[number], dryRun: boolean): Record<string, unknown> | undefined => {
      const idProperty = input.idProperty ?? 'hs_object_id';
      const existing = store.getBy(type, idProperty, input.id, { properties: [] });
      if (existing !== undefined) {
        if (dryRun) {
          store.checkUpdate(type, existing.id, input.properties, options);
          return undefined;
        }
        return { ...objectJson(store.update(type, existing.id, input.properties, options)), new: false };
      }
      if (idProperty === 'hs_object_id') {
        throw badRequest(`No ${OBJECT_TYPE_INFO[type].singular} with id ${input.id} exists, and a new record cannot be created with a chosen id; upsert by a unique property instead.`);
      }
      const create = { properties: { ...input.properties, [idProperty]: input.id } };
      if (dryRun) {
        store.checkCreate(type, create, options);
        return undefined;
      }
      return { ...objectJson(store.create(type, create, options)), new: true };
    };
    if (!partialMode(inputs)) {
      refuseDuplicates(inputs.map((i) => i.id), 'id');
      for (const input of inputs) upsert(input, true);
      const results = inputs.map((input) => upsert(input, false));
      sendBatch(res, batchJson(started, store.now(), results, [], 200));
      return;
    }
    respondPartial(res, started, inputs, (input) => upsert(input, false));
  });

  router.post('/crm/v3/objects/:objectType/batch/archive', (req, res) => {
    const type = typeOf(req, 'write');
    const { inputs } = batchArchiveSchema.parse(req.body);
    const actor = actorOf(req);
    for (const { id } of inputs) store.archive(type, id, { actor });
    res.status(204).end();
  });

  function respondPartial<T extends Traced>(res: Response, started: number, inputs: T[], apply: (input: T) => unknown): void {
    const results: unknown[] = [];
    const errors: BatchError[] = [];
    for (const input of inputs) {
      try {
        const result = apply(input);
        results.push({ ...(result as Record<string, unknown>), objectWriteTraceId: input.objectWriteTraceId });
      } catch (err) {
        errors.push(batchErrorOf(err, portalId, { objectWriteTraceId: [input.objectWriteTraceId ?? ''] }));
      }
    }
    sendBatch(res, batchJson(started, store.now(), results, errors, 200));
  }

  return router;
}
