/**
 * A sync batch that created HubSpot records for Salesforce-only ones and was then cut off (a later
 * call failed for good, the job is retried) must not create them again. Companies have no unique key
 * HubSpot would refuse a second record on, so what keeps a retry from duplicating them is the link,
 * stored as soon as the records exist.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveSource, salesforceFields } from '../../../src/worker/sync/load-batch.js';
import { syncBatch } from '../../../src/worker/sync/sync-batch.js';
import { startSyncHarness, type SyncHarness } from '../../helpers/sync-harness.js';

let h: SyncHarness;

beforeAll(async () => {
  h = await startSyncHarness({ connectionId: 'cut-off' });
}, 60_000);
afterAll(async () => h?.close());

describe('a batch cut off after its HubSpot creations', () => {
  it('is retried without a second HubSpot company for any Account', async () => {
    const ids = Array.from({ length: 12 }, (_, i) => h.salesforce.store.insert('Account', { Name: `Cut Off ${i}`, Website: `https://cutoff${i}.example.com` }, { origin: 'ui' }));
    const accounts = await liveSource(h.ctx).find('Account', salesforceFields(h.mappings.companies, 'Account', h.mappings), { ids, emails: [], externalIds: [], externalIdField: h.mappings.companies.identity.salesforce_external_id }, 'live');
    expect(accounts).toHaveLength(12);

    // Salesforce stops answering once the batch has read it: the HubSpot companies are created, the
    // write of their ids onto the Accounts fails, and so does the job.
    h.salesforce.faults.configure({ errorRates: { '503': 1 } });
    const first = await syncBatch(h.ctx, { pair: 'companies', hubspotIds: [], salesforceIds: ids, priority: 'live', preloaded: { salesforce: accounts }, noHubSpotLookup: true }).catch((e: unknown) => e);
    h.salesforce.faults.configure({});
    expect(first).toBeInstanceOf(Error);
    const names = () => h.hubspot.store.list('companies', { properties: ['name'], limit: 100 }).results.map((c) => c.properties.name).filter((n) => n?.startsWith('Cut Off'));
    expect(names()).toHaveLength(12);

    // The job's retry reads both sides again and finishes the pairs it started.
    const again = await syncBatch(h.ctx, { pair: 'companies', hubspotIds: [], salesforceIds: ids, priority: 'live' });
    expect(again.outcome.createdInHubSpot).toBe(0);
    expect(names()).toHaveLength(12);
    expect((await h.ctx.links.bySalesforce('companies', ids)).size).toBe(12);
    const ext = h.mappings.companies.identity.salesforce_external_id;
    for (const id of ids) expect(h.salesforce.store.get('Account', id)?.[ext], id).toBeTruthy();
  }, 60_000);
});
