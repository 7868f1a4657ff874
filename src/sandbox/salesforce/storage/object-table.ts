/**
 * The records of one sObject type in compact columns (see string-column.ts, columns.ts) with the indexes that keep
 * selective queries from scanning: a hash index per external id / unique / indexed text field, a time index per
 * indexed datetime field, a child index per indexed reference, and a time index of deletions (getDeleted).
 * Values here are "raw": text as string, numbers/dates/datetimes as numbers (ms), booleans, references encoded
 * as numbers (columns.ts encodeRef); null when empty. Validation happens above, in the store.
 */
import type { FieldDef } from '../schema/field-def.js';
import type { ObjectSchema } from '../schema/org-schema.js';
import { IdCodec } from '../ids.js';
import { BooleanColumn, NumberColumn, ReferenceColumn, refRow, refTable } from './columns.js';
import { ChildIndex } from './child-index.js';
import { HashIndex, indexKey, type IndexKey } from './hash-index.js';
import { StringColumn } from './string-column.js';
import { TimeIndex } from './time-index.js';

export type RawValue = string | number | boolean | null;

export const ROW_VACANT = 0;
export const ROW_LIVE = 1;
export const ROW_DELETED = 2;

type Slot =
  | { kind: 'string'; column: StringColumn }
  | { kind: 'number'; column: NumberColumn }
  | { kind: 'boolean'; column: BooleanColumn }
  | { kind: 'reference'; column: ReferenceColumn };

const INITIAL_CAPACITY = 256;

export class ObjectTable {
  readonly codec: IdCodec;
  private capacity = INITIAL_CAPACITY;
  private allocated = 0;
  private live = 0;
  private state = new Uint8Array(INITIAL_CAPACITY);
  private readonly deletedAt = new NumberColumn(INITIAL_CAPACITY);
  private readonly deletedIndex: TimeIndex;
  private readonly slots = new Map<string, Slot>();
  private readonly hashIndexes = new Map<string, HashIndex>();
  private readonly timeIndexes = new Map<string, TimeIndex>();
  private readonly childIndexes = new Map<string, ChildIndex>();
  /** Boolean fields whose default is true (set on every new row). */
  private readonly trueByDefault: string[] = [];

  constructor(
    readonly schema: ObjectSchema,
    readonly ordinal: number,
    pod: string,
  ) {
    this.codec = new IdCodec(schema.def.keyPrefix, pod, schema.def.idBase ?? 0);
    this.deletedIndex = new TimeIndex((row) => (this.state[row] === ROW_DELETED ? this.deletedAt.raw(row) : Number.NaN));
    for (const f of schema.fields) this.addColumn(f);
  }

  get name(): string {
    return this.schema.name;
  }

  /** Rows ever allocated (live, deleted or vacant). */
  get rowCount(): number {
    return this.allocated;
  }

  get liveCount(): number {
    return this.live;
  }

  /** Adds storage (and an index when the field asks for one) for a field; existing rows read null/false. */
  addColumn(f: FieldDef): void {
    if (f.storage === 'id' || f.storage === 'computed' || this.slots.has(f.name)) return;
    const slot: Slot =
      f.storage === 'string'
        ? { kind: 'string', column: new StringColumn(this.capacity) }
        : f.storage === 'number'
          ? { kind: 'number', column: new NumberColumn(this.capacity) }
          : f.storage === 'boolean'
            ? { kind: 'boolean', column: new BooleanColumn(this.capacity) }
            : { kind: 'reference', column: new ReferenceColumn(this.capacity) };
    this.slots.set(f.name, slot);
    if (f.storage === 'boolean' && f.defaultValue === true) {
      this.trueByDefault.push(f.name);
      for (let row = 0; row < this.allocated; row++) (slot.column as BooleanColumn).set(row, true);
    }
    if (f.storage === 'reference' && (f.indexed || f.childRelationshipName !== null)) this.childIndexes.set(f.name, new ChildIndex(this.capacity));
    else if (f.type === 'datetime' && f.indexed) {
      const column = slot.column as NumberColumn;
      this.timeIndexes.set(f.name, new TimeIndex((row) => (this.state[row] === ROW_VACANT ? Number.NaN : column.raw(row))));
    } else if ((f.storage === 'string' || f.storage === 'number') && (f.unique || f.externalId || f.indexed || (f.idLookup && f.type !== 'id'))) {
      this.hashIndexes.set(
        f.name,
        new HashIndex((row) => {
          if (this.state[row] === ROW_VACANT) return null;
          const v = this.getRaw(row, f.name);
          return typeof v === 'string' || typeof v === 'number' ? indexKey(v) : null;
        }),
      );
    }
  }

  hasColumn(fieldName: string): boolean {
    return this.slots.has(fieldName);
  }

  idOf(row: number): string {
    return this.codec.idOf(row);
  }

  /** The row of a 15-character id, or -1 when no record (live or deleted) has it. */
  rowOf(id15: string): number {
    const row = this.codec.rowOf(id15);
    return row >= 0 && row < this.allocated && this.state[row] !== ROW_VACANT ? row : -1;
  }

  stateOf(row: number): number {
    return this.state[row] ?? ROW_VACANT;
  }

  deletedAtOf(row: number): number | null {
    return this.deletedAt.get(row);
  }

  getRaw(row: number, fieldName: string): RawValue {
    const slot = this.slots.get(fieldName);
    if (slot === undefined) return null;
    switch (slot.kind) {
      case 'string':
        return slot.column.get(row);
      case 'number':
        return slot.column.get(row);
      case 'boolean':
        return slot.column.get(row);
      case 'reference':
        return slot.column.get(row);
    }
  }

