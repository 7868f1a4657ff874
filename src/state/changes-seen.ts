/**
 * How far the Salesforce change listener has read: the commit time of the last change event it
 * handled, stored with its replay id. Every change committed up to then, revloop's own included, has
 * reached revloop and left its field provenance, so a field with none was not changed since by anyone.
 */
import type { Redis } from 'ioredis';
import type { Keyspace } from '../platform/redis.js';

export function changesSeenKey(keys: Keyspace): string {
  return keys.key('cdc', 'seen');
}

/** Undefined when no listener has run for the connection. */
export async function changesSeenUntil(redis: Redis, keys: Keyspace): Promise<number | undefined> {
  const raw = await redis.get(changesSeenKey(keys));
  const at = raw === null ? Number.NaN : Number(raw);
  return Number.isFinite(at) ? at : undefined;
}
