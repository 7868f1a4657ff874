/** The in-memory org through its typed API (no HTTP): validation as an org does it, transactions, the recycle bin. */
import { beforeEach, describe, expect, it } from 'vitest';
import { SalesforceApiError } from '../../../src/sandbox/salesforce/errors.js';
import { SalesforceStore } from '../../../src/sandbox/salesforce/store/salesforce-store.js';

function errorOf(fn: () => unknown): SalesforceApiError {
  try {
    fn();
  } catch (err) {
    if (err instanceof SalesforceApiError) return err;
    throw err;
  }
  throw new Error('expected a SalesforceApiError');
}

describe('SalesforceStore writes', () => {
  const clock = { now: Date.parse('2026-03-02T09:00:00.000Z') };
  let store: SalesforceStore;

  beforeEach(() => {
    store = new SalesforceStore({ now: () => clock.now });
  });

  it('creates a Lead with defaults, system fields and the integration user as owner', () => {
    const id = store.insert('Lead', { FirstName: 'Ada', LastName: 'Lovelace', Company: 'Analytical Engines' });
    expect(id).toMatch(/^00Q[0-9A-Za-z]{15}$/);
    const lead = store.get('Lead', id);
    expect(lead).toMatchObject({
      Name: 'Ada Lovelace',
      Status: 'Open - Not Contacted',
      IsConverted: false,
      IsDeleted: false,
      OwnerId: store.integrationUserId,
      CreatedById: store.integrationUserId,
      CreatedDate: '2026-03-02T09:00:00.000+0000',
      SystemModstamp: '2026-03-02T09:00:00.000+0000',
    });
  });

  it('answers every validation error with Salesforce code, message and fields', () => {
    expect(errorOf(() => store.insert('Lead', { LastName: 'x' })).toRest()).toEqual({
      errorCode: 'REQUIRED_FIELD_MISSING',
      message: 'Required fields are missing: [Company]',
      fields: ['Company'],
    });
    expect(errorOf(() => store.insert('Lead', { LastName: 'x', Company: 'y', Status: 'Hot' })).toRest()).toEqual({
      errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      message: 'Status: bad value for restricted picklist field: Hot',
      fields: ['Status'],
    });
    expect(errorOf(() => store.insert('Lead', { LastName: 'x'.repeat(81), Company: 'y' })).toRest()).toMatchObject({
      errorCode: 'STRING_TOO_LONG',
      message: `Last Name: data value too large: ${'x'.repeat(81)} (max length=80)`,
      fields: ['LastName'],
    });
    expect(errorOf(() => store.insert('Lead', { LastName: 'x', Company: 'y', Foo__c: 1 })).toRest()).toMatchObject({
      errorCode: 'INVALID_FIELD',
      message: "No such column 'Foo__c' on sobject of type Lead",
    });
    expect(errorOf(() => store.insert('Lead', { LastName: 'x', Company: 'y', IsConverted: true })).toRest()).toMatchObject({
      errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
      fields: ['IsConverted'],
    });
    expect(errorOf(() => store.insert('Lead', { LastName: 'x', Company: 'y', AnnualRevenue: 'lots' })).toRest()).toMatchObject({
      errorCode: 'INVALID_TYPE_ON_FIELD_IN_RECORD',
      message: 'Annual Revenue: value not of required type: lots',
      fields: ['AnnualRevenue'],
    });
    expect(errorOf(() => store.insert('Lead', { LastName: 'x', Company: 'y', Email: 'not-an-email' })).errorCode).toBe('INVALID_EMAIL_ADDRESS');
    expect(errorOf(() => store.insert('Contact', { LastName: 'x', AccountId: 'garbage' })).toRest()).toMatchObject({
      errorCode: 'MALFORMED_ID',
      message: 'Account ID: id value of incorrect type: garbage',
      fields: ['AccountId'],
    });
    const leadId = store.insert('Lead', { LastName: 'x', Company: 'y' });
    expect(errorOf(() => store.insert('Contact', { LastName: 'x', AccountId: leadId })).errorCode).toBe('FIELD_INTEGRITY_EXCEPTION');
    expect(errorOf(() => store.insert('Contact', { LastName: 'x', AccountId: '001000000000000AAA' })).toRest()).toMatchObject({
      errorCode: 'INVALID_CROSS_REFERENCE_KEY',
      message: 'invalid cross reference id',
    });
  });

  it('refuses a duplicate unique external id and names the record that holds it', () => {
    const first = store.insert('Lead', { LastName: 'a', Company: 'c', Revloop_HubSpot_Id__c: 'HS-1' });
    const err = errorOf(() => store.insert('Lead', { LastName: 'b', Company: 'c', Revloop_HubSpot_Id__c: 'hs-1' }));
    expect(err.errorCode).toBe('DUPLICATE_VALUE');
    expect(err.message).toBe(`duplicate value found: Revloop_HubSpot_Id__c duplicates value on record with id: ${first.slice(0, 15)}`);
    // The same value on another object is fine: uniqueness is per object.
    expect(() => store.insert('Contact', { LastName: 'b', Revloop_HubSpot_Id__c: 'HS-1' })).not.toThrow();
  });

  it('upserts by external id: creates, then updates the match, and refuses several matches', () => {
    const created = store.upsert('Lead', 'Revloop_HubSpot_Id__c', '42', { LastName: 'One', Company: 'C' });
    expect(created.created).toBe(true);
    const updated = store.upsert('Lead', 'Revloop_HubSpot_Id__c', '42', { LastName: 'Two' });
    expect(updated).toEqual({ id: created.id, created: false });
    expect(store.get('Lead', created.id)?.LastName).toBe('Two');
    store.insert('Contact', { LastName: 'x', Email: 'dup@example.com' });
    store.insert('Contact', { LastName: 'y', Email: 'DUP@example.com' });
    // Email is an idLookup field: two contacts share it, so an upsert on it cannot pick one.
    const several = errorOf(() => store.upsert('Contact', 'Email', 'dup@example.com', { LastName: 'z' }));
    expect(several.errorCode).toBe('MULTIPLE_CHOICES');
    expect(several.httpStatus).toBe(300);
    expect(errorOf(() => store.upsert('Lead', 'Company', 'x', { LastName: 'z' })).errorCode).toBe('NOT_FOUND');
  });

  it('keeps a converted lead read-only and deleted records out of reach', () => {
    const lead = store.insert('Lead', { LastName: 'x', Company: 'y' });
    expect(store.convertLead({ leadId: lead, convertedStatus: 'Closed - Converted' }).success).toBe(true);
    expect(errorOf(() => store.update('Lead', lead, { Title: 'CEO' })).toRest()).toEqual({
      errorCode: 'CANNOT_UPDATE_CONVERTED_LEAD',
      message: 'cannot reference converted lead',
      fields: [],
    });
    const account = store.insert('Account', { Name: 'Gone' });
    store.delete(account);
    expect(errorOf(() => store.update('Account', account, { Name: 'Back' })).errorCode).toBe('ENTITY_IS_DELETED');
    expect(errorOf(() => store.insert('Contact', { LastName: 'x', AccountId: account })).errorCode).toBe('ENTITY_IS_DELETED');
  });

  it('derives Opportunity IsClosed, IsWon, Probability and forecast category from the stage', () => {
    const id = store.insert('Opportunity', { Name: 'Deal', StageName: 'Prospecting', CloseDate: '2026-06-30', Amount: 1000 });
    expect(store.get('Opportunity', id, ['IsClosed', 'IsWon', 'Probability', 'ForecastCategoryName', 'ExpectedRevenue', 'FiscalQuarter'])).toEqual({
      IsClosed: false,
      IsWon: false,
      Probability: 10,
      ForecastCategoryName: 'Pipeline',
      ExpectedRevenue: 100,
      FiscalQuarter: 2,
    });
    store.update('Opportunity', id, { StageName: 'Closed Won' });
    expect(store.get('Opportunity', id, ['IsClosed', 'IsWon', 'Probability', 'ForecastCategory'])).toEqual({
      IsClosed: true,
      IsWon: true,
      Probability: 100,
      ForecastCategory: 'Closed',
    });
  });

  it('moves deletions to the recycle bin with their cascades, and undeletes them together', () => {
    const account = store.insert('Account', { Name: 'Acme' });
    const contact = store.insert('Contact', { LastName: 'Lee', AccountId: account });
    clock.now += 1000;
    store.delete(account);
    expect(store.count('Contact')).toBe(0);
    const all = store.query(`SELECT Id, IsDeleted FROM Contact WHERE Id = '${contact}'`, { includeDeleted: true });
    expect(all.records[0]).toMatchObject({ Id: contact, IsDeleted: true });
    store.undelete(account);
    expect(store.get('Contact', contact)?.IsDeleted).toBe(false);
  });

  it('rolls back every record of an all-or-none insert when one fails', () => {
    const results = store.insertMany('Lead', [{ LastName: 'a', Company: 'c' }, { LastName: 'b' }], {}, { allOrNone: true });
    expect(results[0]).toMatchObject({ id: null, success: false, errors: [{ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK' }] });
    expect(results[1]).toMatchObject({ success: false, errors: [{ statusCode: 'REQUIRED_FIELD_MISSING' }] });
    expect(store.count('Lead')).toBe(0);
    const partial = store.insertMany('Lead', [{ LastName: 'a', Company: 'c' }, { LastName: 'b' }]);
    expect(partial.map((r) => r.success)).toEqual([true, false]);
    expect(store.count('Lead')).toBe(1);
  });

  it('merges contacts: children move to the master, the others go to the recycle bin with MasterRecordId', () => {
    const account = store.insert('Account', { Name: 'Acme' });
    const master = store.insert('Contact', { LastName: 'Master', AccountId: account });
    const loser = store.insert('Contact', { LastName: 'Loser', AccountId: account });
    const opp = store.insert('Opportunity', { Name: 'D', StageName: 'Prospecting', CloseDate: '2026-06-30', AccountId: account });
    const role = store.insert('OpportunityContactRole', { OpportunityId: opp, ContactId: loser, Role: 'Decision Maker' });
    const result = store.merge('Contact', master, [loser], {}, { Title: 'CTO' });
    expect(result.mergedRecordIds).toEqual([loser]);
    expect(store.get('OpportunityContactRole', role)?.ContactId).toBe(master);
    expect(store.get('Contact', master)?.Title).toBe('CTO');
    expect(store.get('Contact', loser)).toMatchObject({ IsDeleted: true, MasterRecordId: master });
  });

  it('adds custom fields at run time, and a bare org has none of revloop setup', () => {
    store.addField('Lead', { name: 'Plan__c', type: 'picklist', picklistValues: ['Free', 'Pro'], restricted: true });
    const id = store.insert('Lead', { LastName: 'x', Company: 'y', Plan__c: 'Pro' });
    expect(store.get('Lead', id, ['Plan__c'])).toEqual({ Plan__c: 'Pro' });
    expect(errorOf(() => store.insert('Lead', { LastName: 'x', Company: 'y', Plan__c: 'Gold' })).errorCode).toBe('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
    const bare = new SalesforceStore({ bareOrg: true });
    expect(bare.schema.object('Lead')?.field('Revloop_HubSpot_Id__c')).toBeUndefined();
    expect(bare.schema.leadStatuses.map((s) => s.apiName)).not.toContain('Recycled');
    expect(store.schema.leadStatuses.map((s) => s.apiName)).toEqual(expect.arrayContaining(['Qualified', 'Recycled']));
  });

  it('maintains Task, CampaignMember and Campaign fields as an org does', () => {
    const account = store.insert('Account', { Name: 'Acme' });
    const contact = store.insert('Contact', { LastName: 'Lee', AccountId: account });
    const task = store.insert('Task', { Subject: 'Call', WhoId: contact, Priority: 'High' });
    expect(store.get('Task', task, ['AccountId', 'IsClosed', 'IsHighPriority', 'Status'])).toEqual({
      AccountId: account,
      IsClosed: false,
      IsHighPriority: true,
      Status: 'Not Started',
    });
    clock.now += 1000;
    store.update('Task', task, { Status: 'Completed' });
    expect(store.get('Task', task, ['IsClosed', 'CompletedDateTime'])).toEqual({ IsClosed: true, CompletedDateTime: new Date(clock.now).toISOString().replace('Z', '+0000') });
    const campaign = store.insert('Campaign', { Name: 'Webinar' });
    const lead = store.insert('Lead', { LastName: 'L', Company: 'C' });
    const member = store.insert('CampaignMember', { CampaignId: campaign, LeadId: lead, Status: 'Responded' });
    expect(store.get('CampaignMember', member, ['HasResponded', 'Type', 'LastName', 'CompanyOrAccount'])).toEqual({
      HasResponded: true,
      Type: 'Lead',
      LastName: 'L',
      CompanyOrAccount: 'C',
    });
    expect(errorOf(() => store.insert('CampaignMember', { CampaignId: campaign, LeadId: lead })).toRest()).toEqual({
      errorCode: 'DUPLICATE_VALUE',
      message: 'Already a campaign member.',
      fields: [],
    });
    store.insert('CampaignMember', { CampaignId: campaign, ContactId: contact });
    store.insert('Opportunity', { Name: 'Won', StageName: 'Closed Won', CloseDate: '2026-03-01', Amount: 500, CampaignId: campaign });
    expect(store.get('Campaign', campaign, ['NumberOfLeads', 'NumberOfContacts', 'NumberOfResponses', 'NumberOfWonOpportunities', 'AmountWonOpportunities'])).toEqual({
      NumberOfLeads: 1,
      NumberOfContacts: 1,
      NumberOfResponses: 1,
      NumberOfWonOpportunities: 1,
      AmountWonOpportunities: 500,
    });
  });

  it('lets a data load set audit fields when asked, never an API client', () => {
    const id = store.insert('Lead', { LastName: 'x', Company: 'y', CreatedDate: '2025-01-01T00:00:00Z' }, { auditFields: true });
    expect(store.get('Lead', id, ['CreatedDate'])).toEqual({ CreatedDate: '2025-01-01T00:00:00.000+0000' });
    expect(errorOf(() => store.insert('Lead', { LastName: 'x', Company: 'y', CreatedDate: '2025-01-01T00:00:00Z' })).errorCode).toBe(
      'INVALID_FIELD_FOR_INSERT_UPDATE',
    );
  });
});
