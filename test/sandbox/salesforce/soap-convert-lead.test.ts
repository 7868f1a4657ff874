/** Lead conversion through the partner SOAP API, exactly as jsforce's conn.soap.convertLead calls it. */
import jsforce, { type Connection } from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SalesforceChange } from '../../../src/sandbox/salesforce/change-feed.js';
import { startSalesforceSandbox, type SalesforceSandbox } from '../../../src/sandbox/salesforce/index.js';

describe('SOAP convertLead (jsforce)', () => {
  let sf: SalesforceSandbox;
  let conn: Connection;

  beforeAll(async () => {
    sf = await startSalesforceSandbox();
    conn = new jsforce.Connection({ instanceUrl: sf.instanceUrl, accessToken: sf.accessToken, version: sf.version, callOptions: { client: 'revloop-tests' } });
  });
  afterAll(async () => {
    await sf.close();
  });

  it('converts a lead with all its effects, in one transaction', async () => {
    const lead = await conn.sobject('Lead').create({ FirstName: 'Ada', LastName: 'Byron', Company: 'Engines Ltd', Email: 'ada@engines.test', Revloop_HubSpot_Id__c: '77' });
    const leadId = lead.id as string;
    const member = sf.store.insert('CampaignMember', { CampaignId: sf.store.insert('Campaign', { Name: 'Webinar' }), LeadId: leadId });
    const changes: SalesforceChange[] = [];
    const off = sf.store.onChange((c) => changes.push(c));
    const result = await conn.soap.convertLead({ leadId, convertedStatus: 'Closed - Converted', doNotCreateOpportunity: false, opportunityName: 'Engines deal' });
    off();
    expect(result).toEqual({
      accountId: expect.stringMatching(/^001/),
      contactId: expect.stringMatching(/^003/),
      leadId,
      opportunityId: expect.stringMatching(/^006/),
      success: true,
      errors: [],
    });
    const converted = await conn.sobject('Lead').retrieve(leadId);
    expect(converted).toMatchObject({
      IsConverted: true,
      Status: 'Closed - Converted',
      ConvertedAccountId: result.accountId,
      ConvertedContactId: result.contactId,
      ConvertedOpportunityId: result.opportunityId,
    });
    const contact = await conn.sobject('Contact').retrieve(result.contactId as string);
    expect(contact).toMatchObject({ FirstName: 'Ada', LastName: 'Byron', Email: 'ada@engines.test', AccountId: result.accountId, Revloop_HubSpot_Id__c: '77' });
    expect((await conn.sobject('Account').retrieve(result.accountId as string)).Name).toBe('Engines Ltd');
    const opp = await conn.query(`SELECT Name, StageName, (SELECT ContactId, IsPrimary FROM OpportunityContactRoles) FROM Opportunity WHERE Id = '${result.opportunityId}'`);
    expect(opp.records[0]).toMatchObject({ Name: 'Engines deal', StageName: 'Prospecting', OpportunityContactRoles: { records: [{ ContactId: result.contactId, IsPrimary: true }] } });
    expect(sf.store.get('CampaignMember', member)?.ContactId).toBe(result.contactId);
    expect(new Set(changes.map((c) => c.transactionKey)).size).toBe(1);
    expect(changes.every((c) => c.changeOrigin === 'com/salesforce/api/soap/62.0;client=revloop-tests')).toBe(true);
  });

  it('converts into an existing account without an opportunity (opportunityId comes back as null)', async () => {
    const account = await conn.sobject('Account').create({ Name: 'Existing' });
    const lead = await conn.sobject('Lead').create({ LastName: 'Two', Company: 'Ignored' });
    const result = await conn.soap.convertLead({ leadId: lead.id as string, convertedStatus: 'Closed - Converted', accountId: account.id as string, doNotCreateOpportunity: true });
    expect(result).toMatchObject({ success: true, accountId: account.id, opportunityId: null });
  });

  it('reports per-lead failures in the result, and converts the others of the same call', async () => {
    const ok = await conn.sobject('Lead').create({ LastName: 'Fine', Company: 'F' });
    const results = await conn.soap.convertLead([
      { leadId: ok.id as string, convertedStatus: 'Closed - Converted', doNotCreateOpportunity: true },
      { leadId: ok.id as string, convertedStatus: 'Working - Contacted', doNotCreateOpportunity: true },
      { leadId: '00Q000000000000EAA', convertedStatus: 'Closed - Converted', doNotCreateOpportunity: true },
    ]);
    expect(results.map((r) => r.success)).toEqual([true, false, false]);
    expect(results[1]?.errors).toMatchObject([{ statusCode: 'CANNOT_UPDATE_CONVERTED_LEAD', message: 'This lead was already converted to the contact, account and opportunity.' }]);
    expect(results[2]?.errors[0]?.statusCode).toBe('INVALID_CROSS_REFERENCE_KEY');
    const fresh = await conn.sobject('Lead').create({ LastName: 'Fresh', Company: 'F' });
    const bad = await conn.soap.convertLead({ leadId: fresh.id as string, convertedStatus: 'Working - Contacted', doNotCreateOpportunity: true });
    expect(bad).toMatchObject({ success: false, errors: [{ statusCode: 'INVALID_STATUS', message: 'invalid convertedStatus: Working - Contacted' }] });
    expect(sf.store.get('Lead', fresh.id as string)?.IsConverted).toBe(false);
  });

  it('answers an invalid session with an HTTP 500 SOAP fault, namespace-prefixed', async () => {
    const stranger = new jsforce.Connection({ instanceUrl: sf.instanceUrl, accessToken: '00D000000000000!AQbogus', version: sf.version });
    await expect(stranger.soap.convertLead({ leadId: '00Q000000000000AAA', convertedStatus: 'Closed - Converted' })).rejects.toMatchObject({
      errorCode: 'sf:INVALID_SESSION_ID',
      message: 'INVALID_SESSION_ID: Invalid Session ID found in SessionHeader: Illegal Session',
    });
    const raw = await fetch(`${sf.instanceUrl}/services/Soap/u/62.0`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/xml', SOAPAction: '""' },
      body: '<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Header><SessionHeader><sessionId>nope</sessionId></SessionHeader></soapenv:Header><soapenv:Body><convertLead/></soapenv:Body></soapenv:Envelope>',
    });
    expect(raw.status).toBe(500);
    expect(raw.headers.get('content-type')).toBe('text/xml; charset=utf-8');
    const xml = await raw.text();
    expect(xml).toContain('<soapenv:Envelope');
    expect(xml).toContain('<soapenv:Body><soapenv:Fault><faultcode>sf:INVALID_SESSION_ID</faultcode>');
  });
});
