/**
 * Builds the server's dependencies from plain settings: the stores, the queues, the connection
 * registry (API calls observed for the metrics), the webhook receiver, the installer and the
 * metrics. `revloop server`/`start` and the local stack (demo, tests) compose the server the same way.
 */
import { createHmac } from 'node:crypto';
import type { Redis } from 'ioredis';
import { Installer } from '../admin/install/installer.js';
import type { AdminQueues } from '../admin/admin-deps.js';
import { readMetricsSnapshot } from '../admin/status/metrics-snapshot.js';
import { HubSpotWebhookReceiver } from '../capture/hubspot/webhook-receiver.js';
import type { Logger } from '../platform/logger.js';
import { RevloopMetrics } from '../platform/metrics.js';
import { buildReport } from '../reports/index.js';
import type { SecretBox } from '../platform/secret-box.js';
import { AccessTokenStore } from '../state/access-tokens.js';
import { ConnectionStore } from '../state/connection-store.js';
import { InstallDrafts, InstallSessions } from '../state/install-sessions.js';
import { StoredConnectionRegistry, type RegistrySettings } from '../worker/connections/stored-registry.js';
import { apiCallObserver } from '../worker/observe/activity.js';
import { createQueue, QUEUES } from '../worker/queues.js';
import type { AppDeps } from './app.js';
import type { OAuthApps, ReportBuilder } from './server-deps.js';

export interface ComposeOptions {
  redis: Redis;
  /** The connection BullMQ queues use. */
  bull: Redis;
  root: string;
  box: SecretBox;
  encryptionKey: Buffer;
  logger: Logger;
  settings: RegistrySettings;
  publicUrl?: string | undefined;
  adminToken?: string | undefined;
  readonlyToken?: string | undefined;
  apps: OAuthApps;
  /** The OAuth app's webhook secret and id (HubSpot). */
  hubspotAppSecret?: string | undefined;
  hubspotAppId?: number | undefined;
  windowMs: number;
  sweepEveryMs: number;
  rateLimits?: { enabled: boolean; perMinute?: number };
  trustProxy?: number | string[] | undefined;
  /** Shared with the worker when both run in one process. */
  metrics?: RevloopMetrics;
  /** Shared with the worker when both run in one process. */
  registry?: StoredConnectionRegistry;
  /** The KPI reports (default: the reports module on each connection's context). */
  reports?: (registry: StoredConnectionRegistry) => ReportBuilder;
}

export interface ComposedServer {
  deps: AppDeps;
  queues: AdminQueues;
  registry: StoredConnectionRegistry;
  connections: ConnectionStore;
  webhooks: HubSpotWebhookReceiver;
  metrics: RevloopMetrics;
  accessTokens: AccessTokenStore;
  installer: Installer;
  close(): Promise<void>;
}

export function composeServer(o: ComposeOptions): ComposedServer {
  const connections = new ConnectionStore(o.redis, o.box, o.root);
  const metrics = o.metrics ?? new RevloopMetrics();
  const registry = o.registry ?? new StoredConnectionRegistry(o.redis, connections, o.settings, o.logger, apiCallObserver({ redis: o.redis, root: o.root, metrics, logger: o.logger }));
  const queues: AdminQueues = { sync: createQueue(QUEUES.sync, o.bull, o.root), backfill: createQueue(QUEUES.backfill, o.bull, o.root), listen: createQueue(QUEUES.listen, o.bull, o.root) };
  const webhooks = new HubSpotWebhookReceiver({ redis: o.redis, connections, syncQueue: queues.sync, root: o.root, appSecret: o.hubspotAppSecret, appId: o.hubspotAppId, windowMs: o.windowMs, logger: o.logger });
  const accessTokens = new AccessTokenStore(o.redis, o.root);
  const adminDeps = { redis: o.redis, root: o.root, connections, registry, queues, logger: o.logger };
  const installer = new Installer({ ...adminDeps, drafts: new InstallDrafts(o.redis, o.box, o.root), sweepEveryMs: o.sweepEveryMs, onChanged: () => webhooks.refresh() });
  metrics.useSnapshot(() => readMetricsSnapshot(adminDeps));
  const deps: AppDeps = {
    redis: o.redis,
    webhooks,
    publicUrl: o.publicUrl,
    logger: o.logger,
    trustProxy: o.trustProxy,
    admin: {
      root: o.root,
      connections,
      registry,
      queues,
      adminToken: o.adminToken,
      readonlyToken: o.readonlyToken,
      accessTokens,
      installs: new InstallSessions(o.redis, o.box, o.root),
      installer,
      apps: o.apps,
      box: o.box,
      csrfSecret: createHmac('sha256', o.encryptionKey).update('revloop csrf tokens').digest('base64url'),
      metrics,
      defaultMappingsDir: o.settings.REVLOOP_MAPPINGS_DIR,
      ...(o.rateLimits ? { rateLimits: o.rateLimits } : {}),
      reports: o.reports?.(registry) ?? (async (id, kind, range) => buildReport(await registry.get(id), kind, range)),
    },
  };
  return {
    deps,
    queues,
    registry,
    connections,
    webhooks,
    metrics,
    accessTokens,
    installer,
    async close() {
      await Promise.all(Object.values(queues).map((q) => q.close()));
    },
  };
}
