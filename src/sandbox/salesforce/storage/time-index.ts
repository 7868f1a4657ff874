/**
 * An ordered index over a datetime column for range filters (`SystemModstamp > X`, getUpdated): an append log of
 * (time, row) pairs, sorted lazily. Entries go stale when a row's value changes; a lookup keeps only the pairs whose
 * time still equals the row's current value, and the log is rebuilt when stale entries outnumber live ones.
 */

export class TimeIndex {
  private times: Float64Array;
  private rows: Int32Array;
  private count = 0;
  /** Entries [0, sorted) are in ascending time order. */
  private sorted = 0;
  private live = 0;

  /** valueOf(row) returns the row's current time (NaN when null or the row is gone). */
  constructor(private readonly valueOf: (row: number) => number) {
    this.times = new Float64Array(1024);
    this.rows = new Int32Array(1024);
  }

  add(row: number, time: number): void {
    if (Number.isNaN(time)) return;
    if (this.count === this.times.length) this.grow();
    const last = this.count > 0 ? (this.times[this.count - 1] ?? 0) : -Infinity;
    this.times[this.count] = time;
    this.rows[this.count] = row;
    this.count += 1;
    this.live += 1;
    if (this.sorted === this.count - 1 && time >= last) this.sorted = this.count;
  }

  /** Called when a row's value changed or the row left the table: its old entry is now stale. */
  retire(): void {
    this.live -= 1;
    if (this.count > 4096 && this.count > this.live * 2) this.rebuild();
  }

  /** Live rows whose time is within [from, to] (either bound may be infinite; exclusivity by flags), ascending. */
  range(from: number, to: number, fromInclusive = true, toInclusive = true): number[] {
    this.ensureSorted();
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const t = this.times[mid] ?? 0;
      if (t < from || (!fromInclusive && t === from)) lo = mid + 1;
      else hi = mid;
    }
    const out: number[] = [];
    // Duplicates only exist while stale entries do (a value changed and came back).
    const seen = this.count > this.live ? new Set<number>() : undefined;
    for (let i = lo; i < this.count; i++) {
      const t = this.times[i] ?? 0;
      if (t > to || (!toInclusive && t === to)) break;
      const row = this.rows[i] ?? -1;
      if (this.valueOf(row) !== t) continue;
      if (seen !== undefined) {
        if (seen.has(row)) continue;
        seen.add(row);
      }
      out.push(row);
    }
    return out;
  }

  /** How many entries (live or stale) fall in the range: a cheap upper bound used to pick an index. */
  estimate(from: number, to: number): number {
    this.ensureSorted();
    return this.lowerBound(to + 1e-9) - this.lowerBound(from);
  }

  private lowerBound(value: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.times[mid] ?? 0) < value) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private ensureSorted(): void {
    if (this.sorted === this.count) return;
    const order = new Uint32Array(this.count);
    for (let i = 0; i < this.count; i++) order[i] = i;
    const times = this.times;
    order.sort((a, b) => (times[a] ?? 0) - (times[b] ?? 0) || a - b);
    const newTimes = new Float64Array(this.times.length);
    const newRows = new Int32Array(this.rows.length);
    for (let i = 0; i < this.count; i++) {
      const from = order[i] ?? 0;
      newTimes[i] = this.times[from] ?? 0;
      newRows[i] = this.rows[from] ?? 0;
    }
    this.times = newTimes;
    this.rows = newRows;
    this.sorted = this.count;
  }

  private rebuild(): void {
    let w = 0;
    const seen = new Set<number>();
    for (let i = 0; i < this.count; i++) {
      const row = this.rows[i] ?? -1;
      const t = this.times[i] ?? 0;
      if (this.valueOf(row) !== t || seen.has(row)) continue;
      seen.add(row);
      this.times[w] = t;
      this.rows[w] = row;
      w += 1;
    }
    const wasSorted = this.sorted === this.count;
    this.count = w;
    this.live = w;
    this.sorted = wasSorted ? w : 0;
  }

  private grow(): void {
    const times = new Float64Array(this.times.length * 2);
    times.set(this.times);
    const rows = new Int32Array(this.rows.length * 2);
    rows.set(this.rows);
    this.times = times;
    this.rows = rows;
  }
}
