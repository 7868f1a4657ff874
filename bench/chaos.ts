/**
 * `npm run chaos [-- --people N --rate R --kill-every S --max-seconds T --settle-seconds U]`
 *
 * revloop under failure, on loopback only, bounded in time: a private redis-server with AOF, the
 * simulators (with Change Data Capture) in their own process, one `revloop server` receiving
 * HubSpot's webhooks and three `revloop worker` processes, all compiled as production runs them.
 * While a backfill of N people (default 100,000) runs:
 *  - people are edited and created on both sides at R changes per second (default 20);
 *  - a random worker is killed (SIGKILL) every S seconds (default 6) and started again a second later;
 *  - Redis is killed (SIGKILL) once, at 40 % of the backfill (or of the time allowed), and restarted on its AOF;
 *  - both simulators answer 10 % of calls with a 5xx, 5 % with a 429, and hold 1 % until the
 *    socket is closed (a timeout);
 *  - 1 % of the people carry a value Salesforce refuses (a title or city too long).
 * Then the kills stop and revloop is left to settle (faults still on) until both sides hold the
 * expected final state or U seconds pass. Verdict: every person on both sides against the expected
 * state (starting values plus every applied edit, the latest per field winning), changes lost,
 * duplicates, and the parked records against the invalid people. The LAST stdout line is
 * {"bench":"chaos","people":..,"kills":..,"redis_restarts":..,"lost":..,"duplicates":..,
 *  "converged_ratio":..,"parked_expected":..,"parked_actual":..}; the exit code is 0 only when the
 * run is clean: the backfill completed, Redis was restarted, no duplicate, nobody missing, parked
 * exactly the invalid people, and lost ≤ --max-lost-ratio of the edits (default 0) with
 * converged ≥ --min-converged (default 1). `--no-build` reuses dist/.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { startPrivateRedis, type LocalRedis } from '../src/platform/local-redis.js';
import type { Redis } from 'ioredis';
import { createRedis, Keyspace } from '../src/platform/redis.js';
import { Checkpoints } from '../src/state/checkpoints.js';
import { DeadLetters } from '../src/state/dead-letters.js';
import { LinkStore } from '../src/state/link-store.js';
import { ProvenanceStore } from '../src/state/provenance-store.js';
import { backfillRunId } from '../src/worker/backfill/run-backfill.js';
import { createQueue, JOBS, QUEUES, type BackfillJob } from '../src/worker/queues.js';
import { EditDriver } from './lib/chaos-driver.js';
import { startValuesOf, verify, type Verdict } from './lib/chaos-verify.js';
import type { SnapshotRecord } from './lib/people-sandbox-process.js';
import { COMPARED_FIELDS, emailOf, indexOfEmail, invalidValues, splitPeople, type ComparedField } from './lib/people.js';
import { emit, round, table, type Figures } from './lib/report.js';
import { adopt, buildRevloop, ensureSchema, freePort, getJson, registerConnection, sleep, startPeopleSandbox, startServerProcess, startWorkerProcess, type RevloopEnv, type RevloopProcess } from './lib/revloop-processes.js';

const CONNECTION = 'chaos';
const WEBHOOK_PROPERTIES = ['email', 'firstname', 'lastname', 'jobtitle', 'city'];

function arg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  const v = i >= 0 ? Number(args[i + 1]) : NaN;
  return Number.isFinite(v) && v >= 0 ? v : fallback;
}

function log(message: string): void {
  process.stderr.write(`chaos: ${message}\n`);
}

async function put(url: string, body: unknown): Promise<void> {
  const res = await fetch(url, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`PUT ${url}: ${res.status} ${await res.text()}`);
}

async function snapshot(control: string): Promise<SnapshotRecord[]> {
  const res = await fetch(`${control}/snapshot`);
  const text = await res.text();
  return text
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as SnapshotRecord);
}

/**
 * For a few lost edits: every edit the harness made to that person, HubSpot's history of the field
 * and what revloop recorded as the field's provenance on both sides. Enough to tell a race (a write
 * planned before the edit landed after it) from a wrong decision.
 */
