/**
 * One test per [CLIENT] item of section B of the API reference: what jsforce 3.x sends and expects, checked against
 * the sandbox with the real jsforce.
 */
import jsforce, { type Connection } from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSalesforceSandbox, type SalesforceSandbox } from '../../../src/sandbox/salesforce/index.js';

const REDIRECT = 'http://localhost:3999/cb';

describe('jsforce client contract (reference section B)', () => {
  const clock = { now: Date.parse('2026-03-02T09:00:00.000Z') };
  let sf: SalesforceSandbox;
  let conn: Connection;

  beforeAll(async () => {
    sf = await startSalesforceSandbox({ now: () => clock.now, tokenTtlSeconds: 60, bulkJobDelayMs: 20, clientId: '3MVG9contractTests', clientSecret: 'contract-secret' });
    conn = new jsforce.Connection({ instanceUrl: sf.instanceUrl, accessToken: sf.accessToken, version: sf.version });
    conn.bulk2.pollInterval = 20;
  });
  afterAll(async () => {
    await sf.close();
  });

  /** A connection that obtained its token by the web-server flow, so jsforce can refresh it. */
  async function refreshableConnection(): Promise<Connection> {
    const oauth2 = new jsforce.OAuth2({ loginUrl: sf.loginUrl, clientId: sf.clientId, clientSecret: sf.clientSecret, redirectUri: REDIRECT });
    const html = await (await fetch(oauth2.getAuthorizationUrl({ scope: 'api refresh_token' }))).text();
    const request = /name="request" value="([^"]+)"/.exec(html)?.[1] ?? '';
    const answer = await fetch(`${sf.loginUrl}/services/oauth2/authorize`, {
      method: 'POST',
      redirect: 'manual',
      body: new URLSearchParams({ request, username: 'integration@revloop.sandbox', decision: 'approve' }),
    });
    const code = new URL(answer.headers.get('location') ?? '').searchParams.get('code') ?? '';
    const c = new jsforce.Connection({ oauth2, version: sf.version });
    await c.authorize(code);
    c.bulk2.pollInterval = 20;
    return c;
  }

  it('B.1 proxy: no http(s)_proxy variable is set, so jsforce talks to the sandbox directly', () => {
    for (const name of ['http_proxy', 'https_proxy', 'HTTP_PROXY', 'HTTPS_PROXY']) expect(process.env[name]).toBeUndefined();
  });

  it('B.1 default version 50.0 is served too, and with v ≥ 46 array writes go through sObject Collections', async () => {
    const defaults = new jsforce.Connection({ instanceUrl: sf.instanceUrl, accessToken: sf.accessToken });
    expect(defaults.version).toBe('50.0');
    sf.counter.reset();
    await defaults.sobject('Account').create([{ Name: 'a' }, { Name: 'b' }]);
    await defaults.sobject('Account').upsert([{ Name: 'c', Revloop_HubSpot_Id__c: 'v50' }], 'Revloop_HubSpot_Id__c');
    expect(sf.counter.snapshot().map((c) => c.route).sort()).toEqual([
      'PATCH /services/data/v50.0/composite/sobjects/:sobject/:field',
      'POST /services/data/v50.0/composite/sobjects',
    ]);
  });

  it('B.1 URL building: the instance URL is a bare origin with no trailing slash (bulk2 resolves relative to it)', () => {
    const url = new URL(sf.instanceUrl);
    expect(url.pathname).toBe('/');
    expect(sf.instanceUrl.endsWith('/')).toBe(false);
    expect(sf.loginUrl).toBe(sf.instanceUrl);
  });

  it('B.1 request headers: the Sforce-Call-Options client reaches the change origin', async () => {
    const tagged = new jsforce.Connection({ instanceUrl: sf.instanceUrl, accessToken: sf.accessToken, version: sf.version, callOptions: { client: 'revloop/0.1' } });
    const origins: string[] = [];
    const off = sf.store.onChange((c) => origins.push(c.changeOrigin));
    await tagged.sobject('Account').create({ Name: 'Tagged' });
    off();
    expect(origins).toEqual(['com/salesforce/api/rest/62.0;client=revloop/0.1']);
  });

  it('B.1 response parsing: JSON answers and errors carry application/json;charset=UTF-8', async () => {
    const ok = await fetch(`${sf.instanceUrl}/services/data/v62.0/limits`, { headers: { Authorization: `Bearer ${sf.accessToken}` } });
    expect(ok.headers.get('content-type')).toBe('application/json;charset=UTF-8');
    const err = await fetch(`${sf.instanceUrl}/services/data/v62.0/query?q=SELECT`, { headers: { Authorization: `Bearer ${sf.accessToken}` } });
    expect(err.status).toBe(400);
    expect(err.headers.get('content-type')).toBe('application/json;charset=UTF-8');
    expect(/^application\/json(;|$)/.test(err.headers.get('content-type') ?? '')).toBe(true);
  });

  it('B.1 204 answers give jsforce its no-content results for update, upsert and delete', async () => {
    const { id } = await conn.sobject('Account').create({ Name: 'N' });
    expect(await conn.sobject('Account').update({ Id: id as string, Name: 'N2' })).toEqual({ id, success: true, errors: [] });
    const v45 = new jsforce.Connection({ instanceUrl: sf.instanceUrl, accessToken: sf.accessToken, version: '50.0' });
    expect(await v45.sobject('Account').destroy(id as string)).toEqual({ id, success: true, errors: [] });
  });

  it('B.1 300 Multiple Choices becomes MULTIPLE_CHOICES with the matching records', async () => {
    await conn.sobject('Lead').create([{ LastName: 'a', Company: 'c', Email: 'twice@x.test' }, { LastName: 'b', Company: 'c', Email: 'twice@x.test' }]);
    await expect(conn.sobject('Lead').upsert({ LastName: 'c', Company: 'c', Email: 'twice@x.test' }, 'Email')).rejects.toMatchObject({
      name: 'MULTIPLE_CHOICES',
      errorCode: 'MULTIPLE_CHOICES',
    });
  });

  it('B.1 errors: a one-element array becomes an error named by its errorCode with the element as data', async () => {
    const err = (await conn.sobject('Lead').create({ LastName: 'x' }).catch((e: unknown) => e)) as { name: string; errorCode: string; data: unknown };
    expect(err.name).toBe('REQUIRED_FIELD_MISSING');
    expect(err.errorCode).toBe('REQUIRED_FIELD_MISSING');
    expect(err.data).toEqual({ message: 'Required fields are missing: [Company]', errorCode: 'REQUIRED_FIELD_MISSING', fields: ['Company'] });
  });

  it('B.1 session refresh: a 401 makes jsforce refresh and retry the REST call once', async () => {
    const c = await refreshableConnection();
    const before = c.accessToken;
    clock.now += 61_000;
    expect((await c.query('SELECT COUNT() FROM Account')).totalSize).toBeGreaterThan(0);
    expect(c.accessToken).not.toBe(before);
  });

  it('B.1 bulk2 refreshes on a 401 whose body contains INVALID_SESSION_ID', async () => {
    const c = await refreshableConnection();
    clock.now += 61_000;
    const result = await c.bulk2.loadAndWaitForResults({ object: 'Account', operation: 'insert', input: [{ Name: 'After refresh' }] });
    expect(result.successfulResults).toHaveLength(1);
  });

  it('B.1 transport: jsforce retries a GET answered 503 and never a POST', async () => {
    await fetch(`${sf.instanceUrl}/__sandbox/faults`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ errorRates: { '503': 1 } }) });
    sf.counter.reset();
    await expect(conn.sobject('Account').create({ Name: 'x' })).rejects.toMatchObject({ errorCode: 'SERVER_UNAVAILABLE' });
    const get = conn.sobject('Account').describe();
    setTimeout(() => sf.faults.configure({}), 100);
    expect((await get).name).toBe('Account');
    expect(sf.counter.count((route) => route.startsWith('POST'))).toBe(1);
    expect(sf.counter.count((route) => route.startsWith('GET'))).toBeGreaterThanOrEqual(2);
  });

  it('B.1 Sforce-Limit-Info sets conn.limitInfo', async () => {
    await conn.sobject('Account').describe();
    expect(conn.limitInfo?.apiUsage).toEqual({ used: sf.limits.used(), limit: 100_000 });
  });

  it('B.1 exact calls: each jsforce operation lands on the resource the reference lists', async () => {
    const { id } = await conn.sobject('Lead').create({ LastName: 'Route', Company: 'R', Revloop_HubSpot_Id__c: 'route-1' });
    sf.counter.reset();
    const steps: Array<[() => PromiseLike<unknown>, string]> = [
      [() => conn.query('SELECT Id FROM Lead'), 'GET /services/data/v62.0/query'],
      [() => conn.query('SELECT Id FROM Lead', { scanAll: true }), 'GET /services/data/v62.0/queryAll'],
      [() => conn.sobject('Lead').update({ Id: id as string, Title: 'x' }), 'PATCH /services/data/v62.0/sobjects/:sobject/:id'],
      [() => conn.sobject('Lead').update([{ Id: id as string, Title: 'y' }]), 'PATCH /services/data/v62.0/composite/sobjects'],
      [() => conn.sobject('Lead').upsert({ Revloop_HubSpot_Id__c: 'route-1', Title: 'z' }, 'Revloop_HubSpot_Id__c'), 'PATCH /services/data/v62.0/sobjects/:sobject/:field/:value'],
      [() => conn.sobject('Lead').retrieve(id as string), 'GET /services/data/v62.0/sobjects/:sobject/:id'],
      [() => conn.sobject('Lead').retrieve([id as string], { fields: ['Title'] }), 'POST /services/data/v62.0/composite/sobjects/:sobject'],
      [() => conn.sobject('Lead').describe(), 'GET /services/data/v62.0/sobjects/:sobject/describe'],
      [() => conn.describeGlobal(), 'GET /services/data/v62.0/sobjects'],
      [() => conn.sobject('Lead').updated(new Date(clock.now - 3_600_000), new Date(clock.now)), 'GET /services/data/v62.0/sobjects/:sobject/updated'],
      [() => conn.sobject('Lead').deleted(new Date(clock.now - 3_600_000), new Date(clock.now)), 'GET /services/data/v62.0/sobjects/:sobject/deleted'],
      [() => conn.limits(), 'GET /services/data/v62.0/limits'],
      [() => conn.soap.convertLead({ leadId: id as string, convertedStatus: 'Closed - Converted' }), 'POST /services/Soap/u/:version'],
      [() => conn.sobject('Account').create({ Name: 'one' }), 'POST /services/data/v62.0/sobjects/:sobject'],
      [() => conn.sobject('Account').create([{ Name: 'two' }]), 'POST /services/data/v62.0/composite/sobjects'],
    ];
    for (const [call, route] of steps) {
      sf.counter.reset();
      await call();
      expect(sf.counter.snapshot().map((c) => c.route)).toEqual([route]);
    }
    const [a, b] = await conn.sobject('Account').create([{ Name: 'a' }, { Name: 'b' }]);
    sf.counter.reset();
    await conn.sobject('Account').destroy(a?.id as string);
    await conn.sobject('Account').destroy([b?.id as string]);
    // Without a field list, jsforce first describes the object (a fresh connection has no describe cache).
    await new jsforce.Connection({ instanceUrl: sf.instanceUrl, accessToken: sf.accessToken, version: sf.version }).sobject('Account').retrieve([a?.id as string]);
    expect(sf.counter.snapshot().map((c) => c.route).sort()).toEqual([
      'DELETE /services/data/v62.0/composite/sobjects',
      'DELETE /services/data/v62.0/sobjects/:sobject/:id',
      'GET /services/data/v62.0/sobjects/:sobject/describe',
      'POST /services/data/v62.0/composite/sobjects/:sobject',
    ]);
    sf.counter.reset();
    await conn.identity();
    expect(sf.counter.snapshot().map((c) => c.route).sort()).toEqual(['GET /id/:orgId/:userId', 'GET /services/data/v62.0/']);
  });

  it('B.1 token answers: jsforce takes org and user ids from the last two segments of id, and error names from error', async () => {
    const c = await refreshableConnection();
    expect(c.userInfo).toMatchObject({ id: sf.integrationUserId, organizationId: sf.orgId });
    const wrong = new jsforce.OAuth2({ loginUrl: sf.loginUrl, clientId: 'unknown-client', redirectUri: REDIRECT });
    await expect(wrong.requestToken({ grant_type: 'client_credentials' })).rejects.toMatchObject({ name: 'invalid_client_id', message: 'client identifier invalid' });
  });

  it('B.1 bulk2: the job sequence, 201 on upload, CSV results, and DELETE of a job that failed', async () => {
    sf.counter.reset();
    await expect(conn.bulk2.loadAndWaitForResults({ object: 'Lead', operation: 'insert', input: 'Nope\nx\n' })).rejects.toThrow(/Ingest job failed/);
    await new Promise((r) => setTimeout(r, 50));
    const routes = sf.counter.snapshot().map((c) => c.route);
    expect(routes).toEqual(
      expect.arrayContaining([
        'POST /services/data/v62.0/jobs/ingest',
        'PUT /services/data/v62.0/jobs/ingest/:jobId/batches',
        'PATCH /services/data/v62.0/jobs/ingest/:jobId',
        'GET /services/data/v62.0/jobs/ingest/:jobId',
        'DELETE /services/data/v62.0/jobs/ingest/:jobId',
      ]),
    );
    const job = await conn.bulk2.createJob({ object: 'Account', operation: 'insert' }).open();
    const upload = await fetch(`${sf.instanceUrl}/services/data/v62.0/jobs/ingest/${job.id}/batches`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${sf.accessToken}`, 'Content-Type': 'text/csv' },
      body: 'Name\nx\n',
    });
    expect(upload.status).toBe(201);
    expect(await upload.text()).toBe('');
  });

  it('B.1 bulk2 query: the result loop ends on Sforce-Locator: null', async () => {
    const res = await conn.bulk2.query('SELECT Name FROM Account WHERE Name = \'After refresh\'');
    expect(await res.toArray()).toEqual([{ Name: 'After refresh' }]);
  });

  it('B.2 describe: every top-level key and every field key jsforce types declare is present', async () => {
    const describe = (await conn.sobject('Opportunity').describe()) as unknown as Record<string, unknown> & { fields: Array<Record<string, unknown>> };
    for (const key of ['name', 'label', 'labelPlural', 'keyPrefix', 'custom', 'createable', 'updateable', 'deletable', 'queryable', 'retrieveable', 'searchable', 'layoutable', 'undeletable', 'triggerable', 'replicateable', 'mergeable', 'activateable', 'customSetting', 'deepCloneable', 'deprecatedAndHidden', 'feedEnabled', 'hasSubtypes', 'idEnabled', 'isInterface', 'isSubtype', 'mruEnabled', 'urls', 'fields', 'childRelationships', 'recordTypeInfos', 'actionOverrides', 'namedLayoutInfos', 'supportedScopes', 'networkScopeFieldName', 'compactLayoutable', 'listviewable', 'lookupLayoutable', 'searchLayoutable']) {
      expect(describe, key).toHaveProperty(key);
    }
    const fieldKeys = ['name', 'label', 'type', 'length', 'byteLength', 'digits', 'precision', 'scale', 'soapType', 'nillable', 'createable', 'updateable', 'defaultedOnCreate', 'unique', 'externalId', 'idLookup', 'nameField', 'calculated', 'autoNumber', 'custom', 'filterable', 'sortable', 'groupable', 'aggregatable', 'caseSensitive', 'picklistValues', 'restrictedPicklist', 'dependentPicklist', 'controllerName', 'referenceTo', 'relationshipName', 'relationshipOrder', 'cascadeDelete', 'restrictedDelete', 'defaultValue', 'defaultValueFormula', 'calculatedFormula', 'inlineHelpText', 'htmlFormatted', 'encrypted', 'deprecatedAndHidden', 'permissionable', 'writeRequiresMasterRead', 'queryByDistance', 'compoundFieldName', 'extraTypeInfo', 'filteredLookupInfo', 'highScaleNumber', 'displayLocationInDecimal', 'mask', 'maskType', 'namePointing', 'referenceTargetField'];
    for (const f of describe.fields) for (const key of fieldKeys) expect(f, `${String(f.name)}.${key}`).toHaveProperty(key);
    const stage = describe.fields.find((f) => f.name === 'StageName') as { picklistValues: unknown[] };
    expect(stage.picklistValues[0]).toEqual({ active: true, defaultValue: false, label: 'Prospecting', validFor: null, value: 'Prospecting' });
    const global = (await conn.describeGlobal()) as unknown as { encoding: string; maxBatchSize: number };
    expect(global).toMatchObject({ encoding: 'UTF-8', maxBatchSize: 200 });
  });

  it('B.6 SOAP: a prefixed envelope whose Body holds convertLeadResponse, nil ids, and a session not shaped like a JWT', async () => {
    const { id } = await conn.sobject('Lead').create({ LastName: 'Soap', Company: 'S' });
    expect(sf.accessToken.split('.').length === 3 && /^[A-Za-z0-9_-]+$/.test(sf.accessToken.split('.')[0] ?? '')).toBe(false);
    const result = await conn.soap.convertLead({ leadId: id as string, convertedStatus: 'Closed - Converted', doNotCreateOpportunity: true });
    expect(result).toMatchObject({ success: true, opportunityId: null });
    const raw = await fetch(`${sf.instanceUrl}/services/Soap/u/62.0`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/xml', SOAPAction: '""' },
      body: `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Header xmlns="urn:partner.soap.sforce.com"><SessionHeader><sessionId>${sf.accessToken}</sessionId></SessionHeader></soapenv:Header><soapenv:Body xmlns="urn:partner.soap.sforce.com"><convertLead><leadConverts><leadId>${String(id)}</leadId><convertedStatus>Closed - Converted</convertedStatus></leadConverts></convertLead></soapenv:Body></soapenv:Envelope>`,
    });
    expect(raw.headers.get('content-type')).toBe('text/xml; charset=utf-8');
    const xml = await raw.text();
    expect(xml).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?><soapenv:Envelope /);
    expect(xml).toContain('<soapenv:Body><convertLeadResponse><result>');
    expect(xml).toContain('<success>false</success>');
  });

  it('B.6 SOAP refresh: an INVALID_SESSION_ID fault (HTTP 500) makes jsforce refresh and call again', async () => {
    const c = await refreshableConnection();
    const { id } = await c.sobject('Lead').create({ LastName: 'Refresh', Company: 'R' });
    clock.now += 61_000;
    const result = await c.soap.convertLead({ leadId: id as string, convertedStatus: 'Closed - Converted', doNotCreateOpportunity: true });
    expect(result.success).toBe(true);
  });
});
