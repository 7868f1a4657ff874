/** Properties API: `/crm/v3/properties/{objectType}` (core and batch). */
import { Router, type Request } from 'express';
import { z } from 'zod';
import { toHubSpotError } from '../http/error-mapping.js';
import { HubSpotHttpError } from '../http/hubspot-error.js';
import { batchJson, sendBatch, type BatchError } from '../http/object-json.js';
import { propertyJson } from '../http/property-json.js';
import { queryBool, queryList } from '../http/query.js';
import { scopedObjectType, type HubSpotServices } from '../http/services.js';
import { FIELD_TYPES, PROPERTY_TYPES } from '../store/property-definitions.js';

const optionSchema = z.object({
  label: z.string(),
  value: z.string(),
  description: z.string().optional(),
  displayOrder: z.number().int().optional(),
  hidden: z.boolean().optional(),
});

const propertyCreateSchema = z.object({
  name: z.string().min(1),
  label: z.string().min(1),
  type: z.enum(PROPERTY_TYPES),
  fieldType: z.enum(FIELD_TYPES),
  groupName: z.string().min(1),
  description: z.string().optional(),
  options: z.array(optionSchema).optional(),
  displayOrder: z.number().int().optional(),
  hasUniqueValue: z.boolean().optional(),
  hidden: z.boolean().optional(),
  formField: z.boolean().optional(),
  externalOptions: z.boolean().optional(),
  referencedObjectType: z.string().optional(),
  calculationFormula: z.string().optional(),
});

const propertyUpdateSchema = z.object({
  label: z.string().min(1).optional(),
  description: z.string().optional(),
  groupName: z.string().min(1).optional(),
  type: z.enum(PROPERTY_TYPES).optional(),
  fieldType: z.enum(FIELD_TYPES).optional(),
  options: z.array(optionSchema).optional(),
  displayOrder: z.number().int().optional(),
  hidden: z.boolean().optional(),
  formField: z.boolean().optional(),
  calculationFormula: z.string().optional(),
});

const nameInputs = z.object({ inputs: z.array(z.object({ name: z.string().min(1) })).max(100) });

function clean<T extends Record<string, unknown>>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}

export function propertiesRoutes(services: HubSpotServices): Router {
  const { store, portalId } = services;
  const router = Router();
  const typeOf = (req: Request<{ objectType: string }>, access: 'read' | 'write') =>
    scopedObjectType(req, req.params.objectType, access === 'read' ? 'schema-read' : 'schema-write');

  router.get('/crm/v3/properties/:objectType', (req, res) => {
    const type = typeOf(req, 'read');
    const names = queryList(req, 'properties');
    const defs = store.properties.list(type, queryBool(req, 'archived') ?? false).filter((d) => names === undefined || names.includes(d.name));
    res.json({ results: defs.map((d) => propertyJson(store, type, d)) });
  });

  router.post('/crm/v3/properties/:objectType', (req, res) => {
    const type = typeOf(req, 'write');
    const body = propertyCreateSchema.parse(req.body);
    const def = store.properties.create(type, clean(body));
    res.status(201).json(propertyJson(store, type, def));
  });

  router.post('/crm/v3/properties/:objectType/batch/create', (req, res) => {
    const type = typeOf(req, 'write');
    const started = store.now();
    const { inputs } = z.object({ inputs: z.array(propertyCreateSchema).max(100) }).parse(req.body);
    const results: unknown[] = [];
    const errors: BatchError[] = [];
    for (const input of inputs) {
      try {
        results.push(propertyJson(store, type, store.properties.create(type, clean(input))));
      } catch (err) {
        const mapped = toHubSpotError(err, portalId);
        errors.push({ category: mapped.category, message: mapped.message, context: { name: [input.name] } });
      }
    }
    sendBatch(res, batchJson(started, store.now(), results, errors, 201));
  });

  router.post('/crm/v3/properties/:objectType/batch/read', (req, res) => {
    const type = typeOf(req, 'read');
    const started = store.now();
    const body = nameInputs.extend({ archived: z.boolean().default(false) }).parse(req.body);
    const results: unknown[] = [];
    const missing: string[] = [];
    for (const { name } of body.inputs) {
      const def = store.properties.getAny(type, name);
      if (def === undefined || def.archived !== body.archived) missing.push(name);
      else results.push(propertyJson(store, type, def));
    }
    const errors: BatchError[] =
      missing.length === 0 ? [] : [{ category: 'OBJECT_NOT_FOUND', message: `Could not find properties: ${missing.join(', ')}`, context: { name: missing } }];
    sendBatch(res, batchJson(started, store.now(), results, errors, 200));
  });

  router.post('/crm/v3/properties/:objectType/batch/archive', (req, res) => {
    const type = typeOf(req, 'write');
    const { inputs } = nameInputs.parse(req.body);
    for (const { name } of inputs) if (store.properties.get(type, name) !== undefined) store.properties.archive(type, name);
    res.status(204).end();
  });

  // Mounted after the group routes, so `/groups` never reaches this one.
  router.get('/crm/v3/properties/:objectType/:propertyName', (req, res) => {
    const type = typeOf(req, 'read');
    const archived = queryBool(req, 'archived') ?? false;
    const def = store.properties.getAny(type, req.params.propertyName);
    if (def === undefined || def.archived !== archived) {
      throw new HubSpotHttpError(404, 'OBJECT_NOT_FOUND', `Property ${req.params.propertyName} does not exist`, {
        context: { propertyName: [req.params.propertyName] },
      });
    }
    res.json(propertyJson(store, type, def));
  });

  router.patch('/crm/v3/properties/:objectType/:propertyName', (req, res) => {
    const type = typeOf(req, 'write');
    const body = propertyUpdateSchema.parse(req.body);
    res.json(propertyJson(store, type, store.properties.update(type, req.params.propertyName, clean(body))));
  });

  router.delete('/crm/v3/properties/:objectType/:propertyName', (req, res) => {
    const type = typeOf(req, 'write');
    store.properties.archive(type, req.params.propertyName);
    res.status(204).end();
  });

  return router;
}
