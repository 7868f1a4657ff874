/**
 * Hostile webhook deliveries against POST /webhooks/hubspot of the real app on a real port: forged,
 * stale, replayed, malformed and oversized requests. Each is refused with its status and an error
 * code that says why; nothing reaches Redis (no signal, no job, not even a replay marker), and the
 * server keeps answering. Signatures are computed with the official client's Signature helper.
 */
import { createHash } from 'node:crypto';
import { Signature } from '@hubspot/api-client';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Keyspace } from '../../src/platform/redis.js';
import { pendingKey } from '../../src/worker/signals.js';
import { send, startHostileServer, type HostileServer, type RawResponse } from './helpers.js';

const A = { id: 'tenant-a', portalId: 111, secret: 'secret-of-tenant-a' };
const B = { id: 'tenant-b', portalId: 222, secret: 'secret-of-tenant-b' };
const PATH = '/webhooks/hubspot';
let s: HostileServer;
let keysBefore: string[];
let nextEventId = 1;

function event(portalId = A.portalId, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { eventId: nextEventId++, subscriptionId: 7, portalId, appId: 900, occurredAt: Date.now(), subscriptionType: 'contact.propertyChange', attemptNumber: 0, objectId: 501, propertyName: 'firstname', propertyValue: 'Ada', changeSource: 'CRM_UI', sourceId: 'userId:7', ...extra };
}

function signature(body: string, o: { secret?: string; method?: string; url?: string; timestamp?: number } = {}): string {
  return Signature.getSignature(o.method ?? 'POST', 'v3', { signature: '', clientSecret: o.secret ?? A.secret, requestBody: body, url: o.url ?? `${s.url}${PATH}`, timestamp: o.timestamp ?? Date.now() });
}

function signedHeaders(body: string, o: { secret?: string; method?: string; url?: string; timestamp?: number } = {}): Record<string, string> {
  const timestamp = o.timestamp ?? Date.now();
  return { 'content-type': 'application/json', 'x-hubspot-signature-v3': signature(body, { ...o, timestamp }), 'x-hubspot-request-timestamp': String(timestamp) };
}

function post(body: string | Buffer, headers: Record<string, string>): Promise<RawResponse> {
  return send(s.url, { path: PATH, body, headers });
}

/** The webhook receiver answers {error, message}; the app's own handlers {code, message}. */
function errorOf(res: RawResponse): unknown {
  return res.json?.error ?? res.json?.code;
}

function expectRefused(res: RawResponse, status: number, error: string): void {
  expect(res.status).toBe(status);
  expect(errorOf(res)).toBe(error);
  expect(String(res.json?.message ?? '')).not.toBe('');
}

beforeAll(async () => {
  s = await startHostileServer([A, B]);
});

afterAll(async () => s?.close());

beforeEach(async () => {
  keysBefore = await s.keys();
});

afterEach(async () => {
  // The process is still up and healthy after every hostile request.
  const health = await send(s.url, { method: 'GET', path: '/healthz' });
  expect(health.status).toBe(200);
});

/** A refused request leaves Redis exactly as it was. */
async function expectNothingStored(): Promise<void> {
  expect(await s.keys()).toEqual(keysBefore);
  for (const q of s.queues) expect(await q.count()).toBe(0);
}

