/**
 * Redis connections and key naming.
 *
 * Every key revloop writes is `<root>:{<connectionId>}:<part>:...`. The braces are a Redis Cluster
 * hash tag: all keys of one connection land in one slot, so multi-key operations (MULTI, Lua,
 * BullMQ scripts) work on a cluster as they do on a single server. BullMQ queues live under
 * `<root>:{q}` for the same reason (BullMQ requires every key of a queue in one slot).
 * `root` defaults to "revloop"; tests give each test its own root so they never collide.
 */
import { Redis, type RedisOptions } from 'ioredis';
import { RevloopError } from './errors.js';

export const DEFAULT_ROOT = 'revloop';
const SAFE_PART = /^[A-Za-z0-9_.@-]+$/;

export interface RedisFactoryOptions {
  /** Extra ioredis options; BullMQ workers need maxRetriesPerRequest: null. */
  options?: RedisOptions;
  /** Client name shown by CLIENT LIST, e.g. "revloop:worker". */
  name?: string;
  /**
   * Told of a connection error (ioredis reconnects by itself), at most once per error code every 30 s.
   * Default: one line on stderr.
   */
  onError?: (err: Error & { code?: string }) => void;
}

const ERROR_REPEAT_MS = 30_000;

export function createRedis(url: string, factory: RedisFactoryOptions = {}): Redis {
  const client = new Redis(url, {
    lazyConnect: false,
    enableAutoPipelining: true,
    ...(factory.name ? { connectionName: factory.name } : {}),
    ...factory.options,
  });
  const report = factory.onError ?? ((err) => process.stderr.write(`revloop: Redis${factory.name ? ` (${factory.name})` : ''}: ${err.message}; reconnecting\n`));
  const lastReported = new Map<string, number>();
  client.on('error', (err: Error & { code?: string }) => {
    const code = err.code ?? err.message;
    const now = Date.now();
    if (now - (lastReported.get(code) ?? 0) < ERROR_REPEAT_MS) return;
    lastReported.set(code, now);
    report(err);
  });
  return client;
}

/** The connection BullMQ workers and queue events need (blocking commands, no per-request retry cap). */
export function createBullConnection(url: string, name?: string, onError?: RedisFactoryOptions['onError']): Redis {
  return createRedis(url, { options: { maxRetriesPerRequest: null, enableAutoPipelining: false }, ...(name ? { name } : {}), ...(onError ? { onError } : {}) });
}

function checkPart(part: string, what: string): string {
  if (!SAFE_PART.test(part)) {
    throw new RevloopError('BAD_REQUEST', `${what} "${part}" may only contain letters, digits and _ . @ -`);
  }
  return part;
}

/** Key names for one connection. Pure: builds strings, touches no Redis. */
export class Keyspace {
  readonly root: string;
  readonly connectionId: string;
  /** `<root>:{<connectionId>}` : the prefix of every key of this connection. */
  readonly prefix: string;

  constructor(connectionId: string, root: string = DEFAULT_ROOT) {
    this.root = checkPart(root, 'key root');
    this.connectionId = checkPart(connectionId, 'connection id');
    this.prefix = `${this.root}:{${this.connectionId}}`;
  }

  key(...parts: Array<string | number>): string {
    let out = this.prefix;
    for (const part of parts) out += `:${part}`;
    return out;
  }

  /** A pattern matching every key of this connection (for SCAN in admin tools and tests). */
  get pattern(): string {
    return `${this.prefix}:*`;
  }
}

/** Keys shared by all connections of a deployment (connection registry, install state). */
export function deploymentKey(root: string, ...parts: string[]): string {
  return [checkPart(root, 'key root'), '{deployment}', ...parts].join(':');
}

/** The BullMQ `prefix` option: one hash-tagged prefix for every queue of the deployment. */
export function queuePrefix(root: string = DEFAULT_ROOT): string {
  return `${checkPart(root, 'key root')}:{q}`;
}

/** The names of the keys that start with `prefix`, a SCAN page at a time (never KEYS). */
export async function* scanByPrefix(redis: Redis, prefix: string): AsyncGenerator<string[]> {
  let cursor = '0';
  const match = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', match, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) yield keys;
  } while (cursor !== '0');
}

/** Deletes every key whose name starts with `prefix` (SCAN, never KEYS). Returns how many. */
export async function deleteByPrefix(redis: Redis, prefix: string): Promise<number> {
  let deleted = 0;
  for await (const keys of scanByPrefix(redis, prefix)) deleted += await redis.unlink(...keys);
  return deleted;
}
