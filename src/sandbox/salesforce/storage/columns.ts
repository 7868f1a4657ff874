/**
 * Typed-array columns for numbers (dates and datetimes as epoch ms), booleans and references. Storage is allocated
 * on the first value written, so the many fields a data set leaves empty cost nothing.
 */

export class NumberColumn {
  private values: Float64Array | undefined;
  private capacity: number;

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  grow(capacity: number): void {
    if (capacity <= this.capacity) return;
    this.capacity = capacity;
    if (this.values === undefined) return;
    const values = new Float64Array(capacity).fill(Number.NaN);
    values.set(this.values);
    this.values = values;
  }

  /** NaN when null. */
  raw(row: number): number {
    return this.values?.[row] ?? Number.NaN;
  }

  get(row: number): number | null {
    const v = this.values?.[row] ?? Number.NaN;
    return Number.isNaN(v) ? null : v;
  }

  set(row: number, value: number | null): void {
    if (this.values === undefined) {
      if (value === null) return;
      this.values = new Float64Array(this.capacity).fill(Number.NaN);
    }
    this.values[row] = value === null ? Number.NaN : value;
  }
}

export class BooleanColumn {
  private values: Uint8Array | undefined;
  private capacity: number;

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  grow(capacity: number): void {
    if (capacity <= this.capacity) return;
    this.capacity = capacity;
    if (this.values === undefined) return;
    const values = new Uint8Array(capacity);
    values.set(this.values);
    this.values = values;
  }

  get(row: number): boolean {
    return this.values?.[row] === 1;
  }

  set(row: number, value: boolean): void {
    if (this.values === undefined) {
      if (!value) return;
      this.values = new Uint8Array(this.capacity);
    }
    this.values[row] = value ? 1 : 0;
  }
}

/** A reference as (table ordinal, row); encoded as one number ordinal * 2^32 + row for comparisons. */
export const REF_SHIFT = 2 ** 32;

export function encodeRef(table: number, row: number): number {
  return table * REF_SHIFT + row;
}

export function refTable(ref: number): number {
  return Math.floor(ref / REF_SHIFT);
}

export function refRow(ref: number): number {
  return ref % REF_SHIFT;
}

export class ReferenceColumn {
  private rows: Int32Array | undefined;
  private tables: Uint8Array | undefined;
  private capacity: number;

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  grow(capacity: number): void {
    if (capacity <= this.capacity) return;
    this.capacity = capacity;
    if (this.rows === undefined || this.tables === undefined) return;
    const rows = new Int32Array(capacity).fill(-1);
    rows.set(this.rows);
    const tables = new Uint8Array(capacity);
    tables.set(this.tables);
    this.rows = rows;
    this.tables = tables;
  }

  /** The encoded reference, or null. */
  get(row: number): number | null {
    const target = this.rows?.[row] ?? -1;
    return target < 0 ? null : encodeRef(this.tables?.[row] ?? 0, target);
  }

  set(row: number, ref: number | null): void {
    if (this.rows === undefined || this.tables === undefined) {
      if (ref === null) return;
      this.rows = new Int32Array(this.capacity).fill(-1);
      this.tables = new Uint8Array(this.capacity);
    }
    if (ref === null) {
      this.rows[row] = -1;
      return;
    }
    this.rows[row] = refRow(ref);
    this.tables[row] = refTable(ref);
  }
}
