/**
 * `npm run bench -- scale [--people N] [--interrupt-at R] [--source] [--no-build] [--worker-heap-mb M]`
 *
 * A backfill of N people (default 1,000,000: 40 % only in HubSpot, 40 % only in Salesforce, 20 % in
 * both) run by a `revloop worker` process against the simulators in their own process, with a
 * private Redis. The worker is the compiled build (`npm run build`, what the package and the
 * container image run); `--source` runs it from the sources through tsx instead (about 50 MB more).
 * `--worker-heap-mb M` runs the workers with NODE_OPTIONS=--max-old-space-size=M (V8's defaults
 * otherwise: on a large machine the old generation grows to several times the live data between
 * full collections, and the resident set with it). When R (default 0.5) of the people are linked, the worker is killed (SIGKILL) and
 * another one started: the backfill must resume from its checkpoint and finish with every person
 * once on each side. Figures:
 *  - peak_rss_mb: the highest resident set of either worker process (kernel high-water mark);
 *  - records_per_s: people / seconds the backfill was running (the takeover wait left out), and
 *    wall_seconds with it;
 *  - resumption: the phase and position the second worker started from, the HubSpot pages read
 *    again (pages in flight when the first died) and the Salesforce staging reads repeated (none
 *    expected: staging finished before the interruption);
 *  - duplicates, missing people and parked records after the run (all 0 expected).
 * Redis's own peak memory is reported too: the staging of the Salesforce side lives there by design.
 */
import { randomBytes } from 'node:crypto';
import { startPrivateRedis } from '../src/platform/local-redis.js';
import { createRedis, Keyspace } from '../src/platform/redis.js';
import { Checkpoints } from '../src/state/checkpoints.js';
import { DeadLetters } from '../src/state/dead-letters.js';
import { LinkStore } from '../src/state/link-store.js';
import { splitPeople } from './lib/people.js';
import type { VerifySummary } from './lib/people-sandbox-process.js';
import { adopt, buildRevloop, callCounts, countOf, getJson, queueBackfill, registerConnection, sleep, startPeopleSandbox, startWorkerProcess, type RevloopEnv, type RevloopProcess } from './lib/revloop-processes.js';
import { round, table, type Figures } from './lib/report.js';

const CONNECTION = 'scale';

