/**
 * Runs a compiled query: candidate rows from the planner (or a scan), record state (live; deleted too for queryAll),
 * WHERE, ORDER BY, OFFSET and LIMIT. Returns the matching rows; rendering is separate (shape.ts, bulk CSV).
 */
import { ROW_DELETED, ROW_LIVE, type ObjectTable } from '../storage/object-table.js';
import type { TableRegistry } from '../store/table-registry.js';
import type { CompiledQuery, OrderItem, Predicate } from './compiled-query.js';
import { evalCondition, readPath, sortKey, type EvalEnv } from './evaluate.js';
import { candidateRows } from './plan.js';

export interface RunOptions {
  registry: TableRegistry;
  includeDeleted: boolean;
}

export interface QueryRun {
  query: CompiledQuery;
  /** Matching rows in result order (after OFFSET and LIMIT). */
  rows: Int32Array;
  /** COUNT(field) value for aggregate queries. */
  aggregate: number | undefined;
}

export function makeEvalEnv(options: RunOptions): EvalEnv {
  const cache = new Map<Predicate, Set<number>>();
  const env: EvalEnv = {
    registry: options.registry,
    includeDeleted: options.includeDeleted,
    semiValues: (pred) => {
      let values = cache.get(pred);
      if (values === undefined) {
        const sub = runQuery(pred.query, { registry: options.registry, includeDeleted: false });
        const item = pred.query.select[0];
        values = new Set<number>();
        if (item?.kind === 'field') {
          for (const row of sub.rows) {
            const v = readPath(env, item.path, pred.query.table, row);
            if (typeof v === 'number') values.add(v);
          }
        }
        cache.set(pred, values);
      }
      return values;
    },
  };
  return env;
}

function compareKeys(a: string | number | null, b: string | number | null, item: OrderItem): number {
  if (a === null || b === null) {
    if (a === b) return 0;
    return (a === null) === item.nullsFirst ? -1 : 1;
  }
  const c = a < b ? -1 : a > b ? 1 : 0;
  return item.descending ? -c : c;
}

type SortKeys = Array<string | number | null>;

function compareKeyLists(a: SortKeys, b: SortKeys, orderBy: OrderItem[]): number {
  for (let k = 0; k < orderBy.length; k++) {
    const item = orderBy[k];
    if (item === undefined) continue;
    const c = compareKeys(a[k] ?? null, b[k] ?? null, item);
    if (c !== 0) return c;
  }
  return 0;
}

/** The first `count` rows in ORDER BY order without sorting them all (ORDER BY … LIMIT n over a large table). */
function topRows(env: EvalEnv, table: ObjectTable, rows: number[], orderBy: OrderItem[], count: number): number[] {
  const best: Array<{ row: number; keys: SortKeys }> = [];
  const order = (a: { row: number; keys: SortKeys }, b: { row: number; keys: SortKeys }): number =>
    compareKeyLists(a.keys, b.keys, orderBy) || a.row - b.row;
  for (const row of rows) {
    const entry = { row, keys: orderBy.map((item) => sortKey(readPath(env, item.path, table, row))) };
    if (best.length === count) {
      const worst = best[count - 1];
      if (worst === undefined || order(entry, worst) >= 0) continue;
      best.pop();
    }
    let lo = 0;
    let hi = best.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const other = best[mid];
      if (other !== undefined && order(other, entry) < 0) lo = mid + 1;
      else hi = mid;
    }
    best.splice(lo, 0, entry);
  }
  return best.map((e) => e.row);
}

function sortRows(env: EvalEnv, table: ObjectTable, rows: number[], orderBy: OrderItem[], keep?: number): number[] {
  if (orderBy.length === 0 || rows.length < 2) return rows;
  if (keep !== undefined && keep * 16 < rows.length) return topRows(env, table, rows, orderBy, keep);
  const keys = orderBy.map((item) => rows.map((row) => sortKey(readPath(env, item.path, table, row))));
  const order = rows.map((_, i) => i);
  order.sort((i, j) => {
    for (let k = 0; k < orderBy.length; k++) {
      const item = orderBy[k];
      const column = keys[k];
      if (item === undefined || column === undefined) continue;
      const c = compareKeys(column[i] ?? null, column[j] ?? null, item);
      if (c !== 0) return c;
    }
    return (rows[i] ?? 0) - (rows[j] ?? 0);
  });
  return order.map((i) => rows[i] ?? 0);
}

/**
 * Filters `within` (a parent's children for subqueries) or the planner's candidates, then sorts and pages.
 */
export function runQuery(query: CompiledQuery, options: RunOptions, within?: ArrayLike<number>): QueryRun {
  const env = makeEvalEnv(options);
  const table = query.table;
  const candidates: ArrayLike<number> | undefined = within ?? candidateRows(query, env);
  const total = candidates === undefined ? table.rowCount : candidates.length;
  const unordered = query.orderBy.length === 0;
  const stopAt = unordered && query.count.kind === 'none' && query.limit !== undefined ? (query.offset ?? 0) + query.limit : Infinity;
  const matches: number[] = [];
  for (let i = 0; i < total && matches.length < stopAt; i++) {
    const row = candidates === undefined ? i : (candidates[i] ?? 0);
    const state = table.stateOf(row);
    if (state !== ROW_LIVE && !(options.includeDeleted && state === ROW_DELETED)) continue;
    if (query.where !== undefined && !evalCondition(env, query.where, table, row)) continue;
    matches.push(row);
  }
  if (within !== undefined && unordered) matches.sort((a, b) => a - b);
  const keep = query.limit === undefined ? undefined : (query.offset ?? 0) + query.limit;
  const sorted = sortRows(env, table, matches, query.orderBy, keep);
  const offset = query.offset ?? 0;
  const end = query.limit === undefined ? sorted.length : Math.min(sorted.length, offset + query.limit);
  const paged = offset === 0 && end === sorted.length ? sorted : sorted.slice(offset, end);
  let aggregate: number | undefined;
  if (query.count.kind === 'aggregate') {
    const path = query.count.path;
    aggregate = path === undefined ? paged.length : paged.filter((row) => readPath(env, path, table, row) !== null).length;
  }
  return { query, rows: Int32Array.from(paged), aggregate };
}
