/**
 * The worker role as a process: connects to Redis, builds the connection registry and runs the
 * BullMQ workers until SIGTERM/SIGINT, then finishes the jobs in hand and exits.
 */
import type { Env } from '../config/env.js';
import { createLogger, type Logger } from '../platform/logger.js';
import type { RevloopMetrics } from '../platform/metrics.js';
import { createBullConnection, createRedis } from '../platform/redis.js';
import { SecretBox } from '../platform/secret-box.js';
import { ConnectionStore } from '../state/connection-store.js';
import { StoredConnectionRegistry } from './connections/stored-registry.js';
import { createWorkers } from './create-workers.js';
import { ensureConnectionJobs, scheduleEnsure } from './connection-jobs.js';
import { registerEnvConnection } from './env-connection.js';
import { apiCallObserver, observeWorkers } from './observe/activity.js';
import { createQueue, QUEUES } from './queues.js';

export interface RunningWorker {
  stop(): Promise<void>;
  registry: StoredConnectionRegistry;
}

export async function startWorker(
  env: Env,
  logger: Logger = createLogger({ level: env.LOG_LEVEL, pretty: env.LOG_PRETTY, personalData: env.REVLOOP_LOG_PERSONAL_DATA, name: 'revloop-worker' }),
  /** This process's histograms (shared with the server in `revloop start`). */
  metrics?: RevloopMetrics,
): Promise<RunningWorker> {
  const onError = (err: Error): void => logger.warn({ err }, 'Redis connection lost; reconnecting');
  const redis = createRedis(env.REDIS_URL, { name: 'revloop:worker', onError });
  const bull = createBullConnection(env.REDIS_URL, 'revloop:worker:bull', onError);
  const box = new SecretBox(env.REVLOOP_ENCRYPTION_KEY as Buffer, env.REVLOOP_ENCRYPTION_PREVIOUS_KEYS ?? []);
  const store = new ConnectionStore(redis, box, env.REVLOOP_REDIS_ROOT);
  await registerEnvConnection(store, env);
  const registry = new StoredConnectionRegistry(redis, store, env, logger, apiCallObserver({ redis, root: env.REVLOOP_REDIS_ROOT, metrics, logger }));
  const syncQueue = createQueue(QUEUES.sync, bull, env.REVLOOP_REDIS_ROOT);
  const listenQueue = createQueue(QUEUES.listen, bull, env.REVLOOP_REDIS_ROOT);
  const sweepEveryMs = env.REVLOOP_SWEEP_INTERVAL_MINUTES * 60_000;
  const workers = createWorkers({
    connection: bull,
    root: env.REVLOOP_REDIS_ROOT,
    registry,
    syncQueue,
    listenQueue,
    sweepEveryMs,
    logger,
    concurrency: env.REVLOOP_WORKER_CONCURRENCY,
    windowMs: env.REVLOOP_BATCH_WINDOW_MS,
    notifyUrl: env.REVLOOP_NOTIFY_URL,
    digestUrl: env.REVLOOP_DIGEST_WEBHOOK_URL,
    publicUrl: env.REVLOOP_PUBLIC_URL,
  });
  observeWorkers(workers, { redis, root: env.REVLOOP_REDIS_ROOT, metrics, logger });
  await ensureConnectionJobs(await registry.ids(), { listenQueue, syncQueue, sweepEveryMs });
  await scheduleEnsure(syncQueue);
  logger.info({ queues: workers.map((w) => w.name), concurrency: env.REVLOOP_WORKER_CONCURRENCY }, 'worker started');
  let stopping: Promise<void> | undefined;
  return {
    registry,
    stop: () =>
      (stopping ??= (async () => {
        logger.info('worker stopping: finishing the jobs in hand');
        await Promise.all(workers.map((w) => w.close()));
        await syncQueue.close();
        await listenQueue.close();
        bull.disconnect();
        redis.disconnect();
      })()),
  };
}

/** Runs until a termination signal. */
export async function runWorkerProcess(env: Env): Promise<void> {
  const worker = await startWorker(env);
  await new Promise<void>((resolve) => {
    const stop = () => void worker.stop().then(resolve);
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}
