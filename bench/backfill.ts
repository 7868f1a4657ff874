/**
 * `npm run bench -- backfill [--people N] [--limited-people M] [--naive-people K]`
 *
 * A backfill of N people (40 % only in HubSpot, 40 % only in Salesforce, 20 % in both) against the
 * simulators in their own process, measured three ways in one run:
 *  - with zero latency and no rate limits: records per second, calls per side, and the batch minimum
 *    of calls (every record read once and written once, in full batches);
 *  - under the default rate limits (HubSpot private app: 190 calls per rolling 10 s) on M people:
 *    records per second against the ceiling those limits allow;
 *  - a straightforward one-call-per-record sync of K people in this process, for comparison.
 * Peak RSS is this (worker) process's own: the simulators run elsewhere.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { createInterface } from 'node:readline';
import { Client } from '@hubspot/api-client';
import jsforce from 'jsforce';
import { loadMappings } from '../src/config/mapping/load.js';
import { ensureRedis } from '../src/platform/local-redis.js';
import { createRedis, deleteByPrefix } from '../src/platform/redis.js';
import { backfill } from '../src/worker/backfill/run-backfill.js';
import { directSyncContext } from '../src/worker/sync/direct-context.js';
import type { SandboxProcessInfo, SandboxProcessOptions } from './lib/sandbox-process.js';
import { round, table, type Figures } from './lib/report.js';

const HUBSPOT_LIMIT = 190;

function arg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  const v = i >= 0 ? Number(args[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

function split(people: number): { hubspotOnly: number; salesforceOnly: number; both: number } {
  const both = Math.round(people * 0.2);
  const hubspotOnly = Math.round(people * 0.4);
  return { hubspotOnly, salesforceOnly: people - both - hubspotOnly, both };
}

async function startSandboxProcess(options: SandboxProcessOptions): Promise<{ info: Partial<SandboxProcessInfo>; child: ChildProcess }> {
  // BENCH_PROFILE_DIR=dir has the simulators' processes write CPU profiles of their serving there (run
  // the bench itself under `node --cpu-prof` for the worker's side).
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'lib', 'sandbox-process.ts'), JSON.stringify(options)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`sandbox process exited with ${code}`)));
  });
  return { info: JSON.parse(first) as Partial<SandboxProcessInfo>, child };
}

/** Each simulator in its own process, as HubSpot and Salesforce are separate services. */
async function startSandboxes(options: SandboxProcessOptions): Promise<{ info: SandboxProcessInfo; child: { kill(signal: NodeJS.Signals): void }; children: ChildProcess[] }> {
  const [hs, sf] = await Promise.all([startSandboxProcess({ ...options, vendor: 'hubspot' }), startSandboxProcess({ ...options, vendor: 'salesforce' })]);
  if (!hs.info.hubspot || !sf.info.salesforce || !hs.info.people) throw new Error('a sandbox process did not report its endpoint');
  const children = [hs.child, sf.child];
  return {
    info: { hubspot: hs.info.hubspot, salesforce: sf.info.salesforce, people: hs.info.people },
    child: { kill: (signal) => children.forEach((c) => c.kill(signal)) },
    children,
  };
}

/** CPU seconds (user + system) a process has used, from /proc (Linux); undefined elsewhere. */
function cpuSecondsOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

function sum(values: Array<number | undefined>): number | undefined {
  return values.every((v) => v !== undefined) ? values.reduce<number>((a, v) => a + (v as number), 0) : undefined;
}

/** CPU seconds Redis has used (its INFO counters), for its share per person; undefined when it does not say. */
async function redisCpuSeconds(url: string): Promise<number | undefined> {
  const client = createRedis(url);
  try {
    const info = await client.info('cpu');
    const user = /used_cpu_user:([\d.]+)/.exec(info)?.[1];
    const sys = /used_cpu_sys:([\d.]+)/.exec(info)?.[1];
    return user !== undefined && sys !== undefined ? Number(user) + Number(sys) : undefined;
  } finally {
    client.disconnect();
  }
}

