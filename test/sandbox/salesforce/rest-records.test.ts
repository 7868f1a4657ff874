/** sObject resources through the real jsforce Connection: describe, CRUD, upsert, getUpdated/getDeleted, errors. */
import jsforce, { type Connection } from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSalesforceSandbox, type SalesforceSandbox } from '../../../src/sandbox/salesforce/index.js';

interface ApiError {
  errorCode?: string;
  name?: string;
  message: string;
  data?: unknown;
}

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (err) {
    return err as ApiError;
  }
  throw new Error('expected the call to fail');
}

describe('REST sObject resources (jsforce)', () => {
  const clock = { now: Date.parse('2026-03-02T09:00:00.000Z') };
  let sf: SalesforceSandbox;
  let conn: Connection;

  beforeAll(async () => {
    sf = await startSalesforceSandbox({ now: () => clock.now });
    conn = new jsforce.Connection({ instanceUrl: sf.instanceUrl, accessToken: sf.accessToken, version: sf.version });
  });
  afterAll(async () => {
    await sf.close();
  });

  it('lists API versions without authentication and the version root with it', async () => {
    const versions = (await (await fetch(`${sf.instanceUrl}/services/data/`)).json()) as Array<{ version: string; url: string }>;
    expect(versions.map((v) => v.version)).toContain('62.0');
    expect(versions.at(-1)).toEqual({ label: "Summer '25", url: '/services/data/v64.0', version: '64.0' });
    const root = await conn.request<Record<string, string>>('/');
    expect(root.sobjects).toBe('/services/data/v62.0/sobjects');
    expect(root.identity).toBe(`${sf.instanceUrl}/id/${sf.orgId}/${sf.integrationUserId}`);
    const old = new jsforce.Connection({ instanceUrl: sf.instanceUrl, accessToken: sf.accessToken, version: '49.0' });
    expect((await failure(old.request('/limits'))).errorCode).toBe('NOT_FOUND');
    const newest = new jsforce.Connection({ instanceUrl: sf.instanceUrl, accessToken: sf.accessToken, version: '64.0' });
    expect(await newest.request('/limits')).toHaveProperty('DailyApiRequests');
  });

  it('describes the org, an object and its fields', async () => {
    const global = await conn.describeGlobal();
    expect(global.sobjects.map((s) => s.name)).toEqual(
      expect.arrayContaining(['Lead', 'Contact', 'Account', 'Opportunity', 'OpportunityContactRole', 'Campaign', 'CampaignMember', 'Task', 'User']),
    );
    const lead = await conn.sobject('Lead').describe();
    expect(lead.keyPrefix).toBe('00Q');
    const field = (name: string) => lead.fields.find((f) => f.name === name);
    expect(field('Revloop_HubSpot_Id__c')).toMatchObject({ type: 'string', length: 32, externalId: true, unique: true, custom: true });
    expect(field('Status')).toMatchObject({ type: 'picklist', nillable: false, defaultedOnCreate: true });
    expect(field('Status')?.picklistValues?.find((p) => p.defaultValue)?.value).toBe('Open - Not Contacted');
    expect(field('LastName')).toMatchObject({ nillable: false, createable: true, length: 80 });
    expect(field('IsConverted')).toMatchObject({ createable: false, updateable: false });
    expect(field('ConvertedAccountId')).toMatchObject({ type: 'reference', referenceTo: ['Account'], relationshipName: 'ConvertedAccount' });
    const account = await conn.sobject('Account').describe();
    expect(account.childRelationships).toEqual(
      expect.arrayContaining([expect.objectContaining({ childSObject: 'Contact', field: 'AccountId', relationshipName: 'Contacts' })]),
    );
    const basic = await conn.request<{ objectDescribe: { name: string } }>('/sobjects/Opportunity');
    expect(basic.objectDescribe.name).toBe('Opportunity');
    expect((await failure(conn.sobject('Nope').describe())).errorCode).toBe('NOT_FOUND');
  });

  it('creates, retrieves, updates and deletes a record', async () => {
    const created = await conn.sobject('Lead').create({ LastName: 'Ng', Company: 'Acme', Email: 'ng@acme.test' });
    expect(created).toEqual({ id: expect.stringMatching(/^00Q/), success: true, errors: [] });
    const id = created.id as string;
    const fetched = await conn.sobject('Lead').retrieve(id, { fields: ['Name', 'Email'] });
    expect(fetched).toEqual({ attributes: { type: 'Lead', url: `/services/data/v62.0/sobjects/Lead/${id}` }, Name: 'Ng', Email: 'ng@acme.test' });
    expect(await conn.sobject('Lead').update({ Id: id, FirstName: 'Kim' })).toEqual({ id, success: true, errors: [] });
    expect((await conn.sobject('Lead').retrieve(id)).Name).toBe('Kim Ng');
    expect(await conn.sobject('Lead').destroy(id)).toEqual({ id, success: true, errors: [] });
    expect((await failure(conn.sobject('Lead').retrieve(id))).errorCode).toBe('NOT_FOUND');
    expect((await failure(conn.sobject('Lead').update({ Id: id, FirstName: 'x' }))).errorCode).toBe('ENTITY_IS_DELETED');
    expect((await failure(conn.sobject('Lead').retrieve('not-an-id'))).message).toBe(
      'Provided external ID field does not exist or is not accessible: not-an-id',
    );
  });

  it('upserts by external id: 201 created, 200 updated, 300 several matches, 404 unknown field', async () => {
    const first = await conn.sobject('Contact').upsert({ LastName: 'Ext', Revloop_HubSpot_Id__c: '901' }, 'Revloop_HubSpot_Id__c');
    expect(first).toMatchObject({ success: true, created: true });
    const again = await conn.sobject('Contact').upsert({ LastName: 'Ext2', Revloop_HubSpot_Id__c: '901' }, 'Revloop_HubSpot_Id__c');
    expect(again).toMatchObject({ id: (first as { id: string }).id, success: true, created: false });
    await conn.sobject('Contact').create([{ LastName: 'A', Email: 'same@x.test' }, { LastName: 'B', Email: 'same@x.test' }]);
    const several = await failure(conn.sobject('Contact').upsert({ LastName: 'C', Email: 'same@x.test' }, 'Email'));
    expect(several.errorCode).toBe('MULTIPLE_CHOICES');
    expect(several.data).toHaveLength(2);
    expect((several.data as string[])[0]).toMatch(/^\/services\/data\/v62\.0\/sobjects\/Contact\/003/);
    const unknown = await failure(conn.sobject('Contact').upsert({ LastName: 'D', Nope__c: '1' }, 'Nope__c'));
    expect(unknown.errorCode).toBe('NOT_FOUND');
  });

  it('answers validation errors as one-element arrays that jsforce turns into named errors', async () => {
    const missing = await failure(conn.sobject('Lead').create({ LastName: 'x' }));
    expect(missing).toMatchObject({ errorCode: 'REQUIRED_FIELD_MISSING', name: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [Company]' });
    expect(missing.data).toEqual({ message: 'Required fields are missing: [Company]', errorCode: 'REQUIRED_FIELD_MISSING', fields: ['Company'] });
    const picklist = await failure(conn.sobject('Opportunity').create({ Name: 'x', StageName: 'Nope', CloseDate: '2026-01-01', Loss_Reason__c: 'Weather' }));
    expect(picklist.errorCode).toBe('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
    const long = await failure(conn.sobject('Lead').create({ LastName: 'x', Company: 'y', Revloop_HubSpot_Id__c: '1'.repeat(33) }));
    expect(long.errorCode).toBe('STRING_TOO_LONG');
    await conn.sobject('Lead').create({ LastName: 'x', Company: 'y', Revloop_HubSpot_Id__c: 'dup' });
    const dup = await failure(conn.sobject('Lead').create({ LastName: 'x', Company: 'y', Revloop_HubSpot_Id__c: 'dup' }));
    expect(dup.errorCode).toBe('DUPLICATE_VALUE');
    expect((await failure(conn.sobject('Contact').create({ LastName: 'x', AccountId: '001xx' }))).errorCode).toBe('MALFORMED_ID');
    expect((await failure(conn.sobject('Contact').create({ LastName: 'x', AccountId: '001000000000000AAA' }))).errorCode).toBe('INVALID_CROSS_REFERENCE_KEY');
    expect((await failure(conn.sobject('Lead').create({ LastName: 'x', Company: 'y', Bogus: 1 }))).errorCode).toBe('INVALID_FIELD');
    expect((await failure(conn.sobject('Lead').create({ LastName: 'x', Company: 'y', IsConverted: true }))).errorCode).toBe('INVALID_FIELD_FOR_INSERT_UPDATE');
    expect((await failure(conn.sobject('Lead').create({ LastName: 'x', Company: 'y', NumberOfEmployees: 'many' }))).errorCode).toBe(
      'INVALID_TYPE_ON_FIELD_IN_RECORD',
    );
    const converted = await conn.sobject('Lead').create({ LastName: 'x', Company: 'y' });
    sf.store.convertLead({ leadId: converted.id as string, convertedStatus: 'Closed - Converted' });
    expect((await failure(conn.sobject('Lead').update({ Id: converted.id as string, Title: 'x' }))).errorCode).toBe('CANNOT_UPDATE_CONVERTED_LEAD');
  });

  it('answers 405 for a method a resource does not support, and JSON_PARSER_ERROR for a bad body', async () => {
    const res = await fetch(`${sf.instanceUrl}/services/data/v62.0/sobjects/Lead`, { method: 'PUT', headers: { Authorization: `Bearer ${sf.accessToken}` } });
    expect(res.status).toBe(405);
    expect(((await res.json()) as Array<{ errorCode: string }>)[0]?.errorCode).toBe('METHOD_NOT_ALLOWED');
    const bad = await fetch(`${sf.instanceUrl}/services/data/v62.0/sobjects/Lead`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${sf.accessToken}`, 'Content-Type': 'application/json' },
      body: '{"LastName": ',
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as Array<{ errorCode: string }>)[0]?.errorCode).toBe('JSON_PARSER_ERROR');
  });

  it('lists updated and deleted ids in a window (getUpdated / getDeleted)', async () => {
    const start = new Date(clock.now);
    const kept = await conn.sobject('Account').create({ Name: 'Kept' });
    const gone = await conn.sobject('Account').create({ Name: 'Gone' });
    clock.now += 60_000;
    await conn.sobject('Account').destroy(gone.id as string);
    clock.now += 120_000;
    const end = new Date(clock.now);
    const updated = await conn.sobject('Account').updated(start, end);
    expect(updated.ids).toContain(kept.id);
    expect(updated.ids).not.toContain(gone.id);
    expect(updated.latestDateCovered).toBe('2026-03-02T09:03:00.000+0000');
    const deleted = await conn.sobject('Account').deleted(start, end);
    expect(deleted.deletedRecords).toEqual([{ id: gone.id, deletedDate: '2026-03-02T09:01:00.000+0000' }]);
    const tooWide = await failure(conn.sobject('Account').updated(new Date(clock.now - 40 * 86_400_000), end));
    expect(tooWide.errorCode).toBe('INVALID_REPLICATION_DATE');
  });
});
