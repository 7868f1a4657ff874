/**
 * The worker role: BullMQ workers for sync, backfill and change listening. A job's failure is handled
 * by what its error means: retryable errors go back with exponential backoff; a rate limit delays
 * just that job by the wait the provider gave; a paused connection delays it until the pause ends;
 * an unrecoverable error (bad input, daily limit) is not retried.
 *
 * Each connection's Salesforce change listener is one long-running job (`listen-<connection>`):
 * BullMQ makes sure exactly one worker runs it, and moves it to another worker when one dies.
 */
import { DelayedError, UnrecoverableError, Worker, type ConnectionOptions, type Job, type Queue } from 'bullmq';
import { listenForChanges } from '../capture/salesforce/change-listener.js';
import { sweep } from '../capture/sweep.js';
import { isRevloopError, toRevloopError, type RevloopError } from '../platform/errors.js';
import type { Logger } from '../platform/logger.js';
import { queuePrefix } from '../platform/redis.js';
import { backfill } from './backfill/run-backfill.js';
import { applyHubSpotEvent, applySalesforceDeletes } from './events/record-events.js';
import { backfillJobSchema, batchJobSchema, flushJobSchema, hubspotEventJobSchema, JOBS, listenJobSchema, QUEUES, salesforceDeleteJobSchema, dealsJobSchema, digestJobSchema, opportunityChangesJobSchema, slaJobSchema, sweepJobSchema } from './queues.js';
import { processDueSla } from './sla/process-sla.js';
import { sendDigest } from '../reports/digest.js';
import { flushDeals } from './outcomes/deal-mirror.js';
import { flushOpportunityChanges } from './outcomes/opportunity-changes.js';
import { ensureConnectionJobs } from './connection-jobs.js';
import { flush, signal } from './signals.js';
import { parkFailedBatch } from './sync/park-failed-batch.js';
import { syncBatch } from './sync/sync-batch.js';
import type { SyncContext } from './sync/sync-context.js';

export interface ConnectionRegistry {
  /** The sync context of a connection; throws NOT_FOUND for an unknown id. */
  get(connectionId: string): Promise<SyncContext>;
  /** Every connection id. */
  ids(): Promise<string[]>;
}

export interface WorkerOptions {
  connection: ConnectionOptions;
  root?: string;
  registry: ConnectionRegistry;
  syncQueue: Queue;
  logger: Logger;
  concurrency?: number;
  /** How long change signals are gathered into one batch (ms). */
  windowMs?: number;
  /** Run the Salesforce change listeners here (off for workers that should only sync). */
  listen?: boolean;
  listenQueue?: Queue;
  sweepEveryMs?: number;
  /** Where SLA breach notices are POSTed (REVLOOP_NOTIFY_URL). */
  notifyUrl?: string | undefined;
  /** Where the weekly digest is POSTed (REVLOOP_DIGEST_WEBHOOK_URL), and the dashboard it links to. */
  digestUrl?: string | undefined;
  publicUrl?: string | undefined;
}

const PAUSE_POLL_MS = 60_000;

/** Maps an error to what BullMQ should do with the job. */
/** How long a backfill waits after an API failure that outlasted the call's own retries. */
const BACKFILL_OUTAGE_WAIT_MS = 5_000;

/** A failure `settle` waits out (the job is delayed, not failed): a rate limit, a paused connection, a daily limit that pauses it. */
function waitedOut(error: RevloopError): boolean {
  return error.code === 'CONNECTION_PAUSED' || error.code === 'DAILY_LIMIT_REACHED' || error.recovery === 'rate-limited';
}

/** Whether `settle` ends this failure for good: unrecoverable, or a retryable error on the job's last attempt (not one it waits out). */
function failsForGood(job: Job, error: RevloopError): boolean {
  if (waitedOut(error)) return false;
  return error.recovery === 'unrecoverable' || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}

/**
 * How a failed job ends: delayed (rate limits, a paused connection, and API outages when `outageWaitMs`
 * is given), failed for good, or failed to be retried by BullMQ.
 */
