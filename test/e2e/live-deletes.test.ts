/** Deletions on either side under each delete policy of the mapping (propagate, unlink, ignore), end to end. */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startLive, type LiveHarness } from '../helpers/live-harness.js';
import { SHIPPED_MAPPINGS } from '../helpers/mappings.js';

let h: LiveHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function mappingsWith(policy: { hubspot: string; salesforce: string }): string {
  const dir = mkdtempSync(join(tmpdir(), 'revloop-delete-'));
  cpSync(SHIPPED_MAPPINGS, dir, { recursive: true });
  const file = join(dir, 'contacts.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace('delete:\n  hubspot: unlink\n  salesforce: unlink', `delete:\n  hubspot: ${policy.hubspot}\n  salesforce: ${policy.salesforce}`));
  return dir;
}

async function linkedPair(live: LiveHarness, email: string): Promise<{ hubspotId: string; leadId: string }> {
  const hs = live.hubspot.store.create('contacts', { properties: { email, lastname: 'Del' } }, { actor: { source: 'CRM_UI' } });
  await live.until('the Lead', () => live.salesforce.store.query(`SELECT Id FROM Lead WHERE Email = '${email}'`).records.length === 1);
  await live.settled();
  const leadId = live.salesforce.store.query(`SELECT Id FROM Lead WHERE Email = '${email}'`).records[0]?.Id as string;
  return { hubspotId: hs.id, leadId };
}

describe('deletes under each policy', () => {
  it('propagate: a deletion on one side deletes the other', async () => {
    h = await startLive({ mappingsDir: mappingsWith({ hubspot: 'propagate', salesforce: 'propagate' }) });
    const live = h;
    const a = await linkedPair(live, 'pa@example.com');
    live.hubspot.store.archive('contacts', a.hubspotId, { actor: { source: 'CRM_UI' } });
    await live.until('the Lead deleted', () => live.salesforce.store.isDeleted('Lead', a.leadId));
    const b = await linkedPair(live, 'pb@example.com');
    live.salesforce.store.delete(b.leadId, { origin: 'ui' });
    await live.until('the contact archived', () => live.hubspot.store.get('contacts', b.hubspotId) === undefined);
    await live.settled();
    const audit = await live.ctx.audit.recent(10);
    expect(audit.filter((e) => e.action === 'delete' && /propagate/.test(e.message))).toHaveLength(2);
  }, 60_000);

  it('unlink: both records stay, no longer linked', async () => {
    h = await startLive();
    const live = h;
    const a = await linkedPair(live, 'ua@example.com');
    live.hubspot.store.archive('contacts', a.hubspotId, { actor: { source: 'CRM_UI' } });
    await live.until('the link gone', async () => !(await live.ctx.links.bySalesforce('contacts', [a.leadId])).has(a.leadId));
    await live.settled();
    expect(live.salesforce.store.isDeleted('Lead', a.leadId)).toBe(false);
    expect(live.salesforce.store.get('Lead', a.leadId, ['Revloop_HubSpot_Id__c'])?.Revloop_HubSpot_Id__c).toBeNull();
    const b = await linkedPair(live, 'ub@example.com');
    live.salesforce.store.delete(b.leadId, { origin: 'ui' });
    await live.until('the HubSpot id cleared', () => !live.hubspot.store.get('contacts', b.hubspotId, { properties: ['revloop_salesforce_lead_id'] })?.properties.revloop_salesforce_lead_id);
    expect(live.hubspot.store.get('contacts', b.hubspotId)).toBeDefined();
    expect((await live.ctx.audit.recent(10)).filter((e) => e.action === 'unlink')).toHaveLength(2);
  }, 60_000);

  it('ignore: records and links stay as they were', async () => {
    h = await startLive({ mappingsDir: mappingsWith({ hubspot: 'ignore', salesforce: 'ignore' }) });
    const live = h;
    const a = await linkedPair(live, 'ia@example.com');
    live.hubspot.store.archive('contacts', a.hubspotId, { actor: { source: 'CRM_UI' } });
    await live.until('the decision recorded', async () => (await live.ctx.audit.recent(10)).some((e) => e.action === 'delete'));
    await live.settled();
    expect(live.salesforce.store.isDeleted('Lead', a.leadId)).toBe(false);
    expect((await live.ctx.links.byHubSpot('contacts', [a.hubspotId])).get(a.hubspotId)?.id).toBe(a.leadId);
  }, 60_000);
});
