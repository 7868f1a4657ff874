/** Bulk API 2.0 ingest and query jobs as jsforce's bulk2 drives them. */
import jsforce, { type Connection } from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSalesforceSandbox, type SalesforceSandbox } from '../../../src/sandbox/salesforce/index.js';

describe('Bulk API 2.0 (jsforce bulk2)', () => {
  let sf: SalesforceSandbox;
  let conn: Connection;

  beforeAll(async () => {
    sf = await startSalesforceSandbox({ bulkJobDelayMs: 30 });
    conn = new jsforce.Connection({ instanceUrl: sf.instanceUrl, accessToken: sf.accessToken, version: sf.version });
    conn.bulk2.pollInterval = 20;
    conn.bulk2.pollTimeout = 10_000;
  });
  afterAll(async () => {
    await sf.close();
  });

  it('inserts from CSV, reporting successful and failed rows with sf__Id, sf__Created and sf__Error', async () => {
    sf.counter.reset();
    const results = await conn.bulk2.loadAndWaitForResults({
      object: 'Lead',
      operation: 'insert',
      input: 'LastName,Company,Email,Revloop_HubSpot_Id__c\nAda,Acme,ada@acme.test,b-1\nNoCompany,,x@y.test,b-2\nBob,Acme,bad-email,b-3\n',
    });
    expect(results.successfulResults).toEqual([
      { sf__Id: expect.stringMatching(/^00Q/), sf__Created: 'true', LastName: 'Ada', Company: 'Acme', Email: 'ada@acme.test', Revloop_HubSpot_Id__c: 'b-1' },
    ]);
    expect(results.failedResults).toEqual([
      expect.objectContaining({ sf__Id: '', sf__Error: 'REQUIRED_FIELD_MISSING:Required fields are missing: [Company]:Company --', LastName: 'NoCompany' }),
      expect.objectContaining({ sf__Error: 'INVALID_EMAIL_ADDRESS:Email: invalid email address: bad-email:Email --', LastName: 'Bob' }),
    ]);
    expect(results.unprocessedRecords).toEqual([]);
    // The job was polled at least once while queued or in progress.
    expect(sf.counter.count((route) => route.startsWith('GET /services/data/v62.0/jobs/ingest/:jobId'))).toBeGreaterThanOrEqual(2);
  });

  it('upserts by external id, updates by Id and deletes, with relationship columns resolved by external id', async () => {
    sf.store.insert('Account', { Name: 'Parent Co', Revloop_HubSpot_Id__c: 'co-1' });
    const upserted = await conn.bulk2.loadAndWaitForResults({
      object: 'Contact',
      operation: 'upsert',
      externalIdFieldName: 'Revloop_HubSpot_Id__c',
      input: 'Revloop_HubSpot_Id__c,LastName,Account.Revloop_HubSpot_Id__c\nc-1,One,co-1\nc-2,Two,#N/A\n',
    });
    expect(upserted.successfulResults.map((r) => r.sf__Created)).toEqual(['true', 'true']);
    const first = upserted.successfulResults[0]?.sf__Id as string;
    expect(sf.store.query(`SELECT Account.Name FROM Contact WHERE Id = '${first}'`).records[0]).toMatchObject({ Account: { Name: 'Parent Co' } });
    const again = await conn.bulk2.loadAndWaitForResults({
      object: 'Contact',
      operation: 'upsert',
      externalIdFieldName: 'Revloop_HubSpot_Id__c',
      input: [{ Revloop_HubSpot_Id__c: 'c-1', LastName: 'One again', Title: null }],
    });
    expect(again.successfulResults[0]).toMatchObject({ sf__Id: first, sf__Created: 'false' });
    const updated = await conn.bulk2.loadAndWaitForResults({ object: 'Contact', operation: 'update', input: [{ Id: first, Department: 'Ops' }] });
    expect(updated.successfulResults).toHaveLength(1);
    expect(sf.store.get('Contact', first, ['Department', 'LastName'])).toEqual({ Department: 'Ops', LastName: 'One again' });
    const deleted = await conn.bulk2.loadAndWaitForResults({ object: 'Contact', operation: 'delete', input: [{ Id: first }, { Id: '003000000000000AAA' }] });
    expect(deleted.successfulResults.map((r) => r.sf__Id)).toEqual([first]);
    expect(deleted.failedResults[0]).toMatchObject({ sf__Id: '003000000000000AAA', sf__Error: 'INVALID_CROSS_REFERENCE_KEY:invalid cross reference id: --' });
    expect(sf.store.isDeleted('Contact', first)).toBe(true);
  });

  it('fails a job whose CSV names an unknown field, and refuses a job for an unknown object', async () => {
    await expect(conn.bulk2.loadAndWaitForResults({ object: 'Lead', operation: 'insert', input: 'LastName,Bogus__c\nA,B\n' })).rejects.toThrow(
      'Ingest job failed to complete due to: InvalidBatch : Field name not found : Bogus__c',
    );
    await expect(conn.bulk2.loadAndWaitForResults({ object: 'Nope', operation: 'insert', input: 'A\n1\n' })).rejects.toMatchObject({ errorCode: 'INVALIDJOB' });
  });

  it('queries to CSV in SELECT order with parent fields, ending on Sforce-Locator: null', async () => {
    const account = sf.store.insert('Account', { Name: 'Query Co' });
    for (let i = 0; i < 5; i++) sf.store.insert('Contact', { LastName: `Q${i}`, AccountId: account, Email: `q${i}@x.test` });
    const stream = await conn.bulk2.query(`SELECT LastName, Account.Name, Email FROM Contact WHERE AccountId = '${account}' ORDER BY LastName`);
    const rows = await stream.toArray();
    expect(rows).toHaveLength(5);
    expect(rows[0]).toEqual({ LastName: 'Q0', 'Account.Name': 'Query Co', Email: 'q0@x.test' });
  });

  it('pages query results with maxRecords and Sforce-Locator until the literal null', async () => {
    const headers = { Authorization: `Bearer ${sf.accessToken}`, 'Content-Type': 'application/json' };
    const base = `${sf.instanceUrl}/services/data/v62.0/jobs/query`;
    const created = (await (await fetch(base, { method: 'POST', headers, body: JSON.stringify({ operation: 'query', query: 'SELECT Id, LastName FROM Contact ORDER BY LastName' }) })).json()) as { id: string; state: string };
    expect(created.state).toBe('UploadComplete');
    let state = created.state;
    while (state !== 'JobComplete') {
      await new Promise((r) => setTimeout(r, 10));
      state = ((await (await fetch(`${base}/${created.id}`, { headers })).json()) as { state: string }).state;
    }
    const total = sf.store.count('Contact');
    const seen: string[] = [];
    const locators: string[] = [];
    let locator: string | null = '';
    while (locator !== 'null') {
      const res: Response = await fetch(`${base}/${created.id}/results?maxRecords=2${locator === '' ? '' : `&locator=${locator}`}`, { headers: { ...headers, Accept: 'text/csv' } });
      expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
      const lines = (await res.text()).trim().split('\n');
      expect(lines[0]).toBe('"Id","LastName"');
      expect(Number(res.headers.get('sforce-numberofrecords'))).toBe(lines.length - 1);
      seen.push(...lines.slice(1));
      locator = res.headers.get('sforce-locator');
      locators.push(String(locator));
    }
    expect(seen).toHaveLength(total);
    expect(locators.at(-1)).toBe('null');
    expect(locators.length).toBe(Math.ceil(total / 2));
    const wrongVersion = await fetch(`${sf.instanceUrl}/services/data/v61.0/jobs/query/${created.id}/results`, { headers });
    expect(wrongVersion.status).toBe(409);
  });
});
