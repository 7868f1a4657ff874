/** sObject Collections and Composite through the real jsforce Connection. */
import jsforce, { type Connection } from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSalesforceSandbox, type SalesforceSandbox } from '../../../src/sandbox/salesforce/index.js';

describe('sObject Collections and Composite (jsforce)', () => {
  let sf: SalesforceSandbox;
  let conn: Connection;

  beforeAll(async () => {
    sf = await startSalesforceSandbox();
    conn = new jsforce.Connection({ instanceUrl: sf.instanceUrl, accessToken: sf.accessToken, version: sf.version });
  });
  afterAll(async () => {
    await sf.close();
  });

  it('creates many records in one call with per-record results in request order', async () => {
    sf.counter.reset();
    const results = await conn.sobject('Lead').create([
      { LastName: 'A', Company: 'C' },
      { LastName: 'B' },
      { LastName: 'C', Company: 'C' },
    ]);
    expect(sf.counter.count('POST /services/data/v62.0/composite/sobjects')).toBe(1);
    expect(results[0]).toEqual({ id: expect.stringMatching(/^00Q/), success: true, errors: [] });
    expect(results[1]).toEqual({
      id: null,
      success: false,
      errors: [{ statusCode: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [Company]', fields: ['Company'] }],
    });
    expect(results[2]?.success).toBe(true);
  });

  it('rolls everything back with allOrNone and says so on each would-be success', async () => {
    const before = sf.store.count('Lead');
    const results = await conn.sobject('Lead').create([{ LastName: 'A', Company: 'C' }, { LastName: 'B' }], { allOrNone: true });
    expect(results[0]).toEqual({
      id: null,
      success: false,
      errors: [
        {
          statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
          message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
          fields: [],
        },
      ],
    });
    expect(sf.store.count('Lead')).toBe(before);
    const [a] = await conn.sobject('Lead').create([{ LastName: 'A', Company: 'C' }]);
    const updates = await conn.sobject('Lead').update(
      [
        { Id: a?.id as string, Title: 'CEO' },
        { Id: '003000000000000AAA', Title: 'x' },
      ],
      { allOrNone: true },
    );
    expect(updates[0]).toMatchObject({ id: a?.id, success: false, errors: [{ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK' }] });
    expect(updates[1]).toMatchObject({ success: false, errors: [{ statusCode: 'MALFORMED_ID', fields: ['Id'] }] });
    expect(sf.store.get('Lead', a?.id as string)?.Title).toBeNull();
  });

  it('updates, upserts, retrieves and deletes collections', async () => {
    const created = await conn.sobject('Contact').create([{ LastName: 'One' }, { LastName: 'Two' }]);
    const ids = created.map((r) => r.id as string);
    const updated = await conn.sobject('Contact').update(ids.map((Id) => ({ Id, Department: 'Sales' })));
    expect(updated.every((r) => r.success)).toBe(true);
    const upserted = await conn.sobject('Contact').upsert(
      [
        { LastName: 'Three', Revloop_HubSpot_Id__c: 'c-3' },
        { LastName: 'Four', Revloop_HubSpot_Id__c: 'c-4' },
      ],
      'Revloop_HubSpot_Id__c',
    );
    expect(upserted.map((r) => (r as { created?: boolean }).created)).toEqual([true, true]);
    const again = await conn.sobject('Contact').upsert([{ LastName: 'Three!', Revloop_HubSpot_Id__c: 'c-3' }], 'Revloop_HubSpot_Id__c');
    expect(again[0]).toMatchObject({ id: upserted[0]?.id, created: false });
    const fetched = await conn.sobject('Contact').retrieve([...ids, '003000000000000AAA'], { fields: ['LastName', 'Department'] });
    expect(fetched.map((r) => r?.Department ?? null)).toEqual(['Sales', 'Sales', null]);
    const described = await conn.sobject('Contact').retrieve(ids);
    expect(described[0]).toHaveProperty('Revloop_Stage__c', null);
    const removed = await conn.sobject('Contact').destroy([...ids, '003000000000000AAA']);
    expect(removed.map((r) => r.success)).toEqual([true, true, false]);
    expect(removed[2]?.errors).toEqual([{ statusCode: 'INVALID_CROSS_REFERENCE_KEY', message: 'invalid cross reference id', fields: [] }]);
  });

  it('refuses more than 200 records with EXCEEDED_ID_LIMIT', async () => {
    const records = Array.from({ length: 201 }, (_, i) => ({ LastName: `L${i}`, Company: 'C' }));
    await expect(conn.sobject('Lead').create(records)).rejects.toMatchObject({ errorCode: 'EXCEEDED_ID_LIMIT' });
    const res = await fetch(`${sf.instanceUrl}/services/data/v62.0/composite/sobjects?ids=${Array.from({ length: 201 }, () => '00Q000000000000AAA').join(',')}`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${sf.accessToken}` },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual([{ message: 'record limit reached. cannot submit more than 200 records into this call', errorCode: 'EXCEEDED_ID_LIMIT' }]);
  });

  it('runs Composite subrequests with references in one transaction', async () => {
    const body = {
      allOrNone: false,
      compositeRequest: [
        { method: 'POST', url: '/services/data/v62.0/sobjects/Account', referenceId: 'acct', body: { Name: 'Composite Co' } },
        { method: 'POST', url: '/services/data/v62.0/sobjects/Contact', referenceId: 'person', body: { LastName: 'Ref', AccountId: '@{acct.id}' } },
        { method: 'GET', url: '/services/data/v62.0/query?q=SELECT+Id,Account.Name+FROM+Contact+WHERE+Id=%27@{person.id}%27', referenceId: 'check' },
        { method: 'PATCH', url: '/services/data/v62.0/sobjects/Contact/@{person.id}', referenceId: 'touch', body: { Title: 'Lead Buyer' } },
      ],
    };
    const changes: string[] = [];
    const off = sf.store.onChange((c) => changes.push(c.transactionKey));
    const result = await conn.requestPost<{ compositeResponse: Array<{ httpStatusCode: number; body: unknown; referenceId: string }> }>('/composite', body);
    off();
    expect(result.compositeResponse.map((r) => r.httpStatusCode)).toEqual([201, 201, 200, 204]);
    const check = result.compositeResponse[2]?.body as { records: Array<{ Account: { Name: string } }> };
    expect(check.records[0]?.Account.Name).toBe('Composite Co');
    expect(new Set(changes).size).toBe(1);
  });

  it('halts every subrequest of an all-or-none Composite when one fails', async () => {
    const before = sf.store.count('Account');
    const result = await conn.requestPost<{ compositeResponse: Array<{ httpStatusCode: number; body: Array<{ errorCode: string }> }> }>('/composite', {
      allOrNone: true,
      compositeRequest: [
        { method: 'POST', url: '/services/data/v62.0/sobjects/Account', referenceId: 'a', body: { Name: 'Rolled back' } },
        { method: 'POST', url: '/services/data/v62.0/sobjects/Contact', referenceId: 'b', body: { AccountId: '@{a.id}' } },
        { method: 'POST', url: '/services/data/v62.0/sobjects/Account', referenceId: 'c', body: { Name: 'Never' } },
      ],
    });
    expect(result.compositeResponse.map((r) => [r.httpStatusCode, r.body[0]?.errorCode])).toEqual([
      [400, 'PROCESSING_HALTED'],
      [400, 'REQUIRED_FIELD_MISSING'],
      [400, 'PROCESSING_HALTED'],
    ]);
    expect(sf.store.count('Account')).toBe(before);
    const tooMany = { compositeRequest: Array.from({ length: 26 }, (_, i) => ({ method: 'GET', url: '/services/data/v62.0/limits', referenceId: `r${i}` })) };
    await expect(conn.requestPost('/composite', tooMany)).rejects.toMatchObject({ errorCode: 'LIMIT_EXCEEDED' });
  });
});
