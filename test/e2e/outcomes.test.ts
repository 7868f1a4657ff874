/**
 * Outcomes back to marketing, live: opportunity changes in Salesforce land on the HubSpot contacts
 * of the people involved within seconds, recomputed from all of each person's opportunities. Two
 * contact roles on a won opportunity → both contacts; a second, lost opportunity → the roll-ups
 * move; a contact role removed → that person's roll-ups recomputed (back to blank); an opportunity
 * without any contact role → the account's primary (first) contact.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLive, type LiveHarness } from '../helpers/live-harness.js';

let h: LiveHarness;
const rep = { origin: 'ui' as const };
const ROLLUPS = ['revloop_open_pipeline_amount', 'revloop_opportunity_count', 'revloop_last_opportunity_stage', 'revloop_won_revenue', 'revloop_first_won_date', 'revloop_last_won_date', 'revloop_last_loss_reason', 'revloop_days_mql_to_won'];

beforeAll(async () => {
  h = await startLive();
}, 60_000);
afterAll(async () => h?.close());

function rollups(email: string): Record<string, string | null> {
  const found = h.hubspot.store.getBy('contacts', 'email', email, { properties: ROLLUPS });
  return Object.fromEntries(ROLLUPS.map((p) => [p, found?.properties[p] ?? null]));
}

describe('opportunity outcomes on the HubSpot contacts', () => {
  it('rolls won and lost opportunities up onto every person involved, and recomputes when a role goes', async () => {
    const account = h.salesforce.store.insert('Account', { Name: 'Initech', Website: 'https://initech.test' }, rep);
    const ann = h.salesforce.store.insert('Contact', { FirstName: 'Ann', LastName: 'Adams', Email: 'ann@initech.test', AccountId: account }, rep);
    await new Promise((r) => setTimeout(r, 20)); // Bob is the account's second contact (CreatedDate order).
    const bob = h.salesforce.store.insert('Contact', { FirstName: 'Bob', LastName: 'Brown', Email: 'bob@initech.test', AccountId: account }, rep);
    await h.until('both contacts in HubSpot', () => ['ann@initech.test', 'bob@initech.test'].every((e) => h.hubspot.store.getBy('contacts', 'email', e, {}) !== undefined));
    await h.settled();

    // 1. Won for 50,000 with two contact roles.
    const started = Date.now();
    const won = h.salesforce.store.insert('Opportunity', { Name: 'Initech platform', AccountId: account, StageName: 'Negotiation/Review', CloseDate: '2026-11-20', Amount: 50_000 }, rep);
    h.salesforce.store.insert('OpportunityContactRole', { OpportunityId: won, ContactId: ann, IsPrimary: true, Role: 'Decision Maker' }, rep);
    const bobRole = h.salesforce.store.insert('OpportunityContactRole', { OpportunityId: won, ContactId: bob, Role: 'Evaluator' }, rep);
    h.salesforce.store.update('Opportunity', won, { StageName: 'Closed Won' }, rep);
    await h.until('the win on both contacts', () => rollups('ann@initech.test').revloop_won_revenue === '50000' && rollups('bob@initech.test').revloop_won_revenue === '50000');
    expect(Date.now() - started).toBeLessThan(10_000);
    for (const email of ['ann@initech.test', 'bob@initech.test']) {
      expect(rollups(email)).toMatchObject({ revloop_opportunity_count: '1', revloop_open_pipeline_amount: '0', revloop_last_opportunity_stage: 'Closed Won', revloop_first_won_date: '2026-11-20', revloop_last_won_date: '2026-11-20' });
    }

    // 2. A second opportunity, Ann's alone, lost on price.
    const lost = h.salesforce.store.insert('Opportunity', { Name: 'Initech add-on', AccountId: account, StageName: 'Proposal/Price Quote', CloseDate: '2026-11-25', Amount: 20_000 }, rep);
    h.salesforce.store.insert('OpportunityContactRole', { OpportunityId: lost, ContactId: ann, IsPrimary: true }, rep);
    await h.until('the open add-on on Ann', () => rollups('ann@initech.test').revloop_open_pipeline_amount === '20000');
    h.salesforce.store.update('Opportunity', lost, { StageName: 'Closed Lost', Loss_Reason__c: 'Price' }, rep);
    await h.until('the loss on Ann', () => rollups('ann@initech.test').revloop_last_loss_reason === 'Price');
    expect(rollups('ann@initech.test')).toMatchObject({ revloop_opportunity_count: '2', revloop_open_pipeline_amount: '0', revloop_won_revenue: '50000' });
    await h.settled();
    expect(rollups('bob@initech.test')).toMatchObject({ revloop_opportunity_count: '1', revloop_last_loss_reason: null });

    // 3. Bob's role removed: his roll-ups are recomputed from what is left (nothing).
    h.salesforce.store.delete(bobRole, rep);
    await h.until("Bob's roll-ups cleared", () => rollups('bob@initech.test').revloop_won_revenue === null);
    expect(rollups('bob@initech.test')).toMatchObject({ revloop_opportunity_count: null, revloop_first_won_date: null });
    expect(rollups('ann@initech.test').revloop_won_revenue).toBe('50000');

    // 4. No contact role at all: the account's primary (first) contact, Ann.
    h.salesforce.store.insert('Opportunity', { Name: 'Initech renewal', AccountId: account, StageName: 'Prospecting', CloseDate: '2027-01-31', Amount: 12_000 }, rep);
    await h.until('the role-less renewal on Ann', () => rollups('ann@initech.test').revloop_open_pipeline_amount === '12000');
    expect(rollups('ann@initech.test').revloop_opportunity_count).toBe('3');
    await h.settled();
    expect(rollups('bob@initech.test').revloop_open_pipeline_amount).toBeNull();
  }, 60_000);

  it('carries the marketing source and campaigns to the Lead, the Contact and the opportunity', async () => {
    const form = { actor: { source: 'FORM' as const } };
    const created = h.hubspot.store.create('contacts', { properties: { email: 'dana@globex.test', firstname: 'Dana', lastname: 'Scully', company: 'Globex', hs_analytics_source: 'PAID_SEARCH', hs_analytics_first_touch_converting_campaign: 'Paid Search – Brand', hs_analytics_last_touch_converting_campaign: 'Webinar: Pipeline' } }, form);
    const lead = () => h.salesforce.store.query("SELECT Id, LeadSource FROM Lead WHERE Email = 'dana@globex.test'").records[0];
    await h.until('the Lead with its source', () => lead()?.LeadSource === 'Advertisement');
    await h.settled();
    const converted = h.salesforce.store.convertLead({ leadId: lead()?.Id as string, convertedStatus: 'Closed - Converted', doNotCreateOpportunity: true }, rep);
    const opportunity = h.salesforce.store.insert('Opportunity', { Name: 'Globex', AccountId: converted.accountId, StageName: 'Prospecting', CloseDate: '2027-01-15', Amount: 9000 }, rep);
    h.salesforce.store.insert('OpportunityContactRole', { OpportunityId: opportunity, ContactId: converted.contactId, IsPrimary: true }, rep);
    const opp = () => h.salesforce.store.query(`SELECT LeadSource, Revloop_Source__c, Revloop_First_Campaign__c, Revloop_Last_Campaign__c FROM Opportunity WHERE Id = '${opportunity}'`).records[0];
    await h.until('the attribution on the opportunity', () => opp()?.Revloop_Source__c === 'PAID_SEARCH');
    expect(opp()).toMatchObject({ LeadSource: 'Advertisement', Revloop_First_Campaign__c: 'Paid Search – Brand', Revloop_Last_Campaign__c: 'Webinar: Pipeline' });
    await h.settled();

    // A later touch: the last campaign follows, the first touch stays first.
    h.hubspot.store.update('contacts', created.id, { hs_analytics_first_touch_converting_campaign: 'Ebook', hs_analytics_last_touch_converting_campaign: 'Trade show' }, form);
    await h.until('the last touch on the opportunity', () => opp()?.Revloop_Last_Campaign__c === 'Trade show');
    expect(opp()?.Revloop_First_Campaign__c).toBe('Paid Search – Brand');
  }, 60_000);

  it('mirrors an opportunity as a HubSpot deal with its stage, amount and associations', async () => {
    const account = h.salesforce.store.insert('Account', { Name: 'Umbrella', Website: 'https://umbrella.test' }, rep);
    const alice = h.salesforce.store.insert('Contact', { FirstName: 'Alice', LastName: 'Abernathy', Email: 'alice@umbrella.test', AccountId: account }, rep);
    await h.until('Alice and Umbrella in HubSpot', () => h.hubspot.store.getBy('contacts', 'email', 'alice@umbrella.test', {}) !== undefined && h.hubspot.store.list('companies', { limit: 100, properties: ['name'] }).results.some((c) => c.properties.name === 'Umbrella'));
    await h.settled();
    const contactId = h.hubspot.store.getBy('contacts', 'email', 'alice@umbrella.test', {})?.id as string;
    const companyId = h.hubspot.store.list('companies', { limit: 100, properties: ['name'] }).results.find((c) => c.properties.name === 'Umbrella')?.id as string;

    const opportunity = h.salesforce.store.insert('Opportunity', { Name: 'Umbrella rollout', AccountId: account, StageName: 'Qualification', CloseDate: '2027-02-28', Amount: 75_000 }, rep);
    const role = h.salesforce.store.insert('OpportunityContactRole', { OpportunityId: opportunity, ContactId: alice, IsPrimary: true }, rep);
    const deal = () => h.hubspot.store.getBy('deals', 'revloop_salesforce_opportunity_id', opportunity, { properties: ['dealname', 'amount', 'dealstage', 'pipeline', 'closedate'] });
    await h.until('the deal', () => deal()?.properties.dealstage === 'qualifiedtobuy');
    await h.settled();
    expect(deal()?.properties).toMatchObject({ dealname: 'Umbrella rollout', amount: '75000', pipeline: 'default' });
    expect(deal()?.properties.closedate).toMatch(/^2027-02-28/);
    const dealId = deal()?.id as string;
    expect(h.hubspot.store.associationsOf('deals', dealId, 'contacts').map((a) => a.toId)).toEqual([contactId]);
    expect(h.hubspot.store.associationsOf('deals', dealId, 'companies').map((a) => a.toId)).toEqual([companyId]);

    h.salesforce.store.update('Opportunity', opportunity, { StageName: 'Closed Won' }, rep);
    await h.until('the won deal', () => deal()?.properties.dealstage === 'closedwon');
    expect(h.hubspot.store.count('deals')).toBe(h.hubspot.store.list('deals', { limit: 100 }).results.length);
    expect(h.hubspot.store.list('deals', { limit: 100, properties: ['revloop_salesforce_opportunity_id'] }).results.filter((d) => d.properties.revloop_salesforce_opportunity_id === opportunity)).toHaveLength(1);

    h.salesforce.store.delete(role, rep);
    await h.until('the association removed', () => h.hubspot.store.associationsOf('deals', dealId, 'contacts').length === 0);
    h.salesforce.store.delete(opportunity, rep);
    await h.until('the deal archived', () => deal() === undefined);
  }, 60_000);
});