async function explainLost(verdict: Verdict, driver: EditDriver, records: SnapshotRecord[], redis: Redis, keys: Keyspace, hubspot: { baseUrl: string; accessToken: string }): Promise<void> {
  const provenance = new ProvenanceStore(redis, keys);
  for (const lost of verdict.lostEdits.slice(0, 5)) {
    const email = emailOf(lost.index);
    const hs = records.find((r) => r.side === 'hubspot' && r.email === email);
    const sf = records.find((r) => r.side === 'salesforce' && r.email === email);
    const sfField = COMPARED_FIELDS.find((f) => f.hubspot === lost.field);
    log(`lost: person ${lost.index} ${lost.field} = ${lost.value} (HubSpot ${hs?.id}, Salesforce ${sf?.id})`);
    for (const e of driver.applied.filter((x) => x.index === lost.index)) log(`  edit #${e.seq} at ${new Date(e.at).toISOString()}: ${e.side} ${e.field} = ${e.value}`);
    if (hs) {
      // The simulator's faults are still on: a read is tried a few times.
      let body: { propertiesWithHistory?: Record<string, Array<{ value: string; timestamp: string; sourceType: string }>> } | undefined;
      for (let attempt = 0; attempt < 8 && !body?.propertiesWithHistory; attempt++) {
        body = await tolerant(async () => {
          const res = await fetch(`${hubspot.baseUrl}/crm/v3/objects/contacts/${hs.id}?propertiesWithHistory=${lost.field}`, { headers: { authorization: `Bearer ${hubspot.accessToken}` }, signal: AbortSignal.timeout(5_000) });
          return (await res.json()) as typeof body;
        });
      }
      if (!body?.propertiesWithHistory) log('  HubSpot history: not readable (faults)');
      for (const h of (body?.propertiesWithHistory?.[lost.field] ?? []).slice(0, 6)) log(`  HubSpot history: ${h.timestamp} ${h.sourceType} ${JSON.stringify(h.value)}`);
      const p = (await provenance.get('hubspot', hs.id))[lost.field];
      if (p) log(`  revloop provenance (HubSpot): ${new Date(p.at).toISOString()} ${p.actor} ${p.source} ${JSON.stringify(p.value)} (was ${JSON.stringify(p.previous)})${p.basis !== undefined ? ` planned from ${new Date(p.basis).toISOString()}` : ''}${p.pending ? ' (pending)' : ''}`);
    }
    if (sf && sfField) {
      const p = (await provenance.get('salesforce', sf.id))[sf.object === 'Lead' ? sfField.salesforce : sfField.contact];
      if (p) log(`  revloop provenance (Salesforce): ${new Date(p.at).toISOString()} ${p.actor} ${p.source} ${JSON.stringify(p.value)} (was ${JSON.stringify(p.previous)})${p.basis !== undefined ? ` planned from ${new Date(p.basis).toISOString()}` : ''}${p.pending ? ' (pending)' : ''}`);
    }
  }
}

/** Runs `fn`, treating Redis being away (during its restart) as "no answer yet". */
async function tolerant<T>(fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch {
    return undefined;
  }
}

