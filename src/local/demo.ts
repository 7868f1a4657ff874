/**
 * `revloop demo`: everything on one machine with nothing configured. Redis (REDIS_URL, else a private
 * redis-server), both simulators with generated people and the simulated teams at work, revloop's
 * server and worker on the embedded default mappings, the connection stored as an install stores
 * it, the initial sync (companies, then people) with a progress bar, then a one-time sign-in link to
 * the dashboard. Ctrl-C stops it all.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { QueueEvents } from 'bullmq';
import { SingleBar } from 'cli-progress';
import { z } from 'zod';
import { RevloopError } from '../platform/errors.js';
import { ensureRedis } from '../platform/local-redis.js';
import { createLogger, silentLogger, type Logger } from '../platform/logger.js';
import { createBullConnection, createRedis, deleteByPrefix, queuePrefix } from '../platform/redis.js';
import { startSandboxes } from '../sandbox/start-sandboxes.js';
import { backfillRunId } from '../worker/backfill/run-backfill.js';
import { JOBS, QUEUES, type BackfillJob } from '../worker/queues.js';
import { startLocalStack, type LocalStack } from './local-stack.js';

export const DEFAULT_MAPPINGS = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', 'mappings');

export const demoOptionsSchema = z.strictObject({
  port: z.number().int().min(0).max(65_535).default(3000),
  host: z.string().min(1).default('127.0.0.1'),
  people: z.number().int().min(0).max(200_000).default(1500),
  seed: z.number().int().min(0).default(7),
  /** Simulated changes a second by the marketing and sales teams. */
  rate: z.number().min(0).max(200).default(2),
  mappingsDir: z.string().min(1).default(DEFAULT_MAPPINGS),
  /** Log lines of revloop itself (warn by default: the screen shows progress and the URL). */
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('warn'),
});

export type DemoOptions = z.input<typeof demoOptionsSchema>;

export interface RunningDemo {
  dashboardUrl: string;
  serverUrl: string;
  adminToken: string;
  stack: LocalStack;
  stop(): Promise<void>;
}

interface BackfillProgress {
  phase?: string;
  processed?: number;
  outcome?: Record<string, number>;
}

const SUBSCRIPTIONS = ['contact', 'company'].flatMap((o) => ['creation', 'propertyChange', 'deletion', 'merge', 'restore', 'associationChange'].map((e) => ({ subscriptionType: `${o}.${e}` })));

async function initialSync(stack: LocalStack, connectionId: string, estimates: Record<'companies' | 'contacts', number>, out: NodeJS.WritableStream, redisUrl: string, root: string): Promise<Record<string, number>> {
  const eventsConnection = createBullConnection(redisUrl, 'revloop:demo:events');
  const events = new QueueEvents(QUEUES.backfill, { connection: eventsConnection, prefix: queuePrefix(root) });
  await events.waitUntilReady();
  const total: Record<string, number> = {};
  try {
    for (const pair of ['companies', 'contacts'] as const) {
      const run = backfillRunId({ pair });
      const data: BackfillJob = { connectionId, pair, run };
      const job = await stack.backfillQueue.add(JOBS.backfill, data, { jobId: `backfill-${connectionId}-${run}-${Date.now().toString(36)}` });
      const bar = new SingleBar({ format: `initial sync ${pair.padEnd(9)} | {bar} | {value}/{total} records read | {phase}`, hideCursor: true, clearOnComplete: false, stream: out as NodeJS.WriteStream });
      bar.start(Math.max(1, estimates[pair]), 0, { phase: 'queued' });
      const onProgress = ({ jobId, data: progress }: { jobId: string; data: unknown }) => {
        if (jobId !== job.id || typeof progress !== 'object' || progress === null) return;
        const p = progress as BackfillProgress;
        const processed = p.processed ?? 0;
        if (processed > bar.getTotal()) bar.setTotal(processed);
        bar.update(processed, { phase: p.phase ?? '' });
      };
      events.on('progress', onProgress);
      const result = (await job.waitUntilFinished(events)) as BackfillProgress;
      events.off('progress', onProgress);
      bar.update(bar.getTotal(), { phase: 'done' });
      bar.stop();
      for (const [k, v] of Object.entries(result.outcome ?? {})) total[k] = (total[k] ?? 0) + v;
    }
  } finally {
    await events.close();
    eventsConnection.disconnect();
  }
  return total;
}

