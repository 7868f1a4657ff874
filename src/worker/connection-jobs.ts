/**
 * The standing jobs of every connection: its Salesforce change listener (one long-running job, id
 * `listen-<connection>`, so only one runs), its reconciliation sweep, SLA check and weekly digest (BullMQ
 * job schedulers).
 * Ensured when a worker starts and every minute after, so a newly installed connection is picked up.
 */
import type { Queue } from 'bullmq';
import { JOBS } from './queues.js';

/** How often due SLA timers are looked at (the SLA is counted in hours; a minute is precise enough). */
export const SLA_EVERY_MS = 60_000;

/** When the weekly digest goes out (cron, UTC). */
export const DIGEST_PATTERN = '0 8 * * 1';

export interface ConnectionJobOptions {
  listenQueue: Queue;
  syncQueue: Queue;
  sweepEveryMs: number;
}

export async function ensureConnectionJobs(connectionIds: readonly string[], options: ConnectionJobOptions): Promise<void> {
  for (const connectionId of connectionIds) {
    const jobId = `listen-${connectionId}`;
    const existing = await options.listenQueue.getJob(jobId);
    const state = existing ? await existing.getState() : undefined;
    if (existing && (state === 'failed' || state === 'completed')) await existing.remove();
    if (!existing || state === 'failed' || state === 'completed') {
      await options.listenQueue.add(JOBS.listen, { connectionId }, { jobId, attempts: 1_000_000, backoff: { type: 'fixed', delay: 2000 }, removeOnComplete: true, removeOnFail: true });
    }
    await options.syncQueue.upsertJobScheduler(`sweep-${connectionId}`, { every: options.sweepEveryMs }, { name: JOBS.sweep, data: { connectionId }, opts: { removeOnComplete: true, removeOnFail: 100 } });
    await options.syncQueue.upsertJobScheduler(`sla-${connectionId}`, { every: SLA_EVERY_MS }, { name: JOBS.sla, data: { connectionId }, opts: { removeOnComplete: true, removeOnFail: 100 } });
    // The weekly digest: Mondays at 08:00 UTC, for the week that just ended.
    await options.syncQueue.upsertJobScheduler(`digest-${connectionId}`, { pattern: DIGEST_PATTERN, tz: 'UTC' }, { name: JOBS.digest, data: { connectionId }, opts: { removeOnComplete: true, removeOnFail: 100 } });
  }
}

/** The schedulers of a removed connection (its listener ends by itself: its connection is gone). */
export async function removeConnectionJobs(connectionId: string, syncQueue: Queue): Promise<void> {
  for (const name of ['sweep', 'sla', 'digest']) await syncQueue.removeJobScheduler(`${name}-${connectionId}`);
}

/** A scheduler that re-runs the ensure every minute (new connections, listeners lost for good). */
export async function scheduleEnsure(syncQueue: Queue): Promise<void> {
  await syncQueue.upsertJobScheduler('ensure-connection-jobs', { every: 60_000 }, { name: JOBS.ensureConnectionJobs, data: {}, opts: { removeOnComplete: true, removeOnFail: 10 } });
}
