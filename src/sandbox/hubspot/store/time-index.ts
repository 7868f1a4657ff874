/**
 * An ordered index of records by a timestamp (created or last modified), so a search filtered or
 * sorted on that stamp reads only the records in range, in order, at any table size.
 *
 * Records are appended as they change. Writes happen "now", so the log normally stays sorted and
 * an update costs O(1): the record's previous entry simply goes stale (a record's live entry is
 * the one its `position` points at). Bulk loads with historical stamps arrive out of order; the
 * log is then re-sorted once, lazily, before the next read. Stale entries are dropped when they
 * outnumber live ones.
 */
export class TimeIndex {
  private keys = new Float64Array(1024);
  private rows = new Int32Array(1024);
  private length = 0;
  private position = new Int32Array(1024).fill(-1);
  private sorted = true;
  private live = 0;

  /** Number of records in the index. */
  get size(): number {
    return this.live;
  }

  /** Puts (or moves) a record at `key`. */
  upsert(row: number, key: number): void {
    this.ensurePosition(row);
    const previous = this.position[row] ?? -1;
    if (previous < 0) this.live += 1;
    if (this.length === this.keys.length) this.grow();
    const last = this.length - 1;
    if (last >= 0) {
      const lastKey = this.keys[last] ?? 0;
      if (key < lastKey || (key === lastKey && row < (this.rows[last] ?? 0))) this.sorted = false;
    }
    this.keys[this.length] = key;
    this.rows[this.length] = row;
    this.position[row] = this.length;
    this.length += 1;
    if (this.length > 1024 && this.length > this.live * 2) this.compact();
  }

  /** Takes a record out (archived, merged away, deleted). */
  remove(row: number): void {
    if (row >= this.position.length || (this.position[row] ?? -1) < 0) return;
    this.position[row] = -1;
    this.live -= 1;
  }

  has(row: number): boolean {
    return row < this.position.length && (this.position[row] ?? -1) >= 0;
  }

  /**
   * Calls `visit` for each record whose key is within [from, to], ascending or descending (ties
   * broken by row). Stops early when `visit` returns false.
   */
  forEachInRange(from: number, to: number, descending: boolean, visit: (row: number) => boolean | void): void {
    this.ensureSorted();
    if (from > to) return;
    if (!descending) {
      for (let i = this.lowerBound(from); i < this.length; i += 1) {
        if ((this.keys[i] ?? 0) > to) return;
        const row = this.rows[i] ?? 0;
        if (this.position[row] === i && visit(row) === false) return;
      }
      return;
    }
    for (let i = this.upperBound(to) - 1; i >= 0; i -= 1) {
      if ((this.keys[i] ?? 0) < from) return;
      const row = this.rows[i] ?? 0;
      if (this.position[row] === i && visit(row) === false) return;
    }
  }

  /** Number of records whose key is within [from, to]. */
  countRange(from: number, to: number): number {
    if (from === -Infinity && to === Infinity) return this.live;
    let n = 0;
    this.forEachInRange(from, to, false, () => {
      n += 1;
    });
    return n;
  }

  private lowerBound(key: number): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.keys[mid] ?? 0) < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private upperBound(key: number): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.keys[mid] ?? 0) <= key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private ensureSorted(): void {
    if (this.sorted) return;
    const liveEntries = new Int32Array(this.live);
    let n = 0;
    for (let i = 0; i < this.length; i += 1) {
      const row = this.rows[i] ?? 0;
      if (this.position[row] === i) liveEntries[n++] = i;
    }
    const keys = this.keys;
    const rows = this.rows;
    liveEntries.sort((a, b) => (keys[a] ?? 0) - (keys[b] ?? 0) || (rows[a] ?? 0) - (rows[b] ?? 0));
    this.rewrite(liveEntries);
    this.sorted = true;
  }

  /** Drops stale entries, keeping order. */
  private compact(): void {
    const liveEntries = new Int32Array(this.live);
    let n = 0;
    for (let i = 0; i < this.length; i += 1) {
      const row = this.rows[i] ?? 0;
      if (this.position[row] === i) liveEntries[n++] = i;
    }
    this.rewrite(liveEntries);
  }

  private rewrite(entries: Int32Array): void {
    const capacity = Math.max(1024, entries.length * 2);
    const keys = new Float64Array(capacity);
    const rows = new Int32Array(capacity);
    for (let i = 0; i < entries.length; i += 1) {
      const from = entries[i] ?? 0;
      const row = this.rows[from] ?? 0;
      keys[i] = this.keys[from] ?? 0;
      rows[i] = row;
      this.position[row] = i;
    }
    this.keys = keys;
    this.rows = rows;
    this.length = entries.length;
  }

  private grow(): void {
    const keys = new Float64Array(this.keys.length * 2);
    keys.set(this.keys);
    const rows = new Int32Array(this.rows.length * 2);
    rows.set(this.rows);
    this.keys = keys;
    this.rows = rows;
  }

  private ensurePosition(row: number): void {
    if (row < this.position.length) return;
    let length = this.position.length * 2;
    while (length <= row) length *= 2;
    const grown = new Int32Array(length).fill(-1);
    grown.set(this.position);
    this.position = grown;
  }
}
