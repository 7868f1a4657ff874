/**
 * The org's daily API request allocation: calls counted per minute over a rolling 24 hours of the injectable clock.
 * When the count reaches the allocation, API calls get 403 REQUEST_LIMIT_EXCEEDED until old calls age out (or the
 * control endpoint resets the count).
 */

const MINUTE_MS = 60_000;
const WINDOW_MS = 24 * 60 * MINUTE_MS;

export class ApiUsage {
  private readonly buckets: Array<{ minute: number; count: number }> = [];
  private total = 0;

  constructor(
    private max: number,
    private readonly now: () => number,
  ) {}

  get limit(): number {
    return this.max;
  }

  setLimit(max: number): void {
    this.max = max;
  }

  private prune(): void {
    const oldest = Math.floor((this.now() - WINDOW_MS) / MINUTE_MS);
    while (this.buckets.length > 0 && (this.buckets[0]?.minute ?? 0) <= oldest) {
      this.total -= this.buckets.shift()?.count ?? 0;
    }
  }

  /** Calls counted in the last 24 hours. */
  used(): number {
    this.prune();
    return this.total;
  }

  remaining(): number {
    return Math.max(0, this.max - this.used());
  }

  exhausted(): boolean {
    return this.used() >= this.max;
  }

  record(): void {
    this.prune();
    const minute = Math.floor(this.now() / MINUTE_MS);
    const last = this.buckets[this.buckets.length - 1];
    if (last !== undefined && last.minute === minute) last.count += 1;
    else this.buckets.push({ minute, count: 1 });
    this.total += 1;
  }

  reset(): void {
    this.buckets.length = 0;
    this.total = 0;
  }

  /** The Sforce-Limit-Info header value. */
  header(): string {
    return `api-usage=${this.used()}/${this.max}`;
  }
}
