/**
 * A worker process killed (SIGKILL) in the middle of a backfill, and another started: the backfill
 * finishes from its checkpoint with nothing lost and nothing duplicated.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queuePrefix } from '../../../src/platform/redis.js';
import { SecretBox } from '../../../src/platform/secret-box.js';
import { ConnectionStore } from '../../../src/state/connection-store.js';
import { backfillRunId } from '../../../src/worker/backfill/run-backfill.js';
import { QUEUES } from '../../../src/worker/queues.js';
import { startSyncHarness, type SyncHarness } from '../../helpers/sync-harness.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const KEY = Buffer.alloc(32, 3);
const PEOPLE = 3000;
let h: SyncHarness;
const children: ChildProcess[] = [];

function startWorkerProcess(): ChildProcess {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'revloop.js'), 'worker'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      REDIS_URL: h.redis.url,
      REVLOOP_REDIS_ROOT: h.redis.root,
      REVLOOP_ENCRYPTION_KEY: KEY.toString('base64'),
      REVLOOP_ADMIN_TOKEN: 'x'.repeat(32),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  return child;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  // 15 ms per call on both simulators: the backfill takes long enough to be interrupted.
  h = await startSyncHarness({ hubspot: { faults: { latencyMs: 15 } }, salesforce: { faults: { latencyMs: 15 } }, connectionId: 'crash' });
  h.hubspot.store.createMany('contacts', Array.from({ length: PEOPLE }, (_, i) => ({ properties: { email: `p${i}@example.com`, firstname: `F${i}`, lastname: `L${i}` } })), { actor: { source: 'CRM_UI' }, quiet: true });
  h.salesforce.store.insertMany('Lead', Array.from({ length: PEOPLE }, (_, i) => ({ Email: `p${i + PEOPLE / 2}@example.com`, FirstName: `S${i}`, LastName: `L${i}`, Company: 'Acme' })));
  const store = new ConnectionStore(h.redis.redis, new SecretBox(KEY), h.redis.root);
  await store.put(
    { id: 'crash', label: 'crash test', hubspot: { baseUrl: h.hubspot.baseUrl }, salesforce: { instanceUrl: h.salesforce.instanceUrl, loginUrl: h.salesforce.loginUrl, version: h.salesforce.version } },
    { hubspot: { kind: 'private-app', token: h.hubspot.accessToken }, salesforce: { kind: 'session', accessToken: h.salesforce.accessToken } },
  );
}, 60_000);

afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await h?.close();
});

describe('a worker killed mid-backfill', () => {
  it('finishes from its checkpoint on another worker: nothing lost, nothing duplicated', async () => {
    const queue = new Queue(QUEUES.backfill, { connection: { url: h.redis.url }, prefix: queuePrefix(h.redis.root) });
    const run = backfillRunId({ pair: 'contacts' });
    const job = await queue.add('backfill', { connectionId: 'crash', pair: 'contacts', run }, { attempts: 5 });
    const first = startWorkerProcess();
    // Kill it once it has committed some HubSpot pages but not all.
    const reached = await until('progress in the HubSpot phase', async () => {
      const cp = await h.ctx.checkpoints.get('backfill:contacts');
      return cp && (cp as { phase?: string }).phase === 'hubspot' && cp.cursor ? cp : undefined;
    });
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    expect(reached.done).toBe(false);
    const beforeRestart = h.hubspot.store.count('contacts');

    startWorkerProcess();
    await until('the backfill job to finish', async () => ((await job.getState()) === 'completed' ? true : undefined), 120_000);
    const cp = await h.ctx.checkpoints.get('backfill:contacts');
    expect(cp?.done).toBe(true);

    const total = PEOPLE + PEOPLE / 2;
    expect(beforeRestart).toBeLessThanOrEqual(total);
    expect(h.hubspot.store.count('contacts')).toBe(total);
    expect(h.salesforce.store.count('Lead')).toBe(total);
    expect(await h.ctx.links.count('contacts')).toBe(total);
    const leads = h.salesforce.store.query('SELECT Email, Revloop_HubSpot_Id__c FROM Lead').records;
    expect(new Set(leads.map((l) => String(l.Email).toLowerCase())).size).toBe(total);
    expect(leads.every((l) => l.Revloop_HubSpot_Id__c)).toBe(true);
    expect(await h.ctx.deadLetters.size()).toBe(0);
    await queue.close();
  }, 240_000);
});
