/**
 * Watches the work of a process: every API call and every finished job is counted per connection in
 * Redis (ActivityStats, shared by all processes) and timed in this process's histograms.
 */
import type { Job, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../../platform/logger.js';
import type { RevloopMetrics } from '../../platform/metrics.js';
import { Keyspace } from '../../platform/redis.js';
import { ActivityStats } from '../../state/activity-stats.js';
import type { ApiCallObserver } from '../connections/stored-registry.js';

export interface ObserveDeps {
  redis: Redis;
  root: string;
  metrics?: RevloopMetrics | undefined;
  logger: Logger;
}

export function apiCallObserver(deps: ObserveDeps): ApiCallObserver {
  return (connectionId) => {
    const stats = new ActivityStats(deps.redis, new Keyspace(connectionId, deps.root));
    const record = (system: 'hubspot' | 'salesforce', ok: boolean, ms: number) => {
      deps.metrics?.apiLatency.observe({ system, outcome: ok ? 'ok' : 'error' }, ms / 1000);
      stats.add({ [`api:${system}:${ok ? 'ok' : 'error'}`]: 1 }).catch((err: unknown) => deps.logger.debug({ err }, 'activity counter not written'));
    };
    return {
      hubspot: (e) => record('hubspot', e.ok, e.ms),
      salesforce: (e) => record('salesforce', e.ok, e.ms),
    };
  };
}

interface BatchResultShape {
  createdInHubSpot?: number;
  createdInSalesforce?: number;
  updatedHubSpot?: number;
  updatedSalesforce?: number;
  parked?: number;
  lagMs?: number;
}

function connectionOf(job: Job | undefined): string | undefined {
  const id = (job?.data as { connectionId?: unknown } | undefined)?.connectionId;
  return typeof id === 'string' ? id : undefined;
}

/** Counts and times the jobs the workers finish. */
export function observeWorkers(workers: readonly Worker[], deps: ObserveDeps): void {
  for (const worker of workers) {
    const seconds = (job: Job) => (job.finishedOn && job.processedOn ? (job.finishedOn - job.processedOn) / 1000 : 0);
    worker.on('completed', (job, result: unknown) => {
      deps.metrics?.jobDuration.observe({ queue: worker.name, name: job.name, outcome: 'completed' }, seconds(job));
      const connection = connectionOf(job);
      if (!connection) return;
      const stats = new ActivityStats(deps.redis, new Keyspace(connection, deps.root));
      const raw = (typeof result === 'object' && result !== null ? result : {}) as BatchResultShape & { outcome?: BatchResultShape };
      // A batch returns its outcome; a backfill returns its progress with the outcome inside.
      const r: BatchResultShape = { ...(raw.outcome ?? raw), ...(raw.lagMs !== undefined ? { lagMs: raw.lagMs } : {}) };
      const written = (r.createdInHubSpot ?? 0) + (r.createdInSalesforce ?? 0) + (r.updatedHubSpot ?? 0) + (r.updatedSalesforce ?? 0);
      const work = async () => {
        await stats.add({ [`jobs:${job.name}:completed`]: 1, 'records:written': written, 'records:parked': r.parked ?? 0 });
        if (job.name === 'batch' && typeof r.lagMs === 'number') {
          deps.metrics?.syncLag.observe({ connection }, r.lagMs / 1000);
          await stats.recordLag(r.lagMs);
        }
      };
      work().catch((err: unknown) => deps.logger.debug({ err }, 'activity counter not written'));
    });
    worker.on('failed', (job) => {
      if (!job) return;
      deps.metrics?.jobDuration.observe({ queue: worker.name, name: job.name, outcome: 'failed' }, seconds(job));
      const connection = connectionOf(job);
      if (!connection) return;
      new ActivityStats(deps.redis, new Keyspace(connection, deps.root)).add({ [`jobs:${job.name}:failed`]: 1 }).catch((err: unknown) => deps.logger.debug({ err }, 'activity counter not written'));
    });
  }
}
