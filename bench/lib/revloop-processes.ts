/**
 * revloop's own processes for the scale and chaos runs, started as an operator starts them
 * (`revloop worker`, `revloop server` through bin/revloop.js) against a connection stored in Redis,
 * plus the simulators' process. Peak memory is the kernel's high-water mark of each process
 * (VmHWM in /proc/<pid>/status), read while it lives.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Queue } from 'bullmq';
import { loadMappings } from '../../src/config/mapping/load.js';
import { createRedis, queuePrefix } from '../../src/platform/redis.js';
import { SecretBox } from '../../src/platform/secret-box.js';
import { ConnectionStore } from '../../src/state/connection-store.js';
import { backfillRunId } from '../../src/worker/backfill/run-backfill.js';
import { JOBS, QUEUES, type BackfillJob } from '../../src/worker/queues.js';
import { ensureHubSpotSchema } from '../../src/worker/setup/hubspot-schema.js';
import { picklistsFor } from '../../src/worker/setup/salesforce-picklists.js';
import { directSyncContext } from '../../src/worker/sync/direct-context.js';
import type { PeopleSandboxInfo, PeopleSandboxOptions } from './people-sandbox-process.js';

export const REPO = join(import.meta.dirname, '..', '..');
export const MAPPINGS = join(REPO, 'mappings');
const BIN = join(REPO, 'bin', 'revloop.js');
/** The compiled command, as the package and the container image run it. */
export const COMPILED = join(REPO, 'dist', 'cli', 'main.js');

/** Compiles revloop to dist/ (`npm run build`), so a process can run what production runs. */
export function buildRevloop(): void {
  const result = spawnSync('npm', ['run', '--silent', 'build'], { cwd: REPO, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`npm run build failed (exit ${result.status})`);
}

export interface RevloopEnv {
  redisUrl: string;
  root: string;
  key: Buffer;
  /** More variables (limits, log level, concurrency). */
  extra?: Record<string, string>;
}

function envOf(o: RevloopEnv): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    REDIS_URL: o.redisUrl,
    REVLOOP_REDIS_ROOT: o.root,
    REVLOOP_ENCRYPTION_KEY: o.key.toString('base64'),
    REVLOOP_ADMIN_TOKEN: 'bench-admin-token-0123456789abcdef',
    REVLOOP_MAPPINGS_DIR: MAPPINGS,
    LOG_LEVEL: process.env.BENCH_WORKER_LOG_LEVEL ?? 'error',
    // Diagnostics for a run by hand (e.g. --heapsnapshot-signal=SIGUSR2); never set by the benchmarks.
    ...(process.env.BENCH_WORKER_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_WORKER_NODE_OPTIONS } : {}),
    ...o.extra,
  };
}

/** Highest resident set size the process has had so far (MB), or undefined once it is gone. */
export function peakRssMb(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
}

