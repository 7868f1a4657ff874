/**
 * Server-side query cursors behind `nextRecordsUrl` (/services/data/vXX.X/query/01g…-2000): the matching rows are
 * kept, pages are rendered when fetched. Cursors expire after 15 idle minutes of the clock; the oldest are dropped
 * beyond a cap, as Salesforce limits open cursors.
 */
import { sequentialId } from '../ids.js';
import type { CompiledQuery } from '../soql/compiled-query.js';

export interface QueryCursor {
  id: string;
  query: CompiledQuery;
  rows: Int32Array;
  includeDeleted: boolean;
  pageSize: number;
  lastUsed: number;
}

const IDLE_MS = 15 * 60_000;
const MAX_CURSORS = 200;
/** Rows all open cursors may hold together (4 bytes each); the oldest cursors go first beyond it. */
const MAX_ROWS = 20_000_000;

export class QueryCursors {
  private readonly cursors = new Map<string, QueryCursor>();
  private counter = 0;
  private rowsHeld = 0;

  constructor(
    private readonly pod: string,
    private readonly now: () => number,
  ) {}

  open(query: CompiledQuery, rows: Int32Array, includeDeleted: boolean, pageSize: number): QueryCursor {
    this.counter += 1;
    const cursor: QueryCursor = { id: sequentialId('01g', this.pod, this.counter), query, rows, includeDeleted, pageSize, lastUsed: this.now() };
    this.cursors.set(cursor.id, cursor);
    this.rowsHeld += rows.length;
    while (this.cursors.size > 1 && (this.cursors.size > MAX_CURSORS || this.rowsHeld > MAX_ROWS)) {
      const oldest = this.cursors.keys().next().value;
      if (oldest === undefined) break;
      this.close(oldest);
    }
    return cursor;
  }

  /** The cursor and offset a locator ('01g…-2000') designates, or undefined when unknown or expired. */
  resolve(locator: string): { cursor: QueryCursor; offset: number } | undefined {
    const m = /^([0-9A-Za-z]{15,18})-(\d+)$/.exec(locator);
    if (m === null) return undefined;
    const cursor = this.cursors.get(m[1] ?? '');
    if (cursor === undefined) return undefined;
    if (this.now() - cursor.lastUsed > IDLE_MS) {
      this.close(cursor.id);
      return undefined;
    }
    const offset = Number(m[2]);
    if (offset > cursor.rows.length) return undefined;
    cursor.lastUsed = this.now();
    this.cursors.delete(cursor.id);
    this.cursors.set(cursor.id, cursor);
    return { cursor, offset };
  }

  close(id: string): void {
    const cursor = this.cursors.get(id);
    if (cursor === undefined) return;
    this.rowsHeld -= cursor.rows.length;
    this.cursors.delete(id);
  }
}
