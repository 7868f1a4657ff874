/**
 * A column of text values kept as UTF-8 bytes in one growable arena (no per-value JS string on the heap), so a million
 * records cost a few tens of MB per text field. Frequent values (picklists, cities, first names) are stored once.
 * Overwritten values leave garbage in the arena; it is compacted when garbage exceeds half of it.
 */

const NULL_LENGTH = 0xffffffff;
const DEDUPE_LIMIT = 4096;
const MIN_ARENA = 1024;

export class StringColumn {
  private starts: Uint32Array;
  private lengths: Uint32Array;
  /** 1 when the row's bytes are shared through the dedupe table (never counted as garbage). */
  private shared: Uint8Array;
  private arena: Buffer;
  private used = 0;
  private garbage = 0;
  private dedupe = new Map<string, number>();

  constructor(capacity: number) {
    this.starts = new Uint32Array(capacity);
    this.lengths = new Uint32Array(capacity).fill(NULL_LENGTH);
    this.shared = new Uint8Array(capacity);
    this.arena = Buffer.allocUnsafe(MIN_ARENA);
  }

  grow(capacity: number): void {
    if (capacity <= this.starts.length) return;
    const starts = new Uint32Array(capacity);
    starts.set(this.starts);
    const lengths = new Uint32Array(capacity).fill(NULL_LENGTH);
    lengths.set(this.lengths);
    const shared = new Uint8Array(capacity);
    shared.set(this.shared);
    this.starts = starts;
    this.lengths = lengths;
    this.shared = shared;
  }

  get(row: number): string | null {
    const length = this.lengths[row] ?? NULL_LENGTH;
    if (length === NULL_LENGTH) return null;
    const start = this.starts[row] ?? 0;
    return this.arena.toString('utf8', start, start + length);
  }

  isNull(row: number): boolean {
    return (this.lengths[row] ?? NULL_LENGTH) === NULL_LENGTH;
  }

  set(row: number, value: string | null): void {
    this.release(row);
    if (value === null) {
      this.lengths[row] = NULL_LENGTH;
      this.shared[row] = 0;
      return;
    }
    const known = this.dedupe.get(value);
    if (known !== undefined) {
      this.starts[row] = known;
      this.lengths[row] = Buffer.byteLength(value, 'utf8');
      this.shared[row] = 1;
      return;
    }
    const byteLength = Buffer.byteLength(value, 'utf8');
    const start = this.append(value, byteLength);
    this.starts[row] = start;
    this.lengths[row] = byteLength;
    if (this.dedupe.size < DEDUPE_LIMIT && byteLength <= 64) {
      this.dedupe.set(value, start);
      this.shared[row] = 1;
    } else {
      this.shared[row] = 0;
    }
  }

  /** Bytes held by the arena (for memory reports). */
  get arenaBytes(): number {
    return this.arena.length;
  }

  private release(row: number): void {
    const length = this.lengths[row] ?? NULL_LENGTH;
    if (length !== NULL_LENGTH && this.shared[row] === 0) this.garbage += length;
  }

  private append(value: string, byteLength: number): number {
    if (this.garbage > MIN_ARENA * 64 && this.garbage * 2 > this.used) this.compact();
    if (this.used + byteLength > this.arena.length) {
      let size = this.arena.length;
      while (this.used + byteLength > size) size *= 2;
      const arena = Buffer.allocUnsafe(size);
      this.arena.copy(arena, 0, 0, this.used);
      this.arena = arena;
    }
    const start = this.used;
    this.arena.write(value, start, byteLength, 'utf8');
    this.used += byteLength;
    return start;
  }

  /** Rewrites the arena with only the live values. */
  private compact(): void {
    const old = this.arena;
    const rows = this.lengths.length;
    const dedupe = new Map<string, number>();
    let needed = MIN_ARENA;
    for (let row = 0; row < rows; row++) {
      const length = this.lengths[row] ?? NULL_LENGTH;
      if (length !== NULL_LENGTH && this.shared[row] === 0) needed += length;
    }
    for (const value of this.dedupe.keys()) needed += Buffer.byteLength(value, 'utf8');
    const arena = Buffer.allocUnsafe(Math.max(MIN_ARENA, needed));
    let used = 0;
    for (const value of this.dedupe.keys()) {
      const n = arena.write(value, used, 'utf8');
      dedupe.set(value, used);
      used += n;
    }
    for (let row = 0; row < rows; row++) {
      const length = this.lengths[row] ?? NULL_LENGTH;
      if (length === NULL_LENGTH) continue;
      const start = this.starts[row] ?? 0;
      if (this.shared[row] === 1) {
        const value = old.toString('utf8', start, start + length);
        this.starts[row] = dedupe.get(value) ?? 0;
        continue;
      }
      old.copy(arena, used, start, start + length);
      this.starts[row] = used;
      used += length;
    }
    this.arena = arena;
    this.used = used;
    this.garbage = 0;
    this.dedupe = dedupe;
  }
}