export async function startDemo(input: DemoOptions = {}, out: NodeJS.WritableStream = process.stdout): Promise<RunningDemo> {
  const parsed = demoOptionsSchema.safeParse(input);
  if (!parsed.success) throw new RevloopError('BAD_REQUEST', `invalid demo options: ${parsed.error.issues.map((i) => `--${String(i.path[0] ?? '')}: ${i.message}`).join('; ')}`);
  const o = parsed.data;
  const logger: Logger = o.logLevel === 'silent' ? silentLogger : createLogger({ level: o.logLevel, destination: process.stderr });
  const started = performance.now();
  const write = (line: string) => out.write(`${line}\n`);

  const redis = await ensureRedis();
  write(redis.started ? `Redis: started a private redis-server (${redis.url})` : `Redis: ${redis.url}`);
  // A shared Redis gets a key root of its own, so the demo never touches another deployment's keys.
  const root = redis.started ? 'revloop' : `revloop-demo-${randomBytes(3).toString('hex')}`;
  const cleanups: Array<() => Promise<void>> = [() => redis.stop()];
  if (!redis.started) {
    // A shared Redis keeps nothing of the demo once it stops.
    cleanups.push(async () => {
      const client = createRedis(redis.url, { name: 'revloop:demo:cleanup' });
      try {
        await deleteByPrefix(client, `${root}:`);
      } finally {
        client.disconnect();
      }
    });
  }
  const stopAll = async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  };
  try {
    let shown = 0;
    const sandboxes = await startSandboxes({
      people: o.people,
      seed: o.seed,
      activity: o.rate > 0 ? { rate: o.rate } : false,
      onProgress: (done, totalPeople) => {
        if (done === totalPeople || done - shown >= 500) {
          shown = done;
          out.write(`\rgenerating people: ${done}/${totalPeople}`);
          if (done === totalPeople) out.write('\n');
        }
      },
    });
    cleanups.push(() => sandboxes.close());
    const c = sandboxes.connection;
    write(`Sandboxes: HubSpot ${c.hubspot.baseUrl} (portal ${c.hubspot.portalId}), Salesforce ${c.salesforce.instanceUrl}`);

    const adminToken = `rla_demo_${randomBytes(24).toString('base64url')}`;
    let stack: LocalStack;
    const startStack = (port: number) =>
      startLocalStack({
        redisUrl: redis.url,
        root,
        connectionId: 'demo',
        hubspot: { baseUrl: c.hubspot.baseUrl, accessToken: c.hubspot.accessToken, portalId: c.hubspot.portalId, appId: sandboxes.hubspot.privateAppId, webhookSecret: c.hubspot.clientSecret },
        salesforce: { instanceUrl: c.salesforce.instanceUrl, loginUrl: c.salesforce.loginUrl, version: c.salesforce.version, accessToken: c.salesforce.accessToken },
        mappingsDir: o.mappingsDir,
        windowMs: 500,
        sweepEveryMs: 5 * 60_000,
        concurrency: 4,
        port,
        host: o.host,
        logger,
        encryptionKey: randomBytes(32),
        adminToken,
      });
    try {
      stack = await startStack(o.port);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
      write(`Port ${o.port} is taken; using a free one.`);
      stack = await startStack(0);
    }
    cleanups.push(async () => {
      await stack.syncQueue.obliterate({ force: true }).catch(() => undefined);
      await stack.stop();
    });
    // Stopping: the simulated teams stop first, so no new change arrives while revloop finishes its jobs.
    cleanups.push(async () => sandboxes.activity?.close());
    sandboxes.hubspot.webhooks.configure({ targetUrl: stack.webhookUrl, subscriptions: SUBSCRIPTIONS, batchWindowMs: 200 });
    write(`revloop: server and worker at ${stack.serverUrl}`);

    const counts = sandboxes.truth?.aggregates.counts;
    const estimates = {
      companies: counts ? counts.accounts + counts.hubspotCompanies : 0,
      contacts: counts ? counts.accounts + counts.leads + counts.contacts + counts.inHubSpot : 0,
    };
    const outcome = await initialSync(stack, 'demo', estimates, out, redis.url, root);
    write(`Initial sync done: ${outcome.linked ?? 0} linked, ${(outcome.createdInHubSpot ?? 0) + (outcome.createdInSalesforce ?? 0)} created, ${(outcome.updatedHubSpot ?? 0) + (outcome.updatedSalesforce ?? 0)} updated, ${outcome.parked ?? 0} parked.`);

    const code = await stack.accessTokens.createLoginLink('admin');
    const dashboardUrl = `${stack.serverUrl}/login?code=${encodeURIComponent(code)}`;
    write('');
    write(`Dashboard (one-time sign-in link): ${dashboardUrl}`);
    write(`Admin API token for this run:      ${adminToken}`);
    write(`Ready in ${((performance.now() - started) / 1000).toFixed(1)} s. The simulated teams keep working (${o.rate} changes a second); press Ctrl-C to stop.`);
    return { dashboardUrl, serverUrl: stack.serverUrl, adminToken, stack, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
