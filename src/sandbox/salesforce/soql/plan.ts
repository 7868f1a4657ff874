/**
 * Picks the cheapest way to find candidate rows: an Id list, a hash index (external ids, unique and indexed text,
 * Email), a child index (indexed references), a time index range (SystemModstamp, LastModifiedDate, CreatedDate) or a
 * semi-join; otherwise the whole table. Only top-level AND terms on the queried object's own fields qualify.
 */
import { refRow, refTable } from '../storage/columns.js';
import type { ObjectTable } from '../storage/object-table.js';
import type { CompiledQuery, Condition, Predicate } from './compiled-query.js';

export interface PlanEnv {
  semiValues(pred: Extract<Predicate, { kind: 'semi' }>): Set<number>;
}

function conjuncts(cond: Condition | undefined): Predicate[] {
  if (cond === undefined) return [];
  if (cond.kind === 'pred') return [cond.pred];
  if (cond.kind === 'and') return cond.items.flatMap((c) => (c.kind === 'pred' ? [c.pred] : c.kind === 'and' ? conjuncts(c) : []));
  return [];
}

function equalityValues(pred: Predicate): Array<string | number> | undefined {
  if (pred.kind === 'compare' && pred.op === '=' && pred.value !== null && typeof pred.value !== 'boolean') return [pred.value];
  if (pred.kind === 'in' && !pred.negate && pred.values.every((v) => v !== null && typeof v !== 'boolean')) {
    return pred.values as Array<string | number>;
  }
  return undefined;
}

interface TimeBounds {
  from: number;
  to: number;
  fromInclusive: boolean;
  toInclusive: boolean;
}

function timeBounds(pred: Predicate): TimeBounds | undefined {
  if (pred.kind === 'compare' && typeof pred.value === 'number') {
    const v = pred.value;
    switch (pred.op) {
      case '=':
        return { from: v, to: v, fromInclusive: true, toInclusive: true };
      case '>':
        return { from: v, to: Infinity, fromInclusive: false, toInclusive: true };
      case '>=':
        return { from: v, to: Infinity, fromInclusive: true, toInclusive: true };
      case '<':
        return { from: -Infinity, to: v, fromInclusive: true, toInclusive: false };
      case '<=':
        return { from: -Infinity, to: v, fromInclusive: true, toInclusive: true };
      default:
        return undefined;
    }
  }
  if (pred.kind === 'range') {
    const { start, end } = pred.range;
    switch (pred.op) {
      case '=':
        return { from: start, to: end, fromInclusive: true, toInclusive: false };
      case '>':
        return { from: end, to: Infinity, fromInclusive: true, toInclusive: true };
      case '>=':
        return { from: start, to: Infinity, fromInclusive: true, toInclusive: true };
      case '<':
        return { from: -Infinity, to: start, fromInclusive: true, toInclusive: false };
      case '<=':
        return { from: -Infinity, to: end, fromInclusive: true, toInclusive: false };
      default:
        return undefined;
    }
  }
  return undefined;
}

function unique(rows: number[]): number[] {
  return rows.length < 2 ? rows : [...new Set(rows)];
}

/** Candidate rows in ascending row order, or undefined for a full scan. */
export function candidateRows(query: CompiledQuery, env: PlanEnv): Int32Array | undefined {
  const table: ObjectTable = query.table;
  let best: number[] | undefined;
  let bestTime: { field: string; bounds: TimeBounds; estimate: number } | undefined;
  const consider = (rows: number[]): void => {
    if (best === undefined || rows.length < best.length) best = rows;
  };
  for (const pred of conjuncts(query.where)) {
    if (pred.path.steps.length > 0) continue;
    const f = pred.path.field;
    const values = equalityValues(pred);
    if (values !== undefined) {
      if (f.type === 'id') {
        consider(values.filter((v): v is number => typeof v === 'number' && v >= 0 && refTable(v) === table.ordinal).map(refRow));
        continue;
      }
      if (table.hasHashIndex(f.name)) {
        consider(unique(values.flatMap((v) => table.findByValue(f.name, v))));
        continue;
      }
      if (table.hasChildIndex(f.name)) {
        consider(unique(values.filter((v): v is number => typeof v === 'number' && v >= 0).flatMap((v) => table.findChildren(f.name, v))));
        continue;
      }
    }
    if (pred.kind === 'semi' && !pred.negate && f.type === 'id') {
      consider([...env.semiValues(pred)].filter((v) => refTable(v) === table.ordinal).map(refRow));
      continue;
    }
    if (f.type === 'datetime' && table.hasTimeIndex(f.name)) {
      const bounds = timeBounds(pred);
      if (bounds === undefined) continue;
      const estimate = table.estimateTime(f.name, bounds.from, bounds.to);
      if (bestTime === undefined || estimate < bestTime.estimate) bestTime = { field: f.name, bounds, estimate };
    }
  }
  if (bestTime !== undefined && (best === undefined || bestTime.estimate < best.length) && bestTime.estimate < table.rowCount / 2) {
    const { field, bounds } = bestTime;
    best = table.findByTime(field, bounds.from, bounds.to, bounds.fromInclusive, bounds.toInclusive);
  }
  if (best === undefined) return undefined;
  return Int32Array.from(best).sort();
}
