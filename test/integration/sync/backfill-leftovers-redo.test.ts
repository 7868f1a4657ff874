/**
 * A backfill resumed in its leftovers phase (Salesforce-only people, created in HubSpot) may do a
 * chunk again that an earlier run cut off after creating the HubSpot records and before linking them.
 * Those people are looked up in HubSpot again, so edits made there since are kept, not overwritten
 * with the staged Salesforce values. One cut off after linking them, before the contact's id reached
 * the Salesforce record, is finished (the Lead gets the HubSpot id, all three copies of the link
 * agree) instead of its link being taken for a finished pair. And a chunk only creates contacts: one
 * that live sync created while the chunk was planned is not overwritten with staged values, it is
 * synced again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backfill, backfillRunId } from '../../../src/worker/backfill/run-backfill.js';
import { Staging } from '../../../src/worker/backfill/staging.js';
import { liveSource, salesforceFields } from '../../../src/worker/sync/load-batch.js';
import { syncBatch } from '../../../src/worker/sync/sync-batch.js';
import { startSyncHarness, type SyncHarness } from '../../helpers/sync-harness.js';

let h: SyncHarness;

beforeAll(async () => {
  h = await startSyncHarness({ connectionId: 'leftovers-redo' });
}, 60_000);

afterAll(async () => h?.close());

/** The state an earlier run left: the Lead staged as a leftover, the checkpoint in the leftovers phase. */
async function stagedAsLeftover(leadId: string): Promise<void> {
  const ext = h.mappings.contacts.identity.salesforce_external_id;
  const run = backfillRunId({ pair: 'contacts' });
  const startedAt = Date.now();
  const staging = new Staging(h.ctx.redis, h.ctx.keys, `${run}-${startedAt.toString(36)}`, startedAt);
  const staged = await liveSource(h.ctx).find('Lead', salesforceFields(h.mappings.contacts, 'Lead', h.mappings), { ids: [leadId], emails: [], externalIds: [], externalIdField: ext }, 'backfill');
  await staging.add('Lead', staged, ext);
  await h.ctx.checkpoints.save('backfill:contacts', { phase: 'leftovers:Lead', processed: 0, done: false, startedAt, updatedAt: startedAt, run });
}

describe('a resumed leftovers phase', () => {
  it('keeps a HubSpot edit made after a cut-off chunk created the contact', async () => {
    const email = 'left@example.com';
    const leadId = h.salesforce.store.insert('Lead', { Email: email, LastName: 'Left', Company: 'Acme', Title: 'Analyst' }, { origin: 'ui' });
    await stagedAsLeftover(leadId);
    // ...and the HubSpot contact its cut-off chunk created (no link stored), which a marketer has edited since.
    const created = await h.ctx.contacts.create([{ key: leadId, properties: { email, lastname: 'Left', jobtitle: 'Analyst' } }], 'backfill');
    const result = created.get(leadId);
    if (!result?.ok) throw new Error('contact not created');
    h.hubspot.store.update('contacts', result.id, { jobtitle: 'Director' }, { actor: { source: 'CRM_UI', userId: 1 } });

    await backfill(h.ctx, { pair: 'contacts' });

    const contacts = h.hubspot.store.list('contacts', { properties: ['email', 'jobtitle'], limit: 100 }).results.filter((c) => c.properties.email === email);
    expect(contacts.map((c) => c.properties.jobtitle)).toEqual(['Director']);
    expect(h.salesforce.store.get('Lead', leadId)?.Title).toBe('Director');
  }, 60_000);
  it('finishes a pair its cut-off chunk created and linked, but did not write to Salesforce', async () => {
    const email = 'halfway@example.com';
    const leadId = h.salesforce.store.insert('Lead', { Email: email, LastName: 'Halfway', Company: 'Acme' }, { origin: 'ui' });
    const ext = h.mappings.contacts.identity.salesforce_external_id;
    const leadProperty = h.mappings.contacts.identity.hubspot_properties.Lead as string;
    await stagedAsLeftover(leadId);
    // What the cut-off chunk did: the contact created (carrying the Lead's id) and the pair linked.
    const created = await h.ctx.contacts.create([{ key: leadId, properties: { email, lastname: 'Halfway', [leadProperty]: leadId } }], 'backfill');
    const result = created.get(leadId);
    if (!result?.ok) throw new Error('contact not created');
    await h.ctx.links.link('contacts', [{ hubspotId: result.id, salesforce: { object: 'Lead', id: leadId } }]);

    await backfill(h.ctx, { pair: 'contacts' });

    expect(h.salesforce.store.get('Lead', leadId)?.[ext]).toBe(result.id);
    const contacts = h.hubspot.store.list('contacts', { properties: ['email', leadProperty], limit: 100 }).results.filter((c) => c.properties.email === email);
    expect(contacts.map((c) => c.properties[leadProperty])).toEqual([leadId]);
    expect((await h.ctx.links.bySalesforce('contacts', [leadId])).get(leadId)).toBe(result.id);
  }, 60_000);

  it('does not overwrite a contact live sync created while a chunk was planned; syncs it again from both sides', async () => {
    const email = 'race@example.com';
    const leadId = h.salesforce.store.insert('Lead', { Email: email, LastName: 'Race', Company: 'Acme', Title: 'Analyst' }, { origin: 'ui' });
    const ext = h.mappings.contacts.identity.salesforce_external_id;
    // The backfill staged the Lead as it was...
    const staging = new Staging(h.ctx.redis, h.ctx.keys, 'race', Date.now());
    const staged = await liveSource(h.ctx).find('Lead', salesforceFields(h.mappings.contacts, 'Lead', h.mappings), { ids: [leadId], emails: [], externalIds: [], externalIdField: ext }, 'backfill');
    await staging.add('Lead', staged, ext);
    // ...a rep edits it, and live sync creates the contact with the new title (its link not stored yet).
    h.salesforce.store.update('Lead', leadId, { Title: 'Director' }, { origin: 'ui' });
    const created = await h.ctx.contacts.create([{ key: leadId, properties: { email, lastname: 'Race', jobtitle: 'Director' } }], 'live');
    expect(created.get(leadId)?.ok).toBe(true);

    // The leftovers chunk, planned from the staging without a lookup, only creates: the contact exists, so nothing is
    // overwritten, and the same job syncs that person again from both sides as they are now: linked, nothing lost.
    const chunk = await syncBatch(h.ctx, { pair: 'contacts', hubspotIds: [], salesforceIds: [leadId], priority: 'backfill', preloaded: { salesforce: staged }, source: staging.source(liveSource(h.ctx)), noHubSpotLookup: true });
    expect(chunk.existed).toEqual([]);
    expect(chunk.outcome).toMatchObject({ parked: 0, createdInHubSpot: 0, linked: 1 });
    const title = () => h.hubspot.store.list('contacts', { properties: ['email', 'jobtitle'], limit: 100 }).results.filter((c) => c.properties.email === email).map((c) => c.properties.jobtitle);
    await staging.clear(['Lead']);
    expect(title()).toEqual(['Director']);
    expect(h.salesforce.store.get('Lead', leadId)?.Title).toBe('Director');
    expect((await h.ctx.links.bySalesforce('contacts', [leadId])).size).toBe(1);
  }, 60_000);
});