describe('forged signatures', () => {
  const forged: Array<[string, (body: string) => Record<string, string>]> = [
    ['signed with another secret', (body) => signedHeaders(body, { secret: 'not-the-secret' })],
    ['signed with the other tenant secret for this tenant portal', (body) => signedHeaders(body, { secret: 'secret-of-tenant-c' })],
    ['signed for GET instead of POST', (body) => signedHeaders(body, { method: 'GET' })],
    ['signed for another path', (body) => signedHeaders(body, { url: `${s.url}/webhooks/other` })],
    ['signed for another host', (body) => signedHeaders(body, { url: `https://attacker.example${PATH}` })],
    ['signed with a query string the request does not carry', (body) => signedHeaders(body, { url: `${s.url}${PATH}?portal=111` })],
    ['signed over an empty body', () => signedHeaders('')],
    ['signed at another time than the header says', (body) => ({ ...signedHeaders(body, { timestamp: Date.now() - 1000 }), 'x-hubspot-request-timestamp': String(Date.now()) })],
    ['with the signature truncated', (body) => ({ ...signedHeaders(body), 'x-hubspot-signature-v3': signature(body).slice(0, 20) })],
    ['with the signature in another letter case', (body) => ({ ...signedHeaders(body), 'x-hubspot-signature-v3': signature(body).toLowerCase() })],
    ['with the signature as hex instead of base64', (body) => ({ ...signedHeaders(body), 'x-hubspot-signature-v3': Buffer.from(signature(body), 'base64').toString('hex') })],
    ['with 8 KB of garbage as signature', (body) => ({ ...signedHeaders(body), 'x-hubspot-signature-v3': 'A'.repeat(8192) })],
    ['with the signature of the body it was before tampering', () => signedHeaders(JSON.stringify([event(A.portalId, { propertyValue: 'original' })]))],
  ];
  it.each(forged)('refuses a delivery %s (401 BAD_SIGNATURE)', async (_name, headers) => {
    const body = JSON.stringify([event()]);
    expectRefused(await post(body, headers(body)), 401, 'BAD_SIGNATURE');
    await expectNothingStored();
  });

  it.each([
    ['no signature headers at all', () => ({ 'content-type': 'application/json' })],
    ['an empty signature', (body: string) => ({ ...signedHeaders(body), 'x-hubspot-signature-v3': '' })],
    ['only a v1 signature (X-HubSpot-Signature)', (body: string) => ({ 'content-type': 'application/json', 'x-hubspot-signature': createHash('sha256').update(A.secret + body).digest('hex'), 'x-hubspot-signature-version': 'v1' })],
    ['a signature but no timestamp', (body: string) => ({ 'content-type': 'application/json', 'x-hubspot-signature-v3': signature(body) })],
  ])('refuses a delivery with %s (401 SIGNATURE_MISSING)', async (_name, headers) => {
    const body = JSON.stringify([event()]);
    expectRefused(await post(body, headers(body)), 401, 'SIGNATURE_MISSING');
    await expectNothingStored();
  });
});

describe('timestamps', () => {
  it.each([
    ['six minutes old', () => Date.now() - 6 * 60_000],
    ['six minutes ahead', () => Date.now() + 6 * 60_000],
    ['from 1970', () => 1_000_000_000],
  ])('refuses a timestamp %s (401 STALE_TIMESTAMP), even correctly signed', async (_name, at) => {
    const body = JSON.stringify([event()]);
    expectRefused(await post(body, signedHeaders(body, { timestamp: at() })), 401, 'STALE_TIMESTAMP');
    await expectNothingStored();
  });

  it.each([['not a number', 'yesterday'], ['in exponent notation', '1.7e12'], ['negative', '-1795950000000'], ['twenty digits long', '99999999999999999999'], ['with a fraction', `${Date.now()}.5`]])(
    'refuses a timestamp %s (401 SIGNATURE_MISSING)',
    async (_name, timestamp) => {
      const body = JSON.stringify([event()]);
      expectRefused(await post(body, { ...signedHeaders(body), 'x-hubspot-request-timestamp': timestamp }), 401, 'SIGNATURE_MISSING');
      await expectNothingStored();
    },
  );
});

