/**
 * Under pressure: the same field edited on both sides for 1,000 people converges to the most recent
 * value with a bounded number of writes and provenance for every field; webhook deliveries dropped
 * by the simulator are repaired by the reconciliation sweep within one interval.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { backfill } from '../../src/worker/backfill/run-backfill.js';
import { startLive, type LiveHarness } from '../helpers/live-harness.js';

let h: LiveHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('convergence under concurrent edits', () => {
  it('converges 1,000 records to the most recent value, writes bounded, provenance kept', async () => {
    h = await startLive({ windowMs: 200 });
    const live = h;
    const N = 1000;
    live.hubspot.store.createMany('contacts', Array.from({ length: N }, (_, i) => ({ properties: { email: `c${i}@example.com`, lastname: `L${i}`, jobtitle: 'start' } })), { actor: { source: 'CRM_UI' }, quiet: true });
    await backfill(live.ctx, { pair: 'contacts' });
    await live.settled(60_000);
    const leads = new Map(live.salesforce.store.query('SELECT Id, Email FROM Lead').records.map((r) => [String(r.Email), r.Id as string]));
    const contacts = new Map(live.hubspot.store.list('contacts', { limit: 5000, properties: ['email'] }).results.map((c) => [c.properties.email as string, c.id]));
    const writesBefore = live.hubspot.counter.count((r) => /batch\/update/.test(r)) + live.salesforce.counter.count((r) => /composite\/sobjects/.test(r));

    const expected = new Map<number, string>();
    for (let i = 0; i < N; i++) {
      const email = `c${i}@example.com`;
      const hs = () => live.hubspot.store.update('contacts', contacts.get(email) as string, { jobtitle: `H${i}` }, { actor: { source: 'CRM_UI', userId: 1 } });
      const sf = () => live.salesforce.store.update('Lead', leads.get(email) as string, { Title: `S${i}` }, { origin: 'ui' });
      // Even people are edited in Salesforce last, odd ones in HubSpot last, two milliseconds apart.
      if (i % 2 === 0) {
        hs();
        await sleep(2);
        sf();
        expected.set(i, `S${i}`);
      } else {
        sf();
        await sleep(2);
        hs();
        expected.set(i, `H${i}`);
      }
      if (i % 100 === 99) await sleep(5);
    }
    await live.settled(90_000);

    const leadTitles = new Map(live.salesforce.store.query('SELECT Email, Title FROM Lead').records.map((r) => [String(r.Email), r.Title]));
    const hsTitles = new Map(live.hubspot.store.list('contacts', { limit: 5000, properties: ['email', 'jobtitle'] }).results.map((c) => [c.properties.email, c.properties.jobtitle]));
    let converged = 0;
    const wrong: string[] = [];
    for (let i = 0; i < N; i++) {
      const email = `c${i}@example.com`;
      if (leadTitles.get(email) === expected.get(i) && hsTitles.get(email) === expected.get(i)) converged += 1;
      else if (wrong.length < 5) wrong.push(`${email}: HubSpot ${hsTitles.get(email)}, Salesforce ${leadTitles.get(email)}, expected ${expected.get(i)}`);
    }
    expect(wrong).toEqual([]);
    expect(converged).toBe(N);

    // Bounded: each record is written once, on the side whose value lost (fewer calls than records, as
    // writes are batched), and nothing moves afterwards (no oscillation).
    const writes = live.hubspot.counter.count((r) => /batch\/update/.test(r)) + live.salesforce.counter.count((r) => /composite\/sobjects/.test(r)) - writesBefore;
    expect(writes).toBeLessThan(N / 2);
    const calls = live.hubspot.counter.total + live.salesforce.counter.total;
    await sleep(1500);
    await live.settled();
    expect(live.hubspot.counter.total + live.salesforce.counter.total).toBe(calls);

    // Provenance: who last wrote the field on each side.
    const provenance = await live.ctx.provenance.get('salesforce', leads.get('c1@example.com') as string);
    expect(provenance.Title).toMatchObject({ value: 'H1', actor: 'revloop' });
    const hsProvenance = await live.ctx.provenance.get('hubspot', contacts.get('c0@example.com') as string);
    expect(hsProvenance.jobtitle).toMatchObject({ value: 'S0', actor: 'revloop' });
    expect(hsProvenance.jobtitle?.previous).toBe('H0');
  }, 240_000);
});

describe('the reconciliation sweep', () => {
  it('repairs every change whose webhook delivery was dropped, within one interval', async () => {
    const interval = 4_000;
    h = await startLive({ sweepEveryMs: interval, hubspot: { faults: { dropWebhookRate: 0.05, seed: 3 }, webhooks: { batchWindowMs: 0 } } as never });
    const live = h;
    await live.until('the first sweep (its watermark)', async () => (await live.redis.redis.get(live.ctx.keys.key('sweep', 'hubspot', 'contacts'))) !== null, 10_000);
    for (let i = 0; i < 120; i++) {
      live.hubspot.store.create('contacts', { properties: { email: `w${i}@example.com`, lastname: `W${i}` } }, { actor: { source: 'CRM_UI' } });
      await sleep(5);
    }
    await live.hubspot.webhooks.idle();
    const dropped = live.hubspot.webhooks.stats().dropped;
    expect(dropped).toBeGreaterThan(0);
    const started = Date.now();
    await live.until('every contact in Salesforce', () => live.salesforce.store.count('Lead') === 120, interval * 2 + 5_000);
    expect(Date.now() - started).toBeLessThanOrEqual(interval + 5_000);
  }, 60_000);
});
