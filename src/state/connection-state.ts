/**
 * Run state of a connection: paused (with a reason and, for daily limits, when it resumes) or running.
 * Every job checks it before calling an API, so a paused connection makes no further calls.
 */
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Keyspace } from '../platform/redis.js';

const pauseSchema = z.object({
  reason: z.string(),
  code: z.string(),
  since: z.number(),
  /** Epoch ms when the connection resumes by itself (a daily limit's reset); absent = until resumed by an admin. */
  until: z.number().optional(),
});

export type PauseState = z.infer<typeof pauseSchema>;

export class ConnectionState {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keyspace,
  ) {}

  private get key(): string {
    return this.keys.key('state', 'pause');
  }

  async pause(state: PauseState): Promise<void> {
    await this.redis.set(this.key, JSON.stringify(state));
  }

  async resume(): Promise<void> {
    await this.redis.del(this.key);
  }

  /** The pause in force at `now`, if any; a pause past its `until` is lifted here. */
  async paused(now = Date.now()): Promise<PauseState | undefined> {
    const raw = await this.redis.get(this.key);
    if (!raw) return undefined;
    const parsed = pauseSchema.safeParse(JSON.parse(raw));
    if (!parsed.success) return undefined;
    if (parsed.data.until !== undefined && parsed.data.until <= now) {
      await this.resume();
      return undefined;
    }
    return parsed.data;
  }
}
