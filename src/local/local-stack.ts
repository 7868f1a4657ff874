/**
 * revloop in one process against a HubSpot portal and a Salesforce org reachable with tokens (the
 * simulators, in the demo and the benchmarks): the connection is stored as an install stores it,
 * the server receives webhooks, workers sync, listen to change events and sweep.
 */
import type { Server } from 'node:http';
import { createHttpTerminator } from 'http-terminator';
import type { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Installer } from '../admin/install/installer.js';
import type { HubSpotWebhookReceiver } from '../capture/hubspot/webhook-receiver.js';
import type { Env } from '../config/env.js';
import { silentLogger, type Logger } from '../platform/logger.js';
import { RevloopMetrics } from '../platform/metrics.js';
import { createBullConnection, createRedis, Keyspace } from '../platform/redis.js';
import { SecretBox } from '../platform/secret-box.js';
import { createApp } from '../server/app.js';
import { composeServer } from '../server/compose.js';
import type { OAuthApps } from '../server/server-deps.js';
import type { AccessTokenStore } from '../state/access-tokens.js';
import { ConnectionStore } from '../state/connection-store.js';
import { ensureConnectionJobs } from '../worker/connection-jobs.js';
import { StoredConnectionRegistry } from '../worker/connections/stored-registry.js';
import { createWorkers } from '../worker/create-workers.js';
import { apiCallObserver, observeWorkers } from '../worker/observe/activity.js';
import { createQueue, QUEUES } from '../worker/queues.js';
import { ensureHubSpotSchema } from '../worker/setup/hubspot-schema.js';
import { picklistsFor } from '../worker/setup/salesforce-picklists.js';
import type { SyncContext } from '../worker/sync/sync-context.js';

export interface LocalStackOptions {
  redisUrl: string;
  root: string;
  connectionId?: string;
  hubspot: { baseUrl: string; accessToken: string; portalId: number; appId: number; webhookSecret: string };
  salesforce: { instanceUrl: string; loginUrl: string; version: string; accessToken: string };
  mappingsDir: string;
  windowMs?: number;
  sweepEveryMs?: number;
  concurrency?: number;
  /** Port of the server (0 = any free port). */
  port?: number;
  host?: string;
  logger?: Logger;
  encryptionKey?: Buffer;
  limits?: { hubspotTenSecond?: number; salesforceDailyShare?: number };
  /** Admin API and dashboard tokens (the demo sets an admin token). */
  adminToken?: string;
  readonlyToken?: string;
  /** OAuth apps for the install flows (none: connections are stored with tokens only). */
  apps?: OAuthApps;
  /** Rate limits on the public endpoints (off by default: the stack serves loopback only). */
  rateLimits?: { enabled: boolean; perMinute?: number };
  /** The proxies believed about the client's address (REVLOOP_TRUST_PROXY). */
  trustProxy?: number | string[];
}

/** The endpoints and credentials of the two simulators (or anything shaped like them), as the stack takes them. */
export function sandboxEndpoints(
  hubspot: { baseUrl: string; accessToken: string; portalId: number; privateAppId: number; clientSecret: string },
  salesforce: { instanceUrl: string; loginUrl: string; version: string; accessToken: string },
): Pick<LocalStackOptions, 'hubspot' | 'salesforce'> {
  return {
    hubspot: { baseUrl: hubspot.baseUrl, accessToken: hubspot.accessToken, portalId: hubspot.portalId, appId: hubspot.privateAppId, webhookSecret: hubspot.clientSecret },
    salesforce: { instanceUrl: salesforce.instanceUrl, loginUrl: salesforce.loginUrl, version: salesforce.version, accessToken: salesforce.accessToken },
  };
}

export interface LocalStack {
  serverUrl: string;
  webhookUrl: string;
  redis: Redis;
  keys: Keyspace;
  ctx: SyncContext;
  syncQueue: Queue;
  listenQueue: Queue;
  connections: ConnectionStore;
  backfillQueue: Queue;
  accessTokens: AccessTokenStore;
  metrics: RevloopMetrics;
  installer: Installer;
  webhooks: HubSpotWebhookReceiver;
  stop(): Promise<void>;
}

