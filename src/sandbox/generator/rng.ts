/**
 * The generator's seeded random numbers: one mulberry32 stream per purpose (forked from the seed and a label or
 * index), so a person's draws depend only on the seed and the person's unit, never on how many people came before.
 */
import { seededRandom, type Random } from '../common/random.js';

/** A 32-bit mix of a seed and a label or number (FNV-1a over the label, then a murmur finalizer). */
export function mixSeed(seed: number, label: string | number): number {
  let h = (seed ^ 0x811c9dc5) >>> 0;
  const text = String(label);
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/** Weights for `Rng.weighted`: value → relative weight. */
export type Weights<T extends string> = Readonly<Record<T, number>>;

/** A cumulative table built once for a set of weights (drawing is then one float and a short scan). */
export class WeightedTable<T extends string> {
  private readonly values: T[];
  private readonly cumulative: number[];

  constructor(weights: Weights<T>) {
    this.values = [];
    this.cumulative = [];
    let total = 0;
    for (const [value, weight] of Object.entries(weights) as Array<[T, number]>) {
      if (!(weight > 0)) continue;
      total += weight;
      this.values.push(value);
      this.cumulative.push(total);
    }
    if (total <= 0) throw new Error('a weighted table needs at least one positive weight');
    for (let i = 0; i < this.cumulative.length; i++) this.cumulative[i] = (this.cumulative[i] ?? 0) / total;
  }

  draw(rng: Rng): T {
    const u = rng.float();
    for (let i = 0; i < this.cumulative.length; i++) if (u < (this.cumulative[i] ?? 1)) return this.values[i] as T;
    return this.values[this.values.length - 1] as T;
  }
}

export class Rng {
  private readonly next: Random;

  constructor(readonly seed: number) {
    this.next = seededRandom(seed);
  }

  /** An independent stream for a purpose (`'names'`) or an item (a unit index). */
  fork(label: string | number): Rng {
    return new Rng(mixSeed(this.seed, label));
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.next();
  }

  /** Uniform in [min, max). */
  between(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor((max - min + 1) * this.next());
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('cannot pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  weighted<T extends string>(table: WeightedTable<T>): T {
    return table.draw(this);
  }

  /** A standard normal draw (Box-Muller). */
  normal(): number {
    const u = Math.max(this.next(), Number.EPSILON);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** A whole-millisecond instant a log-normal duration (median and sigma in `unitMs` units) after `at`. */
  after(at: number, duration: { median: number; sigma: number }, unitMs: number): number {
    return Math.round(at + this.logNormal(duration.median, duration.sigma) * unitMs);
  }

  /** Log-normal with the given median and shape (sigma of the underlying normal). */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }
}
