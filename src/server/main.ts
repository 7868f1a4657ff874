/**
 * The server role as a process: HTTP on HOST:PORT (webhooks, health, and, as they land, the install
 * flows, admin API and dashboard), with graceful shutdown on SIGTERM/SIGINT.
 */
import type { Server } from 'node:http';
import { createHttpTerminator } from 'http-terminator';
import { HubSpotWebhookReceiver } from '../capture/hubspot/webhook-receiver.js';
import type { Env } from '../config/env.js';
import { createLogger, type Logger } from '../platform/logger.js';
import { createBullConnection, createRedis } from '../platform/redis.js';
import { SecretBox } from '../platform/secret-box.js';
import { ConnectionStore } from '../state/connection-store.js';
import { createQueue, QUEUES } from '../worker/queues.js';
import { createApp } from './app.js';

export interface RunningServer {
  url: string;
  port: number;
  server: Server;
  webhooks: HubSpotWebhookReceiver;
  stop(): Promise<void>;
}

export async function startServer(env: Env, logger: Logger = createLogger({ level: env.LOG_LEVEL, pretty: env.LOG_PRETTY, personalData: env.REVLOOP_LOG_PERSONAL_DATA, name: 'revloop-server' })): Promise<RunningServer> {
  const redis = createRedis(env.REDIS_URL, { name: 'revloop:server' });
  const bull = createBullConnection(env.REDIS_URL, 'revloop:server:bull');
  const box = new SecretBox(env.REVLOOP_ENCRYPTION_KEY as Buffer, env.REVLOOP_ENCRYPTION_PREVIOUS_KEYS ?? []);
  const connections = new ConnectionStore(redis, box, env.REVLOOP_REDIS_ROOT);
  const syncQueue = createQueue(QUEUES.sync, bull, env.REVLOOP_REDIS_ROOT);
  const webhooks = new HubSpotWebhookReceiver({
    redis,
    connections,
    syncQueue,
    root: env.REVLOOP_REDIS_ROOT,
    appSecret: env.HUBSPOT_CLIENT_SECRET,
    appId: env.HUBSPOT_APP_ID,
    windowMs: env.REVLOOP_BATCH_WINDOW_MS,
    logger,
  });
  const app = createApp({ redis, webhooks, publicUrl: env.REVLOOP_PUBLIC_URL, logger });
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
    webhooks,
    stop: () =>
      (stopping ??= (async () => {
        await terminator.terminate();
        await syncQueue.close();
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
