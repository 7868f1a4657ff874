/** A set of record ids with O(1) add, remove and uniform random pick (swap-remove over an array). */
import type { Rng } from '../generator/rng.js';

export class IdPool {
  private readonly ids: string[] = [];
  private readonly positions = new Map<string, number>();

  get size(): number {
    return this.ids.length;
  }

  has(id: string): boolean {
    return this.positions.has(id);
  }

  add(id: string): void {
    if (this.positions.has(id)) return;
    this.positions.set(id, this.ids.length);
    this.ids.push(id);
  }

  remove(id: string): void {
    const at = this.positions.get(id);
    if (at === undefined) return;
    const lastId = this.ids[this.ids.length - 1] as string;
    this.ids[at] = lastId;
    this.positions.set(lastId, at);
    this.ids.pop();
    this.positions.delete(id);
  }

  pick(rng: Rng): string | undefined {
    return this.ids.length === 0 ? undefined : this.ids[Math.floor(rng.float() * this.ids.length)];
  }
}
