/**
 * `revloop demo` and `revloop dlq` as people run them: real processes. The demo starts everything
 * with nothing configured but Redis (REDIS_URL here, so it uses a key root of its own), runs the
 * initial sync, prints a sign-in link that opens the dashboard, and stops on Ctrl-C. `dlq` lists a
 * parked record with its fix and retries it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedis } from '../../src/platform/redis.js';
import { backfill } from '../../src/worker/backfill/run-backfill.js';
import { until } from '../helpers/app-harness.js';
import { cliEnv, runRevloop, storeHarnessConnection } from '../helpers/cli-harness.js';
import { testRedisUrl } from '../helpers/redis.js';
import { startSyncHarness, type SyncHarness } from '../helpers/sync-harness.js';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'bin', 'revloop.js');

describe('revloop demo', () => {
  it('starts everything, syncs, prints a working sign-in link, and stops on Ctrl-C', async () => {
    const child = spawn(process.execPath, [CLI, 'demo', '--port', '0', '--people', '200', '--rate', '5'], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', REDIS_URL: testRedisUrl() } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      await until('the demo to be ready', () => /Ready in [\d.]+ s/.test(stdout), 90_000);
      expect(stdout).toMatch(/Initial sync done: \d+ linked/);
      const link = /Dashboard \(one-time sign-in link\): (\S+)/.exec(stdout)?.[1] ?? '';
      const signIn = await fetch(link, { redirect: 'manual' });
      expect(signIn.status).toBe(303);
      const cookie = signIn.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
      const base = new URL(link).origin;
      const dashboard = await fetch(`${base}/`, { headers: { cookie } });
      expect(dashboard.status).toBe(200);
      expect(await dashboard.text()).toMatch(/revloop dashboard/);
      const status = (await (await fetch(`${base}/api/connections/demo`, { headers: { cookie } })).json()) as { links: { contacts: number } };
      expect(status.links.contacts).toBeGreaterThan(100);
      expect((await fetch(link, { redirect: 'manual' })).status).toBe(401);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    expect(stdout).toMatch(/stopped\./);
    expect(stderr, stderr).not.toMatch(/error/i);
    // On a shared Redis the demo used a key root of its own, and leaves nothing behind.
    const client = createRedis(testRedisUrl());
    const [, left] = await client.scan('0', 'MATCH', 'revloop-demo-*', 'COUNT', 10_000);
    client.disconnect();
    expect(left).toEqual([]);
  }, 120_000);
});

describe('revloop dlq', () => {
  const KEY = Buffer.alloc(32, 5);
  let h: SyncHarness;
  const env = () => cliEnv(h, KEY);
  const run = (args: string[]) => runRevloop(['dlq', ...args], env());

  beforeAll(async () => {
    h = await startSyncHarness({ connectionId: 'cli' });
    await storeHarnessConnection(h, 'cli', KEY);
    h.hubspot.store.createMany('contacts', [{ properties: { email: 'long@example.com', lastname: 'Q'.repeat(100) } }, { properties: { email: 'fine@example.com', lastname: 'Fine' } }], { actor: { source: 'CRM_UI' }, quiet: true });
    await backfill(h.ctx, { pair: 'contacts' });
  }, 60_000);
  afterAll(async () => h?.close());

  it('lists the parked record with the vendor message and a fix', async () => {
    const list = await run(['list']);
    expect(list.status).toBe(0);
    expect(list.stdout).toMatch(/1 parked record in connection cli/);
    expect(list.stdout).toMatch(/Value the field cannot hold \[invalid-value\]: 1/);
    expect(list.stdout).toMatch(/STRING_TOO_LONG: Last Name: data value too large/);
    expect(list.stdout).toMatch(/fix: the value does not fit Lead\.LastName/);
    const json = JSON.parse((await run(['list', '--json'])).stdout) as { total: number; groups: Array<{ entries: Array<{ id: string }> }> };
    expect(json.total).toBe(1);
  });

  it('retries after the fix, waits with its own worker, and says nothing is left', async () => {
    const id = (await h.ctx.deadLetters.list())[0]?.id ?? '';
    const unfixed = await run(['retry', id]);
    expect(unfixed.status).toBe(1);
    expect(unfixed.stdout).toMatch(/1 record is still parked/);
    const hubspotId = (await h.ctx.deadLetters.list())[0]?.hubspotId ?? '';
    h.hubspot.store.update('contacts', hubspotId, { lastname: 'Quinn' }, { actor: { source: 'CRM_UI' }, quiet: true });
    const fixed = await run(['retry-all']);
    expect(fixed.stdout).toMatch(/Queued 1 parked record again/);
    expect(fixed.stdout).toMatch(/Every parked record synced/);
    expect(fixed.status).toBe(0);
    expect(h.salesforce.store.query("SELECT LastName FROM Lead WHERE Email = 'long@example.com'").records[0]?.LastName).toBe('Quinn');
  }, 60_000);

  it('refuses a bad action or category clearly', () => {
    const bad = spawnSync(process.execPath, [CLI, 'dlq', 'purge'], { cwd: ROOT, env: env(), encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/unknown action "purge"; use list, retry <id\.\.\.> or retry-all/);
    const cat = spawnSync(process.execPath, [CLI, 'dlq', 'list', '--category', 'nope'], { cwd: ROOT, env: env(), encoding: 'utf8' });
    expect(cat.stderr).toMatch(/--category must be one of/);
  });
});