export async function runChaos(args: string[]): Promise<{ figures: Figures; clean: boolean }> {
  const people = arg(args, '--people', 100_000);
  const rate = arg(args, '--rate', 20);
  const killEvery = arg(args, '--kill-every', 6);
  const maxSeconds = arg(args, '--max-seconds', 1200);
  const settleSeconds = arg(args, '--settle-seconds', 300);
  const invalidRate = arg(args, '--invalid-rate', 0.01);
  const workerCount = arg(args, '--workers', 3);
  const seed = arg(args, '--seed', 7);
  const entry = args.includes('--source') ? 'source' : 'compiled';
  const maxLostRatio = arg(args, '--max-lost-ratio', 0);
  const minConverged = arg(args, '--min-converged', 1);
  const started = performance.now();
  const deadline = started + maxSeconds * 1000;
  const elapsed = () => Math.round((performance.now() - started) / 1000);

  if (entry === 'compiled' && !args.includes('--no-build')) {
    log('compiling revloop (npm run build)...');
    buildRevloop();
  }
  const split = splitPeople(people);
  let redisServer: LocalRedis & { child: ChildProcess; dir: string; port: number } = await startPrivateRedis({ persist: true });
  adopt(redisServer.child);
  const { dir: redisDir, port: redisPort } = redisServer;
  log(`Redis with AOF on port ${redisPort}; loading ${people.toLocaleString('en-US')} people into the simulators...`);
  const sandbox = await startPeopleSandbox({ ...split, invalidRate, cdc: true });
  const invalid = new Set(sandbox.info.invalid);
  const env: RevloopEnv = {
    redisUrl: redisServer.url,
    root: 'chaos',
    key: randomBytes(32),
    extra: {
      LOG_LEVEL: process.env.CHAOS_LOG_LEVEL ?? 'error',
      REVLOOP_HUBSPOT_TEN_SECOND_LIMIT: '1000',
      REVLOOP_SALESFORCE_DAILY_SHARE: '100',
      REVLOOP_SWEEP_INTERVAL_MINUTES: '1',
      REVLOOP_BATCH_WINDOW_MS: '500',
    },
  };
  const redis = createRedis(redisServer.url, { name: 'chaos:harness' });
  redis.on('error', () => undefined);
  const keys = new Keyspace(CONNECTION, env.root);
  const links = new LinkStore(redis, keys);
  const checkpoints = new Checkpoints(redis, keys);
  const workers: Array<RevloopProcess | undefined> = [];
  let server: RevloopProcess | undefined;
  const driver = new EditDriver({ control: sandbox.info.control, people, skip: invalid, perSecond: rate, createShare: 0.05, spacingMs: 5000, seed });
  let kills = 0;
  let redisRestarts = 0;
  try {
    await registerConnection(env, CONNECTION, sandbox.info);
    await ensureSchema(env, CONNECTION, sandbox.info);
    const port = await freePort();
    server = startServerProcess(env, port, entry);
    const serverUrl = `http://127.0.0.1:${port}`;
    for (let i = 0; (await tolerant(() => fetch(`${serverUrl}/healthz`)))?.status !== 200; i++) {
      if (i > 300) throw new Error('the server did not start');
      await sleep(100);
    }
    await put(`${sandbox.info.hubspot.baseUrl}/__sandbox/webhooks`, {
      targetUrl: `${serverUrl}/webhooks/hubspot`,
      subscriptions: [
        ...['creation', 'deletion', 'merge', 'restore'].map((e) => ({ subscriptionType: `contact.${e}` })),
        ...WEBHOOK_PROPERTIES.map((p) => ({ subscriptionType: 'contact.propertyChange', propertyName: p })),
      ],
      batchWindowMs: 200,
      maxAttempts: 10,
    });
    for (let i = 0; i < workerCount; i++) workers.push(startWorkerProcess(env, `worker-${i + 1}`, entry));
    await sleep(3000);
    const faults = { errorRates: { '500': 0.05, '503': 0.05, '429': 0.05 }, timeoutRate: 0.01, timeoutMs: 3000, seed };
    await put(`${sandbox.info.hubspot.baseUrl}/__sandbox/faults`, faults);
    await put(`${sandbox.info.salesforce.instanceUrl}/__sandbox/faults`, faults);

    // The backfill, queued as `revloop backfill` queues it.
    const backfillQueue = createQueue(QUEUES.backfill, { url: redisServer.url, maxRetriesPerRequest: null }, env.root);
    const run = backfillRunId({ pair: 'contacts' });
    const data: BackfillJob = { connectionId: CONNECTION, pair: 'contacts', run };
    const job = await backfillQueue.add(JOBS.backfill, data, { jobId: `backfill-${CONNECTION}-${run}-${Date.now().toString(36)}` });
    log(`backfill queued; live changes at ${rate}/s, a worker killed every ${killEvery} s, faults on`);
    driver.start();

    let nextKill = performance.now() + killEvery * 1000;
    let lastLog = 0;
    let backfillState: string | undefined;
    let backfillDoneAt: number | undefined;
    for (;;) {
      const now = performance.now();
      if (now > deadline) {
        log('time is up before the backfill finished');
        break;
      }
      const linked = (await tolerant(() => links.count('contacts'))) ?? -1;
      backfillState = (await tolerant(async () => (await backfillQueue.getJob(job.id as string))?.getState())) ?? backfillState;
      if (backfillState === 'completed' || backfillState === 'failed') {
        backfillDoneAt = now;
        break;
      }
      // Redis dies once: at 40 % of the backfill, or at 40 % of the time allowed if the backfill is slower.
      if (redisRestarts === 0 && (linked >= 0.4 * people || now - started >= 0.4 * maxSeconds * 1000)) {
        log(`killing Redis (SIGKILL) at ${linked.toLocaleString('en-US')} people linked, ${elapsed()} s`);
        redisServer.child.kill('SIGKILL');
        await new Promise((r) => redisServer.child.once('exit', r));
        await sleep(2000);
        redisServer = await startPrivateRedis({ persist: true, dir: redisDir, port: redisPort });
        adopt(redisServer.child);
        redisRestarts += 1;
        log('Redis restarted on its AOF');
      }
      if (now >= nextKill) {
        const alive = workers.map((w, i) => ({ w, i })).filter((x) => x.w && x.w.child.exitCode === null && x.w.child.signalCode === null);
        const victim = alive[Math.floor(Math.random() * alive.length)];
        if (victim?.w) {
          await victim.w.kill('SIGKILL');
          kills += 1;
          const i = victim.i;
          setTimeout(() => {
            if (performance.now() < deadline) workers[i] = startWorkerProcess(env, `worker-${i + 1}`, entry);
          }, 1000);
        }
        nextKill = now + killEvery * 1000;
      }
      if (now - lastLog > 15_000) {
        lastLog = now;
        const cp = await tolerant(() => checkpoints.get('backfill:contacts'));
        log(`${elapsed()} s: ${linked.toLocaleString('en-US')} linked, backfill ${backfillState ?? '?'} (${cp?.phase ?? '-'}), ${driver.applied.length} edits, ${kills} kills`);
      }
      await sleep(250);
    }
    await driver.stop();
    await sleep(1500);
    for (let i = 0; i < workerCount; i++) {
      const w = workers[i];
      if (!w || w.child.exitCode !== null || w.child.signalCode !== null) workers[i] = startWorkerProcess(env, `worker-${i + 1}`, entry);
    }
    const backfillJob = await tolerant(() => backfillQueue.getJob(job.id as string));
    const backfillSeconds = backfillDoneAt !== undefined ? round((backfillDoneAt - started) / 1000, 1) : -1;
    log(`chaos over at ${elapsed()} s (backfill ${backfillState}${backfillJob?.failedReason ? `: ${backfillJob.failedReason}` : ''}); settling with faults still on`);

    // Settle: the same verdict, taken until it is clean or the time is up.
    const population = {
      indexes: [...Array.from({ length: people }, (_, i) => i), ...driver.created],
      invalid,
      startValues: (index: number) => {
        const k = sandbox.info.invalid.indexOf(index);
        return { ...startValuesOf(index), ...(k >= 0 ? (invalidValues(index, k) as Partial<Record<ComparedField, string>>) : {}) };
      },
    };
    const settleUntil = Math.min(deadline + settleSeconds * 1000, performance.now() + settleSeconds * 1000);
    let verdict: Verdict;
    let records: SnapshotRecord[];
    for (;;) {
      records = await snapshot(sandbox.info.control);
      verdict = verify(population, driver.applied, records);
      log(`${elapsed()} s: converged ${verdict.converged}/${verdict.people}, lost ${verdict.lost}, duplicates ${verdict.duplicates}, missing ${verdict.missing.hubspot}+${verdict.missing.salesforce}`);
      if ((verdict.converged === verdict.people && verdict.duplicates === 0) || performance.now() > settleUntil) break;
      await sleep(15_000);
    }
    const settledAt = performance.now();

    // Parked records: exactly the invalid people?
    const byId = new Map(records.filter((r) => r.side === 'hubspot').map((r) => [r.id, r.email ? indexOfEmail(r.email) : undefined]));
    const parked = (await new DeadLetters(redis, keys).list(100_000)).filter((p) => p.pair === 'contacts');
    const parkedPeople = new Set(parked.map((p) => (p.hubspotId ? byId.get(p.hubspotId) : undefined)).filter((i): i is number => i !== undefined));
    const parkedExact = parkedPeople.size === invalid.size && [...invalid].every((i) => parkedPeople.has(i)) && parked.length === invalid.size;
    const webhooks = await getJson<{ stats: Record<string, number> }>(`${sandbox.info.hubspot.baseUrl}/__sandbox/webhooks`);
    for (const e of verdict.examples) log(`not converged: person ${e.index}: ${e.reason}`);
    await explainLost(verdict, driver, records, redis, keys, sandbox.info.hubspot);
    for (const p of parked.filter((x) => !(x.hubspotId && invalid.has(byId.get(x.hubspotId) ?? -1))).slice(0, 10)) log(`parked unexpectedly: ${p.record} ${p.code}: ${p.message}`);

    const figures: Figures = {
      people,
      kills,
      redis_restarts: redisRestarts,
      lost: verdict.lost,
      duplicates: verdict.duplicates,
      converged_ratio: verdict.convergedRatio,
      parked_expected: invalid.size,
      parked_actual: parked.length,
      parked_exact: parkedExact ? 1 : 0,
      edits: driver.applied.length,
      created: driver.created.length,
      missing_hubspot: verdict.missing.hubspot,
      missing_salesforce: verdict.missing.salesforce,
      disagreeing_links: verdict.disagreeingLinks,
      backfill_state: backfillState ?? 'unknown',
      backfill_attempts: backfillJob?.attemptsMade ?? -1,
      backfill_seconds: backfillSeconds,
      settle_seconds: round((settledAt - (backfillDoneAt ?? settledAt)) / 1000, 1),
      webhook_deliveries_failed: webhooks.stats.failed ?? 0,
      seconds: elapsed(),
    };
    process.stdout.write(
      `${table([
        { figure: 'people (+ created during the run)', value: `${people} + ${driver.created.length}`, target: '' },
        { figure: 'edits applied on both sides', value: driver.applied.length, target: '' },
        { figure: 'workers killed (SIGKILL)', value: kills, target: '' },
        { figure: 'Redis restarts (SIGKILL, AOF)', value: redisRestarts, target: '1' },
        { figure: 'backfill', value: `${backfillState} after ${backfillSeconds} s, ${backfillJob?.attemptsMade ?? '?'} attempts`, target: 'completed' },
        { figure: 'changes lost', value: verdict.lost, target: '0' },
        { figure: 'duplicates', value: verdict.duplicates, target: '0' },
        { figure: 'converged', value: `${verdict.converged} / ${verdict.people}`, target: 'all' },
        { figure: 'parked: invalid people / parked records', value: `${invalid.size} / ${parked.length}`, target: parkedExact ? 'exactly those' : 'NOT exactly those' },
        { figure: 'webhook deliveries given up by HubSpot', value: webhooks.stats.failed ?? 0, target: '' },
      ])}\n`,
    );
    await backfillQueue.close();
    const clean =
      backfillState === 'completed' &&
      redisRestarts === 1 &&
      verdict.duplicates === 0 &&
      verdict.missing.hubspot + verdict.missing.salesforce === 0 &&
      parkedExact &&
      verdict.lost <= maxLostRatio * driver.applied.length &&
      verdict.convergedRatio >= minConverged;
    return { figures, clean };
  } finally {
    await driver.stop();
    for (const w of workers) await w?.kill('SIGKILL');
    await server?.kill('SIGTERM');
    redis.disconnect();
    await sandbox.process.kill('SIGTERM');
    await redisServer.stop();
    rmSync(redisDir, { recursive: true, force: true });
  }
}

const { figures, clean } = await runChaos(process.argv.slice(2).filter((a) => a !== '--'));
emit('chaos', figures);
process.exit(clean ? 0 : 1);
