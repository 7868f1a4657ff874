/**
 * Checks and normalizes property values against their definitions, the way HubSpot answers a
 * write: every value is a string on the wire; numbers, booleans, dates and options have a strict
 * form (no surrounding spaces on non-string values); `""` or `null` clears a value. Errors carry
 * HubSpot's codes (PROPERTY_DOESNT_EXIST, READ_ONLY_VALUE, INVALID_OPTION, INVALID_EMAIL,
 * INVALID_DATE, ...) and messages.
 */
import type { ObjectTypeName } from './object-types.js';
import type { OwnerDirectory } from './owners.js';
import type { PipelineRegistry } from './pipelines.js';
import type { PropertyDefinition } from './property-definitions.js';
import type { PropertyRegistry } from './property-registry.js';
import type { PropertyValueError } from './store-errors.js';

export type PropertyInputValue = string | number | boolean | null | undefined;

export interface ValidationContext {
  registry: PropertyRegistry;
  owners: OwnerDirectory;
  pipelines: PipelineRegistry;
  type: ObjectTypeName;
  /** HTTP writes may not set read-only properties; the store's own actors may. */
  enforceReadOnly: boolean;
  /** The record's current value of a property (for dealstage vs pipeline); undefined when creating. */
  current: (name: string) => string | undefined;
}

export interface NormalizedValues {
  /** Normalized value per property; undefined clears the property. */
  values: Map<string, string | undefined>;
  errors: PropertyValueError[];
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const DIGITS = /^-?\d+$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function normalizeValues(ctx: ValidationContext, input: Record<string, PropertyInputValue>): NormalizedValues {
  const values = new Map<string, string | undefined>();
  const errors: PropertyValueError[] = [];
  const deferred: Array<[PropertyDefinition, string]> = [];
  for (const [name, raw] of Object.entries(input)) {
    const def = ctx.registry.get(ctx.type, name);
    if (def === undefined) {
      errors.push({ name, error: 'PROPERTY_DOESNT_EXIST', message: `Property "${name}" does not exist` });
      continue;
    }
    if (ctx.enforceReadOnly && def.readOnlyValue) {
      errors.push({ name, error: 'READ_ONLY_VALUE', message: `${name} is a read only property; its value cannot be set.` });
      continue;
    }
    if (raw === null || raw === undefined || raw === '') {
      values.set(name, undefined);
      continue;
    }
    const text = String(raw);
    if (name === 'dealstage') {
      deferred.push([def, text]); // depends on the pipeline, checked once all values are known
      continue;
    }
    const result = normalizeOne(ctx, def, text);
    if (typeof result === 'string') values.set(name, result);
    else errors.push(result);
  }
  for (const [def, text] of deferred) {
    const pipelineId = values.has('pipeline') ? values.get('pipeline') : ctx.current('pipeline');
    const pipeline = ctx.pipelines.get(pipelineId ?? 'default');
    const allowed = pipeline?.stages.map((s) => s.id) ?? [];
    if (allowed.includes(text)) values.set(def.name, text);
    else errors.push(invalidOption(def.name, text, allowed));
  }
  return { values, errors };
}

function normalizeOne(ctx: ValidationContext, def: PropertyDefinition, text: string): string | PropertyValueError {
  const name = def.name;
  switch (def.type) {
    case 'number':
      return NUMBER.test(text) && Number.isFinite(Number(text))
        ? String(Number(text))
        : { name, error: 'INVALID_LONG', message: `${text} was not a valid long.` };
    case 'bool': {
      const lower = text.toLowerCase();
      return lower === 'true' || lower === 'false'
        ? lower
        : { name, error: 'INVALID_BOOLEAN', message: `${text} was not a valid boolean.` };
    }
    case 'date':
      return normalizeDate(name, text);
    case 'datetime': {
      const ms = parseTimestamp(text);
      return ms === undefined
        ? { name, error: 'INVALID_DATETIME', message: `${text} was not a valid datetime.` }
        : new Date(ms).toISOString();
    }
    case 'enumeration':
      return normalizeEnumeration(ctx, def, text);
    default:
      if (ctx.type === 'contacts' && name === 'email') {
        return EMAIL.test(text) ? text.toLowerCase() : { name, error: 'INVALID_EMAIL', message: `Email address ${text} is invalid` };
      }
      return text;
  }
}

function normalizeEnumeration(ctx: ValidationContext, def: PropertyDefinition, text: string): string | PropertyValueError {
  const allowed = allowedOptions(ctx, def);
  if (def.fieldType === 'checkbox') {
    const parts = text.split(';');
    const bad = parts.find((p) => !allowed.includes(p));
    return bad === undefined ? parts.join(';') : invalidOption(def.name, bad, allowed);
  }
  return allowed.includes(text) ? text : invalidOption(def.name, text, allowed);
}

function allowedOptions(ctx: ValidationContext, def: PropertyDefinition): string[] {
  if (def.referencedObjectType === 'OWNER') return ctx.owners.list().map((o) => o.id);
  if (def.name === 'pipeline' && ctx.type === 'deals') return ctx.pipelines.list().map((p) => p.id);
  return [...ctx.registry.optionValues(def)];
}

function invalidOption(name: string, value: string, allowed: readonly string[]): PropertyValueError {
  return { name, error: 'INVALID_OPTION', message: `${value} was not one of the allowed options: [${allowed.join(', ')}]` };
}

function normalizeDate(name: string, text: string): string | PropertyValueError {
  if (ISO_DATE.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00Z`))) return text;
  if (DIGITS.test(text)) {
    const date = new Date(Number(text));
    if (date.getUTCHours() + date.getUTCMinutes() + date.getUTCSeconds() + date.getUTCMilliseconds() !== 0) {
      const time = `${date.getUTCHours()}:${date.getUTCMinutes()}:${date.getUTCSeconds()}.${date.getUTCMilliseconds()}`;
      return { name, error: 'INVALID_DATE', message: `${text} is at ${time} UTC, not midnight!` };
    }
    return date.toISOString().slice(0, 10);
  }
  return { name, error: 'INVALID_DATE', message: `${text} was not a valid date.` };
}

/** Epoch milliseconds from a value in either form HubSpot accepts (ms digits or ISO 8601). */
export function parseTimestamp(text: string): number | undefined {
  if (DIGITS.test(text)) return Number(text);
  if (ISO_DATE.test(text)) return Date.parse(`${text}T00:00:00Z`);
  if (ISO_DATETIME.test(text)) {
    const ms = Date.parse(text);
    return Number.isNaN(ms) ? undefined : ms;
  }
  return undefined;
}
