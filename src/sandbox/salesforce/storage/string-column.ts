/**
 * A column of text values kept as UTF-8 bytes in chunked arenas (no JS string per value on the heap), 4 bytes per
 * row plus the bytes themselves, so a million records cost a few tens of MB per text field; a column nobody writes
 * costs nothing. Each value is stored as a varint length then its bytes. Frequent values (picklists, cities, first
 * names) are stored once. Overwritten values leave garbage, compacted once it exceeds half of what is used.
 */

const NULL_REF = 0xffffffff;
const SHARED = 0x80000000;
const OFFSET_MASK = 0x7fffffff;
const CHUNK = 1 << 22;
const FIRST_CHUNK = 256;
const DEDUPE_LIMIT = 4096;
const DEDUPE_MAX_BYTES = 64;

function varintSize(n: number): number {
  return n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : 4;
}

export class StringColumn {
  private refs: Uint32Array | undefined;
  private capacity: number;
  private chunks: Buffer[] = [];
  /** Bytes used in the last chunk. */
  private tail = 0;
  private used = 0;
  private garbage = 0;
  private dedupe = new Map<string, number>();
  /** Lookups and hits in the dedupe table once it is full; a column of unique values stops looking. */
  private lookups = 0;
  private hits = 0;
  private dedupeActive = true;

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  grow(capacity: number): void {
    if (capacity <= this.capacity) return;
    this.capacity = capacity;
    if (this.refs === undefined) return;
    const refs = new Uint32Array(capacity).fill(NULL_REF);
    refs.set(this.refs);
    this.refs = refs;
  }

  private read(offset: number): string {
    const chunk = this.chunks[Math.floor(offset / CHUNK)];
    if (chunk === undefined) return '';
    let pos = offset % CHUNK;
    let length = 0;
    let shift = 0;
    for (;;) {
      const byte = chunk[pos] ?? 0;
      pos += 1;
      length += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) break;
      shift += 7;
    }
    return chunk.toString('utf8', pos, pos + length);
  }

  private lengthAt(offset: number): number {
    const chunk = this.chunks[Math.floor(offset / CHUNK)];
    if (chunk === undefined) return 0;
    let pos = offset % CHUNK;
    let length = 0;
    let shift = 0;
    for (;;) {
      const byte = chunk[pos] ?? 0;
      pos += 1;
      length += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return length + varintSize(length);
      shift += 7;
    }
  }

  get(row: number): string | null {
    const ref = this.refs?.[row] ?? NULL_REF;
    return ref === NULL_REF ? null : this.read(ref & OFFSET_MASK);
  }

  isNull(row: number): boolean {
    return (this.refs?.[row] ?? NULL_REF) === NULL_REF;
  }

  set(row: number, value: string | null): void {
    if (this.refs === undefined) {
      if (value === null) return;
      this.refs = new Uint32Array(this.capacity).fill(NULL_REF);
    }
    const old = this.refs[row] ?? NULL_REF;
    if (old !== NULL_REF && (old & SHARED) === 0) this.garbage += this.lengthAt(old & OFFSET_MASK);
    if (value === null) {
      this.refs[row] = NULL_REF;
      return;
    }
    const known = this.dedupeActive ? this.dedupe.get(value) : undefined;
    if (this.dedupe.size >= DEDUPE_LIMIT && this.dedupeActive) {
      this.lookups += 1;
      if (known !== undefined) this.hits += 1;
      if (this.lookups >= 20_000 && this.hits * 20 < this.lookups) this.dedupeActive = false;
    }
    if (known !== undefined) {
      this.refs[row] = (known | SHARED) >>> 0;
      return;
    }
    const offset = this.append(value);
    if (this.dedupeActive && this.dedupe.size < DEDUPE_LIMIT && value.length <= DEDUPE_MAX_BYTES) {
      this.dedupe.set(value, offset);
      this.refs[row] = (offset | SHARED) >>> 0;
    } else {
      this.refs[row] = offset;
    }
  }

  /** Bytes held by the arena chunks (for memory reports). */
  get arenaBytes(): number {
    return this.chunks.reduce((n, c) => n + c.length, 0);
  }

  private append(value: string): number {
    if (this.garbage > CHUNK && this.garbage * 2 > this.used) this.compact();
    const byteLength = Buffer.byteLength(value, 'utf8');
    const size = varintSize(byteLength) + byteLength;
    let chunk = this.chunks[this.chunks.length - 1];
    if (chunk === undefined || this.tail + size > CHUNK) {
      chunk = Buffer.allocUnsafe(Math.min(CHUNK, Math.max(FIRST_CHUNK, size)));
      this.chunks.push(chunk);
      this.tail = 0;
    } else if (this.tail + size > chunk.length) {
      let grown = chunk.length;
      while (this.tail + size > grown) grown *= 2;
      const bigger = Buffer.allocUnsafe(Math.min(CHUNK, grown));
      chunk.copy(bigger, 0, 0, this.tail);
      chunk = bigger;
      this.chunks[this.chunks.length - 1] = chunk;
    }
    const offset = (this.chunks.length - 1) * CHUNK + this.tail;
    if (offset > OFFSET_MASK) throw new Error('text column exceeds 2 GB');
    let pos = this.tail;
    let n = byteLength;
    while (n >= 0x80) {
      chunk[pos] = (n & 0x7f) | 0x80;
      n = Math.floor(n / 128);
      pos += 1;
    }
    chunk[pos] = n;
    pos += 1;
    chunk.write(value, pos, byteLength, 'utf8');
    this.tail = pos + byteLength;
    this.used += size;
    return offset;
  }

  /** Rewrites the arena with only the values still referenced. */
  private compact(): void {
    const refs = this.refs;
    if (refs === undefined) return;
    const values = new Array<string | null>(refs.length);
    for (let row = 0; row < refs.length; row++) {
      const ref = refs[row] ?? NULL_REF;
      values[row] = ref === NULL_REF ? null : this.read(ref & OFFSET_MASK);
    }
    const frequent = [...this.dedupe.keys()];
    this.chunks = [];
    this.tail = 0;
    this.used = 0;
    this.garbage = 0;
    this.dedupe = new Map();
    for (const value of frequent) this.dedupe.set(value, this.append(value));
    refs.fill(NULL_REF);
    for (let row = 0; row < values.length; row++) {
      const value = values[row];
      if (value === null || value === undefined) continue;
      const known = this.dedupe.get(value);
      refs[row] = known !== undefined ? (known | SHARED) >>> 0 : this.append(value);
    }
  }
}
