/**
 * A lifecycle stage moving back in HubSpot is cleared first, then set. When the clear is refused, the
 * person is parked with HubSpot's message (not dropped unseen); when the clear lands and the write
 * that sets the stage is refused for another field, the stage is still set, on its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatchPlan, PairPlan } from '../../../src/core/sync/batch-plan.js';
import { writeBatch } from '../../../src/worker/sync/write-batch.js';
import { startSyncHarness, type SyncHarness } from '../../helpers/sync-harness.js';

let h: SyncHarness;

beforeAll(async () => {
  h = await startSyncHarness({ connectionId: 'clear-first' });
}, 60_000);
afterAll(async () => h?.close());

const plan = (pairs: PairPlan[]): BatchPlan => ({ lifecycle: [], opportunityWrites: [], pairs, createInSalesforce: [], createInHubSpot: [], invalid: [], skipped: [] });

describe('moving a HubSpot lifecycle stage back', () => {
  it('parks the person with the HubSpot message when the clear is refused', async () => {
    const leadId = h.salesforce.store.insert('Lead', { Email: 'gone@example.com', LastName: 'Gone', Company: 'Acme' }, { origin: 'ui' });
    const result = await writeBatch(h.ctx, 'contacts', plan([{ hubspotId: '987654321', salesforce: { object: 'Lead', id: leadId }, via: 'link', hubspotWrites: { lifecyclestage: 'lead', jobtitle: 'Analyst' }, salesforceWrites: {}, ledger: {}, hubspotClearFirst: true }]), 'live');
    expect(result.outcome.parked).toBe(1);
    const entry = (await h.ctx.deadLetters.list()).find((p) => p.record === 'hubspot:contacts:987654321');
    expect(entry).toMatchObject({ side: 'hubspot', fields: ['lifecyclestage'] });
    expect(entry?.message).toMatch(/^lifecyclestage \(cleared first to move it back\): .+/);
  });

  it('still sets the stage when the write that sets it is refused for another field', async () => {
    const leadId = h.salesforce.store.insert('Lead', { Email: 'back@example.com', LastName: 'Back', Company: 'Acme' }, { origin: 'ui' });
    const contact = h.hubspot.store.create('contacts', { properties: { email: 'back@example.com', lastname: 'Back', lifecyclestage: 'marketingqualifiedlead' } }, { actor: { source: 'CRM_UI' } });
    const result = await writeBatch(h.ctx, 'contacts', plan([{ hubspotId: contact.id, salesforce: { object: 'Lead', id: leadId }, via: 'link', hubspotWrites: { lifecyclestage: 'lead', hs_lead_status: 'NOT_A_STATUS' }, salesforceWrites: {}, ledger: {}, hubspotClearFirst: true }]), 'live');
    expect(result.outcome.parked).toBe(1);
    const entry = (await h.ctx.deadLetters.list()).find((p) => p.record === `hubspot:contacts:${contact.id}`);
    expect(entry?.message).toMatch(/NOT_A_STATUS/);
    expect(h.hubspot.store.get('contacts', contact.id, { properties: ['lifecyclestage'] })?.properties.lifecyclestage).toBe('lead');
  });
});
