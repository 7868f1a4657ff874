/**
 * A backfill's leftovers chunk cut off after it created a HubSpot contact and linked it, before the
 * contact's id reached the Salesforce record: the resumed run finishes that pair (the Lead gets the
 * HubSpot id, all three copies of the link agree) instead of taking the link for a finished pair.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backfill, backfillRunId } from '../../../src/worker/backfill/run-backfill.js';
import { Staging } from '../../../src/worker/backfill/staging.js';
import { liveSource, salesforceFields } from '../../../src/worker/sync/load-batch.js';
import { startSyncHarness, type SyncHarness } from '../../helpers/sync-harness.js';

let h: SyncHarness;

beforeAll(async () => {
  h = await startSyncHarness({ connectionId: 'leftovers-linked' });
}, 60_000);
afterAll(async () => h?.close());

describe('a resumed leftovers phase', () => {
  it('finishes a pair its cut-off chunk created and linked, but did not write to Salesforce', async () => {
    const email = 'halfway@example.com';
    const leadId = h.salesforce.store.insert('Lead', { Email: email, LastName: 'Halfway', Company: 'Acme' }, { origin: 'ui' });
    const ext = h.mappings.contacts.identity.salesforce_external_id;
    const leadProperty = h.mappings.contacts.identity.hubspot_properties.Lead as string;

    const run = backfillRunId({ pair: 'contacts' });
    const startedAt = Date.now();
    const staging = new Staging(h.ctx.redis, h.ctx.keys, `${run}-${startedAt.toString(36)}`, startedAt);
    const staged = await liveSource(h.ctx).find('Lead', salesforceFields(h.mappings.contacts, 'Lead', h.mappings), { ids: [leadId], emails: [], externalIds: [], externalIdField: ext }, 'backfill');
    await staging.add('Lead', staged, ext);
    await h.ctx.checkpoints.save('backfill:contacts', { phase: 'leftovers:Lead', processed: 0, done: false, startedAt, updatedAt: startedAt, run });
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
});
