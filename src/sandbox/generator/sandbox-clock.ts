/**
 * The sandboxes' clock, steerable so the data generator can make each write at the moment it happened in the
 * generated history. Give `clock.now` to both stores (`new SalesforceStore({ now: clock.now })`, the sandboxes'
 * `now` option); outside `during()` it follows its base (the wall clock by default).
 */
export class SandboxClock {
  private pinned: number | undefined;

  constructor(private readonly base: () => number = Date.now) {}

  /** Epoch ms: the pinned instant inside `during()`, else the base clock. */
  readonly now = (): number => this.pinned ?? this.base();

  /** Runs fn with the clock standing at `at` (nested calls restore the outer instant afterwards). */
  during<T>(at: number, fn: () => T): T {
    if (!Number.isFinite(at)) throw new RangeError(`clock instant must be a finite epoch ms, got ${at}`);
    const outer = this.pinned;
    this.pinned = at;
    try {
      return fn();
    } finally {
      this.pinned = outer;
    }
  }
}
