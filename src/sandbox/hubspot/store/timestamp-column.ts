/**
 * Values of a date or datetime property, kept as epoch milliseconds in a Float64Array (8 bytes a
 * record instead of a 24-character string): created dates, close dates and the lifecycle stage
 * stamps are nearly all distinct, so a dictionary would not help. A value that does not round-trip
 * exactly through the number (never the case for normalized values) is kept as text beside it.
 */
import { isoString } from '../../../platform/iso-time.js';

export type TimestampKind = 'date' | 'datetime';

export class TimestampColumn {
  private stamps = new Float64Array(16).fill(NaN);
  private readonly odd = new Map<number, string>();
  private filled = 0;

  constructor(readonly kind: TimestampKind) {}

  get size(): number {
    return this.filled;
  }

  get(row: number): string | undefined {
    const odd = this.odd.get(row);
    if (odd !== undefined) return odd;
    const ms = row < this.stamps.length ? (this.stamps[row] ?? NaN) : NaN;
    return Number.isNaN(ms) ? undefined : this.format(ms);
  }

  /** Epoch ms of a row's value, undefined when it has none (or holds text that is no timestamp). */
  timeAt(row: number): number | undefined {
    const ms = row < this.stamps.length ? (this.stamps[row] ?? NaN) : NaN;
    return Number.isNaN(ms) ? undefined : ms;
  }

  set(row: number, value: string | undefined): void {
    const had = this.odd.has(row) || !Number.isNaN(row < this.stamps.length ? (this.stamps[row] ?? NaN) : NaN);
    this.odd.delete(row);
    this.ensure(row);
    if (value === undefined) {
      this.stamps[row] = NaN;
      if (had) this.filled -= 1;
      return;
    }
    if (!had) this.filled += 1;
    const ms = this.kind === 'date' ? Date.parse(`${value}T00:00:00.000Z`) : Date.parse(value);
    if (!Number.isNaN(ms) && this.format(ms) === value) {
      this.stamps[row] = ms;
    } else {
      this.stamps[row] = NaN;
      this.odd.set(row, value);
    }
  }

  private format(ms: number): string {
    const iso = isoString(ms);
    return this.kind === 'date' ? iso.slice(0, 10) : iso;
  }

  private ensure(row: number): void {
    if (row < this.stamps.length) return;
    let length = this.stamps.length * 2;
    while (length <= row) length *= 2;
    const grown = new Float64Array(length).fill(NaN);
    grown.set(this.stamps);
    this.stamps = grown;
  }
}
