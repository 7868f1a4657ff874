/**
 * The body of `POST /crm/v3/objects/{type}/search`, checked with zod, and its limits: at most
 * 5 filter groups of 10 filters (25 in all), 200 results per page, a query of 3,000 characters,
 * and no paging beyond the 10,000th result.
 */
import { z } from 'zod';

export const FILTER_OPERATORS = [
  'EQ',
  'NEQ',
  'LT',
  'LTE',
  'GT',
  'GTE',
  'BETWEEN',
  'IN',
  'NOT_IN',
  'HAS_PROPERTY',
  'NOT_HAS_PROPERTY',
  'CONTAINS_TOKEN',
  'NOT_CONTAINS_TOKEN',
] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

export const SEARCH_LIMITS = {
  maxGroups: 5,
  maxFiltersPerGroup: 10,
  maxFilters: 25,
  maxPageSize: 200,
  defaultPageSize: 10,
  maxQueryLength: 3000,
  maxResults: 10_000,
} as const;

const scalar = z.union([z.string(), z.number(), z.boolean()]).transform((v) => String(v));

export const filterSchema = z.object({
  propertyName: z.string().min(1),
  operator: z.enum(FILTER_OPERATORS),
  value: scalar.optional(),
  highValue: scalar.optional(),
  values: z.array(scalar).optional(),
});
export type Filter = z.infer<typeof filterSchema>;

/** Sorts come as "-createdate" strings (the spec) or {propertyName, direction} objects (the Node README). */
const sortSchema = z.union([
  z
    .string()
    .min(1)
    .transform((s) =>
      s.startsWith('-')
        ? { propertyName: s.slice(1), direction: 'DESCENDING' as const }
        : { propertyName: s, direction: 'ASCENDING' as const },
    ),
  z.object({ propertyName: z.string().min(1), direction: z.enum(['ASCENDING', 'DESCENDING']).default('ASCENDING') }),
]);
export type Sort = { propertyName: string; direction: 'ASCENDING' | 'DESCENDING' };

export const searchRequestSchema = z
  .object({
    filterGroups: z
      .array(z.object({ filters: z.array(filterSchema).max(SEARCH_LIMITS.maxFiltersPerGroup) }))
      .max(SEARCH_LIMITS.maxGroups)
      .default([]),
    sorts: z.array(sortSchema).max(1, 'Only one sort is supported.').default([]),
    query: z.string().max(SEARCH_LIMITS.maxQueryLength).optional(),
    properties: z.array(z.string()).optional(),
    limit: z.number().int().min(0).max(SEARCH_LIMITS.maxPageSize).default(SEARCH_LIMITS.defaultPageSize),
    after: z
      .union([z.string(), z.number()])
      .transform((v) => String(v))
      .refine((v) => v === '' || /^\d+$/.test(v), 'after must be the numeric offset from paging.next.after')
      .optional(),
  })
  .superRefine((body, ctx) => {
    const total = body.filterGroups.reduce((n, g) => n + g.filters.length, 0);
    if (total > SEARCH_LIMITS.maxFilters) {
      ctx.addIssue({
        code: 'custom',
        path: ['filterGroups'],
        message: `At most ${SEARCH_LIMITS.maxFilters} filters are allowed in all filter groups together; got ${total}.`,
      });
    }
  });
export type SearchRequest = z.infer<typeof searchRequestSchema>;
