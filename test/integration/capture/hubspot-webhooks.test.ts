/**
 * POST /webhooks/hubspot against hostile and honest deliveries. Signatures are computed with the
 * official client's own Signature helper. Nothing a refused request carries may reach the queue.
 */
import { Signature } from '@hubspot/api-client';
import type { Queue } from 'bullmq';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HubSpotWebhookReceiver } from '../../../src/capture/hubspot/webhook-receiver.js';
import { silentLogger } from '../../../src/platform/logger.js';
import { createBullConnection, Keyspace } from '../../../src/platform/redis.js';
import { SecretBox } from '../../../src/platform/secret-box.js';
import { createApp } from '../../../src/server/app.js';
import { ConnectionStore } from '../../../src/state/connection-store.js';
import { createQueue, QUEUES } from '../../../src/worker/queues.js';
import { pendingKey } from '../../../src/worker/signals.js';
import { useRedis, type RedisTestContext } from '../../helpers/redis.js';

const PUBLIC = 'https://revloop.example.com';
const SECRET_A = 'secret-of-portal-a';
const SECRET_B = 'secret-of-portal-b';
let ctx: RedisTestContext;
let queue: Queue;
let app: ReturnType<typeof createApp>;
let nextEventId = 1;

function event(portalId: number, extra: Record<string, unknown> = {}) {
  return { eventId: nextEventId++, subscriptionId: 1, portalId, appId: 900, occurredAt: Date.now(), subscriptionType: 'contact.propertyChange', attemptNumber: 0, objectId: 501, propertyName: 'firstname', propertyValue: 'Ada', changeSource: 'CRM_UI', sourceId: 'userId:7', ...extra };
}

