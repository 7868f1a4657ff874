/**
 * All records of one object type in column form: typed arrays for the per-record stamps and
 * state, one compact column per property, indexes by created and modified time, and property
 * history only for values that changed after creation. Row n has id `idBase + n`.
 */
import { PropertyColumn } from './property-column.js';
import { TimeIndex } from './time-index.js';
import { TimestampColumn, type TimestampKind } from './timestamp-column.js';
import type { ObjectTypeInfo } from './object-types.js';

export const RecordState = { LIVE: 0, ARCHIVED: 1, MERGED: 2, PURGED: 3 } as const;
export type RecordState = (typeof RecordState)[keyof typeof RecordState];

/** How a property's values are stored: as text (dictionary or plain) or as timestamps. */
export type ColumnKind = 'text' | TimestampKind;
export type Column = PropertyColumn | TimestampColumn;

/** A value a property held from `timestamp` on, written by actor `actor` (an ActorTable id). */
export interface HistoryEntry {
  property: string;
  value: string;
  timestamp: number;
  actor: number;
}

export class ObjectTable {
  private rowCount = 0;
  private created = new Float64Array(1024);
  private updated = new Float64Array(1024);
  private states = new Uint8Array(1024);
  private creators = new Uint32Array(1024);
  private readonly columns = new Map<string, Column>();
  private readonly history = new Map<number, HistoryEntry[]>();
  private readonly archivedAt = new Map<number, number>();
  /** Merged-away row → the row it was merged into. */
  private readonly mergedInto = new Map<number, number>();
  readonly byCreated = new TimeIndex();
  readonly byModified = new TimeIndex();
  private liveRows = 0;
  private archivedRows = 0;

  constructor(
    readonly info: ObjectTypeInfo,
    private readonly kindOf: (property: string) => ColumnKind = () => 'text',
  ) {}

  get rows(): number {
    return this.rowCount;
  }

  get liveCount(): number {
    return this.liveRows;
  }

  get archivedCount(): number {
    return this.archivedRows;
  }

  idOf(row: number): string {
    return String(this.info.idBase + row);
  }

  /** The row an id names (any state), or undefined when the id is not one of this table's. */
  rowOf(id: string | number): number | undefined {
    const text = String(id).trim();
    if (!/^\d{1,15}$/.test(text)) return undefined;
    const row = Number(text) - this.info.idBase;
    return row >= 0 && row < this.rowCount ? row : undefined;
  }

  /** Follows merges: the row that now answers for `row`. */
  resolve(row: number): number {
    let current = row;
    for (let guard = 0; guard < 1000; guard += 1) {
      const next = this.mergedInto.get(current);
      if (next === undefined) return current;
      current = next;
    }
    return current;
  }

  addRow(createdAt: number, actor: number): number {
    const row = this.rowCount;
    if (row === this.created.length) this.grow();
    this.created[row] = createdAt;
    this.updated[row] = createdAt;
    this.creators[row] = actor;
    this.states[row] = RecordState.LIVE;
    this.rowCount += 1;
    this.liveRows += 1;
    this.byCreated.upsert(row, createdAt);
    this.byModified.upsert(row, createdAt);
    return row;
  }

  state(row: number): RecordState {
    return (this.states[row] ?? RecordState.PURGED) as RecordState;
  }

  isLive(row: number): boolean {
    return this.states[row] === RecordState.LIVE;
  }

  setState(row: number, state: RecordState, at: number): void {
    const before = this.state(row);
    if (before === state) return;
    if (before === RecordState.LIVE) this.liveRows -= 1;
    if (before === RecordState.ARCHIVED) this.archivedRows -= 1;
    if (state === RecordState.LIVE) this.liveRows += 1;
    if (state === RecordState.ARCHIVED) this.archivedRows += 1;
    this.states[row] = state;
    if (state === RecordState.ARCHIVED) this.archivedAt.set(row, at);
    else this.archivedAt.delete(row);
    if (state === RecordState.LIVE) {
      this.byCreated.upsert(row, this.createdAt(row));
      this.byModified.upsert(row, this.updatedAt(row));
    } else {
      this.byCreated.remove(row);
      this.byModified.remove(row);
    }
  }

  markMerged(row: number, into: number, at: number): void {
    this.setState(row, RecordState.MERGED, at);
    this.mergedInto.set(row, into);
  }

  archivedAtOf(row: number): number | undefined {
    return this.archivedAt.get(row);
  }

  createdAt(row: number): number {
    return this.created[row] ?? 0;
  }

  updatedAt(row: number): number {
    return this.updated[row] ?? 0;
  }

  creator(row: number): number {
    return this.creators[row] ?? 0;
  }

  touch(row: number, at: number): void {
    this.updated[row] = at;
    if (this.isLive(row)) this.byModified.upsert(row, at);
  }

  setCreatedAt(row: number, at: number): void {
    this.created[row] = at;
    if (this.isLive(row)) this.byCreated.upsert(row, at);
  }

  column(name: string): Column | undefined {
    return this.columns.get(name);
  }

  columnNames(): string[] {
    return [...this.columns.keys()];
  }

  get(row: number, property: string): string | undefined {
    return this.columns.get(property)?.get(row);
  }

  set(row: number, property: string, value: string | undefined): void {
    let column = this.columns.get(property);
    if (column === undefined) {
      if (value === undefined) return;
      const kind = this.kindOf(property);
      column = kind === 'text' ? new PropertyColumn() : new TimestampColumn(kind);
      this.columns.set(property, column);
    }
    column.set(row, value);
  }

  /** Every stored value of a record. */
  values(row: number): Map<string, string> {
    const out = new Map<string, string>();
    for (const [name, column] of this.columns) {
      const value = column.get(row);
      if (value !== undefined) out.set(name, value);
    }
    return out;
  }

  /** History entries recorded after creation (oldest first). */
  historyOf(row: number): readonly HistoryEntry[] {
    return this.history.get(row) ?? [];
  }

  appendHistory(row: number, entry: HistoryEntry): void {
    const list = this.history.get(row);
    if (list === undefined) this.history.set(row, [entry]);
    else list.push(entry);
  }

  replaceHistory(row: number, entries: HistoryEntry[]): void {
    if (entries.length === 0) this.history.delete(row);
    else this.history.set(row, entries);
  }

  /** Forgets everything about a record (GDPR delete). */
  purge(row: number, at: number): void {
    for (const column of this.columns.values()) column.set(row, undefined);
    this.history.delete(row);
    this.setState(row, RecordState.PURGED, at);
  }

  private grow(): void {
    const size = this.created.length * 2;
    const created = new Float64Array(size);
    created.set(this.created);
    const updated = new Float64Array(size);
    updated.set(this.updated);
    const states = new Uint8Array(size);
    states.set(this.states);
    const creators = new Uint32Array(size);
    creators.set(this.creators);
    this.created = created;
    this.updated = updated;
    this.states = states;
    this.creators = creators;
  }
}