async function settle(job: Job, token: string | undefined, err: unknown, logger: Logger, outageWaitMs?: number): Promise<never> {
  if (err instanceof UnrecoverableError || err instanceof DelayedError) throw err;
  if (!isRevloopError(err) && err instanceof Error && err.name === 'ZodError') throw new UnrecoverableError(`invalid job data: ${err.message}`);
  const error = toRevloopError(err);
  if (outageWaitMs !== undefined && (error.code === 'UPSTREAM_UNAVAILABLE' || error.code === 'UPSTREAM_TIMEOUT')) {
    await job.moveToDelayed(Date.now() + outageWaitMs, token);
    logger.warn({ job: job.name, jobId: job.id, code: error.code, err: error }, 'job waits out an API failure; it resumes where it was');
    throw new DelayedError();
  }
  // A daily limit has just paused the connection (see pauseOnDailyLimit): the job waits for the pause
  // to end like any job of a paused connection, so its records are synced then, not dropped.
  if (waitedOut(error)) {
    const wait = error.code === 'DAILY_LIMIT_REACHED' ? PAUSE_POLL_MS : (error.waitMs ?? (error.code === 'CONNECTION_PAUSED' ? PAUSE_POLL_MS : 1000));
    await job.moveToDelayed(Date.now() + wait, token);
    logger.info({ job: job.name, jobId: job.id, waitMs: wait, reason: error.message }, 'job delayed');
    throw new DelayedError();
  }
  if (error.recovery === 'unrecoverable') {
    logger.error({ job: job.name, jobId: job.id, code: error.code, err: error }, 'job failed for good');
    throw new UnrecoverableError(`${error.code}: ${error.message}`);
  }
  logger.warn({ job: job.name, jobId: job.id, attempt: job.attemptsMade + 1, code: error.code, err: error }, 'job failed; it will be retried');
  throw error;
}

