/** `revloop start`: the server and a worker in one process, stopped together on SIGTERM/SIGINT. */
import type { Env } from '../config/env.js';
import { createLogger } from '../platform/logger.js';
import { RevloopMetrics } from '../platform/metrics.js';
import { startServer } from '../server/main.js';
import { startWorker } from '../worker/main.js';

export async function runStartProcess(env: Env): Promise<void> {
  const logger = createLogger({ level: env.LOG_LEVEL, pretty: env.LOG_PRETTY, personalData: env.REVLOOP_LOG_PERSONAL_DATA });
  // One process: the server's /metrics shows the worker's histograms, and both share the connections' contexts.
  const metrics = new RevloopMetrics();
  const worker = await startWorker(env, logger.child({ role: 'worker' }), metrics);
  const server = await startServer(env, logger.child({ role: 'server' }), { metrics, registry: worker.registry });
  await new Promise<void>((resolve) => {
    const stop = () => void Promise.all([server.stop(), worker.stop()]).then(() => resolve());
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}
