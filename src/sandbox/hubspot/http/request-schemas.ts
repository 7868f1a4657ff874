/** zod schemas for the CRM object request bodies (SimplePublicObjectInput and friends). */
import { z } from 'zod';
import { targetOfTypes } from '../store/association-types.js';
import type { AssociationInput } from '../store/hubspot-store.js';
import { badRequest } from './hubspot-error.js';

const propertyValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export const propertiesSchema = z.record(z.string(), propertyValue);

const id = z.union([z.string().min(1), z.number().int().nonnegative()]).transform((v) => String(v));

export const associationSpecSchema = z.object({
  associationCategory: z.enum(['HUBSPOT_DEFINED', 'INTEGRATOR_DEFINED', 'USER_DEFINED', 'WORK']),
  associationTypeId: z.number().int(),
});

export const createAssociationSchema = z.object({
  to: z.object({ id }),
  types: z.array(associationSpecSchema).min(1),
});

export const createObjectSchema = z.object({
  properties: propertiesSchema,
  associations: z.array(createAssociationSchema).default([]),
  objectWriteTraceId: z.string().optional(),
});

export const updateObjectSchema = z.object({
  properties: propertiesSchema,
  objectWriteTraceId: z.string().optional(),
});

export const BATCH_MAX = 100;
const inputs = <T extends z.ZodType>(item: T) =>
  z.object({
    inputs: z.array(item).max(BATCH_MAX, `At most ${BATCH_MAX} inputs are allowed in one batch request.`),
  });

export const batchCreateSchema = inputs(createObjectSchema);
export const batchUpdateSchema = inputs(
  z.object({ id, idProperty: z.string().optional(), properties: propertiesSchema, objectWriteTraceId: z.string().optional() }),
);
export const batchUpsertSchema = inputs(
  z.object({ id, idProperty: z.string().optional(), properties: propertiesSchema, objectWriteTraceId: z.string().optional() }),
);
export const batchReadSchema = inputs(z.object({ id })).extend({
  properties: z.array(z.string()).default([]),
  propertiesWithHistory: z.array(z.string()).default([]),
  idProperty: z.string().optional(),
});
export const batchArchiveSchema = inputs(z.object({ id }));

export const mergeSchema = z.object({ primaryObjectId: id, objectIdToMerge: id });
export const gdprDeleteSchema = z.object({ objectId: id, idProperty: z.string().optional() });

/** The store input for the `associations` of a create body. */
export function createAssociationsInput(associations: z.infer<typeof createAssociationSchema>[]): AssociationInput[] {
  return associations.map((a) => {
    const typeIds = a.types.map((t) => t.associationTypeId);
    const toType = targetOfTypes(typeIds);
    if (toType === undefined) throw badRequest(`Association type ids ${typeIds.join(', ')} do not name one known target object type.`);
    return { toType, toId: a.to.id, typeIds };
  });
}
