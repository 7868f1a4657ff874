/**
 * The hostile-input suite's test bed: revloop's real express app, composed as `revloop server`
 * composes it (webhook receiver, admin API, install flows, dashboard, metrics, rate limits), listening
 * on port 0 with real BullMQ queues on a private key root of the test Redis, and no worker, so
 * whatever a request enqueued stays visible. `keys()` lists every Redis key under the root except
 * the rate limiter's counters, so a test proves a refused request left nothing behind.
 */
import { request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { silentLogger } from '../../src/platform/logger.js';
import { RevloopMetrics } from '../../src/platform/metrics.js';
import { createBullConnection } from '../../src/platform/redis.js';
import { SecretBox } from '../../src/platform/secret-box.js';
import { createApp } from '../../src/server/app.js';
import { composeServer } from '../../src/server/compose.js';
import { SHIPPED_MAPPINGS } from '../helpers/mappings.js';
import { useRedis, type RedisTestContext } from '../helpers/redis.js';

export const ADMIN_TOKEN = 'admin-token-of-the-hostile-suite-0123456789';
export const READONLY_TOKEN = 'readonly-token-of-the-hostile-suite-0123456789';

export interface Tenant {
  id: string;
  portalId: number;
  secret: string;
}

export interface HostileServer {
  url: string;
  redis: RedisTestContext;
  queue: Queue;
  /** Every queue of the server (sync, backfill, listen). */
  queues: Queue[];
  /** Every key under the test's root, sorted. */
  keys(): Promise<string[]>;
  close(): Promise<void>;
}

export async function startHostileServer(tenants: readonly Tenant[]): Promise<HostileServer> {
  const redis = await useRedis('hostile');
  const bull: Redis = createBullConnection(redis.url);
  const encryptionKey = Buffer.alloc(32, 9);
  const composed = composeServer({
    redis: redis.redis,
    bull,
    root: redis.root,
    box: new SecretBox(encryptionKey),
    encryptionKey,
    logger: silentLogger,
    settings: {
      REVLOOP_MAPPINGS_DIR: SHIPPED_MAPPINGS,
      REVLOOP_REDIS_ROOT: redis.root,
      REVLOOP_SALESFORCE_DAILY_SHARE: 50,
      REVLOOP_HUBSPOT_TEN_SECOND_LIMIT: undefined,
      REVLOOP_HUBSPOT_DAILY_LIMIT: undefined,
      REVLOOP_BULK_THRESHOLD: 10_000,
      HUBSPOT_CLIENT_ID: undefined,
      HUBSPOT_CLIENT_SECRET: undefined,
      SALESFORCE_CLIENT_ID: undefined,
      SALESFORCE_CLIENT_SECRET: undefined,
      SALESFORCE_JWT_PRIVATE_KEY: undefined,
    },
    adminToken: ADMIN_TOKEN,
    readonlyToken: READONLY_TOKEN,
    apps: {},
    windowMs: 60_000,
    sweepEveryMs: 3_600_000,
    metrics: new RevloopMetrics({ defaults: false }),
    rateLimits: { enabled: true },
  });
  for (const t of tenants) {
    await composed.connections.put(
      { id: t.id, hubspot: { baseUrl: 'http://127.0.0.1:1', portalId: t.portalId, appId: 900 }, salesforce: { instanceUrl: 'http://127.0.0.1:2', loginUrl: 'http://127.0.0.1:2', version: '62.0' } },
      { hubspot: { kind: 'private-app', token: `token-${t.id}`, webhookSecret: t.secret }, salesforce: { kind: 'session', accessToken: 'x'.repeat(30) } },
    );
  }
  const queues = Object.values(composed.queues);
  // Each queue writes its meta key once connected: wait for it, so it is part of the "before".
  for (const q of queues) {
    await q.waitUntilReady();
    for (let i = 0; i < 100 && (await redis.redis.exists(`${q.keys.meta}`)) === 0; i++) await new Promise((r) => setTimeout(r, 20));
  }
  const app = createApp(composed.deps);
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    url,
    redis,
    queue: composed.queues.sync,
    queues,
    async keys() {
      const out: string[] = [];
      let cursor = '0';
      do {
        const [next, batch] = await redis.redis.scan(cursor, 'MATCH', `${redis.root}:*`, 'COUNT', 1000);
        cursor = next;
        out.push(...batch.filter((k) => !k.includes(':rate:')));
      } while (cursor !== '0');
      return out.sort();
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      for (const q of queues) await q.obliterate({ force: true }).catch(() => undefined);
      await composed.close();
      bull.disconnect();
      await redis.cleanup();
    },
  };
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json: Record<string, unknown> | undefined;
}

/** One HTTP request with full control of method, path, headers and body (chunked when `chunks` is given). */
export function send(url: string, init: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer; chunks?: Buffer[] }): Promise<RawResponse> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: target.hostname, port: target.port, method: init.method ?? 'POST', path: init.path, headers: { ...(init.body !== undefined ? { 'content-length': String(Buffer.byteLength(init.body)) } : {}), ...init.headers } },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () => {
          const text = Buffer.concat(parts).toString('utf8');
          let json: Record<string, unknown> | undefined;
          try {
            json = JSON.parse(text) as Record<string, unknown>;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    // The server may answer (413, 431) and close before the whole body is written.
    req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'EPIPE' || err.code === 'ECONNRESET' ? undefined : reject(err)));
    if (init.chunks) {
      for (const c of init.chunks) req.write(c);
      req.end();
    } else req.end(init.body);
  });
}