export function createWorkers(options: WorkerOptions): Worker[] {
  const { registry, syncQueue, logger } = options;
  const prefix = queuePrefix(options.root);
  const windowMs = options.windowMs ?? 250;

  const sync = new Worker(
    QUEUES.sync,
    async (job, token) => {
      try {
        switch (job.name) {
          case JOBS.flush: {
            const data = flushJobSchema.parse(job.data);
            const ctx = await registry.get(data.connectionId);
            return { batches: await flush(ctx.redis, syncQueue, ctx.keys, data.pair, windowMs) };
          }
          case JOBS.batch: {
            const data = batchJobSchema.parse(job.data);
            const ctx = await registry.get(data.connectionId);
            try {
              const { outcome, converted } = await syncBatch(ctx, { pair: data.pair, hubspotIds: data.hubspotIds, salesforceIds: data.salesforceIds, priority: data.priority });
              if (converted.length > 0) await signal(ctx.redis, syncQueue, ctx.keys, data.pair, 'hubspot', converted, { windowMs }, ctx.now());
              return { ...outcome, lagMs: data.seenAt !== undefined ? Date.now() - data.seenAt : undefined };
            } catch (err) {
              const error = toRevloopError(err);
              if (failsForGood(job, error)) {
                const parked = await parkFailedBatch(ctx, data, error, job.attemptsMade + 1);
                logger.error({ job: job.name, jobId: job.id, connection: data.connectionId, code: error.code, parked }, 'sync batch failed for good; its records are parked');
              }
              throw err;
            }
          }
          case JOBS.hubspotEvent: {
            const data = hubspotEventJobSchema.parse(job.data);
            await applyHubSpotEvent(await registry.get(data.connectionId), syncQueue, data, windowMs);
            return { done: data.event.kind };
          }
          case JOBS.salesforceDelete: {
            const data = salesforceDeleteJobSchema.parse(job.data);
            await applySalesforceDeletes(await registry.get(data.connectionId), syncQueue, data.object, data.ids, windowMs);
            return { done: data.ids.length };
          }
          case JOBS.sweep: {
            const data = sweepJobSchema.parse(job.data);
            return await sweep(await registry.get(data.connectionId), syncQueue, windowMs);
          }
          case JOBS.sla: {
            const data = slaJobSchema.parse(job.data);
            return await processDueSla(await registry.get(data.connectionId), { queue: syncQueue, windowMs, notifyUrl: options.notifyUrl });
          }
          case JOBS.opportunityChanges: {
            const data = opportunityChangesJobSchema.parse(job.data);
            return await flushOpportunityChanges(await registry.get(data.connectionId), syncQueue, windowMs);
          }
          case JOBS.deals: {
            const data = dealsJobSchema.parse(job.data);
            return await flushDeals(await registry.get(data.connectionId), syncQueue, windowMs);
          }
          case JOBS.digest: {
            const data = digestJobSchema.parse(job.data);
            const digest = await sendDigest(await registry.get(data.connectionId), { webhookUrl: options.digestUrl, dashboardUrl: options.publicUrl });
            return { subject: digest.subject, delivered: digest.delivered };
          }
          case JOBS.ensureConnectionJobs: {
            if (!options.listenQueue) return { skipped: true };
            const ids = await registry.ids();
            await ensureConnectionJobs(ids, { listenQueue: options.listenQueue, syncQueue, sweepEveryMs: options.sweepEveryMs ?? 15 * 60_000 });
            return { connections: ids.length };
          }
          default:
            throw new UnrecoverableError(`unknown job ${job.name}`);
        }
      } catch (err) {
        return settle(job, token, err, logger);
      }
    },
    // Sync jobs are idempotent: a job whose worker died is run again however often that happens (BullMQ's
    // default fails it for good at the second stall, and its changes with it), and is found within seconds.
    { connection: options.connection, prefix, concurrency: options.concurrency ?? 8, lockDuration: 10_000, stalledInterval: 5_000, maxStalledCount: 1000 },
  );

  const backfills = new Worker(
    QUEUES.backfill,
    async (job, token) => {
      try {
        const data = backfillJobSchema.parse(job.data);
        const ctx = await registry.get(data.connectionId);
        return await backfill(ctx, {
          pair: data.pair,
          ...(data.since !== undefined ? { since: data.since } : {}),
          ...(data.fields ? { fields: data.fields } : {}),
          // Best effort: a job removed meanwhile (its queue cleaned) has no progress to keep.
          onProgress: (p) => void job.updateProgress({ phase: p.phase, processed: p.processed, outcome: p.outcome }).catch(() => undefined),
        });
      } catch (err) {
        // An API failing even after the call's own retries: the backfill resumes from its checkpoint a few
        // seconds later, without spending one of its attempts (a long backfill meets many such failures,
        // and an outage must not end it for good).
        return settle(job, token, err, logger, BACKFILL_OUTAGE_WAIT_MS);
      }
    },
    // A backfill runs for long: a short lock (renewed every 4 s) and a stalled check every 2 s let another worker
    // take it over within about ten seconds if this one dies.
    { connection: options.connection, prefix, concurrency: 1, lockDuration: 8_000, stalledInterval: 2_000, maxStalledCount: 1000 },
  );

  const workers = [sync, backfills];
  if (options.listen !== false) {
    const stopping = new AbortController();
    const listeners = new Worker(
      QUEUES.listen,
      async (job, token) => {
        try {
          const data = listenJobSchema.parse(job.data);
          const ctx = await registry.get(data.connectionId);
          const stats = await listenForChanges(ctx, { queue: syncQueue, windowMs, signal: stopping.signal, onEvent: (s) => void job.updateProgress({ ...s }).catch(() => undefined) });
          // Stopped because this worker is closing: hand the listener to another worker.
          await job.moveToDelayed(Date.now() + 500, token);
          logger.info({ connection: data.connectionId, stats }, 'change listener handed over');
          throw new DelayedError();
        } catch (err) {
          return settle(job, token, err, logger);
        }
      },
      // A short lock and a frequent stalled check: a listener whose worker died is taken over within about ten
      // seconds (changes are not missed meanwhile, it resumes at its replay id, but they reach revloop late).
      { connection: options.connection, prefix, concurrency: 1000, lockDuration: 8_000, stalledInterval: 2_000, maxStalledCount: 1_000_000 },
    );
    const close = listeners.close.bind(listeners);
    listeners.close = async (force?: boolean) => {
      stopping.abort();
      return close(force);
    };
    workers.push(listeners);
  }
  for (const w of workers) w.on('error', (err) => logger.error({ err, queue: w.name }, 'worker error'));
  return workers;
}
