/**
 * Change signals: "these records changed" (ids only), from webhooks, change events, sweeps. They are
 * coalesced per connection, object pair and side in a Redis sorted set (member = record id, score =
 * the sequence number of its latest signal; a hash keeps when each was first seen), and a flush job,
 * debounced over the batch window with BullMQ's deduplication, turns them into batch jobs of up to
 * 100 HubSpot and 200 Salesforce ids.
 *
 * Nothing is lost between the set and the queue: the flush adds the batch job first (its id is a
 * hash of the ids taken, so a repeat is a no-op) and only then removes the ids, and only those whose
 * sequence did not change meanwhile: a change signalled after the ids were taken (which the batch
 * may already have read past) stays pending for the next batch.
 */
import { createHash } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Keyspace } from '../platform/redis.js';
import type { PairObject } from '../state/link-store.js';
import { JOBS, type BatchJob, type FlushJob } from './queues.js';

export type SignalSide = 'hubspot' | 'salesforce';

export const BATCH_LIMITS: Readonly<Record<SignalSide, number>> = { hubspot: 100, salesforce: 200 };

/** Signals ids: each gets the next sequence number; the first-seen time is kept until it is taken. */
const SIGNAL = `
for i = 2, #ARGV do
  local seq = redis.call('INCR', KEYS[2])
  redis.call('ZADD', KEYS[1], seq, ARGV[i])
  redis.call('HSETNX', KEYS[3], ARGV[i], ARGV[1])
end
return #ARGV - 1`;

/** Removes members only if their sequence is still the one read. */
const REMOVE_IF_UNCHANGED = `
local removed = 0
for i = 1, #ARGV, 2 do
  local score = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if score and tonumber(score) == tonumber(ARGV[i + 1]) then
    redis.call('ZREM', KEYS[1], ARGV[i])
    redis.call('HDEL', KEYS[2], ARGV[i])
    removed = removed + 1
  end
end
return removed`;

export function pendingKey(keys: Keyspace, pair: PairObject, side: SignalSide): string {
  return keys.key('pending', pair, side);
}

function sequenceKey(keys: Keyspace, pair: PairObject, side: SignalSide): string {
  return keys.key('pending', pair, side, 'seq');
}

function seenKey(keys: Keyspace, pair: PairObject, side: SignalSide): string {
  return keys.key('pending', pair, side, 'seen');
}

export interface SignalOptions {
  /** How long to gather changes before a batch (ms). */
  windowMs: number;
}

/** Records that ids changed and makes sure a flush is scheduled. */
export async function signal(redis: Redis, queue: Queue, keys: Keyspace, pair: PairObject, side: SignalSide, ids: readonly string[], options: SignalOptions, at = Date.now()): Promise<void> {
  if (ids.length === 0) return;
  await redis.eval(SIGNAL, 3, pendingKey(keys, pair, side), sequenceKey(keys, pair, side), seenKey(keys, pair, side), at, ...new Set(ids));
  await scheduleFlush(queue, keys.connectionId, pair, options.windowMs);
}

export async function scheduleFlush(queue: Queue, connectionId: string, pair: PairObject, windowMs: number): Promise<void> {
  const data: FlushJob = { connectionId, pair };
  await queue.add(JOBS.flush, data, {
    delay: windowMs,
    deduplication: { id: `flush:${connectionId}:${pair}`, ttl: Math.max(1, windowMs) },
    attempts: 20,
    removeOnComplete: true,
  });
}

async function take(redis: Redis, key: string, seen: string, limit: number): Promise<Array<{ id: string; score: number; seenAt: number }>> {
  const raw = await redis.zrange(key, 0, limit - 1, 'WITHSCORES');
  const out: Array<{ id: string; score: number; seenAt: number }> = [];
  for (let i = 0; i < raw.length; i += 2) out.push({ id: raw[i] as string, score: Number(raw[i + 1]), seenAt: 0 });
  if (out.length > 0) {
    const times = await redis.hmget(seen, ...out.map((m) => m.id));
    out.forEach((m, i) => (m.seenAt = Number(times[i] ?? 0) || Date.now()));
  }
  return out;
}

