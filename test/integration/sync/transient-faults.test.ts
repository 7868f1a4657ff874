/**
 * Transient failures (a 5xx on 15 % of calls to both simulators) during a backfill: the failed calls
 * are sent again at once, so the backfill gets through in one job attempt. Before, any failed call
 * failed the whole backfill job, which then redid its units from the checkpoint; with enough calls it
 * almost never got through and its attempts ran out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backfill } from '../../../src/worker/backfill/run-backfill.js';
import { startSyncHarness, type SyncHarness } from '../../helpers/sync-harness.js';

let h: SyncHarness;
const PEOPLE = 1500;

beforeAll(async () => {
  h = await startSyncHarness({ connectionId: 'faults' });
  h.hubspot.store.createMany('contacts', Array.from({ length: PEOPLE }, (_, i) => ({ properties: { email: `fault${i}@example.com`, firstname: `F${i}`, lastname: `L${i}` } })), { actor: { source: 'CRM_UI' }, quiet: true });
  h.salesforce.store.insertMany('Lead', Array.from({ length: PEOPLE }, (_, i) => ({ Email: `sf-fault${i}@example.com`, LastName: `S${i}`, Company: 'Acme' })));
}, 60_000);

afterAll(async () => h?.close());

describe('a backfill under transient faults', () => {
  it('completes in one attempt with every person once on each side', async () => {
    h.hubspot.faults.configure({ errorRates: { '500': 0.15 }, seed: 11 });
    h.salesforce.faults.configure({ errorRates: { '503': 0.15 }, seed: 12 });
    const result = await backfill(h.ctx, { pair: 'contacts' });
    h.hubspot.faults.configure({});
    h.salesforce.faults.configure({});
    expect(result.phase).toBe('done');
    expect(result.outcome.parked).toBe(0);
    const failed = [...h.hubspot.counter.snapshot(), ...h.salesforce.counter.snapshot()].reduce((n, c) => n + c.errors, 0);
    expect(failed).toBeGreaterThan(0);
    expect(h.hubspot.store.count('contacts')).toBe(2 * PEOPLE);
    expect(h.salesforce.store.count('Lead')).toBe(2 * PEOPLE);
    expect(await h.ctx.links.count('contacts')).toBe(2 * PEOPLE);
  }, 120_000);

  it("sits out HubSpot's ten-second limit inside the call instead of dropping the units in flight", async () => {
    h.hubspot.store.createMany('contacts', Array.from({ length: 300 }, (_, i) => ({ properties: { email: `window${i}@example.com`, lastname: `W${i}` } })), { actor: { source: 'CRM_UI' }, quiet: true });
    h.hubspot.counter.reset();
    h.hubspot.faults.configure({ errorRates: { '429': 0.05 }, seed: 5 });
    const result = await backfill(h.ctx, { pair: 'contacts' });
    h.hubspot.faults.configure({});
    expect(result.phase).toBe('done');
    expect(h.hubspot.counter.snapshot().reduce((n, c) => n + c.errors, 0)).toBeGreaterThan(0);
    expect(h.salesforce.store.count('Lead')).toBe(2 * PEOPLE + 300);
  }, 120_000);
});
