/**
 * Custom fields added by configuration (`customFields`) or through the control endpoint, validated with zod and turned
 * into field metadata the way Setup > Object Manager > New Field would.
 */
import { z } from 'zod';
import { entries, field, type FieldDef, type FieldType } from './field-def.js';

export const CUSTOM_FIELD_TYPES = [
  'string', 'textarea', 'email', 'phone', 'url', 'picklist', 'multipicklist', 'boolean', 'double', 'int', 'currency',
  'percent', 'date', 'datetime', 'reference',
] as const;

const DEFAULT_LENGTH: Partial<Record<FieldType, number>> = { string: 255, textarea: 32768, email: 80, phone: 40, url: 255 };
const MAX_LENGTH: Partial<Record<FieldType, number>> = { string: 255, textarea: 131072, email: 80, phone: 40, url: 255 };

export const customFieldInputSchema = z
  .strictObject({
    name: z
      .string()
      .regex(/^[A-Za-z](?:[A-Za-z0-9]|_(?!_))*__c$/, 'must be an API name ending in __c, e.g. Revloop_Stage__c'),
    type: z.enum(CUSTOM_FIELD_TYPES),
    label: z.string().min(1).max(40).optional(),
    length: z.number().int().min(1).optional(),
    precision: z.number().int().min(1).max(18).optional(),
    scale: z.number().int().min(0).max(17).optional(),
    picklistValues: z.array(z.string().min(1).max(255)).min(1).optional(),
    restricted: z.boolean().optional(),
    externalId: z.boolean().optional(),
    unique: z.boolean().optional(),
    required: z.boolean().optional(),
    referenceTo: z.string().min(1).optional(),
    relationshipName: z.string().min(1).optional(),
  })
  .superRefine((input, ctx) => {
    const max = MAX_LENGTH[input.type];
    if (input.length !== undefined && max === undefined) {
      ctx.addIssue({ code: 'custom', path: ['length'], message: `length does not apply to type ${input.type}` });
    }
    if (input.length !== undefined && max !== undefined && input.length > max) {
      ctx.addIssue({ code: 'custom', path: ['length'], message: `at most ${max} for type ${input.type}` });
    }
    const isPicklist = input.type === 'picklist' || input.type === 'multipicklist';
    if (isPicklist && input.picklistValues === undefined) {
      ctx.addIssue({ code: 'custom', path: ['picklistValues'], message: `required for type ${input.type}` });
    }
    if (!isPicklist && (input.picklistValues !== undefined || input.restricted !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['picklistValues'], message: 'only for picklist fields' });
    }
    if ((input.type === 'reference') !== (input.referenceTo !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['referenceTo'], message: 'required for, and only for, type reference' });
    }
    const keyable = ['string', 'email', 'double', 'int'].includes(input.type);
    if ((input.externalId === true || input.unique === true) && !keyable) {
      ctx.addIssue({ code: 'custom', path: ['externalId'], message: `type ${input.type} cannot be an external id or unique` });
    }
  });

export type CustomFieldInput = z.input<typeof customFieldInputSchema>;

/** `{ Lead: [ {name, type, ...} ] }` */
export const customFieldsConfigSchema = z.record(z.string().min(1), z.array(customFieldInputSchema));
export type CustomFieldsConfig = z.input<typeof customFieldsConfigSchema>;

function labelOf(name: string): string {
  return name.replace(/__c$/, '').replace(/_/g, ' ');
}

/** The field metadata Salesforce would create for this input. */
export function customFieldDef(input: CustomFieldInput): FieldDef {
  const parsed = customFieldInputSchema.parse(input);
  const type: FieldType = parsed.type;
  const label = parsed.label ?? labelOf(parsed.name);
  const length = parsed.length ?? DEFAULT_LENGTH[type] ?? 0;
  const def = field(parsed.name, label, type, length, {
    custom: true,
    required: parsed.required === true,
    unique: parsed.unique === true,
    externalId: parsed.externalId === true,
    restricted: parsed.restricted === true,
    ...(parsed.precision === undefined ? {} : { precision: parsed.precision }),
    ...(type === 'double' || type === 'percent' ? { scale: parsed.scale ?? 0 } : {}),
    ...(type === 'currency' ? { scale: parsed.scale ?? 2 } : {}),
    ...(type === 'int' ? { digits: parsed.precision ?? 9 } : {}),
    indexed: parsed.externalId === true || parsed.unique === true || type === 'reference',
  });
  if (type === 'picklist' || type === 'multipicklist') def.picklistValues = entries(parsed.picklistValues ?? []);
  if (type === 'multipicklist') def.length = 4099;
  if (type === 'reference' && parsed.referenceTo !== undefined) {
    def.referenceTo = [parsed.referenceTo];
    def.length = 18;
    def.relationshipName = parsed.relationshipName ?? parsed.name.replace(/__c$/, '__r');
    def.childRelationshipName = `${parsed.name.replace(/__c$/, '')}s__r`;
  }
  return def;
}
