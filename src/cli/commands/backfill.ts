/**
 * `revloop backfill [--object contacts|companies|deals] [--since DATE] [--fields a,b] [--connection ID]`:
 * queues a backfill for the workers and follows it with a progress bar (rate and ETA); without
 * `--object`, companies and then contacts, as the set-up page's initial sync does. A worker runs
 * in this process too, so the command works on its own; any other worker may take the job over.
 * Interrupted, the job resumes from its checkpoint (here or on another worker).
 */
import { QueueEvents } from 'bullmq';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { loadEnv } from '../../config/env.js';
import { RevloopError } from '../../platform/errors.js';
import { createLogger } from '../../platform/logger.js';
import { createBullConnection, createRedis, queuePrefix } from '../../platform/redis.js';
import { SecretBox } from '../../platform/secret-box.js';
import { ConnectionStore } from '../../state/connection-store.js';
import { backfillRunId } from '../../worker/backfill/run-backfill.js';
import { mirrorAllDeals } from '../../worker/outcomes/deal-mirror.js';
import { startWorker } from '../../worker/main.js';
import { ensureHubSpotSchema } from '../../worker/setup/hubspot-schema.js';
import { withConnection } from '../connection-context.js';
import { createQueue, JOBS, QUEUES, type BackfillJob } from '../../worker/queues.js';

interface BackfillOptions {
  object?: string;
  since?: string;
  fields?: string;
  connection?: string;
  worker: boolean;
}

interface Progress {
  phase?: string;
  processed?: number;
  outcome?: Record<string, number>;
}

function parseSince(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new RevloopError('BAD_REQUEST', `--since "${value}" is not a date (use 2026-11-01 or 2026-11-01T08:00:00Z)`);
  return ms;
}

/** `--object deals`: every opportunity mirrored as a HubSpot deal, here and now (idempotent). */
async function runDealMirror(connection: string | undefined): Promise<number> {
  return withConnection(connection, async (ctx) => {
    if (!ctx.mappings.opportunities.deals.mirror) throw new RevloopError('BAD_REQUEST', 'opportunities.yaml does not mirror deals (deals.mirror is false)');
    await ensureHubSpotSchema(ctx.hubspotApi, ctx.mappings);
    const started = Date.now();
    const o = await mirrorAllDeals(ctx, (p) => process.stderr.write(`\rdeals: ${p.opportunities.toLocaleString('en-US')} opportunities (${p.written} written)`));
    process.stderr.write('\n');
    process.stdout.write(`deal mirror done in ${((Date.now() - started) / 1000).toFixed(1)} s: ${o.opportunities} opportunities, ${o.written} deals written, ${o.unchanged} unchanged, ${o.parked} parked (revloop dlq list)\n`);
    return o.parked > 0 ? 1 : 0;
  });
}

type Pair = 'contacts' | 'companies';

export async function runBackfillCommand(options: BackfillOptions): Promise<number> {
  if (options.object === 'deals') return runDealMirror(options.connection);
  if (options.object !== undefined && options.object !== 'contacts' && options.object !== 'companies') {
    throw new RevloopError('BAD_REQUEST', `--object must be contacts, companies or deals, not "${options.object}"`);
  }
  // Companies first: their Accounts are linked before people are routed to them.
  const pairs: Pair[] = options.object ? [options.object] : ['companies', 'contacts'];
  const since = parseSince(options.since);
  const fields = options.fields?.split(',').map((f) => f.trim()).filter(Boolean);
  const env = loadEnv();
  const redis = createRedis(env.REDIS_URL, { name: 'revloop:cli' });
  const bull = createBullConnection(env.REDIS_URL, 'revloop:cli:bull');
  const store = new ConnectionStore(redis, new SecretBox(env.REVLOOP_ENCRYPTION_KEY as Buffer, env.REVLOOP_ENCRYPTION_PREVIOUS_KEYS ?? []), env.REVLOOP_REDIS_ROOT);
  const logger = createLogger({ level: 'warn', destination: process.stderr });
  const worker = options.worker ? await startWorker(env, logger) : undefined;
  try {
    const connections = await store.list();
    const connection = options.connection ?? (connections.length === 1 ? connections[0]?.id : undefined);
    if (!connection) {
      throw new RevloopError('BAD_REQUEST', connections.length === 0 ? 'no connection is set up yet (install revloop, or run revloop demo)' : `several connections exist; choose one with --connection (${connections.map((c) => c.id).join(', ')})`);
    }
    await store.require(connection);
    const queue = createQueue(QUEUES.backfill, bull, env.REVLOOP_REDIS_ROOT);
    const eventsConnection = bull.duplicate();
    const events = new QueueEvents(QUEUES.backfill, { connection: eventsConnection, prefix: queuePrefix(env.REVLOOP_REDIS_ROOT) });
    await events.waitUntilReady();
    let parked = 0;
    try {
      for (const pair of pairs) parked += await followBackfill(queue, events, { connection, pair, since, fields });
    } finally {
      await events.close();
      eventsConnection.disconnect();
      await queue.close();
    }
    return parked > 0 ? 1 : 0;
  } finally {
    await worker?.stop();
    bull.disconnect();
    redis.disconnect();
  }
}

