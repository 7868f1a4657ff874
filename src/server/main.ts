/**
 * The server role as a process: HTTP on HOST:PORT (webhooks, install flows, admin API, dashboard,
 * metrics, queue board, health), with graceful shutdown on SIGTERM/SIGINT.
 */
import type { Server } from 'node:http';
import { createHttpTerminator } from 'http-terminator';
import type { HubSpotWebhookReceiver } from '../capture/hubspot/webhook-receiver.js';
import type { Env } from '../config/env.js';
import { createLogger, type Logger } from '../platform/logger.js';
import type { RevloopMetrics } from '../platform/metrics.js';
import { createBullConnection, createRedis } from '../platform/redis.js';
import { SecretBox } from '../platform/secret-box.js';
import type { StoredConnectionRegistry } from '../worker/connections/stored-registry.js';
import { createApp } from './app.js';
import { composeServer, type ComposedServer } from './compose.js';
import type { OAuthApps } from './server-deps.js';

export interface RunningServer {
  url: string;
  port: number;
  server: Server;
  webhooks: HubSpotWebhookReceiver;
  composed: ComposedServer;
  stop(): Promise<void>;
}

/** The OAuth apps and server-to-server keys the environment configures. */
export function appsFromEnv(env: Env): OAuthApps {
  return {
    hubspot: env.HUBSPOT_CLIENT_ID && env.HUBSPOT_CLIENT_SECRET
      ? { clientId: env.HUBSPOT_CLIENT_ID, clientSecret: env.HUBSPOT_CLIENT_SECRET, appId: env.HUBSPOT_APP_ID, baseUrl: env.HUBSPOT_BASE_URL, authorizeUrl: env.HUBSPOT_AUTHORIZE_URL }
      : undefined,
    salesforce: env.SALESFORCE_CLIENT_ID ? { clientId: env.SALESFORCE_CLIENT_ID, clientSecret: env.SALESFORCE_CLIENT_SECRET, loginUrl: env.SALESFORCE_LOGIN_URL, version: env.SALESFORCE_API_VERSION } : undefined,
    salesforceJwt: env.SALESFORCE_CLIENT_ID && env.SALESFORCE_JWT_PRIVATE_KEY ? { clientId: env.SALESFORCE_CLIENT_ID, privateKey: env.SALESFORCE_JWT_PRIVATE_KEY, loginUrl: env.SALESFORCE_LOGIN_URL, version: env.SALESFORCE_API_VERSION } : undefined,
  };
}

export interface SharedParts {
  metrics?: RevloopMetrics;
  registry?: StoredConnectionRegistry;
}

export async function startServer(
  env: Env,
  logger: Logger = createLogger({ level: env.LOG_LEVEL, pretty: env.LOG_PRETTY, personalData: env.REVLOOP_LOG_PERSONAL_DATA, name: 'revloop-server' }),
  shared: SharedParts = {},
): Promise<RunningServer> {
  const onError = (err: Error): void => logger.warn({ err }, 'Redis connection lost; reconnecting');
  const redis = createRedis(env.REDIS_URL, { name: 'revloop:server', onError });
  const bull = createBullConnection(env.REDIS_URL, 'revloop:server:bull', onError);
  const key = env.REVLOOP_ENCRYPTION_KEY as Buffer;
  const composed = composeServer({
    redis,
    bull,
    root: env.REVLOOP_REDIS_ROOT,
    box: new SecretBox(key, env.REVLOOP_ENCRYPTION_PREVIOUS_KEYS ?? []),
    encryptionKey: key,
    logger,
    settings: env,
    publicUrl: env.REVLOOP_PUBLIC_URL,
    trustProxy: env.REVLOOP_TRUST_PROXY,
    adminToken: env.REVLOOP_ADMIN_TOKEN,
    readonlyToken: env.REVLOOP_READONLY_TOKEN,
    apps: appsFromEnv(env),
    hubspotAppSecret: env.HUBSPOT_CLIENT_SECRET,
    hubspotAppId: env.HUBSPOT_APP_ID,
    windowMs: env.REVLOOP_BATCH_WINDOW_MS,
    sweepEveryMs: env.REVLOOP_SWEEP_INTERVAL_MINUTES * 60_000,
    ...(shared.metrics ? { metrics: shared.metrics } : {}),
    ...(shared.registry ? { registry: shared.registry } : {}),
  });
  const app = createApp(composed.deps);
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(env.PORT, env.HOST, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : env.PORT;
  const url = env.REVLOOP_PUBLIC_URL ?? `http://${env.HOST === '0.0.0.0' ? '127.0.0.1' : env.HOST}:${port}`;
  const terminator = createHttpTerminator({ server, gracefulTerminationTimeout: 5_000 });
  logger.info({ url }, 'server listening');
  let stopping: Promise<void> | undefined;
  return {
    url,
    port,
    server,
    webhooks: composed.webhooks,
    composed,
    stop: () =>
      (stopping ??= (async () => {
        await terminator.terminate();
        await composed.close();
        bull.disconnect();
        redis.disconnect();
      })()),
  };
}

export async function runServerProcess(env: Env): Promise<void> {
  const server = await startServer(env);
  await new Promise<void>((resolve) => {
    const stop = () => void server.stop().then(resolve);
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}
