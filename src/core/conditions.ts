/**
 * Evaluates the structured conditions of the mapping files (entry criteria, SLA segments, scope)
 * against what revloop knows of a person or company. Pure.
 *
 * Comparison: numbers compare as numbers when both sides are numeric ("50" and 50 are equal);
 * booleans as booleans ("true" and true); dates and times as instants when both parse as dates;
 * otherwise as text. `contains` ignores case. A missing value is blank: it satisfies only
 * `exists: false`, `ne` and `not_in`.
 */
import type { Condition, FieldScope } from '../config/mapping/schema/condition.js';
import type { ScalarValue } from '../config/mapping/schema/helpers.js';
import { isBlank } from './sync/values.js';

const DAY_MS = 86_400_000;

export type RecordValues = Readonly<Record<string, unknown>>;

/** What a condition can read: one record per scope, and lists for relation quantifiers. */
export interface ConditionView {
  hubspot?: RecordValues;
  company?: RecordValues;
  /** The linked Salesforce person (Lead or Contact). */
  salesforce?: RecordValues;
  lead?: RecordValues;
  contact?: RecordValues;
  account?: RecordValues;
  opportunities?: readonly RecordValues[];
  campaigns?: readonly RecordValues[];
}

function read(record: RecordValues | undefined, path: string): unknown {
  if (!path.includes('.')) return record?.[path];
  let current: unknown = record;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function asNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && v.trim() !== '' && /^-?\d+(\.\d+)?$/.test(v.trim())) return Number(v);
  return undefined;
}

function asInstant(v: unknown): number | undefined {
  if (typeof v === 'number') return v > 10_000_000_000 ? v : undefined;
  if (typeof v !== 'string') return undefined;
  if (/^\d{12,}$/.test(v)) return Number(v);
  if (!/^\d{4}-\d{2}-\d{2}/.test(v)) return undefined;
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(ms) ? undefined : ms;
}

function asBoolean(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  return undefined;
}

function equal(actual: unknown, expected: ScalarValue): boolean {
  if (expected === null) return isBlank(actual);
  if (isBlank(actual)) return false;
  if (typeof expected === 'boolean') return asBoolean(actual) === expected;
  const an = asNumber(actual);
  const en = asNumber(expected);
  if (an !== undefined && en !== undefined) return an === en;
  return String(actual) === String(expected);
}

/** -1, 0, 1, or undefined when the two cannot be ordered. */
function order(actual: unknown, expected: ScalarValue): number | undefined {
  if (isBlank(actual) || expected === null || typeof expected === 'boolean') return undefined;
  const an = asNumber(actual);
  const en = asNumber(expected);
  if (an !== undefined && en !== undefined) return Math.sign(an - en);
  if (typeof expected === 'number') return undefined;
  const at = asInstant(actual);
  const et = asInstant(expected);
  if (at !== undefined && et !== undefined) return Math.sign(at - et);
  return String(actual).localeCompare(String(expected));
}

function compare(actual: unknown, op: string, value: ScalarValue | ScalarValue[], now: number): boolean {
  switch (op) {
    case 'exists':
      return value === true ? !isBlank(actual) : isBlank(actual);
    case 'eq':
      return equal(actual, value as ScalarValue);
    case 'ne':
      return !equal(actual, value as ScalarValue);
    case 'in':
      return (value as ScalarValue[]).some((v) => equal(actual, v));
    case 'not_in':
      return !(value as ScalarValue[]).some((v) => equal(actual, v));
    case 'contains':
      return !isBlank(actual) && String(actual).toLowerCase().includes(String(value).toLowerCase());
    case 'not_contains':
      return isBlank(actual) || !String(actual).toLowerCase().includes(String(value).toLowerCase());
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const o = order(actual, value as ScalarValue);
      if (o === undefined) return false;
      return op === 'gt' ? o > 0 : op === 'gte' ? o >= 0 : op === 'lt' ? o < 0 : o <= 0;
    }
    case 'within_days':
    case 'older_than_days': {
      const at = asInstant(actual);
      if (at === undefined) return false;
      const age = now - at;
      return op === 'within_days' ? age <= (value as number) * DAY_MS && age >= -DAY_MS : age > (value as number) * DAY_MS;
    }
    default:
      return false;
  }
}

export function evaluate(condition: Condition, view: ConditionView, now: number, scopeRecords: Partial<Record<FieldScope, RecordValues>> = {}): boolean {
  switch (condition.kind) {
    case 'all':
      return condition.conditions.every((c) => evaluate(c, view, now, scopeRecords));
    case 'any':
      return condition.conditions.some((c) => evaluate(c, view, now, scopeRecords));
    case 'not':
      return !evaluate(condition.condition, view, now, scopeRecords);
    case 'compare': {
      const record = scopeRecords[condition.field.scope] ?? (view as Record<string, RecordValues | undefined>)[condition.field.scope];
      return compare(read(record, condition.field.name), condition.op, condition.value, now);
    }
    case 'some':
    case 'none': {
      const list = view[condition.relation] ?? [];
      const scope: FieldScope = condition.relation === 'opportunities' ? 'opportunity' : 'campaign';
      const any = list.some((item) => (condition.where ? evaluate(condition.where, view, now, { ...scopeRecords, [scope]: item }) : true));
      return condition.kind === 'some' ? any : !any;
    }
  }
}
