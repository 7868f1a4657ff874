import { createHmac, createHash } from 'node:crypto';
import { Signature } from '@hubspot/api-client';
import express from 'express';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listen, type Listening } from '../../../src/sandbox/common/listen.js';
import { startSandbox, type Started } from './support.js';

interface Received {
  body: string;
  events: Array<Record<string, unknown>>;
  headers: Record<string, string | undefined>;
}

/** A webhook receiver on port 0 that records every request and fails the first `failures` with 500. */
async function receiver(): Promise<{
  listening: Listening;
  url: string;
  received: Received[];
  fail(n: number): void;
  slow(ms: number): void;
  maxConcurrent(): number;
}> {
  const received: Received[] = [];
  let failures = 0;
  let delayMs = 0;
  let open = 0;
  let peak = 0;
  const app = express();
  app.post('/webhooks/hubspot', express.text({ type: '*/*' }), async (req, res) => {
    open += 1;
    peak = Math.max(peak, open);
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    open -= 1;
    const body = String(req.body);
    received.push({
      body,
      events: JSON.parse(body) as Array<Record<string, unknown>>,
      headers: {
        v1: req.get('x-hubspot-signature'),
        version: req.get('x-hubspot-signature-version'),
        v3: req.get('x-hubspot-signature-v3'),
        timestamp: req.get('x-hubspot-request-timestamp'),
        contentType: req.get('content-type'),
      },
    });
    if (failures > 0) {
      failures -= 1;
      res.status(500).send('not now');
      return;
    }
    res.status(204).end();
  });
  const listening = await listen(app, 0);
  return {
    listening,
    url: `${listening.baseUrl}/webhooks/hubspot`,
    received,
    fail: (n) => (failures = n),
    slow: (ms) => (delayMs = ms),
    maxConcurrent: () => peak,
  };
}

