/**
 * A compact hash index from a key (text compared case-insensitively, or a number) to the rows holding it: open
 * addressing over an Int32Array, 8 bytes per row. Keys are not stored; a probe reads the candidate row's value back
 * through `keyOf` to confirm it, so the index costs no per-value heap objects at a million rows.
 */

const EMPTY = -1;
const TOMBSTONE = -2;

function hashText(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export type IndexKey = string | number;

/** Normalises a value into its index key (text is case-insensitive, as SOQL '=' is). */
export function indexKey(value: string | number): IndexKey {
  return typeof value === 'string' ? value.toLowerCase() : value;
}

function hashKey(key: IndexKey): number {
  return typeof key === 'string' ? hashText(key) : hashText(String(key));
}

export class HashIndex {
  private slots: Int32Array;
  private used = 0;
  private tombstones = 0;

  /** keyOf(row) returns the normalised key currently stored for a row (or null). */
  constructor(private readonly keyOf: (row: number) => IndexKey | null) {
    this.slots = new Int32Array(1024).fill(EMPTY);
  }

  get size(): number {
    return this.used;
  }

  add(row: number, key: IndexKey): void {
    if ((this.used + this.tombstones + 1) * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    const mask = this.slots.length - 1;
    let i = hashKey(key) & mask;
    let firstTombstone = -1;
    for (;;) {
      const slot = this.slots[i] ?? EMPTY;
      if (slot === EMPTY) break;
      if (slot === TOMBSTONE && firstTombstone < 0) firstTombstone = i;
      i = (i + 1) & mask;
    }
    if (firstTombstone >= 0) {
      this.slots[firstTombstone] = row;
      this.tombstones -= 1;
    } else {
      this.slots[i] = row;
    }
    this.used += 1;
  }

  remove(row: number, key: IndexKey): void {
    const mask = this.slots.length - 1;
    let i = hashKey(key) & mask;
    for (;;) {
      const slot = this.slots[i] ?? EMPTY;
      if (slot === EMPTY) return;
      if (slot === row) {
        this.slots[i] = TOMBSTONE;
        this.used -= 1;
        this.tombstones += 1;
        return;
      }
      i = (i + 1) & mask;
    }
  }

  /** Rows whose key equals key. */
  find(key: IndexKey): number[] {
    const out: number[] = [];
    const mask = this.slots.length - 1;
    let i = hashKey(key) & mask;
    for (;;) {
      const slot = this.slots[i] ?? EMPTY;
      if (slot === EMPTY) return out;
      if (slot >= 0 && this.keyOf(slot) === key) out.push(slot);
      i = (i + 1) & mask;
    }
  }

  private rehash(capacity: number): void {
    const old = this.slots;
    this.slots = new Int32Array(capacity).fill(EMPTY);
    this.used = 0;
    this.tombstones = 0;
    for (const row of old) {
      if (row < 0) continue;
      const key = this.keyOf(row);
      if (key !== null) this.add(row, key);
    }
  }
}
