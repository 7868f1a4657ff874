/**
 * One test per [CLIENT] item of section A of the API reference: what `@hubspot/api-client`
 * 13.5.0 sends and accepts, checked against the simulator with the real client.
 */
import { createHash, createHmac } from 'node:crypto';
import { Client, Signature } from '@hubspot/api-client';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { listen } from '../../../src/sandbox/common/listen.js';
import { createHubSpotApp, signatureV1, signatureV3 } from '../../../src/sandbox/hubspot/index.js';
import { apiError, startSandbox, type Started } from './support.js';

describe('HubSpot simulator: the official client contract (reference A.2)', () => {
  let s: Started;
  const ui = { actor: { source: 'CRM_UI' as const, userId: 1 } };

  beforeAll(async () => {
    s = await startSandbox({ rateLimits: { enabled: false } });
  });
  afterAll(async () => {
    await s.sandbox.close();
  });

  const raw = (path: string, init: RequestInit = {}) =>
    fetch(`${s.sandbox.baseUrl}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${s.sandbox.accessToken}`, 'content-type': 'application/json', ...(init.headers as Record<string, string>) },
    });

  it('basePath: the base URL has no trailing slash and every request URL is basePath + path', async () => {
    expect(s.sandbox.baseUrl.endsWith('/')).toBe(false);
    await s.client.crm.contacts.basicApi.getPage();
    expect(s.sandbox.counter.count('GET /crm/v3/objects/:objectType')).toBeGreaterThan(0);
  });

  it('basePath with a path prefix works (the simulator mounted under /hubspot)', async () => {
    const parts = createHubSpotApp({ rateLimits: { enabled: false } });
    const outer = express();
    outer.use('/hubspot', parts.app);
    const listening = await listen(outer, 0);
    try {
      const client = new Client({ accessToken: parts.settings.privateAppToken, basePath: `${listening.baseUrl}/hubspot` });
      const created = await client.crm.contacts.basicApi.create({ properties: { email: 'prefix@example.com' }, associations: [] });
      expect((await client.crm.contacts.basicApi.getById(created.id)).properties.email).toBe('prefix@example.com');
    } finally {
      parts.webhooks.close();
      await listening.close();
    }
  });

  it('the owners path arrives with and without its trailing slash', async () => {
    expect((await s.client.crm.owners.ownersApi.getPage()).results.length).toBeGreaterThan(0); // "/crm/v3/owners" (slash stripped)
    expect((await s.client.crm.owners.ownersApi.getPage(undefined, undefined, 2)).results).toHaveLength(2); // "/crm/v3/owners/?limit=2"
  });

  it('apiRequest honours basePath', async () => {
    const response = await s.client.apiRequest({ method: 'GET', path: '/crm/v3/objects/contacts?limit=1' });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { results: unknown[] }).results).toEqual(expect.any(Array));
  });

  it('authentication: accessToken is sent as a Bearer token; an API key (hapikey) is refused as HubSpot retired them', async () => {
    const keyClient = new Client({ apiKey: 'legacy-key', basePath: s.sandbox.baseUrl });
    const response = await keyClient.apiRequest({ method: 'GET', path: '/crm/v3/objects/contacts' });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { category: string }).category).toBe('INVALID_AUTHENTICATION');
  });

  it('request headers: JSON bodies with Content-Type application/json, the token request form-encoded', async () => {
    const tokens = s.sandbox.issueOAuthTokens();
    const oauthClient = new Client({ basePath: s.sandbox.baseUrl });
    const refreshed = await oauthClient.oauth.tokensApi.create('refresh_token', undefined, undefined, s.sandbox.clientId, s.sandbox.clientSecret, tokens.refresh_token);
    expect(refreshed.accessToken).not.toBe(tokens.access_token);
    const asJson = await fetch(`${s.sandbox.baseUrl}/oauth/v1/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', client_id: s.sandbox.clientId, client_secret: s.sandbox.clientSecret, refresh_token: tokens.refresh_token }),
    });
    expect(asJson.status).toBe(200);
  });

  it('array query parameters: repeated keys (the client), comma-separated (the docs) and both mixed', async () => {
    const c = s.sandbox.store.create('contacts', { properties: { email: 'arr@example.com', firstname: 'A', jobtitle: 'B', city: 'C' } }, ui);
    const viaClient = await s.client.crm.contacts.basicApi.getById(c.id, ['firstname', 'jobtitle']);
    expect(viaClient.properties).toMatchObject({ firstname: 'A', jobtitle: 'B' });
    const comma = (await (await raw(`/crm/v3/objects/contacts/${c.id}?properties=firstname,jobtitle`)).json()) as { properties: Record<string, string> };
    expect(comma.properties).toMatchObject({ firstname: 'A', jobtitle: 'B' });
    const mixed = (await (await raw(`/crm/v3/objects/contacts/${c.id}?properties=firstname,jobtitle&properties=city`)).json()) as { properties: Record<string, string> };
    expect(mixed.properties).toMatchObject({ firstname: 'A', jobtitle: 'B', city: 'C' });
  });

  it('path parameters are URI-encoded by the client and decoded by the simulator', async () => {
    s.sandbox.store.create('contacts', { properties: { email: 'jon+tag@web-site.com' } }, ui);
    const updated = await s.client.crm.contacts.basicApi.update('jon+tag@web-site.com', { properties: { firstname: 'Jon' } }, 'email');
    expect(updated.properties.email).toBe('jon+tag@web-site.com');
  });

  describe('status codes: each operation answers with a code the client declares for it', () => {
    it('objects basic: getPage/getById/update/merge 200, create 201, archive 204, purge 204', async () => {
      const api = s.client.crm.contacts.basicApi;
      expect((await api.getPageWithHttpInfo()).httpStatusCode).toBe(200);
      const created = await api.createWithHttpInfo({ properties: { email: 'codes1@example.com' }, associations: [] });
      expect(created.httpStatusCode).toBe(201);
      const other = await api.create({ properties: { email: 'codes2@example.com' }, associations: [] });
      expect((await api.getByIdWithHttpInfo(created.data.id)).httpStatusCode).toBe(200);
      expect((await api.updateWithHttpInfo(created.data.id, { properties: { firstname: 'X' } })).httpStatusCode).toBe(200);
      const merged = await api.mergeWithHttpInfo({ primaryObjectId: created.data.id, objectIdToMerge: other.id });
      expect(merged.httpStatusCode).toBe(200);
      expect((await api.archiveWithHttpInfo(merged.data.id)).httpStatusCode).toBe(204);
      const doomed = await api.create({ properties: { email: 'codes3@example.com' }, associations: [] });
      expect((await api.purgeWithHttpInfo({ objectId: doomed.id })).httpStatusCode).toBe(204);
    });

    it('objects batch: create 201 (207), read/update/upsert 200 (207), archive 204', async () => {
      const api = s.client.crm.companies.batchApi;
      const created = await api.createWithHttpInfo({ inputs: [{ properties: { name: 'B1' }, associations: [] }] });
      expect(created.httpStatusCode).toBe(201);
      const id = created.data.results[0]?.id ?? '';
      expect((await api.readWithHttpInfo({ inputs: [{ id }], properties: [], propertiesWithHistory: [] })).httpStatusCode).toBe(200);
      expect((await api.readWithHttpInfo({ inputs: [{ id }, { id: '1' }], properties: [], propertiesWithHistory: [] })).httpStatusCode).toBe(207);
      expect((await api.updateWithHttpInfo({ inputs: [{ id, properties: { name: 'B2' } }] })).httpStatusCode).toBe(200);
      expect((await api.upsertWithHttpInfo({ inputs: [{ id, properties: { name: 'B3' } }] })).httpStatusCode).toBe(200);
      const partial = await api.createWithHttpInfo({
        inputs: [
          { properties: { name: 'ok' }, associations: [], objectWriteTraceId: 'a' },
          { properties: { industry: 'NOPE' }, associations: [], objectWriteTraceId: 'b' },
        ],
      });
      expect(partial.httpStatusCode).toBe(207);
      expect((await api.archiveWithHttpInfo({ inputs: [{ id }] })).httpStatusCode).toBe(204);
    });

    it('search 200', async () => {
      expect((await s.client.crm.deals.searchApi.doSearchWithHttpInfo({ filterGroups: [], limit: 1 })).httpStatusCode).toBe(200);
    });

    it('properties: create 201, getAll/getByName/update 200, archive 204; batch create 201, read 200, archive 204; groups likewise', async () => {
      const core = s.client.crm.properties.coreApi;
      const made = await core.createWithHttpInfo('deals', { name: 'codes_prop', label: 'c', type: 'string' as never, fieldType: 'text' as never, groupName: 'dealinformation' });
      expect(made.httpStatusCode).toBe(201);
      expect((await core.getAllWithHttpInfo('deals')).httpStatusCode).toBe(200);
      expect((await core.getByNameWithHttpInfo('deals', 'codes_prop')).httpStatusCode).toBe(200);
      expect((await core.updateWithHttpInfo('deals', 'codes_prop', { label: 'd' })).httpStatusCode).toBe(200);
      expect((await core.archiveWithHttpInfo('deals', 'codes_prop')).httpStatusCode).toBe(204);
      const batch = s.client.crm.properties.batchApi;
      const batchMade = await batch.createWithHttpInfo('deals', {
        inputs: [{ name: 'codes_batch', label: 'c', type: 'string' as never, fieldType: 'text' as never, groupName: 'dealinformation' }],
      });
      expect(batchMade.httpStatusCode).toBe(201);
      expect((await batch.readWithHttpInfo('deals', { inputs: [{ name: 'codes_batch' }], archived: false })).httpStatusCode).toBe(200);
      expect((await batch.archiveWithHttpInfo('deals', { inputs: [{ name: 'codes_batch' }] })).httpStatusCode).toBe(204);
      const groups = s.client.crm.properties.groupsApi;
      expect((await groups.createWithHttpInfo('deals', { name: 'codes_group', label: 'g' })).httpStatusCode).toBe(201);
      expect((await groups.getAllWithHttpInfo('deals')).httpStatusCode).toBe(200);
      expect((await groups.getByNameWithHttpInfo('deals', 'codes_group')).httpStatusCode).toBe(200);
      expect((await groups.updateWithHttpInfo('deals', 'codes_group', { label: 'h' })).httpStatusCode).toBe(200);
      expect((await groups.archiveWithHttpInfo('deals', 'codes_group')).httpStatusCode).toBe(204);
    });

    it('associations v4: create 201, createDefault 200, getPage 200, archive 204; batch create 201, read 200, default 200, archive 204', async () => {
      const contact = s.sandbox.store.create('contacts', { properties: { email: 'assoc-codes@example.com' } }, ui);
      const company = s.sandbox.store.create('companies', { properties: { name: 'AC' } }, ui);
      const basic = s.client.crm.associations.v4.basicApi;
      const spec = [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: 279 }];
      expect((await basic.createWithHttpInfo('contacts', contact.id, 'companies', company.id, spec)).httpStatusCode).toBe(201);
      expect((await basic.createDefaultWithHttpInfo('contacts', contact.id, 'companies', company.id)).httpStatusCode).toBe(200);
      expect((await basic.getPageWithHttpInfo('contacts', contact.id, 'companies')).httpStatusCode).toBe(200);
      expect((await basic.archiveWithHttpInfo('contacts', contact.id, 'companies', company.id)).httpStatusCode).toBe(204);
      const batch = s.client.crm.associations.v4.batchApi;
      const pair = { _from: { id: contact.id }, to: { id: company.id } };
      expect((await batch.createWithHttpInfo('contacts', 'companies', { inputs: [{ ...pair, types: spec }] })).httpStatusCode).toBe(201);
      expect((await batch.getPageWithHttpInfo('contacts', 'companies', { inputs: [{ id: contact.id }] })).httpStatusCode).toBe(200);
      expect((await batch.createDefaultWithHttpInfo('contacts', 'companies', { inputs: [pair] })).httpStatusCode).toBe(200);
      expect((await batch.archiveLabelsWithHttpInfo('contacts', 'companies', { inputs: [{ ...pair, types: spec }] })).httpStatusCode).toBe(204);
      expect((await batch.archiveWithHttpInfo('contacts', 'companies', { inputs: [{ _from: pair._from, to: [pair.to] }] })).httpStatusCode).toBe(204);
    });

    it('oauth: token 200, access-token info 200, refresh-token info 200, refresh-token delete 204', async () => {
      const tokens = s.sandbox.issueOAuthTokens();
      const oauth = new Client({ basePath: s.sandbox.baseUrl }).oauth;
      expect((await oauth.tokensApi.createWithHttpInfo('refresh_token', undefined, undefined, s.sandbox.clientId, s.sandbox.clientSecret, tokens.refresh_token)).httpStatusCode).toBe(200);
      expect((await oauth.accessTokensApi.getWithHttpInfo(tokens.access_token)).httpStatusCode).toBe(200);
      expect((await oauth.refreshTokensApi.getWithHttpInfo(tokens.refresh_token)).httpStatusCode).toBe(200);
      expect((await oauth.refreshTokensApi.archiveWithHttpInfo(tokens.refresh_token)).httpStatusCode).toBe(204);
    });
  });

  it('Content-Type: application/json on every JSON answer, errors included; 204 has no body', async () => {
    const answers = [
      await raw('/crm/v3/objects/contacts'),
      await raw('/crm/v3/objects/contacts/1'),
      await raw('/crm/v3/objects/contacts', { method: 'POST', body: '{"properties":{"email":"bad"}}' }),
      await raw('/crm/v3/objects/contacts', { method: 'POST', body: '{not json' }),
      await raw('/crm/v3/objects/nope'),
      await raw('/crm/v3/no/such/route'),
      await fetch(`${s.sandbox.baseUrl}/crm/v3/objects/contacts`),
      await fetch(`${s.sandbox.baseUrl}/oauth/v1/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'nope' }) }),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 404, 400, 400, 400, 404, 401, 400]);
    for (const answer of answers) {
      expect(answer.headers.get('content-type')).toMatch(/^application\/json(;|$)/);
      const body = (await answer.json()) as Record<string, unknown>;
      if (answer.status >= 400) expect(typeof body.message).toBe('string');
    }
    const deleted = await raw('/crm/v3/objects/contacts/1', { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    expect(await deleted.text()).toBe('');
  });

  it('error bodies deserialize into ApiException with category, correlationId, message (and extra keys kept)', async () => {
    const error = await apiError(() => s.client.crm.contacts.basicApi.getById('1'));
    expect(error.code).toBe(404);
    expect(error.body).toMatchObject({ status: 'error', category: 'OBJECT_NOT_FOUND', message: expect.any(String) });
    expect(error.body.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(error.headers['x-hubspot-correlation-id']).toBe(error.body.correlationId);
  });

  it('retries: numberOfApiCallRetries = total attempts on 5xx (200 ms × attempt), none on other 4xx', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const api = new Client({ accessToken: s.sandbox.accessToken, basePath: s.sandbox.baseUrl, numberOfApiCallRetries: 3 }).crm.deals.basicApi;
      s.sandbox.faults.configure({ errorRates: { '500': 1 } });
      s.sandbox.counter.reset();
      const failure = await apiError(() => api.getPage());
      expect(failure.code).toBe(500);
      expect(failure.body.category).toBe('INTERNAL_ERROR');
      expect(s.sandbox.counter.total).toBe(3);
      s.sandbox.faults.configure({});
      s.sandbox.counter.reset();
      expect((await apiError(() => api.getById('1'))).code).toBe(404);
      expect(s.sandbox.counter.total).toBe(1);
    } finally {
      s.sandbox.faults.configure({});
      vi.restoreAllMocks();
    }
  });

  it('rate limiter option (client side Bottleneck) works against the simulator', async () => {
    const limited = new Client({ accessToken: s.sandbox.accessToken, basePath: s.sandbox.baseUrl, limiterOptions: { minTime: 5, maxConcurrent: 2, id: 'contract-test' } });
    const pages = await Promise.all([0, 1, 2].map(() => limited.crm.owners.ownersApi.getPage()));
    expect(pages.every((p) => p.results.length > 0)).toBe(true);
  });

  it('getAll loops getPage until paging.next.after is missing', async () => {
    s.sandbox.store.createMany('deals', Array.from({ length: 23 }, (_, i) => ({ properties: { dealname: `loop ${i}` } })), ui);
    s.sandbox.counter.reset();
    const all = await s.client.crm.deals.getAll(10);
    expect(all.length).toBeGreaterThanOrEqual(23);
    expect(s.sandbox.counter.count('GET /crm/v3/objects/:objectType')).toBe(Math.ceil(all.length / 10) + (all.length % 10 === 0 ? 1 : 0));
  });

  it('object paths: names, singular names and type ids 0-1, 0-2, 0-3 all work', async () => {
    const c = s.sandbox.store.create('contacts', { properties: { email: 'paths@example.com' } }, ui);
    for (const path of ['contacts', 'contact', '0-1']) {
      const answer = await raw(`/crm/v3/objects/${path}/${c.id}`);
      expect(answer.status, path).toBe(200);
    }
    expect((await raw('/crm/v3/objects/0-2?limit=1')).status).toBe(200);
    expect((await raw('/crm/v3/objects/0-3?limit=1')).status).toBe(200);
    const deals = await s.client.apiRequest({ method: 'POST', path: '/crm/v3/objects/0-3/search', body: { limit: 1 } });
    expect(deals.status).toBe(200);
    expect((await raw('/crm/v3/objects/0-5?limit=1')).status).toBe(400);
  });

  it('OAuth helper: getAuthorizationUrl has the query the consent page reads (only the origin differs)', async () => {
    const url = new URL(
      s.client.oauth.getAuthorizationUrl(s.sandbox.clientId, 'http://127.0.0.1:9/cb', 'crm.objects.contacts.read oauth', 'crm.objects.deals.read', 'st'),
    );
    expect(url.origin).toBe('https://app.hubspot.com');
    const page = await fetch(`${s.sandbox.baseUrl}${url.pathname}${url.search}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<code>crm.objects.contacts.read</code>');
    expect(html).toContain('<h2 id="optional-scopes">Optional permissions</h2>');
    expect(html).toContain('name="state" value="st"');
  });

  it('webhook Signature helper: the official v1 vector, and v3 as the client computes it', () => {
    const secret = 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy';
    const body =
      '[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321}]';
    expect(signatureV1(secret, body)).toBe('232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de');
    expect(signatureV1(secret, body)).toBe(createHash('sha256').update(secret + body).digest('hex'));
    const url = 'https://example.com/webhooks/hubspot?portal=1';
    const timestamp = 1_700_000_000_000;
    const expected = Signature.getSignature('POST', 'v3', { signature: '', clientSecret: secret, requestBody: body, url, timestamp });
    expect(signatureV3(secret, 'POST', url, body, timestamp)).toBe(expected);
    expect(signatureV3(secret, 'POST', 'https://example.com/a%3Ab', body, timestamp)).toBe(
      createHmac('sha256', secret).update(`POSThttps://example.com/a:b${body}${timestamp}`).digest('base64'),
    );
  });
});
