/**
 * revloop live: changes on either side reach the other in seconds through webhooks and change
 * events, its own writes never come back as changes, lead conversion relinks without a duplicate,
 * and merges on either side relink.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backfill } from '../../src/worker/backfill/run-backfill.js';
import { startLive, type LiveHarness } from '../helpers/live-harness.js';

let h: LiveHarness;
const person = { actor: { source: 'CRM_UI' as const, userId: 7 } };

beforeAll(async () => {
  h = await startLive();
}, 60_000);
afterAll(async () => h?.close());

function contact(email: string) {
  return h.hubspot.store.getBy('contacts', 'email', email, { properties: ['firstname', 'lastname', 'jobtitle', 'revloop_salesforce_lead_id', 'revloop_salesforce_contact_id', 'company'] });
}
function lead(email: string) {
  return h.salesforce.store.query(`SELECT Id, FirstName, LastName, Title, Revloop_HubSpot_Id__c, IsConverted FROM Lead WHERE Email = '${email}'`).records[0];
}

describe('live sync', () => {
  it('carries a new HubSpot contact and later edits on both sides across in seconds', async () => {
    const started = Date.now();
    const created = h.hubspot.store.create('contacts', { properties: { email: 'ada@example.com', firstname: 'Ada', lastname: 'Lovelace' } }, person);
    await h.until('the Lead', () => lead('ada@example.com') !== undefined);
    expect(Date.now() - started).toBeLessThan(5_000);
    await h.settled();
    expect(lead('ada@example.com')).toMatchObject({ FirstName: 'Ada', LastName: 'Lovelace', Revloop_HubSpot_Id__c: created.id });
    const leadId = lead('ada@example.com')?.Id as string;
    expect(contact('ada@example.com')?.properties.revloop_salesforce_lead_id).toBe(leadId);

    h.salesforce.store.update('Lead', leadId, { Title: 'Analyst' }, { origin: 'ui' });
    await h.until('the title in HubSpot', () => contact('ada@example.com')?.properties.jobtitle === 'Analyst');
    h.hubspot.store.update('contacts', created.id, { firstname: 'Augusta Ada' }, person);
    await h.until('the first name in Salesforce', () => lead('ada@example.com')?.FirstName === 'Augusta Ada');
    await h.settled();

    // No ping-pong: once settled, nothing moves.
    const calls = h.hubspot.counter.total + h.salesforce.counter.total;
    await new Promise((r) => setTimeout(r, 1500));
    await h.settled();
    expect(h.hubspot.counter.total + h.salesforce.counter.total).toBe(calls);
  }, 60_000);

  it('coalesces a burst of 20 changes on one record into one write', async () => {
    const created = h.hubspot.store.create('contacts', { properties: { email: 'burst@example.com', lastname: 'Burst' } }, person);
    await h.until('the Lead', () => lead('burst@example.com') !== undefined);
    await h.settled();
    const before = h.salesforce.counter.count((r) => /composite\/sobjects/.test(r));
    for (let i = 1; i <= 20; i++) h.hubspot.store.update('contacts', created.id, { jobtitle: `Title ${i}` }, person);
    await h.until('the last title', () => lead('burst@example.com')?.Title === 'Title 20');
    await h.settled();
    expect(h.salesforce.counter.count((r) => /composite\/sobjects/.test(r)) - before).toBe(1);
  }, 30_000);

  it('relinks a converted Lead to its Contact, without a duplicate', async () => {
    const created = h.hubspot.store.create('contacts', { properties: { email: 'grace@navy.mil', firstname: 'Grace', lastname: 'Hopper' } }, person);
    await h.until('the Lead', () => lead('grace@navy.mil') !== undefined);
    await h.settled();
    const leadId = lead('grace@navy.mil')?.Id as string;
    const result = h.salesforce.store.convertLead({ leadId, convertedStatus: 'Closed - Converted', doNotCreateOpportunity: true }, { origin: 'ui' });
    expect(result.success).toBe(true);
    await h.until('the Contact link in HubSpot', () => contact('grace@navy.mil')?.properties.revloop_salesforce_contact_id === result.contactId);
    await h.settled();
    expect(h.hubspot.store.count('contacts')).toBe(h.hubspot.store.list('contacts', { limit: 1000 }).results.length);
    expect(h.hubspot.store.list('contacts', { limit: 1000, properties: ['email'] }).results.filter((c) => c.properties.email === 'grace@navy.mil')).toHaveLength(1);
    const contactRow = h.salesforce.store.query(`SELECT Id, Revloop_HubSpot_Id__c FROM Contact WHERE Id = '${result.contactId}'`).records[0];
    expect(contactRow?.Revloop_HubSpot_Id__c).toBe(created.id);
    expect((await h.ctx.links.byHubSpot('contacts', [created.id])).get(created.id)).toEqual({ object: 'Contact', id: result.contactId });
  }, 30_000);

  it('moves a person to opportunity, then customer, from opportunity changes alone', async () => {
    h.hubspot.store.create('contacts', { properties: { email: 'katherine@nasa.gov', firstname: 'Katherine', lastname: 'Johnson', jobtitle: 'Mathematician', hubspotscore: '80' } }, person);
    await h.until('the Lead', () => lead('katherine@nasa.gov') !== undefined);
    await h.settled();
    const stage = () => h.hubspot.store.getBy('contacts', 'email', 'katherine@nasa.gov', { properties: ['lifecyclestage', 'revloop_stage'] })?.properties;
    const leadId = lead('katherine@nasa.gov')?.Id as string;
    h.salesforce.store.update('Lead', leadId, { Status: 'Working - Contacted' }, { origin: 'ui' });
    await h.until('the SAL in HubSpot', () => stage()?.revloop_stage === 'sal');
    await h.settled();
    const converted = h.salesforce.store.convertLead({ leadId, convertedStatus: 'Closed - Converted', doNotCreateOpportunity: true }, { origin: 'ui' });
    await h.until('the SQL in HubSpot', () => stage()?.revloop_stage === 'sql');
    await h.settled();
    // The role first, on an opportunity of another account: only the contact role ties it to her.
    const opportunity = h.salesforce.store.insert('Opportunity', { Name: 'Trajectories', StageName: 'Prospecting', CloseDate: '2026-12-31', Amount: 12000 }, { origin: 'ui' });
    h.salesforce.store.insert('OpportunityContactRole', { OpportunityId: opportunity, ContactId: converted.contactId, IsPrimary: true }, { origin: 'ui' });
    await h.until('opportunity in HubSpot', () => stage()?.lifecyclestage === 'opportunity');
    h.salesforce.store.update('Opportunity', opportunity, { StageName: 'Closed Won' }, { origin: 'ui' });
    await h.until('customer in HubSpot', () => stage()?.lifecyclestage === 'customer');
    expect(stage()?.revloop_stage).toBe('customer');
  }, 30_000);

  it('relinks after a merge in HubSpot', async () => {
    const a = h.hubspot.store.create('contacts', { properties: { email: 'm1@example.com', lastname: 'One' } }, person);
    const b = h.hubspot.store.create('contacts', { properties: { email: 'm2@example.com', lastname: 'Two' } }, person);
    await h.until('both Leads', () => lead('m1@example.com') !== undefined && lead('m2@example.com') !== undefined);
    await h.settled();
    const leadA = lead('m1@example.com')?.Id as string;
    const merged = h.hubspot.store.merge('contacts', a.id, b.id, person);
    await h.until('the merged record linked', async () => (await h.ctx.links.byHubSpot('contacts', [merged.id])).get(merged.id)?.id === leadA);
    await h.settled();
    expect((await h.ctx.links.byHubSpot('contacts', [a.id, b.id])).size).toBe(0);
    const parked = await h.ctx.deadLetters.list();
    expect(parked.some((p) => p.code === 'DUPLICATE_AFTER_MERGE' && p.record.endsWith(lead('m2@example.com')?.Id as string))).toBe(true);
    const audit = await h.ctx.audit.recent(10);
    expect(audit.some((e) => e.action === 'merge')).toBe(true);
  }, 30_000);

  it('relinks after a merge in Salesforce', async () => {
    h.salesforce.store.insert('Lead', { Email: 's1@example.com', LastName: 'Keep', Company: 'X' }, { origin: 'ui' });
    h.salesforce.store.insert('Lead', { Email: 's2@example.com', LastName: 'Lose', Company: 'X' }, { origin: 'ui' });
    await backfill(h.ctx, { pair: 'contacts' });
    await h.settled();
    const keep = lead('s1@example.com')?.Id as string;
    const lose = lead('s2@example.com')?.Id as string;
    const hsLose = contact('s2@example.com')?.id as string;
    expect((await h.ctx.links.bySalesforce('contacts', [lose])).get(lose)).toBe(hsLose);
    h.salesforce.store.merge('Lead', keep, [lose], { origin: 'ui' });
    await h.until('the loser unlinked', async () => !(await h.ctx.links.bySalesforce('contacts', [lose])).has(lose));
    await h.settled();
    // The master already has its own HubSpot contact: the loser's is reported for a merge in HubSpot.
    const parked = await h.ctx.deadLetters.list();
    expect(parked.some((p) => p.code === 'DUPLICATE_AFTER_MERGE' && p.hubspotId === hsLose)).toBe(true);
  }, 60_000);
});
