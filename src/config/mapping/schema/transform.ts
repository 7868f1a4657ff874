/**
 * Value transforms of a field mapping, applied in order when a value crosses from one side to the
 * other (reversed where that makes sense for two-way fields). Written as a bare word or a mapping
 * with one key:
 *
 *   transform:
 *     - trim
 *     - owner            (HubSpot owner id ↔ Salesforce User id, matched by email)
 *     - lowercase
 *     - picklist: { map: { "Computer Software": Software }, unmapped: default, default: Other }
 *     - number: { decimals: 0 }
 *     - date: { format: iso_date }
 *     - concat: { hubspot: [firstname, lastname], separator: " " }
 *     - default: Unknown
 *     - truncate: 80
 */
import { z } from 'zod';
import { didYouMean } from '../did-you-mean.js';
import { forwardIssues, hubspotPropertyName, oneOf, salesforceFieldName, scalarValue, strict } from './helpers.js';

/**
 * Bare-word transforms. `owner` maps a HubSpot owner id to the Salesforce User id with the same
 * email (and back).
 */
export const SIMPLE_TRANSFORMS = ['trim', 'lowercase', 'uppercase', 'owner'] as const;

const picklistSchema = strict({
  /** HubSpot value → Salesforce value. For two-way fields it is reversed for the other direction. */
  map: z.record(z.string(), z.string()).refine((m) => Object.keys(m).length > 0, 'map needs at least one value'),
  /** A value missing from the map: keep it as is, drop it (write nothing), or write `default`. */
  unmapped: oneOf(['keep', 'drop', 'default'] as const, 'unmapped policy').default('keep'),
  default: z.string().optional(),
});

const numberSchema = strict({
  decimals: z.number().int().min(0).max(8),
  rounding: oneOf(['half_up', 'floor', 'ceil'] as const, 'rounding').default('half_up'),
});

const dateSchema = strict({
  /** How a date is written when one side keeps it in a text field. */
  format: oneOf(['iso_date', 'iso_datetime', 'epoch_ms'] as const, 'date format'),
  timezone: z.string().min(1).max(64).default('UTC'),
});

const concatSchema = z
  .object({
    hubspot: z.array(hubspotPropertyName).min(2).max(10).optional(),
    salesforce: z.array(salesforceFieldName).min(2).max(10).optional(),
    separator: z.string().max(10).default(' '),
  })
  .strict()
  .refine((c) => (c.hubspot === undefined) !== (c.salesforce === undefined), {
    message: 'concat takes the source fields of exactly one side: hubspot: [...] or salesforce: [...]',
  });

const TRANSFORM_SCHEMAS = {
  picklist: picklistSchema,
  number: numberSchema,
  date: dateSchema,
  concat: concatSchema,
  default: scalarValue,
  truncate: z.number().int().min(1).max(131_072),
} as const;

type TransformKey = keyof typeof TRANSFORM_SCHEMAS;
const TRANSFORM_KEYS = Object.keys(TRANSFORM_SCHEMAS) as TransformKey[];

export type Transform =
  | { kind: (typeof SIMPLE_TRANSFORMS)[number] }
  | { kind: 'picklist'; picklist: z.infer<typeof picklistSchema> }
  | { kind: 'number'; number: z.infer<typeof numberSchema> }
  | { kind: 'date'; date: z.infer<typeof dateSchema> }
  | { kind: 'concat'; concat: z.infer<typeof concatSchema> }
  | { kind: 'default'; default: z.infer<typeof scalarValue> }
  | { kind: 'truncate'; truncate: number };

const ALL_NAMES = [...SIMPLE_TRANSFORMS, ...TRANSFORM_KEYS];

export const transformSchema = z.unknown().transform((input, ctx): Transform => {
  const fallback: Transform = { kind: 'trim' };
  if (typeof input === 'string') {
    if ((SIMPLE_TRANSFORMS as readonly string[]).includes(input)) return { kind: input as (typeof SIMPLE_TRANSFORMS)[number] };
    const hint = didYouMean(input, ALL_NAMES);
    ctx.addIssue({
      code: 'custom',
      message: `unknown transform "${input}"${hint ? `; ${hint}` : ''} (valid: ${ALL_NAMES.join(', ')})`,
    });
    return fallback;
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input) || Object.keys(input).length !== 1) {
    ctx.addIssue({ code: 'custom', message: `a transform is one of ${SIMPLE_TRANSFORMS.join(', ')} or a mapping with one key (${TRANSFORM_KEYS.join(', ')})` });
    return fallback;
  }
  const [key, value] = Object.entries(input)[0] as [string, unknown];
  if (!(TRANSFORM_KEYS as string[]).includes(key)) {
    const hint = didYouMean(key, ALL_NAMES);
    ctx.addIssue({ code: 'custom', path: [key], message: `unknown transform "${key}"${hint ? `; ${hint}` : ''} (valid: ${ALL_NAMES.join(', ')})` });
    return fallback;
  }
  const parsed = TRANSFORM_SCHEMAS[key as TransformKey].safeParse(value);
  if (!parsed.success) {
    forwardIssues(ctx, parsed.error.issues, [key]);
    return fallback;
  }
  return { kind: key, [key]: parsed.data } as Transform;
});
