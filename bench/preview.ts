/**
 * `npm run bench -- preview [--people N] [--seed S]`
 *
 * `revloop preview` on a generated revenue team of N people (default 100,000): the shipped
 * mappings in force, a changed copy (MQL threshold 50 → 60, recycled people shown as "attempted to
 * contact" in HubSpot) previewed over the whole base. Prints the from → to matrix and the fields that
 * would change, then the figures; the simulators' call counters prove nothing was written. The
 * simulators run in their own process, without rate limits; the time HubSpot's private-app limit
 * (190 calls per 10 s) would impose on the same calls is reported beside it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { loadMappings } from '../src/config/mapping/load.js';
import { formatImpact } from '../src/cli/format-impact.js';
import { ensureRedis } from '../src/platform/local-redis.js';
import { createRedis, deleteByPrefix } from '../src/platform/redis.js';
import { isWriteRoute, type CallCount } from '../src/sandbox/common/call-counter.js';
import type { SandboxConnection } from '../src/sandbox/start-sandboxes.js';
import { preview } from '../src/worker/preview/run-preview.js';
import { directSyncContext } from '../src/worker/sync/direct-context.js';
import { round, type Figures } from './lib/report.js';

const MAPPINGS = join(import.meta.dirname, '..', 'mappings');

function arg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  const v = i >= 0 ? Number(args[i + 1]) : NaN;
  return Number.isFinite(v) && v >= 0 ? v : fallback;
}

async function startGenerated(people: number, seed: number): Promise<{ connection: SandboxConnection; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'lib', 'generated-sandbox-process.ts'), JSON.stringify({ people, seed })], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`sandbox process exited with ${code}`)));
  });
  return { connection: JSON.parse(first) as SandboxConnection, child };
}

async function calls(base: string): Promise<CallCount[]> {
  const res = await fetch(`${base}/__sandbox/calls`);
  return ((await res.json()) as { calls: CallCount[] }).calls;
}

function changedMappings(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'revloop-preview-'));
  cpSync(MAPPINGS, dir, { recursive: true });
  const file = join(dir, 'lifecycle.yaml');
  const edit = (text: string, find: string, replace: string) => {
    if (!text.includes(find)) throw new Error(`the shipped lifecycle no longer has "${find}"`);
    return text.replace(find, replace);
  };
  let text = readFileSync(file, 'utf8');
  text = edit(text, '{ field: hubspot.hubspotscore, gte: 50 }', '{ field: hubspot.hubspotscore, gte: 60 }');
  text = edit(text, 'lead_status: BAD_TIMING', 'lead_status: ATTEMPTED_TO_CONTACT');
  writeFileSync(file, text);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function run(args: string[]): Promise<Figures> {
  const people = arg(args, '--people', 100_000);
  const seed = arg(args, '--seed', 7);
  const generationStarted = performance.now();
  process.stderr.write(`generating ${people.toLocaleString('en-US')} people (seed ${seed})...\n`);
  const { connection, child } = await startGenerated(people, seed);
  const generationSeconds = (performance.now() - generationStarted) / 1000;
  const redisHandle = await ensureRedis(process.env.REDIS_URL);
  const redis = createRedis(redisHandle.url);
  const root = `revloop-bench-preview-${process.pid}`;
  const changedDir = changedMappings();
  try {
    const [current, changed] = await Promise.all([loadMappings(MAPPINGS), loadMappings(changedDir.dir)]);
    if (!current.set || !changed.set) throw new Error('the mappings of the benchmark are invalid');
    const ctx = directSyncContext({
      connectionId: 'bench',
      root,
      redis,
      mappings: current.set,
      hubspot: connection.hubspot,
      salesforce: connection.salesforce,
      limits: { hubspotTenSecond: 1_000_000, hubspotSearchPerSecond: 10_000 },
    });
    await Promise.all([fetch(`${connection.hubspot.baseUrl}/__sandbox/calls`, { method: 'DELETE' }), fetch(`${connection.salesforce.instanceUrl}/__sandbox/calls`, { method: 'DELETE' })]);
    const order = [...changed.set.lifecycle.stages.map((s) => s.id), ...changed.set.lifecycle.detours.map((d) => d.id)];
    const result = await preview(ctx, {
      changed: changed.set,
      pairs: ['contacts'],
      sample: 1000,
      onReport: (r) => {
        if (r.kind === 'progress') process.stderr.write(`\rpreview: ${r.scanned.toLocaleString('en-US')} records read (${r.seconds.toFixed(1)} s)`);
        else {
          process.stderr.write('\n');
          const title = r.kind === 'sample' ? `Sample (the first ${r.scanned.toLocaleString('en-US')} people read)` : `Whole base (${r.seconds.toFixed(1)} s)`;
          process.stdout.write(`${formatImpact(title, r.impact, order).join('\n')}\n\n`);
        }
      },
    });
    const hubspotCalls = await calls(connection.hubspot.baseUrl);
    const salesforceCalls = await calls(connection.salesforce.instanceUrl);
    const writes = [...hubspotCalls, ...salesforceCalls].filter((c) => isWriteRoute(c.route));
    for (const w of writes) process.stderr.write(`WRITE: ${w.route} × ${w.count}\n`);
    const total = (list: CallCount[]) => list.reduce((n, c) => n + c.count, 0);
    const impact = result.pairs.contacts;
    const hsCalls = total(hubspotCalls);
    return {
      people,
      seconds: round(result.seconds, 1),
      writes: writes.reduce((n, c) => n + c.count, 0),
      records: impact?.records ?? 0,
      moving: impact?.moving ?? 0,
      hubspot_calls: hsCalls,
      salesforce_calls: total(salesforceCalls),
      seconds_at_hubspot_limit: round(hsCalls / 19, 1),
      generation_seconds: round(generationSeconds, 1),
    };
  } finally {
    changedDir.cleanup();
    await deleteByPrefix(redis, `${root}:`);
    redis.disconnect();
    await redisHandle.stop();
    child.kill('SIGTERM');
  }
}