export async function startLocalStack(o: LocalStackOptions): Promise<LocalStack> {
  const logger = o.logger ?? silentLogger;
  const connectionId = o.connectionId ?? 'sandbox';
  const redis = createRedis(o.redisUrl, { name: 'revloop:local' });
  const bull = createBullConnection(o.redisUrl, 'revloop:local:bull');
  const encryptionKey = o.encryptionKey ?? Buffer.alloc(32, 42);
  const box = new SecretBox(encryptionKey);
  const connections = new ConnectionStore(redis, box, o.root);
  await connections.put(
    {
      id: connectionId,
      label: 'sandbox',
      hubspot: { baseUrl: o.hubspot.baseUrl, portalId: o.hubspot.portalId, appId: o.hubspot.appId },
      salesforce: { instanceUrl: o.salesforce.instanceUrl, loginUrl: o.salesforce.loginUrl, version: o.salesforce.version },
      mappingsDir: o.mappingsDir,
    },
    { hubspot: { kind: 'private-app', token: o.hubspot.accessToken, webhookSecret: o.hubspot.webhookSecret }, salesforce: { kind: 'session', accessToken: o.salesforce.accessToken } },
  );
  const settings = {
    REVLOOP_MAPPINGS_DIR: o.mappingsDir,
    REVLOOP_REDIS_ROOT: o.root,
    REVLOOP_SALESFORCE_DAILY_SHARE: o.limits?.salesforceDailyShare ?? 100,
    REVLOOP_HUBSPOT_TEN_SECOND_LIMIT: o.limits?.hubspotTenSecond,
    REVLOOP_HUBSPOT_DAILY_LIMIT: undefined,
    REVLOOP_BULK_THRESHOLD: 10_000,
    // OAuth-installed connections refresh their tokens through these apps.
    HUBSPOT_CLIENT_ID: o.apps?.hubspot?.clientId,
    HUBSPOT_CLIENT_SECRET: o.apps?.hubspot?.clientSecret,
    SALESFORCE_CLIENT_ID: o.apps?.salesforce?.clientId,
    SALESFORCE_CLIENT_SECRET: o.apps?.salesforce?.clientSecret,
    SALESFORCE_JWT_PRIVATE_KEY: o.apps?.salesforceJwt?.privateKey,
  } satisfies Partial<Env>;
  const metrics = new RevloopMetrics({ defaults: false });
  const registry = new StoredConnectionRegistry(redis, connections, settings, logger, apiCallObserver({ redis, root: o.root, metrics, logger }));
  const syncQueue = createQueue(QUEUES.sync, bull, o.root);
  const listenQueue = createQueue(QUEUES.listen, bull, o.root);
  const windowMs = o.windowMs ?? 250;
  const sweepEveryMs = o.sweepEveryMs ?? 15 * 60_000;
  const composed = composeServer({
    redis,
    bull,
    root: o.root,
    box,
    encryptionKey,
    logger,
    settings,
    adminToken: o.adminToken,
    readonlyToken: o.readonlyToken,
    apps: o.apps ?? {},
    windowMs,
    sweepEveryMs,
    metrics,
    registry,
    // Loopback only (the demo, tests, benchmarks): limits stay off unless asked for.
    rateLimits: o.rateLimits ?? { enabled: false },
    ...(o.trustProxy !== undefined ? { trustProxy: o.trustProxy } : {}),
  });
  const app = createApp(composed.deps);
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(o.port ?? 0, o.host ?? '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
  // Tracks the server's sockets from the start, so stopping lets the requests in hand finish.
  const terminator = createHttpTerminator({ server, gracefulTerminationTimeout: 5_000 });
  const address = server.address();
  const serverUrl = `http://${o.host ?? '127.0.0.1'}:${typeof address === 'object' && address ? address.port : 0}`;
  const workers: Worker[] = createWorkers({ connection: bull, root: o.root, registry, syncQueue, listenQueue, logger, windowMs, concurrency: o.concurrency ?? 8, sweepEveryMs });
  observeWorkers(workers, { redis, root: o.root, metrics, logger });
  const ctx = await registry.get(connectionId);
  await ensureHubSpotSchema(ctx.hubspotApi, ctx.mappings, (missing) => picklistsFor(ctx.salesforceApi, ctx.mappings, missing));
  await ensureConnectionJobs([connectionId], { listenQueue, syncQueue, sweepEveryMs });
  return {
    serverUrl,
    webhookUrl: `${serverUrl}/webhooks/hubspot`,
    redis,
    keys: new Keyspace(connectionId, o.root),
    ctx,
    syncQueue,
    listenQueue,
    connections,
    backfillQueue: composed.queues.backfill,
    accessTokens: composed.accessTokens,
    metrics,
    installer: composed.installer,
    webhooks: composed.webhooks,
    async stop() {
      // The server stops taking requests and finishes those in hand (as `revloop server` does), then the
      // jobs in hand finish (a few seconds at most): nothing is cut off mid-write, nothing meets a closed Redis.
      await terminator.terminate();
      const graceful = Promise.all(workers.map((w) => w.close()));
      await Promise.race([graceful, new Promise((r) => setTimeout(r, 5_000).unref())]);
      await Promise.all(workers.map((w) => w.close(true)));
      await syncQueue.close();
      await listenQueue.close();
      await composed.close();
      bull.disconnect();
      redis.disconnect();
    },
  };
}
