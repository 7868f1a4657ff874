/**
 * Two connections in one deployment (two HubSpot portals, two Salesforce orgs, one revloop): each
 * syncs only its own pair of systems; a webhook from portal A can never read or write connection
 * B's data; the admin API of one connection never reaches the other's records; a portal belongs to
 * one connection only.
 */
import { Signature } from '@hubspot/api-client';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Keyspace } from '../../../src/platform/redis.js';
import { startHubSpotSandbox, type HubSpotSandbox } from '../../../src/sandbox/hubspot/index.js';
import { startSalesforceSandbox, type SalesforceSandbox } from '../../../src/sandbox/salesforce/index.js';
import { ADMIN_TOKEN, startAppHarness, SUBSCRIPTIONS, until, type AppHarness } from '../../helpers/app-harness.js';

let h: AppHarness;
let hubspotB: HubSpotSandbox;
let salesforceB: SalesforceSandbox;
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
const person = { actor: { source: 'CRM_UI' as const } };

beforeAll(async () => {
  h = await startAppHarness({ connectionId: 'a', hubspot: { portalId: 1001, clientSecret: 'secret-of-portal-a-123' } });
  [hubspotB, salesforceB] = await Promise.all([
    startHubSpotSandbox({ rateLimits: { enabled: false }, portalId: 2002, clientSecret: 'secret-of-portal-b-456', privateAppToken: 'pat-of-portal-b-0123456789' }),
    startSalesforceSandbox({ dailyApiLimit: 10_000_000, orgId: '00D000000000002' }),
  ]);
  hubspotB.webhooks.configure({ targetUrl: h.stack.webhookUrl, subscriptions: SUBSCRIPTIONS, batchWindowMs: 20 });
}, 60_000);

afterAll(async () => {
  await h?.close();
  await Promise.allSettled([hubspotB?.close(), salesforceB?.close()]);
});

async function keysOf(connection: string): Promise<string> {
  const parts: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await h.redis.redis.scan(cursor, 'MATCH', `${new Keyspace(connection, h.redis.root).prefix}:*`, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) {
      parts.push(key);
      const type = await h.redis.redis.type(key);
      if (type === 'hash') parts.push(JSON.stringify(await h.redis.redis.hgetall(key)));
      if (type === 'string') parts.push((await h.redis.redis.get(key)) ?? '');
    }
  } while (cursor !== '0');
  return parts.join('\n');
}

describe('two connections in one deployment', () => {
  it('installs connection b side by side: a draft until both sides are there, then properties created and fields checked', async () => {
    const first = await h.stack.installer.sideInstalled('b', 'Portal B', {
      kind: 'hubspot',
      where: { baseUrl: hubspotB.baseUrl, portalId: hubspotB.portalId, appId: hubspotB.privateAppId },
      auth: { kind: 'private-app', token: hubspotB.accessToken, webhookSecret: hubspotB.clientSecret },
    });
    expect(first).toMatchObject({ complete: false, waitingFor: 'salesforce' });
    expect(await h.stack.connections.get('b')).toBeUndefined();
    const done = await h.stack.installer.sideInstalled('b', '', {
      kind: 'salesforce',
      where: { instanceUrl: salesforceB.instanceUrl, loginUrl: salesforceB.loginUrl, version: salesforceB.version, orgId: salesforceB.orgId },
      auth: { kind: 'session', accessToken: salesforceB.accessToken },
    });
    expect(done.complete).toBe(true);
    expect(done.problem).toBeUndefined();
    expect(Object.values(done.hubspotSchema?.created ?? {}).flat()).toContain('revloop_stage');
    expect(done.salesforceFields?.checked.Lead).toBeGreaterThan(0);
    expect((await h.stack.connections.require('b')).connection.label).toBe('Portal B');
    await until('the change listener of b', () => (salesforceB.cdc?.stats().subscriptions['/data/ChangeEvents'] ?? 0) > 0);
  });

  it('refuses to install a portal that already belongs to another connection', async () => {
    const res = await request(h.url).post('/api/connections/c/hubspot/private-app').set(admin).send({ token: 'another-token-0123456789', portalId: 1001, baseUrl: h.hubspot.baseUrl });
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/portal 1001 is already connected as connection "a"/);
  });

  it('syncs each portal only to its own org', async () => {
    const [idA] = h.hubspot.store.createMany('contacts', [{ properties: { email: 'ada@portal-a.example', firstname: 'Ada', lastname: 'A' } }], person);
    const [idB] = hubspotB.store.createMany('contacts', [{ properties: { email: 'bea@portal-b.example', firstname: 'Bea', lastname: 'B' } }], person);
    const leadIn = (s: SalesforceSandbox, email: string) => s.store.query(`SELECT Id FROM Lead WHERE Email = '${email}'`).records.length;
    await until('both people to sync', () => leadIn(h.salesforce, 'ada@portal-a.example') === 1 && leadIn(salesforceB, 'bea@portal-b.example') === 1);
    await new Promise((r) => setTimeout(r, 500));
    expect(leadIn(salesforceB, 'ada@portal-a.example')).toBe(0);
    expect(leadIn(h.salesforce, 'bea@portal-b.example')).toBe(0);
    // Record ids are per portal (both simulators count from the same start): what tells them apart is the connection.
    const [a, b] = [await keysOf('a'), await keysOf('b')];
    expect(a).toContain(String(idA));
    expect(b).not.toContain('ada@portal-a.example');
    expect(a).not.toContain('bea@portal-b.example');
    const leadB = salesforceB.store.query("SELECT Id FROM Lead WHERE Email = 'bea@portal-b.example'").records[0]?.Id;
    expect(await h.redis.redis.hget(new Keyspace('b', h.redis.root).key('links', 'contacts', 'hs'), String(idB))).toBe(`Lead:${String(leadB)}`);

    // The admin API of one connection does not reach the other's records.
    expect((await request(h.url).get('/api/connections/b/timeline?q=ada@portal-a.example').set(admin)).status).toBe(404);
    expect((await request(h.url).get('/api/connections/a/timeline?q=bea@portal-b.example').set(admin)).status).toBe(404);
    const inB = (await request(h.url).get(`/api/connections/b/timeline?q=${idB}`).set(admin)).body;
    expect(inB.salesforce.id).toBe(leadB);
    const retryOther = await request(h.url).post('/api/connections/b/errors/retry').set(admin).send({ ids: [`contacts|hubspot|hubspot:contacts:${idA}`] });
    expect(retryOther.status).toBe(404);
  });

  it("never lets a delivery signed with portal A's secret touch connection b", async () => {
    const pending = () => h.redis.redis.zcard(new Keyspace('b', h.redis.root).key('pending', 'contacts', 'hubspot'));
    const before = await pending();
    const body = JSON.stringify([{ eventId: 9_000_001, subscriptionId: 1, portalId: 2002, appId: 1, occurredAt: Date.now(), subscriptionType: 'contact.propertyChange', attemptNumber: 0, objectId: 1, propertyName: 'firstname', propertyValue: 'Mallory', changeSource: 'CRM_UI' }]);
    const timestamp = Date.now();
    const signature = Signature.getSignature('POST', 'v3', { signature: '', clientSecret: 'secret-of-portal-a-123', requestBody: body, url: h.stack.webhookUrl, timestamp });
    const res = await request(h.url).post('/webhooks/hubspot').set({ 'content-type': 'application/json', 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': String(timestamp) }).send(body);
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('WRONG_TENANT');
    expect(await pending()).toBe(before);
    expect(await keysOf('b')).not.toContain('Mallory');
  });
});
