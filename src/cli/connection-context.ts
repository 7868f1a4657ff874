/**
 * For commands that work on one stored connection (preview, report, dlq): the environment, Redis,
 * the connection (the only one, or the one named) and its sync context, closed afterwards.
 */
import type { Redis } from 'ioredis';
import { loadEnv, type Env } from '../config/env.js';
import { RevloopError } from '../platform/errors.js';
import { createLogger } from '../platform/logger.js';
import { createRedis } from '../platform/redis.js';
import { SecretBox } from '../platform/secret-box.js';
import { ConnectionStore } from '../state/connection-store.js';
import { StoredConnectionRegistry } from '../worker/connections/stored-registry.js';
import type { SyncContext } from '../worker/sync/sync-context.js';

export async function withConnection<T>(connectionId: string | undefined, work: (ctx: SyncContext, env: Env, redis: Redis) => Promise<T>): Promise<T> {
  const env = loadEnv();
  const redis = createRedis(env.REDIS_URL, { name: 'revloop:cli' });
  try {
    const store = new ConnectionStore(redis, new SecretBox(env.REVLOOP_ENCRYPTION_KEY as Buffer, env.REVLOOP_ENCRYPTION_PREVIOUS_KEYS ?? []), env.REVLOOP_REDIS_ROOT);
    const connections = await store.list();
    const id = connectionId ?? (connections.length === 1 ? connections[0]?.id : undefined);
    if (!id) {
      throw new RevloopError('BAD_REQUEST', connections.length === 0 ? 'no connection is set up yet (install revloop from its dashboard, or run revloop demo)' : `several connections exist; choose one with --connection (${connections.map((c) => c.id).join(', ')})`);
    }
    const registry = new StoredConnectionRegistry(redis, store, env, createLogger({ level: 'warn', destination: process.stderr }));
    return await work(await registry.get(id), env, redis);
  } finally {
    redis.disconnect();
  }
}
