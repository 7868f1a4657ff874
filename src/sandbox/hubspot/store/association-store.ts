/**
 * Associations between records, kept compact: for each direction (contacts → companies, ...) an
 * adjacency list in typed arrays (a head per record, then linked edges), each edge holding a bit
 * mask of its association types. Both directions are kept in step with the inverse types, so
 * reading either side costs the same and a million associations stay a few tens of megabytes.
 */
import { associationType, defaultTypeBetween, typesBetween, type AssociationType } from './association-types.js';
import type { ObjectTypeName } from './object-types.js';

/** One side of an association that changed: the types before and after, on the `from` side. */
export interface AssociationChange {
  from: ObjectTypeName;
  fromRow: number;
  to: ObjectTypeName;
  toRow: number;
  before: number[];
  after: number[];
}

class Adjacency {
  private head = new Int32Array(256).fill(-1);
  private target = new Int32Array(256);
  private next = new Int32Array(256);
  private mask = new Uint16Array(256);
  private edges = 0;
  private free = -1;

  get(fromRow: number, toRow: number): number {
    for (let e = this.headOf(fromRow); e >= 0; e = this.next[e] ?? -1) {
      if (this.target[e] === toRow) return this.mask[e] ?? 0;
    }
    return 0;
  }

  set(fromRow: number, toRow: number, mask: number): void {
    let previous = -1;
    for (let e = this.headOf(fromRow); e >= 0; e = this.next[e] ?? -1) {
      if (this.target[e] === toRow) {
        if (mask !== 0) {
          this.mask[e] = mask;
          return;
        }
        if (previous < 0) this.head[fromRow] = this.next[e] ?? -1;
        else this.next[previous] = this.next[e] ?? -1;
        this.next[e] = this.free;
        this.free = e;
        return;
      }
      previous = e;
    }
    if (mask === 0) return;
    const e = this.allocate();
    this.ensureHead(fromRow);
    this.target[e] = toRow;
    this.mask[e] = mask;
    this.next[e] = this.head[fromRow] ?? -1;
    this.head[fromRow] = e;
  }

  list(fromRow: number): Array<{ toRow: number; mask: number }> {
    const out: Array<{ toRow: number; mask: number }> = [];
    for (let e = this.headOf(fromRow); e >= 0; e = this.next[e] ?? -1) {
      out.push({ toRow: this.target[e] ?? 0, mask: this.mask[e] ?? 0 });
    }
    return out.sort((a, b) => a.toRow - b.toRow);
  }

  private headOf(row: number): number {
    return row < this.head.length ? (this.head[row] ?? -1) : -1;
  }

  private allocate(): number {
    if (this.free >= 0) {
      const e = this.free;
      this.free = this.next[e] ?? -1;
      return e;
    }
    if (this.edges === this.target.length) {
      const size = this.target.length * 2;
      const target = new Int32Array(size);
      target.set(this.target);
      const next = new Int32Array(size);
      next.set(this.next);
      const mask = new Uint16Array(size);
      mask.set(this.mask);
      this.target = target;
      this.next = next;
      this.mask = mask;
    }
    return this.edges++;
  }

  private ensureHead(row: number): void {
    if (row < this.head.length) return;
    let length = this.head.length * 2;
    while (length <= row) length *= 2;
    const head = new Int32Array(length).fill(-1);
    head.set(this.head);
    this.head = head;
  }
}

export class AssociationStore {
  private readonly adjacency = new Map<string, Adjacency>();
  private readonly typeLists = new Map<string, AssociationType[]>();

  /** The association types one record has towards another (empty when not associated). */
  typesOf(from: ObjectTypeName, fromRow: number, to: ObjectTypeName, toRow: number): number[] {
    return this.decode(from, to, this.side(from, to).get(fromRow, toRow));
  }

  /** Every record of type `to` associated with `fromRow`, ordered by row, with its types. */
  list(from: ObjectTypeName, fromRow: number, to: ObjectTypeName): Array<{ toRow: number; typeIds: number[] }> {
    return this.side(from, to)
      .list(fromRow)
      .map(({ toRow, mask }) => ({ toRow, typeIds: this.decode(from, to, mask) }));
  }

  /**
   * Adds association types (already checked to be defined for the pair). A primary type brings the
   * default type with it and takes the primary label off the record's previous primary.
   */
  add(from: ObjectTypeName, fromRow: number, to: ObjectTypeName, toRow: number, typeIds: number[]): AssociationChange[] {
    const changes = new Changes(this);
    const wanted = new Set(typeIds);
    const fallback = defaultTypeBetween(from, to);
    for (const typeId of typeIds) {
      const type = associationType(typeId);
      if (type?.primary === true) {
        if (fallback !== undefined) wanted.add(fallback.typeId);
        for (const other of this.list(from, fromRow, to)) {
          if (other.toRow !== toRow && other.typeIds.includes(typeId)) {
            changes.apply(from, fromRow, to, other.toRow, other.typeIds.filter((t) => t !== typeId));
          }
        }
      }
    }
    const current = this.typesOf(from, fromRow, to, toRow);
    changes.apply(from, fromRow, to, toRow, [...new Set([...current, ...wanted])]);
    return changes.list;
  }