async function calls(base: string): Promise<number> {
  const res = await fetch(`${base}/__sandbox/calls`);
  return ((await res.json()) as { total: number }).total;
}

/** The calls a backfill cannot do without: every record read once and written once, in full batches. */
function minimumCalls(p: { hubspotOnly: number; salesforceOnly: number; both: number }): { hubspot: number; salesforce: number } {
  const hubspotRecords = p.hubspotOnly + p.both;
  const salesforceRecords = p.salesforceOnly + p.both;
  return {
    // read every HubSpot record; create the Salesforce-only people; write the link on every other record
    hubspot: Math.ceil(hubspotRecords / 100) + Math.ceil(p.salesforceOnly / 100) + Math.ceil(hubspotRecords / 100),
    // read every Salesforce record (and the Accounts, one page); create the HubSpot-only people; write the link on every other record
    salesforce: Math.ceil(salesforceRecords / 2000) + 1 + Math.ceil(p.hubspotOnly / 200) + Math.ceil(salesforceRecords / 200),
  };
}

async function runBackfill(info: SandboxProcessInfo, redisUrl: string, root: string, limited: boolean): Promise<{ seconds: number; peakRss: number }> {
  const redis = createRedis(redisUrl);
  const loaded = await loadMappings(join(import.meta.dirname, '..', 'mappings'));
  if (!loaded.set) throw new Error('the shipped mappings are invalid');
  const ctx = directSyncContext({
    connectionId: 'bench',
    root,
    redis,
    mappings: loaded.set,
    hubspot: info.hubspot,
    salesforce: info.salesforce,
    limits: limited ? { hubspotTenSecond: HUBSPOT_LIMIT } : { hubspotTenSecond: 1_000_000, hubspotSearchPerSecond: 10_000 },
  });
  // rss() alone: the full memoryUsage() walks the heap's spaces, and at 20 a second it cost the worker's side 2 µs a person.
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 50);
  const started = performance.now();
  try {
    // REVLOOP_BENCH_DEBUG=1 prints how long each phase took.
    let phase = '';
    let phaseStarted = started;
    let elu = performance.eventLoopUtilization();
    let cpu = process.cpuUsage();
    const onProgress = (p: { phase: string; processed: number }) => {
      if (!process.env.REVLOOP_BENCH_DEBUG || p.phase === phase) return;
      if (phase) process.stderr.write(`backfill ${phase}: elu ${performance.eventLoopUtilization(elu).utilization.toFixed(2)} cpu ${Math.round(process.cpuUsage(cpu).user / 1000)} ms ${Math.round(performance.now() - phaseStarted)} ms\n`);
      phase = p.phase;
      phaseStarted = performance.now();
      elu = performance.eventLoopUtilization();
      cpu = process.cpuUsage();
    };
    const result = await backfill(ctx, { pair: 'contacts', onProgress });
    if (result.outcome.parked > 0) throw new Error(`${result.outcome.parked} records parked`);
  } finally {
    clearInterval(sampler);
  }
  const seconds = (performance.now() - started) / 1000;
  await deleteByPrefix(redis, `${root}:`);
  redis.disconnect();
  return { seconds, peakRss };
}

