/**
 * Turns one search filter into a test on a row, plus a hint of which index can narrow the rows
 * to test (an id list for `hs_object_id`/`email` equality, a time range for the created and
 * modified stamps). Comparisons follow the property type: numbers and dates numerically, text
 * case-insensitively; dictionary-encoded columns compare codes, not strings.
 */
import type { ObjectTable } from '../store/object-table.js';
import { PropertyColumn } from '../store/property-column.js';
import { TimestampColumn } from '../store/timestamp-column.js';
import type { ObjectTypeName } from '../store/object-types.js';
import type { PropertyDefinition } from '../store/property-definitions.js';
import type { StoreContext } from '../store/store-context.js';
import { InvalidRequestError } from '../store/store-errors.js';
import { parseTimestamp } from '../store/value-validation.js';
import type { Filter } from './search-request.js';

export type RowTest = (row: number) => boolean;

export type IndexPlan =
  | { kind: 'rows'; rows: number[] }
  | { kind: 'range'; index: 'created' | 'modified'; from: number; to: number };

export interface CompiledFilter {
  test: RowTest;
  plan?: IndexPlan;
}

type ValueKind = 'id' | 'created' | 'modified' | 'number' | 'time' | 'text';

export function kindOf(name: string, def: PropertyDefinition): ValueKind {
  if (name === 'hs_object_id') return 'id';
  if (name === 'createdate') return 'created';
  if (name === 'lastmodifieddate' || name === 'hs_lastmodifieddate') return 'modified';
  if (def.type === 'number') return 'number';
  if (def.type === 'date' || def.type === 'datetime') return 'time';
  return 'text';
}

/** Reads a row's value as a number for numeric kinds (undefined when it has none). */
export function numberReader(table: ObjectTable, name: string, kind: ValueKind): (row: number) => number | undefined {
  switch (kind) {
    case 'id':
      return (row) => table.info.idBase + row;
    case 'created':
      return (row) => table.createdAt(row);
    case 'modified':
      return (row) => table.updatedAt(row);
    case 'number':
      return (row) => {
        const v = table.get(row, name);
        return v === undefined ? undefined : Number(v);
      };
    default: {
      const column = table.column(name);
      if (column instanceof TimestampColumn) return (row) => column.timeAt(row);
      return (row) => {
        const v = table.get(row, name);
        return v === undefined ? undefined : parseTimestamp(v);
      };
    }
  }
}