function arg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  const v = i >= 0 ? Number(args[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

const isHubSpotList = (route: string) => route === 'GET /crm/v3/objects/:objectType';
const isSalesforceQuery = (route: string) => route.startsWith('GET ') && /\/query(\/|$)/.test(route);

export async function run(args: string[]): Promise<Figures> {
  const people = arg(args, '--people', 1_000_000);
  const interruptAt = Math.min(0.95, arg(args, '--interrupt-at', 0.5));
  const entry = args.includes('--source') ? 'source' : 'compiled';
  const heapMb = arg(args, '--worker-heap-mb', 0);
  if (entry === 'compiled' && !args.includes('--no-build')) {
    process.stderr.write('scale: compiling revloop (npm run build)...\n');
    buildRevloop();
  }
  const split = splitPeople(people);
  process.stderr.write(`scale: loading ${people.toLocaleString('en-US')} people into the simulators...\n`);
  const redisServer = await startPrivateRedis();
  adopt(redisServer.child);
  const sandbox = await startPeopleSandbox({ ...split });
  const env: RevloopEnv = {
    redisUrl: redisServer.url,
    root: 'scale',
    key: randomBytes(32),
    // The simulators' rate limits are off: revloop's own budget is set to its highest allowed value.
    extra: {
      REVLOOP_HUBSPOT_TEN_SECOND_LIMIT: '1000',
      REVLOOP_SALESFORCE_DAILY_SHARE: '100',
      REVLOOP_SWEEP_INTERVAL_MINUTES: '1440',
      ...(heapMb > 0 ? { NODE_OPTIONS: `--max-old-space-size=${heapMb}` } : {}),
    },
  };
  const redis = createRedis(redisServer.url, { name: 'bench:scale' });
  const keys = new Keyspace(CONNECTION, env.root);
  const checkpoints = new Checkpoints(redis, keys);
  const links = new LinkStore(redis, keys);
  const workers: RevloopProcess[] = [];
  try {
    await registerConnection(env, CONNECTION, sandbox.info);
    const { queue, jobId } = await queueBackfill(env, CONNECTION);
    const started = performance.now();
    const first = startWorkerProcess(env, 'worker-1', entry);
    workers.push(first);

    // 1. Run until the share of people is linked, then kill the worker outright.
    let linked = 0;
    let lastLog = 0;
    for (;;) {
      linked = await links.count('contacts');
      if (performance.now() - lastLog > 10_000) {
        lastLog = performance.now();
        const cp = await checkpoints.get('backfill:contacts');
        process.stderr.write(`scale: ${linked.toLocaleString('en-US')} linked, phase ${cp?.phase ?? '-'}, ${Math.round((performance.now() - started) / 1000)} s, worker RSS peak ${Math.round(first.peakMb())} MB\n`);
      }
      if (linked >= people * interruptAt) break;
      if (first.child.exitCode !== null) throw new Error(`the worker exited with ${first.child.exitCode} before the interruption`);
      await sleep(200);
    }
    const killedAt = performance.now();
    const firstPeak = first.peakMb();
    await first.kill('SIGKILL');
    const atKill = await checkpoints.get('backfill:contacts');
    const linkedAtKill = await links.count('contacts');
    const callsAtKill = { hubspot: await callCounts(sandbox.info.hubspot.baseUrl), salesforce: await callCounts(sandbox.info.salesforce.instanceUrl) };
    process.stderr.write(`scale: worker killed at ${linkedAtKill.toLocaleString('en-US')} linked (checkpoint: ${atKill?.phase} cursor ${atKill?.cursor ?? '-'}, ${atKill?.processed} records); starting another\n`);

    // 2. Another worker takes the job over once its lock has expired, and resumes.
    const second = startWorkerProcess(env, 'worker-2', entry);
    workers.push(second);
    let resumedAt: number | undefined;
    let lastProcessed = atKill?.processed ?? 0;
    for (;;) {
      const job = await queue.getJob(jobId);
      const state = await job?.getState();
      if (state === 'completed') break;
      if (state === 'failed') throw new Error(`the backfill failed: ${job?.failedReason}`);
      const cp = await checkpoints.get('backfill:contacts');
      if (resumedAt === undefined && cp && cp.processed !== lastProcessed) resumedAt = performance.now();
      lastProcessed = cp?.processed ?? lastProcessed;
      if (performance.now() - lastLog > 10_000) {
        lastLog = performance.now();
        process.stderr.write(`scale: ${(await links.count('contacts')).toLocaleString('en-US')} linked, phase ${cp?.phase ?? '-'}, ${Math.round((performance.now() - started) / 1000)} s, worker RSS peak ${Math.round(second.peakMb())} MB\n`);
      }
      if (second.child.exitCode !== null) throw new Error(`the second worker exited with ${second.child.exitCode}`);
      await sleep(200);
    }
    const finished = performance.now();
    const secondPeak = second.peakMb();
    await queue.close();

    // 3. What both sides hold now.
    const summary = await getJson<VerifySummary>(`${sandbox.info.control}/verify`);
    const calls = { hubspot: await callCounts(sandbox.info.hubspot.baseUrl), salesforce: await callCounts(sandbox.info.salesforce.instanceUrl) };
    const hubspotPages = Math.ceil((split.hubspotOnly + split.both) / 100);
    const listCalls = countOf(calls.hubspot, isHubSpotList);
    const stagingReadsAfter = countOf(calls.salesforce, isSalesforceQuery) - countOf(callsAtKill.salesforce, isSalesforceQuery);
    const parked = await new DeadLetters(redis, keys).size();
    const redisInfo = await redis.info('memory');
    const redisPeakMb = Number(/used_memory_peak:(\d+)/.exec(redisInfo)?.[1] ?? 0) / 1_048_576;
    const takeoverSeconds = ((resumedAt ?? killedAt) - killedAt) / 1000;
    const runningSeconds = (finished - started) / 1000 - takeoverSeconds;
    const duplicates = summary.hubspot.duplicates + summary.salesforce.duplicates;
    const missing = people - summary.hubspot.people + (people - summary.salesforce.people);
    const figures: Figures = {
      people,
      worker: entry,
      worker_heap_mb: heapMb > 0 ? heapMb : 'default',
      peak_rss_mb: Math.round(Math.max(firstPeak, secondPeak)),
      peak_rss_first_mb: Math.round(firstPeak),
      peak_rss_second_mb: Math.round(secondPeak),
      records_per_s: Math.round(people / runningSeconds),
      running_seconds: round(runningSeconds, 1),
      wall_seconds: round((finished - started) / 1000, 1),
      takeover_seconds: round(takeoverSeconds, 1),
      interrupted_at_ratio: round(linkedAtKill / people, 3),
      resumed_phase: atKill?.phase ?? 'none',
      resumed_from_processed: atKill?.processed ?? 0,
      hubspot_pages_read_again: listCalls - hubspotPages,
      salesforce_queries_after_resume: stagingReadsAfter,
      resumed: atKill !== undefined && atKill.processed > 0 && !atKill.done ? 1 : 0,
      duplicates,
      missing,
      disagreeing_links: summary.disagreeingLinks,
      parked,
      redis_peak_mb: Math.round(redisPeakMb),
      calls_hubspot: countOf(calls.hubspot, () => true),
      calls_salesforce: countOf(calls.salesforce, () => true),
    };
    process.stdout.write(
      `${table([
        { figure: 'people', value: people, note: `${split.hubspotOnly} HubSpot only, ${split.salesforceOnly} Salesforce only, ${split.both} both` },
        { figure: 'peak RSS of the worker (MB)', value: figures.peak_rss_mb as number, note: `first ${figures.peak_rss_first_mb}, after the restart ${figures.peak_rss_second_mb}; target <= 400` },
        { figure: 'records/s while running', value: figures.records_per_s as number, note: `${figures.running_seconds} s running, ${figures.wall_seconds} s wall` },
        { figure: 'interrupted at', value: `${Math.round(linkedAtKill / people * 100)} %`, note: `checkpoint ${atKill?.phase}, ${atKill?.processed} records` },
        { figure: 'takeover after SIGKILL (s)', value: figures.takeover_seconds as number, note: 'the job lock expires, another worker resumes' },
        { figure: 'HubSpot pages read again', value: figures.hubspot_pages_read_again as number, note: `of ${hubspotPages}` },
        { figure: 'Salesforce queries after the resume', value: figures.salesforce_queries_after_resume as number, note: `lookups for the pages read again; the staging (${Math.ceil((split.salesforceOnly + split.both) / 2000)} pages) is not read again` },
        { figure: 'duplicates / missing / parked', value: `${duplicates} / ${missing} / ${parked}`, note: 'target 0 / 0 / 0' },
        { figure: 'Redis peak memory (MB)', value: figures.redis_peak_mb as number, note: 'staging, links, ledgers, checkpoints' },
      ])}\n`,
    );
    return figures;
  } finally {
    for (const w of workers) await w.kill('SIGKILL');
    redis.disconnect();
    await sandbox.process.kill('SIGTERM');
    await redisServer.stop();
  }
}