/** One record at a time: read it, look its counterpart up, write it, write the link back. */
async function naiveSync(info: SandboxProcessInfo, people: number): Promise<number> {
  const hubspot = new Client({ accessToken: info.hubspot.accessToken, basePath: info.hubspot.baseUrl, numberOfApiCallRetries: 0 });
  const conn = new jsforce.Connection({ instanceUrl: info.salesforce.instanceUrl, accessToken: info.salesforce.accessToken, version: info.salesforce.version });
  await hubspot.crm.properties.coreApi.create('contacts', { name: 'revloop_salesforce_lead_id', label: 'Salesforce Lead id', type: 'string' as never, fieldType: 'text' as never, groupName: 'contactinformation' });
  const started = performance.now();
  let done = 0;
  let after: string | undefined;
  while (done < people) {
    const page = await hubspot.crm.contacts.basicApi.getPage(100, after, ['email']);
    for (const summary of page.results) {
      if (done >= people) break;
      const contact = await hubspot.crm.contacts.basicApi.getById(summary.id, ['email', 'firstname', 'lastname', 'company', 'jobtitle', 'phone']);
      const p = contact.properties;
      const found = await conn.query<{ Id: string }>(`SELECT Id FROM Lead WHERE Email = '${String(p.email).replace(/'/g, "\\'")}' LIMIT 1`);
      const values = { FirstName: p.firstname, LastName: p.lastname ?? '[not provided]', Company: p.company ?? '[not provided]', Title: p.jobtitle, Phone: p.phone, Revloop_HubSpot_Id__c: contact.id };
      const lead = found.records[0];
      const id = lead ? (await conn.sobject('Lead').update({ Id: lead.Id, ...values }), lead.Id) : ((await conn.sobject('Lead').create({ Email: p.email, ...values })) as { id: string }).id;
      await hubspot.crm.contacts.basicApi.update(contact.id, { properties: { revloop_salesforce_lead_id: id } });
      done += 1;
    }
    after = page.paging?.next?.after;
    if (!after) break;
  }
  return done / ((performance.now() - started) / 1000);
}