  /** Removes the given types, or the whole association when `typeIds` is omitted or includes the default type. */
  remove(from: ObjectTypeName, fromRow: number, to: ObjectTypeName, toRow: number, typeIds?: number[]): AssociationChange[] {
    const changes = new Changes(this);
    const current = this.typesOf(from, fromRow, to, toRow);
    if (current.length === 0) return [];
    const fallback = defaultTypeBetween(from, to);
    const removeAll = typeIds === undefined || (fallback !== undefined && typeIds.includes(fallback.typeId));
    const after = removeAll ? [] : current.filter((t) => !(typeIds ?? []).includes(t));
    changes.apply(from, fromRow, to, toRow, after);
    return changes.list;
  }

  /** Moves every association of `oldRow` onto `newRow` (merges), keeping the new row's primaries. */
  moveAll(type: ObjectTypeName, oldRow: number, newRow: number, targets: readonly ObjectTypeName[]): void {
    for (const to of targets) {
      for (const { toRow, typeIds } of this.list(type, oldRow, to)) {
        const target = to === type && toRow === oldRow ? newRow : toRow;
        this.remove(type, oldRow, to, toRow);
        if (to === type && target === newRow) continue;
        const keepPrimary = typeIds.filter((t) => {
          const def = associationType(t);
          return def?.primary !== true || !this.list(type, newRow, to).some((x) => x.typeIds.includes(t));
        });
        this.add(type, newRow, to, target, keepPrimary);
      }
    }
  }

  /** Writes one direction and its inverse; used by Changes. */
  write(from: ObjectTypeName, fromRow: number, to: ObjectTypeName, toRow: number, typeIds: number[]): void {
    this.side(from, to).set(fromRow, toRow, this.encode(from, to, typeIds));
    const inverse = typeIds.map((t) => associationType(t)?.inverse ?? t);
    this.side(to, from).set(toRow, fromRow, this.encode(to, from, inverse));
  }

  private side(from: ObjectTypeName, to: ObjectTypeName): Adjacency {
    const key = `${from}>${to}`;
    let adjacency = this.adjacency.get(key);
    if (adjacency === undefined) {
      adjacency = new Adjacency();
      this.adjacency.set(key, adjacency);
    }
    return adjacency;
  }

  private types(from: ObjectTypeName, to: ObjectTypeName): AssociationType[] {
    const key = `${from}>${to}`;
    let list = this.typeLists.get(key);
    if (list === undefined) {
      list = typesBetween(from, to);
      this.typeLists.set(key, list);
    }
    return list;
  }

  private encode(from: ObjectTypeName, to: ObjectTypeName, typeIds: number[]): number {
    const list = this.types(from, to);
    let mask = 0;
    for (const typeId of typeIds) {
      const bit = list.findIndex((t) => t.typeId === typeId);
      if (bit >= 0) mask |= 1 << bit;
    }
    return mask;
  }

  private decode(from: ObjectTypeName, to: ObjectTypeName, mask: number): number[] {
    if (mask === 0) return [];
    return this.types(from, to)
      .filter((_, bit) => (mask & (1 << bit)) !== 0)
      .map((t) => t.typeId);
  }
}

/** Collects the per-direction changes of one operation (both sides of each touched pair). */
class Changes {
  readonly list: AssociationChange[] = [];

  constructor(private readonly store: AssociationStore) {}

  apply(from: ObjectTypeName, fromRow: number, to: ObjectTypeName, toRow: number, after: number[]): void {
    const before = this.store.typesOf(from, fromRow, to, toRow);
    const inverseBefore = this.store.typesOf(to, toRow, from, fromRow);
    this.store.write(from, fromRow, to, toRow, after);
    const same = (a: number[], b: number[]) => a.length === b.length && a.every((t) => b.includes(t));
    if (!same(before, after)) this.list.push({ from, fromRow, to, toRow, before, after });
    const inverseAfter = this.store.typesOf(to, toRow, from, fromRow);
    if (!(from === to && fromRow === toRow) && !same(inverseBefore, inverseAfter)) {
      this.list.push({ from: to, fromRow: toRow, to: from, toRow: fromRow, before: inverseBefore, after: inverseAfter });
    }
  }
}
