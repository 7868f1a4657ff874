import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { apiError, startSandbox, type Started } from './support.js';

describe('HubSpot simulator: control endpoints, fault injection and call counting', () => {
  let s: Started;
  const control = (path: string, init: RequestInit = {}) =>
    fetch(`${s.sandbox.baseUrl}/__sandbox${path}`, { ...init, headers: { 'content-type': 'application/json' } });
  const putFaults = (body: unknown) => control('/faults', { method: 'PUT', body: JSON.stringify(body) });

  beforeAll(async () => {
    s = await startSandbox({ rateLimits: { enabled: false } });
  });
  afterAll(async () => {
    await s.sandbox.close();
  });
  beforeEach(async () => {
    await putFaults({});
    await control('/calls', { method: 'DELETE' });
  });

  it('reports health without authentication', async () => {
    s.sandbox.store.create('contacts', { properties: { email: 'h@example.com' } }, { actor: { source: 'IMPORT' } });
    const health = await control('/health');
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', portalId: s.sandbox.portalId, objects: { contacts: { live: 1 } } });
  });

  it('counts API calls per method and route template, and not the control calls', async () => {
    await s.client.crm.contacts.basicApi.getPage();
    await s.client.crm.contacts.basicApi.getPage();
    await apiError(() => s.client.crm.contacts.basicApi.getById('1'));
    const calls = (await (await control('/calls')).json()) as { total: number; calls: Array<{ route: string; count: number; errors: number }> };
    expect(calls.total).toBe(3);
    expect(calls.calls).toContainEqual({ route: 'GET /crm/v3/objects/:objectType', count: 2, errors: 0 });
    expect(calls.calls).toContainEqual({ route: 'GET /crm/v3/objects/:objectType/:objectId', count: 1, errors: 1 });
    expect((await control('/calls', { method: 'DELETE' })).status).toBe(204);
    expect(s.sandbox.counter.total).toBe(0);
  });

  it('injects 500, 503 and 429 in HubSpot shape (the 429 a ten-secondly one)', async () => {
    for (const [status, category] of [
      ['500', 'INTERNAL_ERROR'],
      ['503', 'SERVICE_UNAVAILABLE'],
      ['429', 'RATE_LIMITS'],
    ] as const) {
      expect((await putFaults({ errorRates: { [status]: 1 } })).status).toBe(200);
      const error = await apiError(() => s.client.crm.companies.basicApi.getPage());
      expect(error.code).toBe(Number(status));
      expect(error.body.category).toBe(category);
      expect(error.headers['content-type']).toMatch(/^application\/json/);
      if (status === '429') expect(error.body.policyName).toBe('TEN_SECONDLY_ROLLING');
    }
    await putFaults({});
    await expect(s.client.crm.companies.basicApi.getPage()).resolves.toBeDefined();
  });

  it('adds latency and times calls out when told to', async () => {
    await putFaults({ latencyMs: 120 });
    const started = performance.now();
    await s.client.crm.contacts.basicApi.getPage();
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
    await putFaults({ timeoutRate: 1, timeoutMs: 50 });
    await expect(fetch(`${s.sandbox.baseUrl}/crm/v3/objects/contacts`, { headers: { authorization: `Bearer ${s.sandbox.accessToken}` } })).rejects.toThrow();
  });

  it('shows and refuses fault settings', async () => {
    await putFaults({ errorRates: { '503': 0.25 }, seed: 7 });
    expect(await (await control('/faults')).json()).toMatchObject({ errorRates: { '503': 0.25 }, seed: 7 });
    const bad = await putFaults({ errorRates: { '503': 2 } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { category: string }).category).toBe('VALIDATION_ERROR');
  });

  it('changes rate limits at run time', async () => {
    const put = await control('/rate-limits', { method: 'PUT', body: JSON.stringify({ enabled: true, privateAppTenSecondMax: 2 }) });
    expect(await put.json()).toMatchObject({ enabled: true, privateAppTenSecondMax: 2 });
    await s.client.crm.contacts.basicApi.getPage();
    await s.client.crm.contacts.basicApi.getPage();
    expect((await apiError(() => s.client.crm.contacts.basicApi.getPage())).code).toBe(429);
    await control('/rate-limits', { method: 'PUT', body: JSON.stringify({ enabled: false }) });
    await expect(s.client.crm.contacts.basicApi.getPage()).resolves.toBeDefined();
    expect((await control('/rate-limits', { method: 'PUT', body: JSON.stringify({ bogus: 1 }) })).status).toBe(400);
  });
});