export interface RevloopProcess {
  child: ChildProcess;
  /** Highest VmHWM read so far (MB). */
  peakMb(): number;
  exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Every process started here, killed if this one ends first (an interrupted run leaves nothing behind). */
const started = new Set<ChildProcess>();
let hooked = false;
export function adopt(child: ChildProcess): void {
  started.add(child);
  child.once('exit', () => started.delete(child));
  if (hooked) return;
  hooked = true;
  process.once('exit', () => {
    for (const c of started) c.kill('SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
}

function track(child: ChildProcess): RevloopProcess {
  adopt(child);
  let peak = 0;
  const sample = () => (peak = Math.max(peak, peakRssMb(child.pid) ?? 0));
  const timer = setInterval(sample, 250);
  timer.unref();
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => {
    clearInterval(timer);
    resolve(code);
  }));
  return {
    child,
    peakMb: () => {
      sample();
      return peak;
    },
    exited,
    async kill(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      sample();
      child.kill(signal);
      await exited;
    },
  };
}

/** `revloop worker`, as an operator runs it: from the sources through bin/revloop.js, or the compiled build. */
export function startWorkerProcess(o: RevloopEnv, label = 'worker', entry: 'source' | 'compiled' = 'source'): RevloopProcess {
  const child = spawn(process.execPath, [entry === 'compiled' ? COMPILED : BIN, 'worker'], { cwd: REPO, env: envOf(o), stdio: ['ignore', 'pipe', 'pipe'] });
  prefixLines(child, label);
  return track(child);
}

/** `revloop server` on a given port. */
export function startServerProcess(o: RevloopEnv, port: number, entry: 'source' | 'compiled' = 'source'): RevloopProcess {
  const child = spawn(process.execPath, [entry === 'compiled' ? COMPILED : BIN, 'server'], { cwd: REPO, env: { ...envOf(o), HOST: '127.0.0.1', PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
  prefixLines(child, 'server');
  return track(child);
}

/** The process's log lines (JSON on stdout, errors on stderr) go to this process's stderr, labelled. */
function prefixLines(child: ChildProcess, label: string): void {
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream }).on('line', (line) => process.stderr.write(`[${label}] ${line}\n`));
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** The simulators with the people of bench/lib/people.ts, in their own process. */
export async function startPeopleSandbox(options: PeopleSandboxOptions, heapMb = 8192): Promise<{ info: PeopleSandboxInfo; process: RevloopProcess }> {
  const child = spawn(process.execPath, [`--max-old-space-size=${heapMb}`, '--import', 'tsx', join(REPO, 'bench', 'lib', 'people-sandbox-process.ts'), JSON.stringify(options)], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the sandbox process exited with ${code}`)));
  });
  return { info: JSON.parse(first) as PeopleSandboxInfo, process: track(child) };
}

/** Stores the connection to the simulators as an install would (private app + Salesforce session). */
export async function registerConnection(o: RevloopEnv, connectionId: string, info: PeopleSandboxInfo): Promise<void> {
  const redis = createRedis(o.redisUrl, { name: 'bench:setup' });
  try {
    const store = new ConnectionStore(redis, new SecretBox(o.key), o.root);
    await store.put(
      {
        id: connectionId,
        label: 'bench',
        hubspot: { baseUrl: info.hubspot.baseUrl, portalId: info.hubspot.portalId, appId: info.hubspot.appId },
        salesforce: { instanceUrl: info.salesforce.instanceUrl, loginUrl: info.salesforce.loginUrl, version: info.salesforce.version },
        mappingsDir: MAPPINGS,
      },
      { hubspot: { kind: 'private-app', token: info.hubspot.accessToken, webhookSecret: info.hubspot.webhookSecret }, salesforce: { kind: 'session', accessToken: info.salesforce.accessToken } },
    );
  } finally {
    redis.disconnect();
  }
}

/**
 * What an install does before the first sync: the HubSpot properties revloop writes (links, stages,
 * roll-ups) are created, with the picklists Salesforce offers.
 */
export async function ensureSchema(o: RevloopEnv, connectionId: string, info: PeopleSandboxInfo): Promise<void> {
  const redis = createRedis(o.redisUrl, { name: 'bench:schema' });
  try {
    const loaded = await loadMappings(MAPPINGS);
    if (!loaded.set) throw new Error('the shipped mappings are invalid');
    const ctx = directSyncContext({ connectionId, root: o.root, redis, mappings: loaded.set, hubspot: info.hubspot, salesforce: info.salesforce });
    await ensureHubSpotSchema(ctx.hubspotApi, ctx.mappings, (missing) => picklistsFor(ctx.salesforceApi, ctx.mappings, missing));
  } finally {
    redis.disconnect();
  }
}

/** Queues a contacts backfill as `revloop backfill` does; returns the queue (close it) and the job id. */
export async function queueBackfill(o: RevloopEnv, connectionId: string, attempts = 50): Promise<{ queue: Queue; jobId: string }> {
  const queue = new Queue(QUEUES.backfill, { connection: { url: o.redisUrl, maxRetriesPerRequest: null }, prefix: queuePrefix(o.root) });
  const run = backfillRunId({ pair: 'contacts' });
  const data: BackfillJob = { connectionId, pair: 'contacts', run };
  const job = await queue.add(JOBS.backfill, data, { jobId: `backfill-${connectionId}-${run}`, attempts, backoff: { type: 'exponential', delay: 1000 } });
  return { queue, jobId: job.id as string };
}

export async function getJson<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, init);
  if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export interface CallCount {
  route: string;
  count: number;
  errors: number;
}

export async function callCounts(base: string): Promise<CallCount[]> {
  return (await getJson<{ calls: CallCount[] }>(`${base}/__sandbox/calls`)).calls;
}

export function countOf(calls: CallCount[], test: (route: string) => boolean): number {
  return calls.filter((c) => test(c.route)).reduce((n, c) => n + c.count, 0);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
