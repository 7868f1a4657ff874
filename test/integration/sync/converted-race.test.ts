/**
 * A rep converts a Lead between revloop reading it and writing to it: Salesforce refuses the write
 * (CANNOT_UPDATE_CONVERTED_LEAD). That is not an error to park: the Lead is handed back for another
 * sync, which follows it to its Contact and relinks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planBatch } from '../../../src/core/sync/batch-plan.js';
import { loadBatch } from '../../../src/worker/sync/load-batch.js';
import { syncBatch } from '../../../src/worker/sync/sync-batch.js';
import { writeBatch } from '../../../src/worker/sync/write-batch.js';
import { startSyncHarness, type SyncHarness } from '../../helpers/sync-harness.js';

let h: SyncHarness;
beforeAll(async () => {
  h = await startSyncHarness();
}, 60_000);
afterAll(async () => h?.close());

describe('a Lead converted while revloop writes to it', () => {
  it('is synced again and relinked, not parked', async () => {
    const person = h.hubspot.store.create('contacts', { properties: { email: 'race@acme.test', lastname: 'Race', company: 'Acme' } }, { actor: { source: 'CRM_UI' } });
    await syncBatch(h.ctx, { pair: 'contacts', hubspotIds: [person.id], salesforceIds: [], priority: 'live' });
    const leadId = (await h.ctx.links.byHubSpot('contacts', [person.id])).get(person.id)?.id as string;
    h.hubspot.store.update('contacts', person.id, { jobtitle: 'CTO' }, { actor: { source: 'CRM_UI' } });

    const input = await loadBatch(h.ctx, { pair: 'contacts', hubspotIds: [person.id], salesforceIds: [], priority: 'live' });
    const plan = planBatch(input);
    const converted = h.salesforce.store.convertLead({ leadId, convertedStatus: 'Closed - Converted', doNotCreateOpportunity: true }, { origin: 'ui' });
    const result = await writeBatch(h.ctx, 'contacts', plan, 'live');
    expect(result.converted).toEqual([person.id]);
    expect(await h.ctx.deadLetters.list()).toEqual([]);

    await syncBatch(h.ctx, { pair: 'contacts', hubspotIds: result.converted, salesforceIds: [], priority: 'live' });
    expect((await h.ctx.links.byHubSpot('contacts', [person.id])).get(person.id)).toEqual({ object: 'Contact', id: converted.contactId });
    expect(h.salesforce.store.get('Contact', converted.contactId as string, ['Title'])?.Title).toBe('CTO');
  });
});