describe('HubSpot simulator: webhook deliveries', () => {
  let s: Started;
  let target: Awaited<ReturnType<typeof receiver>>;
  const secret = 'test-client-secret-0001';

  beforeEach(async () => {
    target = await receiver();
    s = await startSandbox({
      clientSecret: secret,
      rateLimits: { enabled: false },
      webhooks: {
        targetUrl: target.url,
        batchWindowMs: 20,
        retryBaseMs: 10,
        maxAttempts: 3,
        subscriptions: [
          { subscriptionType: 'contact.creation' },
          { subscriptionType: 'contact.propertyChange', propertyName: 'lifecyclestage' },
          { subscriptionType: 'contact.deletion' },
          { subscriptionType: 'contact.restore' },
          { subscriptionType: 'contact.merge' },
          { subscriptionType: 'contact.associationChange' },
          { subscriptionType: 'company.associationChange' },
        ],
      },
    });
  });
  afterEach(async () => {
    await s.sandbox.close();
    await target.listening.close();
  });

  it('delivers a signed JSON array that the client Signature helper accepts (v3) and v1 matches', async () => {
    const contact = await s.client.crm.contacts.basicApi.create({ properties: { email: 'w@example.com', lifecyclestage: 'lead' }, associations: [] });
    await s.sandbox.webhooks.idle();
    expect(target.received).toHaveLength(1);
    const [delivery] = target.received;
    if (delivery === undefined) throw new Error('no delivery');
    expect(delivery.headers.contentType).toMatch(/^application\/json/);
    const timestamp = Number(delivery.headers.timestamp);
    expect(Math.abs(Date.now() - timestamp)).toBeLessThan(60_000);
    expect(
      Signature.isValid({ signatureVersion: 'v3', signature: delivery.headers.v3 ?? '', clientSecret: secret, requestBody: delivery.body, method: 'POST', url: target.url, timestamp }),
    ).toBe(true);
    const expectedV3 = createHmac('sha256', secret).update(`POST${target.url}${delivery.body}${timestamp}`).digest('base64');
    expect(delivery.headers.v3).toBe(expectedV3);
    expect(delivery.headers.version).toBe('v1');
    expect(delivery.headers.v1).toBe(createHash('sha256').update(secret + delivery.body).digest('hex'));
    expect(Signature.isValid({ signatureVersion: 'v1', signature: delivery.headers.v1 ?? '', clientSecret: secret, requestBody: delivery.body })).toBe(true);

    const creation = delivery.events.find((e) => e.subscriptionType === 'contact.creation');
    expect(creation).toMatchObject({
      portalId: s.sandbox.portalId,
      appId: s.sandbox.appId,
      objectId: Number(contact.id),
      attemptNumber: 0,
      changeFlag: 'CREATED',
      changeSource: 'INTEGRATION',
      sourceId: String(s.sandbox.privateAppId),
    });
    expect(typeof creation?.eventId).toBe('number');
    expect(typeof creation?.subscriptionId).toBe('number');
    expect(typeof creation?.occurredAt).toBe('number');
    const change = delivery.events.find((e) => e.subscriptionType === 'contact.propertyChange');
    expect(change).toMatchObject({ propertyName: 'lifecyclestage', propertyValue: 'lead', objectId: Number(contact.id) });
    expect(delivery.events.some((e) => e.propertyName === 'email')).toBe(false);
  });

  it('marks writes of simulated people as CRM_UI with their user id', async () => {
    const c = s.sandbox.store.create('contacts', { properties: { email: 'ui@example.com' } }, { actor: { source: 'CRM_UI', userId: 4321 } });
    s.sandbox.store.update('contacts', c.id, { lifecyclestage: 'marketingqualifiedlead' }, { actor: { source: 'AUTOMATION', sourceId: 'workflow:77' } });
    await s.sandbox.webhooks.idle();
    const events = target.received.flatMap((r) => r.events);
    expect(events.find((e) => e.subscriptionType === 'contact.creation')).toMatchObject({ changeSource: 'CRM_UI', sourceId: 'userId:4321' });
    expect(events.find((e) => e.subscriptionType === 'contact.propertyChange')).toMatchObject({
      changeSource: 'AUTOMATION_PLATFORM',
      sourceId: 'workflow:77',
      propertyValue: 'marketingqualifiedlead',
    });
  });

  it('batches up to 100 events per request, each event once', async () => {
    s.sandbox.store.createMany(
      'contacts',
      Array.from({ length: 250 }, (_, i) => ({ properties: { email: `batch${i}@example.com` } })),
      { actor: { source: 'IMPORT' } },
    );
    await s.sandbox.webhooks.idle();
    expect(target.received.map((r) => r.events.length)).toEqual([100, 100, 50]);
    const ids = target.received.flatMap((r) => r.events.map((e) => e.eventId));
    expect(new Set(ids).size).toBe(250);
    expect(target.received[0]?.events[0]).toMatchObject({ changeSource: 'IMPORT', sourceId: 'IMPORT' });
  });

  it('keeps at most maxConcurrentRequests deliveries in flight', async () => {
    s.sandbox.webhooks.configure({ ...s.sandbox.webhooks.config, maxConcurrentRequests: 2 });
    target.slow(30);
    s.sandbox.store.createMany(
      'contacts',
      Array.from({ length: 600 }, (_, i) => ({ properties: { email: `slow${i}@example.com` } })),
      { actor: { source: 'IMPORT' } },
    );
    await s.sandbox.webhooks.idle();
    expect(target.received).toHaveLength(6);
    expect(target.maxConcurrent()).toBe(2);
  });

  it('retries a failed delivery with backoff, counting attemptNumber up, same events', async () => {
    target.fail(2);
    s.sandbox.store.create('contacts', { properties: { email: 'retry@example.com' } }, { actor: { source: 'CRM_UI', userId: 1 } });
    await s.sandbox.webhooks.idle();
    expect(target.received.map((r) => r.events[0]?.attemptNumber)).toEqual([0, 1, 2]);
    expect(new Set(target.received.map((r) => r.events[0]?.eventId)).size).toBe(1);
    const signatures = new Set(target.received.map((r) => r.headers.v3));
    expect(signatures.size).toBe(3);
    expect(s.sandbox.webhooks.stats()).toMatchObject({ delivered: 1, failed: 0, attempts: 3 });
  });

  it('gives up after maxAttempts when the target keeps failing or cannot be reached', async () => {
    target.fail(10);
    s.sandbox.store.create('contacts', { properties: { email: 'fail@example.com' } }, { actor: { source: 'CRM_UI', userId: 1 } });
    await s.sandbox.webhooks.idle();
    expect(target.received).toHaveLength(3);
    expect(s.sandbox.webhooks.stats()).toMatchObject({ delivered: 0, failed: 1 });

    s.sandbox.webhooks.configure({ ...s.sandbox.webhooks.config, targetUrl: 'http://127.0.0.1:9/closed', timeoutMs: 500 });
    s.sandbox.store.create('contacts', { properties: { email: 'unreachable@example.com' } }, { actor: { source: 'CRM_UI', userId: 1 } });
    await s.sandbox.webhooks.idle();
    const last = s.sandbox.webhooks.deliveries.slice(-3);
    expect(last.map((d) => [d.attemptNumber, d.outcome, d.final])).toEqual([
      [0, 'failed', false],
      [1, 'failed', false],
      [2, 'failed', true],
    ]);
    expect(last[0]?.error).toEqual(expect.any(String));
  });

  it('drops deliveries when the fault injector says so', async () => {
    s.sandbox.faults.configure({ dropWebhookRate: 1 });
    s.sandbox.store.create('contacts', { properties: { email: 'dropped@example.com' } }, { actor: { source: 'CRM_UI', userId: 1 } });
    await s.sandbox.webhooks.idle();
    expect(target.received).toHaveLength(0);
    expect(s.sandbox.webhooks.stats().dropped).toBe(1);
    expect(s.sandbox.webhooks.deliveries.at(-1)?.outcome).toBe('dropped');
  });

  it('sends deletion, restore, merge and association events with their keys', async () => {
    const actor = { actor: { source: 'CRM_UI' as const, userId: 2 } };
    const a = s.sandbox.store.create('contacts', { properties: { email: 'a@example.com' } }, actor);
    const b = s.sandbox.store.create('contacts', { properties: { email: 'b@example.com' } }, actor);
    const company = s.sandbox.store.create('companies', { properties: { name: 'Acme' } }, actor);
    s.sandbox.store.associate('contacts', a.id, 'companies', company.id, [1], actor);
    s.sandbox.store.archive('contacts', b.id, actor);
    s.sandbox.store.restore('contacts', b.id, actor);
    const merged = s.sandbox.store.merge('contacts', a.id, b.id, actor);
    await s.sandbox.webhooks.idle();
    const events = target.received.flatMap((r) => r.events);
    const of = (type: string) => events.filter((e) => e.subscriptionType === type);
    expect(of('contact.deletion')[0]).toMatchObject({ objectId: Number(b.id), changeFlag: 'DELETED' });
    expect(of('contact.restore')[0]).toMatchObject({ objectId: Number(b.id) });
    expect(of('contact.merge')[0]).toMatchObject({
      objectId: Number(merged.id),
      primaryObjectId: Number(a.id),
      mergedObjectIds: [Number(b.id)],
      newObjectId: Number(merged.id),
      numberOfPropertiesMoved: 0,
    });
    expect(of('contact.associationChange')[0]).toMatchObject({
      associationType: 'CONTACT_TO_COMPANY',
      fromObjectId: Number(a.id),
      toObjectId: Number(company.id),
      associationRemoved: false,
      isPrimaryAssociation: true,
    });
    expect(of('company.associationChange')[0]).toMatchObject({ associationType: 'COMPANY_TO_CONTACT', fromObjectId: Number(company.id) });
  });

  it('is configured through the control endpoint', async () => {
    const put = await fetch(`${s.sandbox.baseUrl}/__sandbox/webhooks`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ targetUrl: target.url, subscriptions: [{ subscriptionType: 'company.creation' }], batchWindowMs: 0 }),
    });
    expect(put.status).toBe(200);
    s.sandbox.store.create('contacts', { properties: { email: 'ignored@example.com' } }, { actor: { source: 'CRM_UI', userId: 1 } });
    s.sandbox.store.create('companies', { properties: { name: 'Seen' } }, { actor: { source: 'CRM_UI', userId: 1 } });
    await s.sandbox.webhooks.idle();
    expect(target.received.flatMap((r) => r.events).map((e) => e.subscriptionType)).toEqual(['company.creation']);
    const bad = await fetch(`${s.sandbox.baseUrl}/__sandbox/webhooks`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ subscriptions: [{ subscriptionType: 'lead.creation' }] }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { category: string }).category).toBe('VALIDATION_ERROR');
  });
});
