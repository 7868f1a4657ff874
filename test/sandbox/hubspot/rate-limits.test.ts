import { Client } from '@hubspot/api-client';
import { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/contacts/index.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { apiError, manualClock, startSandbox, type Started } from './support.js';

/** Lets pending I/O run (the fake timers leave setImmediate alone). */
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 2000 && !condition(); i += 1) await tick();
  if (!condition()) throw new Error('condition not reached');
}

describe('HubSpot simulator: rate limits and the client retry on them', () => {
  const clock = manualClock();
  let s: Started | undefined;

  afterEach(async () => {
    vi.useRealTimers();
    vi.restoreAllMocks();
    await s?.sandbox.close();
    s = undefined;
  });

  const rejected = (started: Started) => started.sandbox.counter.snapshot().reduce((n, c) => n + c.errors, 0);

  it('sends X-HubSpot-RateLimit-* headers: daily ones for the private app only', async () => {
    s = await startSandbox({ now: clock.now });
    const privateCall = await fetch(`${s.sandbox.baseUrl}/crm/v3/objects/contacts`, { headers: { authorization: `Bearer ${s.sandbox.accessToken}` } });
    expect(privateCall.headers.get('x-hubspot-ratelimit-interval-milliseconds')).toBe('10000');
    expect(privateCall.headers.get('x-hubspot-ratelimit-max')).toBe('190');
    expect(privateCall.headers.get('x-hubspot-ratelimit-remaining')).toBe('189');
    expect(privateCall.headers.get('x-hubspot-ratelimit-daily')).toBe('650000');
    expect(privateCall.headers.get('x-hubspot-ratelimit-daily-remaining')).toBe('649999');

    const oauth = s.sandbox.issueOAuthTokens();
    const oauthCall = await fetch(`${s.sandbox.baseUrl}/crm/v3/objects/contacts`, { headers: { authorization: `Bearer ${oauth.access_token}` } });
    expect(oauthCall.headers.get('x-hubspot-ratelimit-max')).toBe('110');
    expect(oauthCall.headers.get('x-hubspot-ratelimit-remaining')).toBe('109');
    expect(oauthCall.headers.get('x-hubspot-ratelimit-daily')).toBeNull();

    const search = await fetch(`${s.sandbox.baseUrl}/crm/v3/objects/contacts/search`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s.sandbox.accessToken}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(search.status).toBe(200);
    expect(search.headers.get('x-hubspot-ratelimit-max')).toBeNull();
  });

  it('answers 429 TEN_SECONDLY_ROLLING when the window is full, and frees up as the window rolls', async () => {
    s = await startSandbox({ now: clock.now, rateLimits: { privateAppTenSecondMax: 3 } });
    const api = new Client({ accessToken: s.sandbox.accessToken, basePath: s.sandbox.baseUrl }).crm.contacts.basicApi;
    for (let i = 0; i < 3; i += 1) {
      await api.getPage();
      clock.advance(1000);
    }
    const error = await apiError(() => api.getPage());
    expect(error.code).toBe(429);
    expect(error.body).toMatchObject({
      status: 'error',
      message: 'You have reached your ten_secondly_rolling limit.',
      errorType: 'RATE_LIMIT',
      policyName: 'TEN_SECONDLY_ROLLING',
      category: 'RATE_LIMITS',
    });
    expect(error.headers['x-hubspot-ratelimit-remaining']).toBe('0');
    expect(error.headers['content-type']).toMatch(/^application\/json/);
    clock.advance(7001); // the first call is now older than ten seconds
    await expect(api.getPage()).resolves.toBeDefined();
  });

  it('makes the client retry a TEN_SECONDLY_ROLLING 429 after 10 s × attempt, numberOfApiCallRetries attempts in all', async () => {
    s = await startSandbox({ now: clock.now, rateLimits: { privateAppTenSecondMax: 1 } });
    const started = s;
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const api = new Client({ accessToken: started.sandbox.accessToken, basePath: started.sandbox.baseUrl, numberOfApiCallRetries: 3 }).crm.contacts.basicApi;
    await api.getPage(); // uses the window's only slot
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    const outcome = api.getPage().then(
      () => 'resolved',
      (e: { code?: number }) => e.code,
    );
    // The server has answered and the client has set its retry timer.
    await until(() => rejected(started) === 1 && vi.getTimerCount() === 1);
    vi.advanceTimersByTime(9_999);
    await tick();
    expect(rejected(started)).toBe(1); // not before 10 s
    vi.advanceTimersByTime(1);
    await until(() => rejected(started) === 2 && vi.getTimerCount() === 1);
    vi.advanceTimersByTime(19_999);
    await tick();
    expect(rejected(started)).toBe(2); // the second wait is 20 s
    clock.advance(30_000); // now the window has room
    vi.advanceTimersByTime(1);
    expect(await outcome).toBe('resolved');
    expect(started.sandbox.counter.count((route) => route.startsWith('GET /crm/v3/objects/'))).toBe(4);
  });

  it('answers 429 DAILY for the private app once the day is used up; the client does not retry it', async () => {
    clock.set(Date.parse('2026-03-02T23:59:00.000Z'));
    s = await startSandbox({ now: clock.now, rateLimits: { dailyMax: 2 } });
    const api = new Client({ accessToken: s.sandbox.accessToken, basePath: s.sandbox.baseUrl, numberOfApiCallRetries: 3 }).crm.contacts.basicApi;
    await api.getPage();
    await api.getPage();
    const error = await apiError(() => api.getPage());
    expect(error.code).toBe(429);
    expect(error.body).toMatchObject({ policyName: 'DAILY', message: 'You have reached your daily limit.' });
    expect(error.headers['x-hubspot-ratelimit-daily-remaining']).toBe('0');
    expect(s.sandbox.counter.count((route) => route.startsWith('GET /crm/v3/objects/'))).toBe(3);
    clock.set(Date.parse('2026-03-03T00:00:01.000Z'));
    await expect(api.getPage()).resolves.toBeDefined();
  });

  it('limits searches per second (429 SECONDLY, no headers) and the client retries after 1 s', async () => {
    s = await startSandbox({ now: clock.now, rateLimits: { searchPerSecond: 2 } });
    const started = s;
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    // Decorators are applied when an API object is made, so `search` keeps its retries and `plain` has none.
    const search = new Client({ accessToken: started.sandbox.accessToken, basePath: started.sandbox.baseUrl, numberOfApiCallRetries: 2 }).crm.contacts.searchApi;
    const plain = new Client({ accessToken: started.sandbox.accessToken, basePath: started.sandbox.baseUrl }).crm.contacts.searchApi;
    const body = { filterGroups: [{ filters: [{ propertyName: 'email', operator: FilterOperatorEnum.HasProperty }] }] };
    await search.doSearch(body);
    await search.doSearch(body);
    const limited = await apiError(() => plain.doSearch(body));
    expect(limited.code).toBe(429);
    expect(limited.body).toMatchObject({ message: 'You have reached your secondly limit.', policyName: 'SECONDLY', category: 'RATE_LIMITS' });
    expect(limited.headers['x-hubspot-ratelimit-remaining']).toBeUndefined();

    vi.useFakeTimers({ toFake: ['setTimeout'] });
    const outcome = search.doSearch(body).then((r) => r.total);
    await until(() => rejected(started) === 2 && vi.getTimerCount() === 1);
    clock.advance(1001);
    vi.advanceTimersByTime(1000);
    expect(await outcome).toBe(0);
  });

  it('turns every limit and header off when disabled', async () => {
    s = await startSandbox({ now: clock.now, rateLimits: { enabled: false, privateAppTenSecondMax: 1 } });
    const api = new Client({ accessToken: s.sandbox.accessToken, basePath: s.sandbox.baseUrl }).crm.contacts.basicApi;
    for (let i = 0; i < 5; i += 1) await api.getPage();
    const call = await fetch(`${s.sandbox.baseUrl}/crm/v3/objects/contacts`, { headers: { authorization: `Bearer ${s.sandbox.accessToken}` } });
    expect(call.status).toBe(200);
    expect(call.headers.get('x-hubspot-ratelimit-max')).toBeNull();
  });
});
