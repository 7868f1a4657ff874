/**
 * Activity counters of a connection, shared by every process through Redis: API calls by system and
 * outcome, sync jobs by outcome, records written, and sync lag. Kept as running totals (for the
 * Prometheus counters, right across several worker processes) and per-minute buckets kept two days
 * (for the dashboard's throughput chart).
 */
import type { Redis } from 'ioredis';
import type { Keyspace } from '../platform/redis.js';

const BUCKET_TTL_S = 2 * 86_400;
const MINUTE = 60_000;

export type Counter =
  | `api:${'hubspot' | 'salesforce'}:${'ok' | 'error'}`
  | `jobs:${string}:${'completed' | 'failed'}`
  | 'records:written'
  | 'records:parked'
  | 'lag:sum_ms'
  | 'lag:count';

export interface MinuteActivity {
  at: number;
  counts: Record<string, number>;
}

export class ActivityStats {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keyspace,
  ) {}

  private get totalKey(): string {
    return this.keys.key('stats', 'total');
  }

  private minuteKey(minute: number): string {
    return this.keys.key('stats', 'minute', minute);
  }

  private get lagKey(): string {
    return this.keys.key('stats', 'lag');
  }

  async add(increments: Partial<Record<Counter, number>>, at = Date.now()): Promise<void> {
    const entries = Object.entries(increments).filter(([, v]) => v !== undefined && v !== 0) as Array<[Counter, number]>;
    if (entries.length === 0) return;
    const minute = Math.floor(at / MINUTE) * MINUTE;
    const pipe = this.redis.pipeline();
    for (const [field, by] of entries) {
      pipe.hincrby(this.totalKey, field, Math.round(by));
      pipe.hincrby(this.minuteKey(minute), field, Math.round(by));
    }
    pipe.expire(this.minuteKey(minute), BUCKET_TTL_S);
    await pipe.exec();
  }

  /** The lag of the last batch (ms from the first change seen to its sync). */
  async recordLag(lagMs: number, at = Date.now()): Promise<void> {
    await this.redis.set(this.lagKey, JSON.stringify({ lagMs, at }), 'EX', 3600);
    await this.add({ 'lag:sum_ms': lagMs, 'lag:count': 1 }, at);
  }

  async lastLag(): Promise<{ lagMs: number; at: number } | undefined> {
    const raw = await this.redis.get(this.lagKey);
    if (!raw) return undefined;
    const v = JSON.parse(raw) as { lagMs?: unknown; at?: unknown };
    return typeof v.lagMs === 'number' && typeof v.at === 'number' ? { lagMs: v.lagMs, at: v.at } : undefined;
  }

  async totals(): Promise<Record<string, number>> {
    const raw = await this.redis.hgetall(this.totalKey);
    return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Number(v)]));
  }

  /** The last `minutes` minutes, oldest first (minutes with no activity have empty counts). */
  async recent(minutes = 60, now = Date.now()): Promise<MinuteActivity[]> {
    const last = Math.floor(now / MINUTE) * MINUTE;
    const stamps = Array.from({ length: minutes }, (_, i) => last - (minutes - 1 - i) * MINUTE);
    const results = await this.redis.pipeline(stamps.map((m) => ['hgetall', this.minuteKey(m)])).exec();
    return stamps.map((at, i) => {
      const raw = (results?.[i]?.[1] ?? {}) as Record<string, string>;
      return { at, counts: Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Number(v)])) };
    });
  }
}
