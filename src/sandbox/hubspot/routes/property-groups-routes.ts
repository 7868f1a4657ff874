/** Property groups: `/crm/v3/properties/{objectType}/groups`. */
import { Router, type Request } from 'express';
import { z } from 'zod';
import { HubSpotHttpError } from '../http/hubspot-error.js';
import { groupJson } from '../http/property-json.js';
import { scopedObjectType, type HubSpotServices } from '../http/services.js';

const groupCreateSchema = z.object({ name: z.string().min(1), label: z.string().min(1), displayOrder: z.number().int().optional() });
const groupUpdateSchema = z.object({ label: z.string().min(1).optional(), displayOrder: z.number().int().optional() });

export function propertyGroupsRoutes(services: HubSpotServices): Router {
  const { store } = services;
  const router = Router();
  const typeOf = (req: Request<{ objectType: string }>, access: 'read' | 'write') =>
    scopedObjectType(req, req.params.objectType, access === 'read' ? 'schema-read' : 'schema-write');

  router.get('/crm/v3/properties/:objectType/groups', (req, res) => {
    const type = typeOf(req, 'read');
    res.json({ results: store.properties.listGroups(type).map(groupJson) });
  });

  router.post('/crm/v3/properties/:objectType/groups', (req, res) => {
    const type = typeOf(req, 'write');
    const body = groupCreateSchema.parse(req.body);
    const group = store.properties.createGroup(type, {
      name: body.name,
      label: body.label,
      ...(body.displayOrder !== undefined ? { displayOrder: body.displayOrder } : {}),
    });
    res.status(201).json(groupJson(group));
  });

  router.get('/crm/v3/properties/:objectType/groups/:groupName', (req, res) => {
    const type = typeOf(req, 'read');
    const group = store.properties.getGroup(type, req.params.groupName);
    if (group === undefined) {
      throw new HubSpotHttpError(404, 'OBJECT_NOT_FOUND', `Property group ${req.params.groupName} does not exist`, {
        context: { groupName: [req.params.groupName] },
      });
    }
    res.json(groupJson(group));
  });

  router.patch('/crm/v3/properties/:objectType/groups/:groupName', (req, res) => {
    const type = typeOf(req, 'write');
    const body = groupUpdateSchema.parse(req.body);
    const group = store.properties.updateGroup(type, req.params.groupName, {
      ...(body.label !== undefined ? { label: body.label } : {}),
      ...(body.displayOrder !== undefined ? { displayOrder: body.displayOrder } : {}),
    });
    res.json(groupJson(group));
  });

  router.delete('/crm/v3/properties/:objectType/groups/:groupName', (req, res) => {
    const type = typeOf(req, 'write');
    store.properties.archiveGroup(type, req.params.groupName);
    res.status(204).end();
  });

  return router;
}