export async function run(args: string[]): Promise<Figures> {
  const people = arg(args, '--people', 100_000);
  const limitedPeople = arg(args, '--limited-people', Math.min(people, 20_000));
  const naivePeople = arg(args, '--naive-people', Math.min(people, 1_000));
  const redis = await ensureRedis();
  const root = `bench-${Date.now().toString(36)}`;
  const children: ChildProcess[] = [];
  try {
    // 1. Zero latency, no rate limits.
    const fast = await startSandboxes({ ...split(people), rateLimits: false });
    children.push(...fast.children);
    const before = { hubspot: await calls(fast.info.hubspot.baseUrl), salesforce: await calls(fast.info.salesforce.instanceUrl) };
    // CPU per person: this process (the worker's work) and the simulators' processes.
    const simsCpuBefore = sum(fast.children.map((c) => cpuSecondsOf(c.pid)));
    // Redis's share too (a shared REDIS_URL counts what others ask of it meanwhile).
    const redisCpuBefore = await redisCpuSeconds(redis.url);
    const workerCpuBefore = process.cpuUsage();
    const zero = await runBackfill(fast.info, redis.url, `${root}-fast`, false);
    const workerCpu = process.cpuUsage(workerCpuBefore);
    const simsCpuAfter = sum(fast.children.map((c) => cpuSecondsOf(c.pid)));
    const redisCpuAfter = await redisCpuSeconds(redis.url);
    const redisUsPerPerson = redisCpuBefore !== undefined && redisCpuAfter !== undefined ? ((redisCpuAfter - redisCpuBefore) * 1e6) / people : undefined;
    const workerUsPerPerson = (workerCpu.user + workerCpu.system) / people;
    const simsUsPerPerson = simsCpuBefore !== undefined && simsCpuAfter !== undefined ? ((simsCpuAfter - simsCpuBefore) * 1e6) / people : undefined;
    const used = { hubspot: (await calls(fast.info.hubspot.baseUrl)) - before.hubspot, salesforce: (await calls(fast.info.salesforce.instanceUrl)) - before.salesforce };
    fast.child.kill('SIGTERM');
    const min = minimumCalls(fast.info.people);

    // 2. Under the default rate limits.
    const slow = await startSandboxes({ ...split(limitedPeople), rateLimits: true });
    children.push(...slow.children);
    const limitedBefore = await calls(slow.info.hubspot.baseUrl);
    const limited = await runBackfill(slow.info, redis.url, `${root}-limited`, true);
    const limitedCalls = (await calls(slow.info.hubspot.baseUrl)) - limitedBefore;
    slow.child.kill('SIGTERM');
    const limitedMin = minimumCalls(slow.info.people);
    const ceilingPerS = HUBSPOT_LIMIT / 10 / (limitedMin.hubspot / limitedPeople);

    // 3. One call per record.
    const naive = await startSandboxes({ ...split(naivePeople * 2), rateLimits: false });
    children.push(...naive.children);
    const naiveRate = await naiveSync(naive.info, naivePeople);
    naive.child.kill('SIGTERM');

    const recordsPerS = people / zero.seconds;
    const limitedPerS = limitedPeople / limited.seconds;
    const figures: Figures = {
      people,
      calls_hubspot: used.hubspot,
      calls_salesforce: used.salesforce,
      min_calls_hubspot: min.hubspot,
      min_calls_salesforce: min.salesforce,
      calls_ratio: round((used.hubspot + used.salesforce) / (min.hubspot + min.salesforce), 3),
      records_per_s: Math.round(recordsPerS),
      records_per_s_limited: Math.round(limitedPerS),
      ceiling_per_s: Math.round(ceilingPerS),
      ceiling_ratio: round(limitedPerS / ceilingPerS, 3),
      naive_records_per_s: Math.round(naiveRate),
      speedup_vs_naive: round(recordsPerS / naiveRate, 1),
      peak_rss_mb: Math.round(Math.max(zero.peakRss, limited.peakRss) / 1_048_576),
      limited_people: limitedPeople,
      calls_hubspot_limited: limitedCalls,
      min_calls_hubspot_limited: limitedMin.hubspot,
      limited_seconds: round(limited.seconds, 1),
      naive_people: naivePeople,
      worker_cpu_us_per_person: Math.round(workerUsPerPerson),
      ...(simsUsPerPerson !== undefined
        ? {
            simulators_cpu_us_per_person: Math.round(simsUsPerPerson),
            ...(redisUsPerPerson !== undefined ? { redis_cpu_us_per_person: Math.round(redisUsPerPerson) } : {}),
            // What this machine's cores could do at all with the worker, the simulators and Redis sharing them.
            cores: cpus().length,
            machine_ceiling_per_s: Math.round((cpus().length * 1e6) / (workerUsPerPerson + simsUsPerPerson + (redisUsPerPerson ?? 0))),
          }
        : {}),
    };
    process.stdout.write(
      `${table([
        { figure: 'people (zero latency run)', value: people, note: `${fast.info.people.hubspotOnly} HubSpot only, ${fast.info.people.salesforceOnly} Salesforce only, ${fast.info.people.both} both` },
        { figure: 'HubSpot calls / batch minimum', value: `${used.hubspot} / ${min.hubspot}`, note: '' },
        { figure: 'Salesforce calls / batch minimum', value: `${used.salesforce} / ${min.salesforce}`, note: '' },
        { figure: 'calls ratio', value: String(figures.calls_ratio), note: 'target <= 1.05' },
        { figure: 'records/s, zero latency', value: figures.records_per_s as number, note: 'target >= 5000' },
        { figure: `records/s, ${HUBSPOT_LIMIT}/10 s limit (${limitedPeople} people)`, value: figures.records_per_s_limited as number, note: `ceiling ${figures.ceiling_per_s}` },
        { figure: 'ceiling ratio', value: String(figures.ceiling_ratio), note: 'target >= 0.9' },
        { figure: `naive one-call-per-record (${naivePeople} people)`, value: figures.naive_records_per_s as number, note: `revloop is ${figures.speedup_vs_naive}x faster` },
        { figure: 'peak RSS of the worker (MB)', value: figures.peak_rss_mb as number, note: '' },
        { figure: 'CPU per person: worker / simulators / Redis (µs)', value: `${figures.worker_cpu_us_per_person} / ${figures.simulators_cpu_us_per_person ?? '—'} / ${figures.redis_cpu_us_per_person ?? '—'}`, note: figures.machine_ceiling_per_s ? `${figures.cores} cores could do ${figures.machine_ceiling_per_s} people/s at most` : '' },
      ])}\n`,
    );
    return figures;
  } finally {
    for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
    await redis.stop();
  }
}
