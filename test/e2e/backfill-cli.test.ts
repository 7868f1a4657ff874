/** `revloop backfill` as an admin runs it: a real process, a stored connection, the simulators. */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretBox } from '../../src/platform/secret-box.js';
import { ConnectionStore } from '../../src/state/connection-store.js';
import { startSyncHarness, type SyncHarness } from '../helpers/sync-harness.js';

const ROOT = join(import.meta.dirname, '..', '..');
const KEY = Buffer.alloc(32, 9);
let h: SyncHarness;

beforeAll(async () => {
  h = await startSyncHarness({ connectionId: 'cli' });
  h.hubspot.store.createMany('contacts', Array.from({ length: 250 }, (_, i) => ({ properties: { email: `c${i}@example.com`, lastname: `L${i}` } })), { actor: { source: 'CRM_UI' }, quiet: true });
  h.salesforce.store.insertMany('Lead', Array.from({ length: 50 }, (_, i) => ({ Email: `s${i}@example.com`, LastName: `S${i}`, Company: 'X' })));
  await new ConnectionStore(h.redis.redis, new SecretBox(KEY), h.redis.root).put(
    { id: 'cli', hubspot: { baseUrl: h.hubspot.baseUrl }, salesforce: { instanceUrl: h.salesforce.instanceUrl, loginUrl: h.salesforce.loginUrl, version: h.salesforce.version } },
    { hubspot: { kind: 'private-app', token: h.hubspot.accessToken }, salesforce: { kind: 'session', accessToken: h.salesforce.accessToken } },
  );
}, 60_000);
afterAll(async () => h?.close());

describe('revloop backfill', () => {
  it('runs the backfill with its own worker and reports the outcome', async () => {
    // Asynchronous: the simulators live in this process and must keep answering.
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'revloop.js'), 'backfill', '--object', 'contacts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', REDIS_URL: h.redis.url, REVLOOP_REDIS_ROOT: h.redis.root, REVLOOP_ENCRYPTION_KEY: KEY.toString('base64'), REVLOOP_ADMIN_TOKEN: 'a'.repeat(32), LOG_LEVEL: 'warn' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const status = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    const run = { status, stdout, stderr };
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/backfill of contacts done in [\d.]+ s: 300 linked, 250 created in Salesforce, 50 created in HubSpot/);
    expect(h.salesforce.store.count('Lead')).toBe(300);
    expect(h.hubspot.store.count('contacts')).toBe(300);
  });

  it('mirrors every opportunity as a HubSpot deal with --object deals, once', async () => {
    for (let i = 0; i < 3; i++) h.salesforce.store.insert('Opportunity', { Name: `Deal ${i}`, StageName: 'Prospecting', CloseDate: '2027-03-01', Amount: 1000 * (i + 1) }, { origin: 'ui' });
    const run = () =>
      new Promise<{ status: number | null; stdout: string }>((resolve) => {
        const child = spawn(process.execPath, [join(ROOT, 'bin', 'revloop.js'), 'backfill', '--object', 'deals'], {
          cwd: ROOT,
          env: { PATH: process.env.PATH ?? '', REDIS_URL: h.redis.url, REVLOOP_REDIS_ROOT: h.redis.root, REVLOOP_ENCRYPTION_KEY: KEY.toString('base64'), REVLOOP_ADMIN_TOKEN: 'a'.repeat(32), LOG_LEVEL: 'warn' },
        });
        let stdout = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.on('exit', (status) => resolve({ status, stdout }));
      });
    const first = await run();
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/deal mirror done in [\d.]+ s: 3 opportunities, 3 deals written, 0 unchanged, 0 parked/);
    expect(h.hubspot.store.count('deals')).toBe(3);
    const again = await run();
    expect(again.stdout).toMatch(/3 opportunities, 0 deals written, 3 unchanged/);
    expect(h.hubspot.store.count('deals')).toBe(3);
  });

  it('refuses a bad option with a clear message', () => {
    const run = spawnSync(process.execPath, [join(ROOT, 'bin', 'revloop.js'), 'backfill', '--object', 'leads'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '' },
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('--object must be contacts, companies or deals, not "leads"');
  });
});