  /** Fast numeric read (NaN when null) for number columns; used by sorting and range scans. */
  getNumber(row: number, fieldName: string): number {
    const slot = this.slots.get(fieldName);
    return slot?.kind === 'number' ? slot.column.raw(row) : Number.NaN;
  }

  setRaw(row: number, fieldName: string, value: RawValue): void {
    const slot = this.slots.get(fieldName);
    if (slot === undefined) throw new Error(`${this.name}.${fieldName} has no storage`);
    const old = this.getRaw(row, fieldName);
    if (old === value) return;
    this.unindex(row, fieldName, old);
    switch (slot.kind) {
      case 'string':
        slot.column.set(row, typeof value === 'string' ? value : null);
        break;
      case 'number':
        slot.column.set(row, typeof value === 'number' ? value : null);
        break;
      case 'boolean':
        slot.column.set(row, value === true);
        break;
      case 'reference':
        slot.column.set(row, typeof value === 'number' ? value : null);
        break;
    }
    this.index(row, fieldName, value);
  }

  /** A new live row with every field null (booleans at their default). */
  allocate(): number {
    if (this.allocated === this.capacity) this.grow(this.capacity * 2);
    const row = this.allocated;
    this.allocated += 1;
    this.state[row] = ROW_LIVE;
    this.live += 1;
    for (const name of this.trueByDefault) this.setRaw(row, name, true);
    return row;
  }

  /** Removes a row entirely (insert rolled back, or purged from the recycle bin). */
  vacate(row: number): void {
    const state = this.state[row];
    if (state === ROW_VACANT) return;
    for (const name of this.slots.keys()) this.setRaw(row, name, null);
    if (state === ROW_LIVE) this.live -= 1;
    if (state === ROW_DELETED) this.deletedIndex.retire();
    this.state[row] = ROW_VACANT;
  }

  markDeleted(row: number, at: number): void {
    if (this.state[row] !== ROW_LIVE) return;
    this.state[row] = ROW_DELETED;
    this.live -= 1;
    this.deletedAt.set(row, at);
    this.deletedIndex.add(row, at);
    if (this.slots.has('IsDeleted')) this.setRaw(row, 'IsDeleted', true);
  }

  markLive(row: number): void {
    if (this.state[row] !== ROW_DELETED) return;
    this.state[row] = ROW_LIVE;
    this.live += 1;
    this.deletedAt.set(row, null);
    this.deletedIndex.retire();
    if (this.slots.has('IsDeleted')) this.setRaw(row, 'IsDeleted', false);
  }

  // ---- index reads -------------------------------------------------------------------------------------------

  hasHashIndex(fieldName: string): boolean {
    return this.hashIndexes.has(fieldName);
  }

  hasTimeIndex(fieldName: string): boolean {
    return this.timeIndexes.has(fieldName);
  }

  hasChildIndex(fieldName: string): boolean {
    return this.childIndexes.has(fieldName);
  }

  /** Rows (live or deleted) whose value equals key (text compared case-insensitively). */
  findByValue(fieldName: string, value: string | number): number[] {
    const index = this.hashIndexes.get(fieldName);
    if (index === undefined) throw new Error(`${this.name}.${fieldName} is not hash-indexed`);
    return index.find(indexKey(value));
  }

  /** Rows whose time is in range, ascending. */
  findByTime(fieldName: string, from: number, to: number, fromInclusive = true, toInclusive = true): number[] {
    const index = this.timeIndexes.get(fieldName);
    if (index === undefined) throw new Error(`${this.name}.${fieldName} is not time-indexed`);
    return index.range(from, to, fromInclusive, toInclusive);
  }

  estimateTime(fieldName: string, from: number, to: number): number {
    return this.timeIndexes.get(fieldName)?.estimate(from, to) ?? this.allocated;
  }

  /** Rows whose reference points at the given encoded reference. */
  findChildren(fieldName: string, ref: number): number[] {
    const index = this.childIndexes.get(fieldName);
    if (index === undefined) throw new Error(`${this.name}.${fieldName} is not child-indexed`);
    return index.children(refTable(ref), refRow(ref));
  }

  /** Deleted rows whose deletion time is within [from, to]. */
  findDeleted(from: number, to: number): number[] {
    return this.deletedIndex.range(from, to);
  }

  // ---- internals ---------------------------------------------------------------------------------------------

  private index(row: number, fieldName: string, value: RawValue): void {
    if (value === null) return;
    const hash = this.hashIndexes.get(fieldName);
    if (hash !== undefined && (typeof value === 'string' || typeof value === 'number')) hash.add(row, indexKey(value));
    const time = this.timeIndexes.get(fieldName);
    if (time !== undefined && typeof value === 'number') time.add(row, value);
    const child = this.childIndexes.get(fieldName);
    if (child !== undefined && typeof value === 'number') child.link(row, refTable(value), refRow(value));
  }

  private unindex(row: number, fieldName: string, old: RawValue): void {
    if (old === null) return;
    const hash = this.hashIndexes.get(fieldName);
    if (hash !== undefined && (typeof old === 'string' || typeof old === 'number')) hash.remove(row, indexKey(old) as IndexKey);
    const time = this.timeIndexes.get(fieldName);
    if (time !== undefined) time.retire();
    const child = this.childIndexes.get(fieldName);
    if (child !== undefined) child.unlink(row);
  }

  private grow(capacity: number): void {
    const state = new Uint8Array(capacity);
    state.set(this.state);
    this.state = state;
    this.deletedAt.grow(capacity);
    for (const slot of this.slots.values()) slot.column.grow(capacity);
    for (const child of this.childIndexes.values()) child.grow(capacity);
    this.capacity = capacity;
  }
}
