/** Backfill checkpoints: where each stream stopped, saved after every page, so a crash resumes there. */
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Keyspace } from '../platform/redis.js';

const checkpointSchema = z.object({
  cursor: z.string().optional(),
  /** A phase read from both ends: where the downward end stopped (`cursor` is the upward end's). */
  cursorDown: z.string().optional(),
  processed: z.number().int().min(0),
  done: z.boolean(),
  startedAt: z.number(),
  updatedAt: z.number(),
  /** A fingerprint of the backfill's parameters; a different run starts over. */
  run: z.string(),
  /** Where a multi-phase stream is. */
  phase: z.string().optional(),
});

export type Checkpoint = z.infer<typeof checkpointSchema>;

export class Checkpoints {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keyspace,
  ) {}

  private key(stream: string): string {
    return this.keys.key('checkpoint', stream);
  }

  async get(stream: string): Promise<Checkpoint | undefined> {
    const raw = await this.redis.get(this.key(stream));
    if (!raw) return undefined;
    const parsed = checkpointSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  }

  async save(stream: string, checkpoint: Checkpoint): Promise<void> {
    await this.redis.set(this.key(stream), JSON.stringify(checkpoint));
  }

  async clear(stream: string): Promise<void> {
    await this.redis.del(this.key(stream));
  }
}
