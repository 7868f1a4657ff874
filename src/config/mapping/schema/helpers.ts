/**
 * zod building blocks for mapping files that keep enough information to explain a mistake:
 * unknown keys and unknown enum values come with a did-you-mean from the valid ones.
 */
import { z } from 'zod';
import { didYouMean } from '../did-you-mean.js';

/** Known keys of every strict object, looked up by the converter through the issue message token. */
const knownKeyLists: string[][] = [];
const KNOWN_TOKEN = 'revloop-known-keys:';

export function knownKeysFromMessage(message: string): string[] | undefined {
  if (!message.startsWith(KNOWN_TOKEN)) return undefined;
  return knownKeyLists[Number(message.slice(KNOWN_TOKEN.length))];
}

/** An object that refuses unknown keys, reporting each with a did-you-mean from `shape`'s keys. */
export function strict<T extends z.ZodRawShape>(shape: T) {
  const index = knownKeyLists.push(Object.keys(shape)) - 1;
  return z.strictObject(shape, {
    error: (iss) => (iss.code === 'unrecognized_keys' ? `${KNOWN_TOKEN}${index}` : undefined),
  });
}

/** A string enum whose error names the bad value, the valid ones and a did-you-mean. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T, what: string) {
  return z.enum(values, {
    error: (iss) => {
      if (iss.input === undefined) return `missing required ${what}`;
      if (typeof iss.input !== 'string') return `${what} must be one of: ${values.join(', ')}`;
      const hint = didYouMean(iss.input, values);
      return `unknown ${what} "${iss.input}"${hint ? `; ${hint}` : ''} (valid: ${values.join(', ')})`;
    },
  });
}

/** An identifier used to reference a thing from elsewhere (stage ids, segment ids). */
export const identifier = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be lower-case letters, digits and _ (starting with a letter), at most 40 characters');

/** A HubSpot internal property name. */
export const hubspotPropertyName = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,99}$/, 'must be a HubSpot internal property name: lower-case letters, digits and _');

/** A Salesforce field API name, optionally a parent relationship path (Account.Name). */
export const salesforceFieldName = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*){0,2}$/, 'must be a Salesforce field API name such as Email, Custom__c or Account.Name');

export const scalarValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export type ScalarValue = z.infer<typeof scalarValue>;

/** Adds every issue of a nested parse to the outer context, under `prefix`. */
export function forwardIssues(ctx: z.RefinementCtx, issues: readonly z.core.$ZodIssue[], prefix: ReadonlyArray<PropertyKey>): void {
  for (const issue of issues) {
    ctx.addIssue({
      code: 'custom',
      path: [...prefix, ...issue.path],
      message: issue.message,
      params: { original: issue },
    });
  }
}
