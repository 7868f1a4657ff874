/**
 * Runs a CRM search over one object type: filter groups (AND within a group, OR between groups),
 * the free-text query, one sort, offset paging and the 10,000-result ceiling.
 *
 * The rows to look at come from an index when every group can use one (ids by `hs_object_id` or
 * `email`, a time range on the created or modified stamp); otherwise every live row is tested.
 * Sorting on the id or a stamp walks rows in that order and needs no sort step; any other sort
 * collects the matches and sorts them.
 */
import { OBJECT_TYPE_INFO, type ObjectTypeName } from '../store/object-types.js';
import type { ObjectTable } from '../store/object-table.js';
import type { StoreContext } from '../store/store-context.js';
import { InvalidRequestError } from '../store/store-errors.js';
import { compileFilter, kindOf, numberReader, type IndexPlan, type RowTest } from './filter-compiler.js';
import { SEARCH_LIMITS, type SearchRequest, type Sort } from './search-request.js';

export interface SearchPage {
  total: number;
  rows: number[];
  /** Offset of the next page, when there is one. */
  nextAfter?: string;
}

/** Raised when `after` points beyond the 10,000th result. */
export class SearchWindowError extends InvalidRequestError {
  constructor(after: number) {
    super(
      `Cannot page beyond ${SEARCH_LIMITS.maxResults} results (after=${after}). Narrow the search, for example by a window on lastmodifieddate.`,
    );
    this.name = 'SearchWindowError';
  }
}

interface GroupPlan {
  test: RowTest;
  plan?: IndexPlan;
}

export function executeSearch(ctx: StoreContext, type: ObjectTypeName, request: SearchRequest): SearchPage {
  const table = ctx.tables[type];
  const offset = request.after === undefined || request.after === '' ? 0 : Number(request.after);
  if (offset >= SEARCH_LIMITS.maxResults) throw new SearchWindowError(offset);
  const limit = Math.min(request.limit, SEARCH_LIMITS.maxResults - offset);

  const groups: GroupPlan[] = request.filterGroups
    .filter((g) => g.filters.length > 0)
    .map((group) => {
      const compiled = group.filters.map((f) => compileFilter(ctx, type, f));
      const tests = compiled.map((c) => c.test);
      const plan = compiled.find((c) => c.plan?.kind === 'rows')?.plan ?? compiled.find((c) => c.plan !== undefined)?.plan;
      const test: RowTest = (row) => {
        for (const t of tests) if (!t(row)) return false;
        return true;
      };
      return plan === undefined ? { test } : { test, plan };
    });
  const queryTest = request.query === undefined || request.query.trim() === '' ? undefined : compileQuery(table, type, request.query);
  const matches: RowTest = (row) => {
    if (!table.isLive(row)) return false;
    if (queryTest !== undefined && !queryTest(row)) return false;
    if (groups.length === 0) return true;
    for (const g of groups) if (g.test(row)) return true;
    return false;
  };

  const sort = resolveSort(ctx, type, request.sorts[0]);
  const page = new Pager(offset, limit);
  const plans = groups.length > 0 && groups.every((g) => g.plan !== undefined) ? groups.map((g) => g.plan as IndexPlan) : undefined;

  if (sort.kind !== 'property') {
    const ordered = orderedWalk(table, sort, plans);
    if (ordered !== undefined) {
      ordered((row) => {
        if (matches(row)) page.offer(row);
      });
      return page.result();
    }
  }
  const candidates = collectCandidates(table, plans).filter(matches);
  candidates.sort(comparator(table, sort));
  for (const row of candidates) page.offer(row);
  return page.result();
}

class Pager {
  private total = 0;
  private readonly rows: number[] = [];
  constructor(
    private readonly offset: number,
    private readonly limit: number,
  ) {}
  offer(row: number): void {
    if (this.total >= this.offset && this.rows.length < this.limit) this.rows.push(row);
    this.total += 1;
  }
  result(): SearchPage {
    const next = this.offset + this.rows.length;
    return next < this.total && this.rows.length > 0
      ? { total: this.total, rows: this.rows, nextAfter: String(next) }
      : { total: this.total, rows: this.rows };
  }
}

type ResolvedSort =
  | { kind: 'id' | 'created' | 'modified'; descending: boolean }
  | { kind: 'property'; name: string; numeric: boolean; descending: boolean };

