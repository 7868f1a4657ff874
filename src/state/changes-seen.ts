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

/** How long the listener's mark of being at work lasts unless renewed (it renews it every third of that). */
export const LISTENER_ALIVE_MS = 6_000;

function aliveKey(keys: Keyspace): string {
  return keys.key('cdc', 'alive');
}

/**
 * The listener is at work (subscribed and handling events, maybe a moment behind): a mark that lapses
 * on its own when its worker dies. A batch waits for a listener at work to catch up, not for one away.
 */
export async function markListenerAlive(redis: Redis, keys: Keyspace): Promise<void> {
  await redis.set(aliveKey(keys), String(Date.now()), 'PX', LISTENER_ALIVE_MS);
}

export async function markListenerGone(redis: Redis, keys: Keyspace): Promise<void> {
  await redis.del(aliveKey(keys));
}

export async function listenerAlive(redis: Redis, keys: Keyspace): Promise<boolean> {
  return (await redis.exists(aliveKey(keys))) === 1;
}