function tokens(text: string): string[] {
  return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

function tokenMatcher(token: string): (value: string) => boolean {
  const wanted = token.toLowerCase();
  if (wanted.includes('*')) {
    const pattern = new RegExp(`^${wanted.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'u');
    return (value) => {
      const lower = value.toLowerCase();
      return pattern.test(lower) || lower.split(/\s+/).some((t) => pattern.test(t)) || tokens(lower).some((t) => pattern.test(t));
    };
  }
  return (value) => value.toLowerCase() === wanted || tokens(value).includes(wanted);
}

export function compileFilter(ctx: StoreContext, type: ObjectTypeName, filter: Filter): CompiledFilter {
  const table = ctx.tables[type];
  const name = filter.propertyName;
  const def = ctx.registry.get(type, name);
  if (def === undefined) throw new InvalidRequestError(`Filter property "${name}" does not exist for ${type}.`);
  const kind = kindOf(name, def);
  const op = filter.operator;
  const need = (value: string | undefined, what: string): string => {
    if (value === undefined) throw new InvalidRequestError(`Operator ${op} on ${name} needs ${what}.`);
    return value;
  };
  const list = (): string[] => {
    if (filter.values === undefined || filter.values.length === 0) {
      throw new InvalidRequestError(`Operator ${op} on ${name} needs a non-empty "values" list.`);
    }
    return filter.values;
  };

  if (op === 'HAS_PROPERTY' || op === 'NOT_HAS_PROPERTY') {
    const has: RowTest = kind === 'text' || kind === 'number' || kind === 'time' ? (row) => table.get(row, name) !== undefined : () => true;
    return { test: op === 'HAS_PROPERTY' ? has : (row) => !has(row) };
  }
  if (op === 'CONTAINS_TOKEN' || op === 'NOT_CONTAINS_TOKEN') {
    const match = tokenMatcher(need(filter.value, 'a "value"'));
    const read = (row: number) => (kind === 'text' ? table.get(row, name) : String(numberReader(table, name, kind)(row) ?? ''));
    const contains: RowTest = (row) => {
      const v = read(row);
      return v !== undefined && v !== '' && match(v);
    };
    return { test: op === 'CONTAINS_TOKEN' ? contains : (row) => !contains(row) };
  }
  if (kind === 'text') return compileText(ctx, type, table, name, op, filter, need, list);
  return compileNumeric(table, name, kind, op, filter, need, list);
}

function toNumber(kind: ValueKind, name: string, value: string): number {
  const n = kind === 'time' || kind === 'created' || kind === 'modified' ? parseTimestamp(value) : Number(value);
  if (n === undefined || value.trim() === '' || !Number.isFinite(n)) {
    throw new InvalidRequestError(`"${value}" is not a valid ${kind === 'id' || kind === 'number' ? 'number' : 'date'} for ${name}.`);
  }
  return n;
}

function compileNumeric(
  table: ObjectTable,
  name: string,
  kind: ValueKind,
  op: Filter['operator'],
  filter: Filter,
  need: (value: string | undefined, what: string) => string,
  list: () => string[],
): CompiledFilter {
  const read = numberReader(table, name, kind);
  const index = kind === 'created' ? 'created' : kind === 'modified' ? 'modified' : undefined;
  const range = (from: number, to: number): IndexPlan | undefined => (index === undefined ? undefined : { kind: 'range', index, from, to });
  const rowsOfIds = (ids: number[]): IndexPlan | undefined =>
    kind === 'id' ? { kind: 'rows', rows: ids.map((id) => id - table.info.idBase).filter((r) => r >= 0 && r < table.rows) } : undefined;
  const cmp = (test: (v: number) => boolean): RowTest => (row) => {
    const v = read(row);
    return v !== undefined && test(v);
  };
  const withPlan = (test: RowTest, plan: IndexPlan | undefined): CompiledFilter => (plan === undefined ? { test } : { test, plan });
  switch (op) {
    case 'EQ': {
      const x = toNumber(kind, name, need(filter.value, 'a "value"'));
      return withPlan(cmp((v) => v === x), kind === 'id' ? rowsOfIds([x]) : range(x, x));
    }
    case 'NEQ': {
      const x = toNumber(kind, name, need(filter.value, 'a "value"'));
      return { test: (row) => read(row) !== x };
    }
    case 'GT':
    case 'GTE': {
      const x = toNumber(kind, name, need(filter.value, 'a "value"'));
      return withPlan(cmp(op === 'GT' ? (v) => v > x : (v) => v >= x), range(x, Infinity));
    }
    case 'LT':
    case 'LTE': {
      const x = toNumber(kind, name, need(filter.value, 'a "value"'));
      return withPlan(cmp(op === 'LT' ? (v) => v < x : (v) => v <= x), range(-Infinity, x));
    }
    case 'BETWEEN': {
      const lo = toNumber(kind, name, need(filter.value, 'a "value" (the low end)'));
      const hi = toNumber(kind, name, need(filter.highValue, 'a "highValue"'));
      return withPlan(cmp((v) => v >= lo && v <= hi), range(lo, hi));
    }
    case 'IN': {
      const xs = new Set(list().map((v) => toNumber(kind, name, v)));
      return withPlan(cmp((v) => xs.has(v)), kind === 'id' ? rowsOfIds([...xs]) : undefined);
    }
    case 'NOT_IN': {
      const xs = new Set(list().map((v) => toNumber(kind, name, v)));
      return { test: (row) => !xs.has(read(row) ?? NaN) };
    }
    default:
      throw new InvalidRequestError(`Operator ${op} is not supported on ${name}.`);
  }
}

function compileText(
  ctx: StoreContext,
  type: ObjectTypeName,
  table: ObjectTable,
  name: string,
  op: Filter['operator'],
  filter: Filter,
  need: (value: string | undefined, what: string) => string,
  list: () => string[],
): CompiledFilter {
  const column = table.column(name);
  const lowerOf = (row: number) => table.get(row, name)?.toLowerCase();
  /** Rows holding one of these values (case-insensitive), as a test; codes when the column is a dictionary. */
  const equalsAny = (values: string[]): RowTest => {
    const wanted = new Set(values.map((v) => v.toLowerCase()));
    if (column === undefined) return () => false;
    if (column instanceof PropertyColumn && column.isDictionary) {
      const codes = new Set<number>();
      for (const [value, code] of column.entries()) if (wanted.has(value.toLowerCase())) codes.add(code);
      return (row) => codes.has(column.codeAt(row));
    }
    return (row) => {
      const v = lowerOf(row);
      return v !== undefined && wanted.has(v);
    };
  };
  const emailRows = (values: string[]): IndexPlan | undefined => {
    if (type !== 'contacts' || name !== 'email') return undefined;
    ctx.unique.track('contacts', 'email');
    const rows: number[] = [];
    for (const v of values) {
      const row = ctx.unique.lookup('contacts', 'email', v);
      if (row !== undefined) rows.push(row);
    }
    return { kind: 'rows', rows };
  };
  const compare = (test: (v: string) => boolean): RowTest => (row) => {
    const v = lowerOf(row);
    return v !== undefined && test(v);
  };
  switch (op) {
    case 'EQ': {
      const value = need(filter.value, 'a "value"');
      const test = equalsAny([value]);
      const plan = emailRows([value]);
      return plan === undefined ? { test } : { test, plan };
    }
    case 'NEQ': {
      const test = equalsAny([need(filter.value, 'a "value"')]);
      return { test: (row) => !test(row) };
    }
    case 'IN': {
      const values = list();
      const test = equalsAny(values);
      const plan = emailRows(values);
      return plan === undefined ? { test } : { test, plan };
    }
    case 'NOT_IN': {
      const test = equalsAny(list());
      return { test: (row) => !test(row) };
    }
    case 'GT':
      return { test: compare(((x) => (v) => v > x)(need(filter.value, 'a "value"').toLowerCase())) };
    case 'GTE':
      return { test: compare(((x) => (v) => v >= x)(need(filter.value, 'a "value"').toLowerCase())) };
    case 'LT':
      return { test: compare(((x) => (v) => v < x)(need(filter.value, 'a "value"').toLowerCase())) };
    case 'LTE':
      return { test: compare(((x) => (v) => v <= x)(need(filter.value, 'a "value"').toLowerCase())) };
    case 'BETWEEN': {
      const lo = need(filter.value, 'a "value" (the low end)').toLowerCase();
      const hi = need(filter.highValue, 'a "highValue"').toLowerCase();
      return { test: compare((v) => v >= lo && v <= hi) };
    }
    default:
      throw new InvalidRequestError(`Operator ${op} is not supported on ${name}.`);
  }
}