function signed(body: string, secret: string, timestamp = Date.now()) {
  const signature = Signature.getSignature('POST', 'v3', { signature: '', clientSecret: secret, requestBody: body, url: `${PUBLIC}/webhooks/hubspot`, timestamp });
  return { 'content-type': 'application/json', 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': String(timestamp) };
}

async function enqueued(connection: string): Promise<number> {
  const keys = new Keyspace(connection, ctx.root);
  return (await ctx.redis.zcard(pendingKey(keys, 'contacts', 'hubspot'))) + (await queue.count());
}

beforeEach(async () => {
  ctx = await useRedis('webhooks');
  const store = new ConnectionStore(ctx.redis, new SecretBox(Buffer.alloc(32, 1)), ctx.root);
  for (const [id, portalId, secret] of [['a', 111, SECRET_A], ['b', 222, SECRET_B]] as const) {
    await store.put(
      { id, hubspot: { baseUrl: 'http://127.0.0.1:1', portalId, appId: 900 }, salesforce: { instanceUrl: 'http://127.0.0.1:2', loginUrl: 'http://127.0.0.1:2', version: '62.0' } },
      { hubspot: { kind: 'private-app', token: `token-${id}`, webhookSecret: secret }, salesforce: { kind: 'session', accessToken: 'x'.repeat(30) } },
    );
  }
  queue = createQueue(QUEUES.sync, createBullConnection(ctx.url), ctx.root);
  const webhooks = new HubSpotWebhookReceiver({ redis: ctx.redis, connections: store, syncQueue: queue, root: ctx.root, windowMs: 60_000, logger: silentLogger });
  app = createApp({ redis: ctx.redis, webhooks, publicUrl: PUBLIC, logger: silentLogger });
});

afterEach(async () => {
  await queue.obliterate({ force: true });
  await queue.close();
  await ctx.cleanup();
});

describe('POST /webhooks/hubspot', () => {
  it('accepts a signed delivery and turns it into a change signal for its connection only', async () => {
    const body = JSON.stringify([event(111), event(111, { objectId: 502 })]);
    const res = await request(app).post('/webhooks/hubspot').set(signed(body, SECRET_A)).send(body);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ received: 2, signalled: 2 });
    const keys = new Keyspace('a', ctx.root);
    expect(await ctx.redis.zrange(pendingKey(keys, 'contacts', 'hubspot'), 0, -1)).toEqual(['501', '502']);
    expect(await enqueued('b')).toBe(1); // the flush job; nothing pending for connection b
    expect(await ctx.redis.zcard(pendingKey(new Keyspace('b', ctx.root), 'contacts', 'hubspot'))).toBe(0);
  });

  it.each([
    ['a forged signature', (body: string) => ({ ...signed(body, 'not-the-secret') }), 401, 'BAD_SIGNATURE'],
    ['a stale timestamp', (body: string) => signed(body, SECRET_A, Date.now() - 6 * 60_000), 401, 'STALE_TIMESTAMP'],
    ['a timestamp from the future', (body: string) => signed(body, SECRET_A, Date.now() + 6 * 60_000), 401, 'STALE_TIMESTAMP'],
    ['no signature', () => ({ 'content-type': 'application/json' }), 401, 'SIGNATURE_MISSING'],
    ['a signature for another URL', (body: string) => ({ ...signed(body, SECRET_A), 'x-hubspot-signature-v3': Signature.getSignature('POST', 'v3', { signature: '', clientSecret: SECRET_A, requestBody: body, url: `${PUBLIC}/other`, timestamp: Date.now() }), 'x-hubspot-request-timestamp': String(Date.now()) }), 401, 'BAD_SIGNATURE'],
  ])('refuses %s (%i)', async (_name, headers, status, error) => {
    const body = JSON.stringify([event(111)]);
    const res = await request(app).post('/webhooks/hubspot').set(headers(body)).send(body);
    expect(res.status).toBe(status);
    expect(res.body.error).toBe(error);
    expect(await enqueued('a')).toBe(0);
  });

  it('refuses a delivery before any connection is installed as such, not as a forged one', async () => {
    const empty = new ConnectionStore(ctx.redis, new SecretBox(Buffer.alloc(32, 1)), `${ctx.root}-none`);
    const webhooks = new HubSpotWebhookReceiver({ redis: ctx.redis, connections: empty, syncQueue: queue, root: `${ctx.root}-none`, windowMs: 60_000, logger: silentLogger });
    const bare = createApp({ redis: ctx.redis, webhooks, publicUrl: PUBLIC, logger: silentLogger });
    const body = JSON.stringify([event(111)]);
    const res = await request(bare).post('/webhooks/hubspot').set(signed(body, SECRET_A)).send(body);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error: 'NO_CONNECTION', message: expect.stringMatching(/install one first/) });
    expect(await enqueued('a')).toBe(0);
  });

  it('refuses a replayed request and enqueues nothing the second time', async () => {
    const body = JSON.stringify([event(111)]);
    const headers = signed(body, SECRET_A);
    expect((await request(app).post('/webhooks/hubspot').set(headers).send(body)).status).toBe(200);
    const before = await enqueued('a');
    const again = await request(app).post('/webhooks/hubspot').set(headers).send(body);
    expect(again.status).toBe(401);
    expect(again.body.error).toBe('REPLAYED');
    expect(await enqueued('a')).toBe(before);
  });

  it('accepts HubSpot retrying events it already delivered, without signalling them twice', async () => {
    const events = [event(111)];
    const first = JSON.stringify(events);
    await request(app).post('/webhooks/hubspot').set(signed(first, SECRET_A)).send(first);
    await ctx.redis.del(pendingKey(new Keyspace('a', ctx.root), 'contacts', 'hubspot'));
    const retry = JSON.stringify(events.map((e) => ({ ...e, attemptNumber: 1 })));
    const res = await request(app).post('/webhooks/hubspot').set(signed(retry, SECRET_A, Date.now() + 1)).send(retry);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ duplicates: 1, signalled: 0 });
    expect(await ctx.redis.zcard(pendingKey(new Keyspace('a', ctx.root), 'contacts', 'hubspot'))).toBe(0);
  });

  it.each([
    ['malformed JSON', '[{"eventId": 1,'],
    ['not a list', '{"eventId": 1}'],
    ['an event without objectId', JSON.stringify([{ eventId: 1, portalId: 111, occurredAt: 1, subscriptionType: 'contact.creation' }])],
    ['an empty list', '[]'],
  ])('refuses %s with 400', async (_name, body) => {
    const res = await request(app).post('/webhooks/hubspot').set(signed(body, SECRET_A)).send(body);
    expect(res.status).toBe(400);
    expect(await enqueued('a')).toBe(0);
  });

  it('refuses an oversized body with 413', async () => {
    const body = JSON.stringify([event(111, { propertyValue: 'x'.repeat(1_100_000) })]);
    const res = await request(app).post('/webhooks/hubspot').set(signed(body, SECRET_A)).send(body);
    expect(res.status).toBe(413);
    expect(await enqueued('a')).toBe(0);
  });

  it("never lets one connection's secret touch another connection's portal", async () => {
    const body = JSON.stringify([event(222)]);
    const res = await request(app).post('/webhooks/hubspot').set(signed(body, SECRET_A)).send(body);
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('WRONG_TENANT');
    expect(await enqueued('b')).toBe(0);
  });

  it("drops revloop's own writes coming back (INTEGRATION from its own app)", async () => {
    const body = JSON.stringify([event(111, { changeSource: 'INTEGRATION', sourceId: '900' }), event(111, { objectId: 777, changeSource: 'INTEGRATION', sourceId: '31337' })]);
    const res = await request(app).post('/webhooks/hubspot').set(signed(body, SECRET_A)).send(body);
    expect(res.body).toMatchObject({ echoes: 1, signalled: 1 });
    expect(await ctx.redis.zrange(pendingKey(new Keyspace('a', ctx.root), 'contacts', 'hubspot'), 0, -1)).toEqual(['777']);
  });

  it('turns deletions and merges into jobs', async () => {
    const body = JSON.stringify([
      event(111, { subscriptionType: 'contact.deletion', objectId: 9, changeFlag: 'DELETED' }),
      event(111, { subscriptionType: 'contact.merge', objectId: 10, primaryObjectId: 10, mergedObjectIds: [10, 11], newObjectId: 12 }),
    ]);
    const res = await request(app).post('/webhooks/hubspot').set(signed(body, SECRET_A)).send(body);
    expect(res.body).toMatchObject({ jobs: 2 });
    const jobs = await queue.getJobs(['waiting']);
    expect(jobs.map((j) => j.data.event.kind).sort()).toEqual(['delete', 'merge']);
  });
});