/** Queues the backfill of one pair and follows it with a progress bar; its parked records. */
async function followBackfill(
  queue: ReturnType<typeof createQueue>,
  events: QueueEvents,
  { connection, pair, since, fields }: { connection: string; pair: Pair; since: number | undefined; fields: string[] | undefined },
): Promise<number> {
  const run = backfillRunId({ pair, ...(since !== undefined ? { since } : {}), ...(fields ? { fields } : {}) });
  const data: BackfillJob = { connectionId: connection, pair, run, ...(since !== undefined ? { since } : {}), ...(fields ? { fields } : {}) };
  const job = await queue.add(JOBS.backfill, data, { jobId: `backfill-${connection}-${run}-${Date.now().toString(36)}` });
  const bar = new SingleBar({
    format: `backfill ${pair} | {bar} | {processed} records | {rate}/s | {phase} | {duration_formatted}`,
    hideCursor: true,
    clearOnComplete: false,
  });
  const started = Date.now();
  bar.start(1, 0, { processed: 0, rate: 0, phase: 'queued' });
  const onProgress = ({ jobId, data: progress }: { jobId: string; data: unknown }) => {
    if (jobId !== job.id || typeof progress !== 'object' || progress === null) return;
    const p = progress as Progress;
    const processed = p.processed ?? 0;
    const seconds = Math.max(0.001, (Date.now() - started) / 1000);
    bar.setTotal(Math.max(processed, 1));
    bar.update(processed, { processed: processed.toLocaleString('en-US'), rate: Math.round(processed / seconds).toLocaleString('en-US'), phase: p.phase ?? '' });
  };
  events.on('progress', onProgress);
  let result: Progress;
  try {
    result = (await job.waitUntilFinished(events)) as Progress;
  } finally {
    events.off('progress', onProgress);
    bar.stop();
  }
  const o = result.outcome ?? {};
  process.stdout.write(
    `backfill of ${pair} done in ${((Date.now() - started) / 1000).toFixed(1)} s: ${o.linked ?? 0} linked, ${o.createdInSalesforce ?? 0} created in Salesforce, ` +
      `${o.createdInHubSpot ?? 0} created in HubSpot, ${o.updatedSalesforce ?? 0} Salesforce and ${o.updatedHubSpot ?? 0} HubSpot records updated, ${o.parked ?? 0} parked (revloop dlq list)\n`,
  );
  return o.parked ?? 0;
}

export function registerBackfill(program: Command): void {
  program
    .command('backfill')
    .description('Apply the mapping to every record of both sides (after a mapping change, or to link two systems the first time). Streams page by page with a checkpoint after each page; resumes after a crash.')
    .option('--object <object>', 'contacts, companies, or deals (mirror every opportunity as a HubSpot deal); default: companies, then contacts')
    .option('--since <date>', 'only records modified since this date')
    .option('--fields <list>', 'only these HubSpot properties (comma-separated)')
    .option('--connection <id>', 'the connection (needed when there are several)')
    .option('--no-worker', 'only queue the backfill (other workers run it)')
    .action(async (options: BackfillOptions) => {
      process.exitCode = await runBackfillCommand(options);
    });
}