describe('replays', () => {
  it('accepts a signed delivery once and refuses the identical request again (401 REPLAYED)', async () => {
    const body = JSON.stringify([event(A.portalId, { objectId: 9001 })]);
    const headers = signedHeaders(body);
    expect((await post(body, headers)).status).toBe(200);
    const afterFirst = await s.keys();
    const jobs = await s.queue.count();
    expectRefused(await post(body, headers), 401, 'REPLAYED');
    expect(await s.keys()).toEqual(afterFirst);
    expect(await s.queue.count()).toBe(jobs);
    await s.queue.obliterate({ force: true });
  });

  it('lets exactly one of ten simultaneous copies of a signed request through', async () => {
    const body = JSON.stringify([event(A.portalId, { objectId: 9002 })]);
    const headers = signedHeaders(body);
    const answers = await Promise.all(Array.from({ length: 10 }, () => post(body, headers)));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 401 && a.json?.error === 'REPLAYED')).toHaveLength(9);
    expect(await s.redis.redis.zrange(pendingKey(new Keyspace(A.id, s.redis.root), 'contacts', 'hubspot'), 0, -1)).toEqual(expect.arrayContaining(['9002']));
    await s.queue.obliterate({ force: true });
  });

  it('signals nothing new when the same events come back signed anew (a retry or a re-signed capture)', async () => {
    const events = [event(A.portalId, { objectId: 9003 })];
    const first = JSON.stringify(events);
    expect((await post(first, signedHeaders(first))).status).toBe(200);
    const pending = pendingKey(new Keyspace(A.id, s.redis.root), 'contacts', 'hubspot');
    await s.redis.redis.del(pending);
    const again = JSON.stringify(events.map((e) => ({ ...e, attemptNumber: 1 })));
    const res = await post(again, signedHeaders(again, { timestamp: Date.now() + 1 }));
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ duplicates: 1, signalled: 0 });
    expect(await s.redis.redis.exists(pending)).toBe(0);
    await s.queue.obliterate({ force: true });
  });
});

describe('malformed bodies (correctly signed)', () => {
  const malformedJson: Array<[string, string | Buffer]> = [
    ['truncated JSON', '[{"eventId": 1, "portalId": 111'],
    ['JSON with a trailing comma', '[{"eventId": 1},]'],
    ['a UTF-16 body', Buffer.from(JSON.stringify([event()]), 'utf16le')],
    ['100,000 nested arrays', `${'['.repeat(100_000)}${']'.repeat(100_000)}`],
  ];
  it.each(malformedJson)('refuses %s (400)', async (_name, body) => {
    const text = Buffer.isBuffer(body) ? body.toString('utf8') : body;
    const res = await post(body, signedHeaders(text));
    expect(res.status).toBe(400);
    expect(['MALFORMED_JSON', 'INVALID_EVENTS']).toContain(errorOf(res));
    await expectNothingStored();
  });

  const invalidEvents: Array<[string, unknown]> = [
    ['an object instead of a list', event()],
    ['null', null],
    ['a number', 42],
    ['an empty list', []],
    ['1,001 events (more than one delivery holds)', Array.from({ length: 1001 }, () => event())],
    ['an event without objectId', [{ ...event(), objectId: undefined }]],
    ['an objectId that is a SOQL fragment', [event(A.portalId, { objectId: "1' OR Id != null" })]],
    ['a negative objectId', [event(A.portalId, { objectId: -5 })]],
    ['a fractional portalId', [event(111.5)]],
    ['a subscriptionType carrying injection', [event(A.portalId, { subscriptionType: "contact.propertyChange'; DROP TABLE" })]],
    ['a 500-character property name', [event(A.portalId, { propertyName: 'p'.repeat(500) })]],
    ['a property value over 64 KB', [event(A.portalId, { propertyValue: 'v'.repeat(70_000) })]],
    ['more than 100 merged ids', [event(A.portalId, { subscriptionType: 'contact.merge', mergedObjectIds: Array.from({ length: 101 }, (_, i) => i) })]],
    ['occurredAt as a string', [event(A.portalId, { occurredAt: 'now' })]],
  ];
  it.each(invalidEvents)('refuses %s (400 INVALID_EVENTS)', async (_name, value) => {
    const body = JSON.stringify(value);
    expectRefused(await post(body, signedHeaders(body)), 400, 'INVALID_EVENTS');
    await expectNothingStored();
  });

  it('refuses events whose required fields hide behind __proto__, and pollutes nothing', async () => {
    const { objectId: _omit, ...rest } = event();
    const body = `[${JSON.stringify(rest).slice(0, -1)},"__proto__":{"objectId":77,"polluted":"yes"}}]`;
    expectRefused(await post(body, signedHeaders(body)), 400, 'INVALID_EVENTS');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).objectId).toBeUndefined();
    await expectNothingStored();
  });

  it('refuses a constructor.prototype payload in place of an event, and pollutes nothing', async () => {
    const body = JSON.stringify([{ constructor: { prototype: { polluted: 'yes' } } }]);
    expectRefused(await post(body, signedHeaders(body)), 400, 'INVALID_EVENTS');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    await expectNothingStored();
  });
});

