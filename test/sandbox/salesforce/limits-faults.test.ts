/** The daily API allocation, Sforce-Limit-Info, injected faults, the call counter and the control endpoints. */
import jsforce, { type Connection } from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSalesforceSandbox, type SalesforceSandbox } from '../../../src/sandbox/salesforce/index.js';

describe('limits, faults and control endpoints', () => {
  const clock = { now: Date.parse('2026-03-02T09:00:00.000Z') };
  let sf: SalesforceSandbox;
  let conn: Connection;

  beforeAll(async () => {
    sf = await startSalesforceSandbox({ now: () => clock.now, dailyApiLimit: 5 });
    conn = new jsforce.Connection({ instanceUrl: sf.instanceUrl, accessToken: sf.accessToken, version: sf.version });
  });
  afterAll(async () => {
    await sf.close();
  });

  const control = (path: string, method = 'GET', body?: unknown): Promise<Response> =>
    fetch(`${sf.instanceUrl}/__sandbox${path}`, {
      method,
      headers: { 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  it('counts each REST call in Sforce-Limit-Info and enforces the daily allocation on a rolling 24 hours', async () => {
    await control('/limits/reset', 'POST');
    const versions = await fetch(`${sf.instanceUrl}/services/data/`);
    expect(versions.headers.get('sforce-limit-info')).toBeNull();
    await conn.query('SELECT Id FROM Lead');
    expect(conn.limitInfo).toEqual({ apiUsage: { used: 1, limit: 5 } });
    const raw = await fetch(`${sf.instanceUrl}/services/data/v62.0/sobjects/Nope/describe`, { headers: { Authorization: `Bearer ${sf.accessToken}` } });
    expect(raw.status).toBe(404);
    expect(raw.headers.get('sforce-limit-info')).toBe('api-usage=2/5');
    const limits = (await conn.limits()) as unknown as { DailyApiRequests: { Max: number; Remaining: number } };
    expect(limits.DailyApiRequests).toEqual({ Max: 5, Remaining: 2 });
    clock.now += 60_000;
    await conn.query('SELECT Id FROM Lead');
    await conn.query('SELECT Id FROM Lead');
    await expect(conn.query('SELECT Id FROM Lead')).rejects.toMatchObject({ errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'TotalRequests Limit exceeded.' });
    // The first three calls were 24 hours ago or more once the clock moves on; the two later ones still count.
    clock.now += 24 * 3_600_000 - 30_000;
    await conn.query('SELECT Id FROM Lead');
    expect(conn.limitInfo?.apiUsage?.used).toBe(3);
    await control('/limits/reset', 'POST');
    expect(await (await control('/limits')).json()).toEqual({ used: 0, max: 5, remaining: 5 });
    await control('/limits', 'PUT', { dailyApiLimit: 100_000 });
  });

  it('renders injected errors in Salesforce shapes; jsforce retries GET but never POST', async () => {
    const set = (faults: unknown): Promise<Response> => control('/faults', 'PUT', faults);
    await set({ errorRates: { '503': 1 } });
    sf.counter.reset();
    await expect(conn.sobject('Account').create({ Name: 'x' })).rejects.toMatchObject({ errorCode: 'SERVER_UNAVAILABLE' });
    expect(sf.counter.count('POST')).toBe(1);
    const pending = conn.query('SELECT Id FROM Account');
    setTimeout(() => void set({}), 150);
    expect((await pending).totalSize).toBe(0);
    expect(sf.counter.snapshot().find((c) => c.route.startsWith('GET'))?.errors).toBeGreaterThanOrEqual(1);

    await set({ errorRates: { '429': 1 } });
    const limited = await fetch(`${sf.instanceUrl}/services/data/v62.0/limits`, { method: 'GET', headers: { Authorization: `Bearer ${sf.accessToken}` } });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toBe('application/json;charset=UTF-8');
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(await limited.json()).toEqual([{ errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'ConcurrentPerOrgLongTxn Limit exceeded.' }]);
    await set({ errorRates: { '500': 1 } });
    const soap = await fetch(`${sf.instanceUrl}/services/Soap/u/62.0`, { method: 'POST', headers: { 'Content-Type': 'text/xml' }, body: '<x/>' });
    expect(soap.status).toBe(500);
    expect(await soap.text()).toContain('<faultcode>sf:UNKNOWN_EXCEPTION</faultcode>');
    const token = await fetch(`${sf.loginUrl}/services/oauth2/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials' }) });
    expect(await token.json()).toEqual({ error: 'unknown_error', error_description: 'retry your request' });
    expect((await control('/health')).status).toBe(200);
    await set({});
    const bad = await control('/faults', 'PUT', { errorRates: { '503': 2 } });
    expect(bad.status).toBe(400);
  });

  it('reports calls per route and adds custom fields through the control endpoints', async () => {
    await control('/calls', 'DELETE');
    await conn.sobject('Lead').describe();
    await conn.sobject('Lead').describe();
    const calls = (await (await control('/calls')).json()) as { total: number; calls: Array<{ route: string; count: number }> };
    expect(calls.calls).toEqual([{ route: 'GET /services/data/v62.0/sobjects/:sobject/describe', count: 2, errors: 0 }]);
    const added = await control('/fields', 'POST', { object: 'Lead', field: { name: 'Region__c', type: 'picklist', picklistValues: ['EMEA', 'AMER'] } });
    expect(added.status).toBe(201);
    const lead = await conn.sobject('Lead').describe();
    expect(lead.fields.find((f) => f.name === 'Region__c')).toMatchObject({ type: 'picklist', custom: true });
    const invalid = await control('/fields', 'POST', { object: 'Lead', field: { name: 'NoSuffix', type: 'string' } });
    expect(invalid.status).toBe(400);
    const health = (await (await control('/health')).json()) as { status: string; records: Record<string, number> };
    expect(health.status).toBe('ok');
    expect(health.records.User).toBe(2);
  });
});
