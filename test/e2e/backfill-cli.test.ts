/** `revloop backfill` as an admin runs it: a real process, a stored connection, the simulators. */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, REPO_ROOT, REVLOOP_BIN, runRevloop, storeHarnessConnection } from '../helpers/cli-harness.js';
import { startSyncHarness, type SyncHarness } from '../helpers/sync-harness.js';

const KEY = Buffer.alloc(32, 9);
let h: SyncHarness;

beforeAll(async () => {
  h = await startSyncHarness({ connectionId: 'cli' });
  h.hubspot.store.createMany('contacts', Array.from({ length: 250 }, (_, i) => ({ properties: { email: `c${i}@example.com`, lastname: `L${i}` } })), { actor: { source: 'CRM_UI' }, quiet: true });
  h.salesforce.store.insertMany('Lead', Array.from({ length: 50 }, (_, i) => ({ Email: `s${i}@example.com`, LastName: `S${i}`, Company: 'X' })));
  await storeHarnessConnection(h, 'cli', KEY);
}, 60_000);
afterAll(async () => h?.close());

describe('revloop backfill', () => {
  it('runs the backfill with its own worker and reports the outcome', async () => {
    // Asynchronous: the simulators live in this process and must keep answering.
    const run = await runRevloop(['backfill', '--object', 'contacts'], cliEnv(h, KEY));
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/backfill of contacts done in [\d.]+ s: 300 linked, 250 created in Salesforce, 50 created in HubSpot/);
    expect(h.salesforce.store.count('Lead')).toBe(300);
    expect(h.hubspot.store.count('contacts')).toBe(300);
  });

  it('without --object backfills companies, then contacts', async () => {
    h.hubspot.store.createMany('companies', Array.from({ length: 5 }, (_, i) => ({ properties: { name: `Company ${i}`, domain: `company${i}.example.com` } })), { actor: { source: 'CRM_UI' }, quiet: true });
    const run = await runRevloop(['backfill'], cliEnv(h, KEY));
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.status).toBe(0);
    const companies = run.stdout.search(/backfill of companies done in [\d.]+ s: \d+ linked, 5 created in Salesforce/);
    const contacts = run.stdout.search(/backfill of contacts done in [\d.]+ s: 300 linked, 0 created in Salesforce, 0 created in HubSpot/);
    expect(companies).toBeGreaterThanOrEqual(0);
    expect(contacts).toBeGreaterThan(companies);
    expect(h.hubspot.store.count('contacts')).toBe(300);
  });

  it('mirrors every opportunity as a HubSpot deal with --object deals, once', async () => {
    for (let i = 0; i < 3; i++) h.salesforce.store.insert('Opportunity', { Name: `Deal ${i}`, StageName: 'Prospecting', CloseDate: '2027-03-01', Amount: 1000 * (i + 1) }, { origin: 'ui' });
    const run = () => runRevloop(['backfill', '--object', 'deals'], cliEnv(h, KEY));
    const first = await run();
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/deal mirror done in [\d.]+ s: 3 opportunities, 3 deals written, 0 unchanged, 0 parked/);
    expect(h.hubspot.store.count('deals')).toBe(3);
    const again = await run();
    expect(again.stdout).toMatch(/3 opportunities, 0 deals written, 3 unchanged/);
    expect(h.hubspot.store.count('deals')).toBe(3);
  });

  it('refuses a bad option with a clear message', () => {
    const run = spawnSync(process.execPath, [REVLOOP_BIN, 'backfill', '--object', 'leads'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '' },
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('--object must be contacts, companies or deals, not "leads"');
  });
});