/**
 * Turns pending signals into batch jobs. The first batch goes whatever its size (the window has
 * passed); after it only full batches go, and a remainder waits for the next flush one window later,
 * so a steady trickle of changes makes a batch per window rather than a stream of tiny ones.
 * Returns how many batches it made.
 */
export async function flush(redis: Redis, queue: Queue, keys: Keyspace, pair: PairObject, windowMs = 0): Promise<number> {
  let batches = 0;
  for (;;) {
    const hsKey = pendingKey(keys, pair, 'hubspot');
    const sfKey = pendingKey(keys, pair, 'salesforce');
    const hsSeen = seenKey(keys, pair, 'hubspot');
    const sfSeen = seenKey(keys, pair, 'salesforce');
    const hubspot = await take(redis, hsKey, hsSeen, BATCH_LIMITS.hubspot);
    const salesforce = await take(redis, sfKey, sfSeen, BATCH_LIMITS.salesforce);
    if (hubspot.length === 0 && salesforce.length === 0) return batches;
    if (batches > 0 && windowMs > 0 && hubspot.length < BATCH_LIMITS.hubspot && salesforce.length < BATCH_LIMITS.salesforce) {
      await scheduleFlush(queue, keys.connectionId, pair, windowMs);
      return batches;
    }
    const seenAt = Math.min(...hubspot.map((m) => m.seenAt), ...salesforce.map((m) => m.seenAt));
    const data: BatchJob = { connectionId: keys.connectionId, pair, hubspotIds: hubspot.map((m) => m.id), salesforceIds: salesforce.map((m) => m.id), priority: 'live', seenAt };
    const taken = (list: typeof hubspot) => list.map((m) => [m.id, m.score]);
    const jobId = `batch-${createHash('sha256').update(JSON.stringify([taken(hubspot), taken(salesforce), keys.connectionId, pair])).digest('hex').slice(0, 32)}`;
    await queue.add(JOBS.batch, data, { jobId });
    if (hubspot.length > 0) await redis.eval(REMOVE_IF_UNCHANGED, 2, hsKey, hsSeen, ...hubspot.flatMap((m) => [m.id, m.score]));
    if (salesforce.length > 0) await redis.eval(REMOVE_IF_UNCHANGED, 2, sfKey, sfSeen, ...salesforce.flatMap((m) => [m.id, m.score]));
    batches += 1;
  }
}

export async function pendingCount(redis: Redis, keys: Keyspace, pair: PairObject): Promise<number> {
  const [hs, sf] = await Promise.all([redis.zcard(pendingKey(keys, pair, 'hubspot')), redis.zcard(pendingKey(keys, pair, 'salesforce'))]);
  return hs + sf;
}

/**
 * The same coalescing for other work keyed by record id (the deal mirror): `name` names the set.
 * Ids are taken with their sequence and removed only if not signalled again meanwhile.
 */
export async function addPending(redis: Redis, keys: Keyspace, name: string, ids: readonly string[], at = Date.now()): Promise<void> {
  if (ids.length === 0) return;
  await redis.eval(SIGNAL, 3, keys.key('pending', name), keys.key('pending', name, 'seq'), keys.key('pending', name, 'seen'), at, ...new Set(ids));
}

export async function takePending(redis: Redis, keys: Keyspace, name: string, limit: number): Promise<Array<{ id: string; score: number; seenAt: number }>> {
  return take(redis, keys.key('pending', name), keys.key('pending', name, 'seen'), limit);
}

export async function donePending(redis: Redis, keys: Keyspace, name: string, taken: ReadonlyArray<{ id: string; score: number }>): Promise<void> {
  if (taken.length > 0) await redis.eval(REMOVE_IF_UNCHANGED, 2, keys.key('pending', name), keys.key('pending', name, 'seen'), ...taken.flatMap((m) => [m.id, m.score]));
}
