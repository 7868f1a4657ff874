/**
 * Children by parent for one reference column, as doubly linked lists in typed arrays (12 bytes per child row):
 * `WHERE AccountId = X`, child subqueries and cascades walk a parent's children without scanning the table.
 * A polymorphic reference keeps one list head array per target table.
 */

export class ChildIndex {
  private readonly heads = new Map<number, Int32Array>();
  private next: Int32Array;
  private prev: Int32Array;
  private parentTable: Int32Array;
  private parentRow: Int32Array;

  constructor(capacity: number) {
    this.next = new Int32Array(capacity).fill(-1);
    this.prev = new Int32Array(capacity).fill(-1);
    this.parentTable = new Int32Array(capacity).fill(-1);
    this.parentRow = new Int32Array(capacity).fill(-1);
  }

  grow(capacity: number): void {
    if (capacity <= this.next.length) return;
    const grown = (a: Int32Array): Int32Array => {
      const b = new Int32Array(capacity).fill(-1);
      b.set(a);
      return b;
    };
    this.next = grown(this.next);
    this.prev = grown(this.prev);
    this.parentTable = grown(this.parentTable);
    this.parentRow = grown(this.parentRow);
  }

  private head(table: number, minLength: number): Int32Array {
    let h = this.heads.get(table);
    if (h === undefined || h.length <= minLength) {
      let size = h?.length ?? 1024;
      while (size <= minLength) size *= 2;
      const grown = new Int32Array(size).fill(-1);
      if (h !== undefined) grown.set(h);
      this.heads.set(table, grown);
      h = grown;
    }
    return h;
  }

  link(child: number, table: number, parent: number): void {
    this.unlink(child);
    const h = this.head(table, parent);
    const first = h[parent] ?? -1;
    this.next[child] = first;
    this.prev[child] = -1;
    if (first >= 0) this.prev[first] = child;
    h[parent] = child;
    this.parentTable[child] = table;
    this.parentRow[child] = parent;
  }

  unlink(child: number): void {
    const table = this.parentTable[child] ?? -1;
    if (table < 0) return;
    const parent = this.parentRow[child] ?? -1;
    const n = this.next[child] ?? -1;
    const p = this.prev[child] ?? -1;
    if (p >= 0) this.next[p] = n;
    else {
      const h = this.heads.get(table);
      if (h !== undefined) h[parent] = n;
    }
    if (n >= 0) this.prev[n] = p;
    this.next[child] = -1;
    this.prev[child] = -1;
    this.parentTable[child] = -1;
    this.parentRow[child] = -1;
  }

  /** Child rows of one parent, most recently linked first. */
  children(table: number, parent: number): number[] {
    const h = this.heads.get(table);
    const out: number[] = [];
    if (h === undefined || parent >= h.length) return out;
    for (let c = h[parent] ?? -1; c >= 0; c = this.next[c] ?? -1) out.push(c);
    return out;
  }

  count(table: number, parent: number): number {
    const h = this.heads.get(table);
    if (h === undefined || parent >= h.length) return 0;
    let n = 0;
    for (let c = h[parent] ?? -1; c >= 0; c = this.next[c] ?? -1) n += 1;
    return n;
  }
}
