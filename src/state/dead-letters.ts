/**
 * Parked records: a record that cannot be synced (the vendor refused it, a value cannot be converted)
 * is parked with the vendor's message instead of failing its whole batch. One entry per record and
 * direction, replaced when it fails again; removed when it syncs.
 */
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Keyspace } from '../platform/redis.js';

export const parkedRecordSchema = z.object({
  /** contacts | companies | opportunities */
  pair: z.string(),
  /** Which side refused the write. */
  side: z.enum(['hubspot', 'salesforce']),
  /** The record the failure concerns, as "<system>:<object>:<id>". */
  record: z.string(),
  hubspotId: z.string().optional(),
  salesforceId: z.string().optional(),
  /** The vendor's error code (REQUIRED_FIELD_MISSING, VALIDATION_ERROR, ...) or revloop's. */
  code: z.string(),
  message: z.string(),
  fields: z.array(z.string()).default([]),
  firstAt: z.number(),
  lastAt: z.number(),
  attempts: z.number().int().min(1),
});

export type ParkedRecord = z.infer<typeof parkedRecordSchema>;
export type ParkInput = Omit<ParkedRecord, 'firstAt' | 'lastAt' | 'attempts'>;

export class DeadLetters {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keyspace,
  ) {}

  private get hash(): string {
    return this.keys.key('dlq', 'entries');
  }

  private get index(): string {
    return this.keys.key('dlq', 'by-time');
  }

  static entryId(input: Pick<ParkInput, 'pair' | 'side' | 'record'>): string {
    return `${input.pair}|${input.side}|${input.record}`;
  }

  async park(inputs: readonly ParkInput[], now = Date.now()): Promise<void> {
    if (inputs.length === 0) return;
    const ids = inputs.map((i) => DeadLetters.entryId(i));
    const existing = await this.redis.hmget(this.hash, ...ids);
    const tx = this.redis.multi();
    inputs.forEach((input, i) => {
      const prior = existing[i] ? parkedRecordSchema.safeParse(JSON.parse(existing[i] as string)) : undefined;
      const entry: ParkedRecord = {
        ...input,
        firstAt: prior?.success ? prior.data.firstAt : now,
        lastAt: now,
        attempts: prior?.success ? prior.data.attempts + 1 : 1,
      };
      tx.hset(this.hash, ids[i] as string, JSON.stringify(entry));
      tx.zadd(this.index, now, ids[i] as string);
    });
    await tx.exec();
  }

  /** Clears the entries of records that synced. */
  async clear(entries: ReadonlyArray<Pick<ParkInput, 'pair' | 'side' | 'record'>>): Promise<void> {
    if (entries.length === 0) return;
    // Almost always nothing is parked: one small question instead of every synced record's id.
    if ((await this.redis.hlen(this.hash)) === 0) return;
    const ids = entries.map((e) => DeadLetters.entryId(e));
    await this.redis.multi().hdel(this.hash, ...ids).zrem(this.index, ...ids).exec();
  }

  async list(limit = 100, offset = 0): Promise<Array<ParkedRecord & { id: string }>> {
    const ids = await this.redis.zrevrange(this.index, offset, offset + limit - 1);
    if (ids.length === 0) return [];
    const values = await this.redis.hmget(this.hash, ...ids);
    const out: Array<ParkedRecord & { id: string }> = [];
    ids.forEach((id, i) => {
      const raw = values[i];
      if (!raw) return;
      const parsed = parkedRecordSchema.safeParse(JSON.parse(raw));
      if (parsed.success) out.push({ ...parsed.data, id });
    });
    return out;
  }

  async get(id: string): Promise<ParkedRecord | undefined> {
    const raw = await this.redis.hget(this.hash, id);
    if (!raw) return undefined;
    const parsed = parkedRecordSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  }

  async size(): Promise<number> {
    return this.redis.zcard(this.index);
  }
}
