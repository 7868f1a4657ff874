/** Reads field paths on a row (following parent references) and evaluates compiled WHERE conditions. */
import type { FieldValue } from '../schema/field-def.js';
import { ROW_LIVE, ROW_VACANT, type ObjectTable, type RawValue } from '../storage/object-table.js';
import { computedField } from '../store/computed-fields.js';
import type { TableRegistry } from '../store/table-registry.js';
import type { Condition, FieldPath, Predicate } from './compiled-query.js';
import { POLYMORPHIC_TYPE_FIELD } from './compile-path.js';

export interface EvalEnv {
  registry: TableRegistry;
  /** queryAll: deleted parents still count as present. */
  includeDeleted: boolean;
  /** Values selected by semi-join subqueries, computed once per run. */
  semiValues(pred: Extract<Predicate, { kind: 'semi' }>): Set<number>;
}

/** The (table, row) a path's parent steps lead to, or undefined when a reference on the way is empty. */
export function followPath(env: Pick<EvalEnv, 'registry' | 'includeDeleted'>, path: FieldPath, table: ObjectTable, row: number, depth = path.steps.length): { table: ObjectTable; row: number } | undefined {
  let t = table;
  let r = row;
  for (let i = 0; i < depth; i++) {
    const ref = t.getRaw(r, path.steps[i] ?? '');
    if (typeof ref !== 'number') return undefined;
    const next = env.registry.deref(ref);
    const state = next.table.stateOf(next.row);
    if (state === ROW_VACANT || (state !== ROW_LIVE && !env.includeDeleted)) return undefined;
    t = next.table;
    r = next.row;
  }
  return { table: t, row: r };
}

/** The raw value of a field on a row: references and Ids encoded, computed fields computed. */
export function readField(registry: TableRegistry, table: ObjectTable, row: number, fieldName: string): RawValue | FieldValue {
  const f = table.schema.field(fieldName);
  if (f === undefined) return null;
  if (f.type === 'id') return registry.ref(table, row);
  if (f.storage === 'computed') return computedField(table.name, f.name)?.(registry, table, row) ?? null;
  return table.getRaw(row, f.name);
}

export function readPath(env: Pick<EvalEnv, 'registry' | 'includeDeleted'>, path: FieldPath, table: ObjectTable, row: number): RawValue | FieldValue {
  const target = followPath(env, path, table, row);
  if (target === undefined) return null;
  if (path.field === POLYMORPHIC_TYPE_FIELD) return target.table.name;
  return readField(env.registry, target.table, target.row, path.fieldName);
}

function normalise(value: RawValue | FieldValue): string | number | boolean | null {
  return typeof value === 'string' ? value.toLowerCase() : value;
}

function compare(a: string | number | boolean, b: string | number | boolean): number {
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  const x = typeof a === 'boolean' ? Number(a) : Number(a);
  const y = typeof b === 'boolean' ? Number(b) : Number(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function evalPredicate(env: EvalEnv, pred: Predicate, table: ObjectTable, row: number): boolean {
  const value = normalise(readPath(env, pred.path, table, row));
  switch (pred.kind) {
    case 'compare': {
      if (pred.value === null) return pred.op === '=' ? value === null : value !== null;
      if (value === null) return pred.op === '!=';
      const c = compare(value, pred.value);
      switch (pred.op) {
        case '=':
          return c === 0;
        case '!=':
          return c !== 0;
        case '<':
          return c < 0;
        case '<=':
          return c <= 0;
        case '>':
          return c > 0;
        case '>=':
          return c >= 0;
      }
      return false;
    }
    case 'in': {
      const found = pred.values.some((v) => (v === null ? value === null : value !== null && compare(value, v) === 0));
      return pred.negate ? !found : found;
    }
    case 'like':
      return value !== null && pred.pattern.test(String(readPath(env, pred.path, table, row)));
    case 'range': {
      if (typeof value !== 'number') return pred.op === '!=';
      const { start, end } = pred.range;
      switch (pred.op) {
        case '=':
          return value >= start && value < end;
        case '!=':
          return value < start || value >= end;
        case '<':
          return value < start;
        case '<=':
          return value < end;
        case '>':
          return value >= end;
        case '>=':
          return value >= start;
      }
      return false;
    }
    case 'includes': {
      if (typeof value !== 'string') return pred.negate;
      const have = new Set(value.split(';'));
      const found = pred.sets.some((set) => set.every((v) => have.has(v)));
      return pred.negate ? !found : found;
    }
    case 'semi': {
      const found = typeof value === 'number' && env.semiValues(pred).has(value);
      return pred.negate ? !found : found;
    }
  }
}

export function evalCondition(env: EvalEnv, cond: Condition, table: ObjectTable, row: number): boolean {
  switch (cond.kind) {
    case 'and':
      return cond.items.every((c) => evalCondition(env, c, table, row));
    case 'or':
      return cond.items.some((c) => evalCondition(env, c, table, row));
    case 'not':
      return !evalCondition(env, cond.item, table, row);
    case 'pred':
      return evalPredicate(env, cond.pred, table, row);
  }
}

/** A sort key: text lower-cased, booleans as 0/1, null kept. */
export function sortKey(value: RawValue | FieldValue): string | number | null {
  if (value === null) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return typeof value === 'string' ? value.toLowerCase() : value;
}
