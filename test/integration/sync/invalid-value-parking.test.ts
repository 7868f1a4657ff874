/**
 * A value the mapping cannot carry to Salesforce (text into a currency field) parks that record with
 * the field and the reason, keyed by its Salesforce object and id, and the entry goes once a sync
 * carries the corrected value.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncBatch } from '../../../src/worker/sync/sync-batch.js';
import { startSyncHarness, type SyncHarness } from '../../helpers/sync-harness.js';

let h: SyncHarness;

beforeAll(async () => {
  h = await startSyncHarness({ connectionId: 'invalid-value' });
}, 60_000);
afterAll(async () => h?.close());

describe('a value Salesforce cannot hold', () => {
  it('parks the Lead under its object and id with the field, and clears it once the value is fixed', async () => {
    const leadId = h.salesforce.store.insert('Lead', { Email: 'revenue@example.com', LastName: 'Revenue', Company: 'Acme' }, { origin: 'ui' });
    const contact = h.hubspot.store.create('contacts', { properties: { email: 'revenue@example.com', lastname: 'Revenue', annualrevenue: 'a lot' } }, { actor: { source: 'CRM_UI' } });
    await syncBatch(h.ctx, { pair: 'contacts', hubspotIds: [contact.id], salesforceIds: [], priority: 'live' });

    const parked = await h.ctx.deadLetters.list();
    const entry = parked.find((p) => p.code === 'INVALID_VALUE');
    expect(entry).toMatchObject({ side: 'salesforce', record: `salesforce:Lead:${leadId}`, fields: ['AnnualRevenue'] });
    expect(entry?.message).toMatch(/^AnnualRevenue: /);

    h.hubspot.store.update('contacts', contact.id, { annualrevenue: '250000' }, { actor: { source: 'CRM_UI' } });
    await syncBatch(h.ctx, { pair: 'contacts', hubspotIds: [contact.id], salesforceIds: [], priority: 'live' });
    expect(h.salesforce.store.get('Lead', leadId)?.AnnualRevenue).toBe(250000);
    expect((await h.ctx.deadLetters.list()).filter((p) => p.code === 'INVALID_VALUE')).toEqual([]);
  }, 60_000);
});