function resolveSort(ctx: StoreContext, type: ObjectTypeName, sort: Sort | undefined): ResolvedSort {
  if (sort === undefined) return { kind: 'id', descending: false };
  const descending = sort.direction === 'DESCENDING';
  const def = ctx.registry.get(type, sort.propertyName);
  if (def === undefined) throw new InvalidRequestError(`Sort property "${sort.propertyName}" does not exist for ${type}.`);
  const kind = kindOf(sort.propertyName, def);
  if (kind === 'id' || kind === 'created' || kind === 'modified') return { kind, descending };
  return { kind: 'property', name: sort.propertyName, numeric: kind === 'number' || kind === 'time', descending };
}

/** Walks rows in sort order when an index gives that order; undefined when a sort step is needed. */
function orderedWalk(
  table: ObjectTable,
  sort: Exclude<ResolvedSort, { kind: 'property' }>,
  plans: IndexPlan[] | undefined,
): ((visit: (row: number) => void) => void) | undefined {
  if (sort.kind === 'id') {
    if (plans !== undefined) return undefined;
    return (visit) => {
      if (sort.descending) for (let row = table.rows - 1; row >= 0; row -= 1) visit(row);
      else for (let row = 0; row < table.rows; row += 1) visit(row);
    };
  }
  const index = sort.kind === 'created' ? table.byCreated : table.byModified;
  let from = -Infinity;
  let to = Infinity;
  if (plans !== undefined) {
    // Usable only when every group narrows the same stamp; walk the union of their ranges.
    if (!plans.every((p) => p.kind === 'range' && p.index === sort.kind)) return undefined;
    const ranges = plans as Array<Extract<IndexPlan, { kind: 'range' }>>;
    from = Math.min(...ranges.map((r) => r.from));
    to = Math.max(...ranges.map((r) => r.to));
  }
  return (visit) => index.forEachInRange(from, to, sort.descending, (row) => visit(row));
}

function collectCandidates(table: ObjectTable, plans: IndexPlan[] | undefined): number[] {
  if (plans === undefined) {
    const all: number[] = [];
    for (let row = 0; row < table.rows; row += 1) if (table.isLive(row)) all.push(row);
    return all;
  }
  const seen = new Set<number>();
  for (const plan of plans) {
    if (plan.kind === 'rows') {
      for (const row of plan.rows) seen.add(row);
    } else {
      const index = plan.index === 'created' ? table.byCreated : table.byModified;
      index.forEachInRange(plan.from, plan.to, false, (row) => {
        seen.add(row);
      });
    }
  }
  return [...seen];
}

function comparator(table: ObjectTable, sort: ResolvedSort): (a: number, b: number) => number {
  const sign = sort.descending ? -1 : 1;
  if (sort.kind !== 'property') {
    const read = numberReader(table, '', sort.kind);
    return (a, b) => sign * ((read(a) ?? 0) - (read(b) ?? 0) || a - b);
  }
  if (sort.numeric) {
    const read = numberReader(table, sort.name, 'number');
    const readTime = numberReader(table, sort.name, 'time');
    const get = (row: number) => {
      const v = table.get(row, sort.name);
      if (v === undefined) return undefined;
      return Number.isFinite(Number(v)) ? read(row) : readTime(row);
    };
    // Records without a value sort last either way, as HubSpot lists them.
    return (a, b) => {
      const x = get(a);
      const y = get(b);
      if (x === undefined || y === undefined) return x === y ? a - b : x === undefined ? 1 : -1;
      return sign * (x - y) || a - b;
    };
  }
  return (a, b) => {
    const x = table.get(a, sort.name)?.toLowerCase();
    const y = table.get(b, sort.name)?.toLowerCase();
    if (x === undefined || y === undefined) return x === y ? a - b : x === undefined ? 1 : -1;
    return sign * (x < y ? -1 : x > y ? 1 : 0) || a - b;
  };
}

/** The free-text query: every word must start a word of one of the type's searchable properties. */
function compileQuery(table: ObjectTable, type: ObjectTypeName, query: string): RowTest {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const properties = OBJECT_TYPE_INFO[type].queryProperties;
  return (row) => {
    const texts: string[] = [];
    for (const name of properties) {
      const v = table.get(row, name);
      if (v !== undefined) texts.push(v.toLowerCase());
    }
    return words.every((word) =>
      texts.some((text) => text.startsWith(word) || text.split(/[^\p{L}\p{N}]+/u).some((t) => t.startsWith(word))),
    );
  };
}
