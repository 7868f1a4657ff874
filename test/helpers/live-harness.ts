/**
 * revloop running live in the test process against both simulators: the server receives HubSpot's
 * webhooks, a worker syncs, listens to Salesforce's change events and sweeps. The connection is
 * stored as an install would store it.
 */
import type { Server } from 'node:http';
import type { Queue, Worker } from 'bullmq';
import { HubSpotWebhookReceiver } from '../../src/capture/hubspot/webhook-receiver.js';
import type { Env } from '../../src/config/env.js';
import { silentLogger } from '../../src/platform/logger.js';
import { createBullConnection, Keyspace } from '../../src/platform/redis.js';
import { SecretBox } from '../../src/platform/secret-box.js';
import { startHubSpotSandbox, type HubSpotSandbox, type HubSpotSandboxOptions } from '../../src/sandbox/hubspot/index.js';
import { startSalesforceSandbox, type SalesforceSandbox, type SalesforceSandboxOptions } from '../../src/sandbox/salesforce/index.js';
import { createApp } from '../../src/server/app.js';
import { ConnectionStore } from '../../src/state/connection-store.js';
import { ensureConnectionJobs } from '../../src/worker/connection-jobs.js';
import { StoredConnectionRegistry } from '../../src/worker/connections/stored-registry.js';
import { createWorkers } from '../../src/worker/create-workers.js';
import { createQueue, QUEUES } from '../../src/worker/queues.js';
import type { SyncContext } from '../../src/worker/sync/sync-context.js';
import { ensureHubSpotSchema } from '../../src/worker/setup/hubspot-schema.js';
import { SHIPPED_MAPPINGS } from './mappings.js';
import { useRedis, type RedisTestContext } from './redis.js';

export interface LiveHarness {
  hubspot: HubSpotSandbox;
  salesforce: SalesforceSandbox;
  redis: RedisTestContext;
  ctx: SyncContext;
  keys: Keyspace;
  syncQueue: Queue;
  serverUrl: string;
  /** Waits until `probe` holds (polling), or fails with `what`. */
  until(what: string, probe: () => boolean | Promise<boolean>, timeoutMs?: number): Promise<void>;
  /** Waits until no sync work is pending or running. */
  settled(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface LiveOptions {
  hubspot?: HubSpotSandboxOptions;
  salesforce?: SalesforceSandboxOptions;
  windowMs?: number;
  sweepEveryMs?: number;
  mappingsDir?: string;
}

const SUBSCRIPTIONS = ['contact', 'company'].flatMap((o) => ['creation', 'propertyChange', 'deletion', 'merge', 'restore', 'associationChange'].map((e) => ({ subscriptionType: `${o}.${e}` })));

export async function startLive(options: LiveOptions = {}): Promise<LiveHarness> {
  const [hubspot, salesforce, redis] = await Promise.all([
    startHubSpotSandbox({ rateLimits: { enabled: false }, ...options.hubspot }),
    startSalesforceSandbox({ dailyApiLimit: 10_000_000, ...options.salesforce }),
    useRedis('live'),
  ]);
  const bull = createBullConnection(redis.url);
  const store = new ConnectionStore(redis.redis, new SecretBox(Buffer.alloc(32, 5)), redis.root);
  await store.put(
    {
      id: 'live',
      hubspot: { baseUrl: hubspot.baseUrl, portalId: hubspot.portalId, appId: hubspot.privateAppId },
      salesforce: { instanceUrl: salesforce.instanceUrl, loginUrl: salesforce.loginUrl, version: salesforce.version },
      ...(options.mappingsDir ? { mappingsDir: options.mappingsDir } : {}),
    },
    { hubspot: { kind: 'private-app', token: hubspot.accessToken, webhookSecret: hubspot.clientSecret }, salesforce: { kind: 'session', accessToken: salesforce.accessToken } },
  );
  const settings = {
    REVLOOP_MAPPINGS_DIR: SHIPPED_MAPPINGS,
    REVLOOP_REDIS_ROOT: redis.root,
    REVLOOP_SALESFORCE_DAILY_SHARE: 100,
    REVLOOP_HUBSPOT_TEN_SECOND_LIMIT: 100_000,
    REVLOOP_BULK_THRESHOLD: 10_000,
  } as unknown as Pick<Env, 'REVLOOP_MAPPINGS_DIR'>;
  const registry = new StoredConnectionRegistry(redis.redis, store, settings as never, silentLogger);
  const syncQueue = createQueue(QUEUES.sync, bull, redis.root);
  const listenQueue = createQueue(QUEUES.listen, bull, redis.root);
  const windowMs = options.windowMs ?? 100;
  const webhooks = new HubSpotWebhookReceiver({ redis: redis.redis, connections: store, syncQueue, root: redis.root, windowMs, logger: silentLogger });
  const app = createApp({ redis: redis.redis, webhooks, logger: silentLogger });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const address = server.address();
  const serverUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  hubspot.webhooks.configure({ targetUrl: `${serverUrl}/webhooks/hubspot`, subscriptions: SUBSCRIPTIONS, batchWindowMs: 20 });
  const workers: Worker[] = createWorkers({ connection: bull, root: redis.root, registry, syncQueue, listenQueue, logger: silentLogger, windowMs, concurrency: 4, sweepEveryMs: options.sweepEveryMs ?? 3_600_000 });
  const ctx = await registry.get('live');
  await ensureHubSpotSchema(ctx.hubspotApi, ctx.mappings);
  await ensureConnectionJobs(['live'], { listenQueue, syncQueue, sweepEveryMs: options.sweepEveryMs ?? 3_600_000 });
  const keys = new Keyspace('live', redis.root);

  const until: LiveHarness['until'] = async (what, probe, timeoutMs = 20_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await probe())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  // The listener is subscribed once the simulator counts its subscription.
  await until('the change listener', () => (salesforce.cdc?.stats().subscriptions['/data/ChangeEvents'] ?? 0) > 0);

  const settled: LiveHarness['settled'] = async (timeoutMs = 20_000) => {
    let quietSince = 0;
    await until(
      'the sync to settle',
      async () => {
        await hubspot.webhooks.idle();
        await salesforce.cdc?.flush();
        const counts = await syncQueue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
        const pending = (await redis.redis.zcard(keys.key('pending', 'contacts', 'hubspot'))) + (await redis.redis.zcard(keys.key('pending', 'contacts', 'salesforce'))) + (await redis.redis.zcard(keys.key('pending', 'companies', 'hubspot'))) + (await redis.redis.zcard(keys.key('pending', 'companies', 'salesforce')));
        const busy = Object.entries(counts).some(([state, n]) => n > 0 && !(state === 'delayed' && n <= 1)) || pending > 0;
        if (busy) quietSince = 0;
        else if (quietSince === 0) quietSince = Date.now();
        // Quiet for a while: webhooks and change events of the last writes have arrived and been handled.
        return quietSince !== 0 && Date.now() - quietSince > 400;
      },
      timeoutMs,
    );
  };

  return {
    hubspot,
    salesforce,
    redis,
    ctx,
    keys,
    syncQueue,
    serverUrl,
    until,
    settled,
    async close() {
      await Promise.all(workers.map((w) => w.close(true)));
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      await syncQueue.obliterate({ force: true }).catch(() => undefined);
      await listenQueue.obliterate({ force: true }).catch(() => undefined);
      await syncQueue.close();
      await listenQueue.close();
      await Promise.allSettled([hubspot.close(), salesforce.close()]);
      bull.disconnect();
      await redis.cleanup();
    },
  };
}