describe('oversized requests', () => {
  it('refuses a signed body over 1 MB (413) before reading it', async () => {
    const body = JSON.stringify([event(A.portalId, { propertyValue: 'x'.repeat(1_100_000) })]);
    expectRefused(await post(body, signedHeaders(body)), 413, 'PAYLOAD_TOO_LARGE');
    await expectNothingStored();
  });

  it('refuses an unsigned body over 1 MB (413)', async () => {
    const body = 'x'.repeat(2_000_000);
    expect((await post(body, { 'content-type': 'application/json' })).status).toBe(413);
    await expectNothingStored();
  });

  it('refuses a chunked body that grows past 1 MB (413)', async () => {
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const res = await send(s.url, { path: PATH, headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked', 'x-hubspot-signature-v3': 'x', 'x-hubspot-request-timestamp': String(Date.now()) }, chunks: Array.from({ length: 20 }, () => chunk) });
    expect(res.status).toBe(413);
    await expectNothingStored();
  });

  it('refuses 32 KB of headers (431) and keeps serving', async () => {
    const body = JSON.stringify([event()]);
    const res = await post(body, { ...signedHeaders(body), 'x-padding': 'p'.repeat(32 * 1024) });
    expect(res.status).toBe(431);
    await expectNothingStored();
  });
});

describe('tenancy', () => {
  it("refuses a delivery signed by one tenant for another tenant's portal (401 WRONG_TENANT)", async () => {
    const body = JSON.stringify([event(B.portalId)]);
    expectRefused(await post(body, signedHeaders(body, { secret: A.secret })), 401, 'WRONG_TENANT');
    await expectNothingStored();
  });

  it("refuses a delivery mixing the signer's events with another tenant's, and signals none of them", async () => {
    const body = JSON.stringify([event(A.portalId, { objectId: 4242 }), event(B.portalId, { objectId: 4343 })]);
    expectRefused(await post(body, signedHeaders(body, { secret: A.secret })), 401, 'WRONG_TENANT');
    for (const t of [A, B]) expect(await s.redis.redis.zcard(pendingKey(new Keyspace(t.id, s.redis.root), 'contacts', 'hubspot'))).toBe(0);
    expect(await s.queue.count()).toBe(0);
  });

  it('ignores events for a portal that has no connection (200, nothing signalled)', async () => {
    const body = JSON.stringify([event(999_999)]);
    const res = await post(body, signedHeaders(body));
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ received: 1, ignored: 1, signalled: 0 });
    expect(await s.queue.count()).toBe(0);
    const added = (await s.keys()).filter((k) => !keysBefore.includes(k));
    // Only the marker that refuses this signed request a second time.
    expect(added.every((k) => k.includes(':webhook-signature:'))).toBe(true);
  });
});

describe('methods', () => {
  it.each(['GET', 'PUT', 'DELETE', 'PATCH'])('answers %s /webhooks/hubspot with 404 and enqueues nothing', async (method) => {
    const body = JSON.stringify([event()]);
    const res = await send(s.url, { method, path: PATH, body, headers: signedHeaders(body, { method }) });
    expect(res.status).toBe(404);
    await expectNothingStored();
  });
});
