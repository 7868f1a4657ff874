/**
 * Hostile query parameters, paths, credentials and bodies on the admin API and the health routes of
 * the real server. Each is refused with its status and a JSON error (code and message), before any
 * store or queue is touched: Redis holds exactly what it held (rate-limit counters aside), no job is
 * queued, and the server keeps answering.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, READONLY_TOKEN, send, startHostileServer, type HostileServer, type RawResponse } from './helpers.js';

let s: HostileServer;
let keysBefore: string[];
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

beforeAll(async () => {
  s = await startHostileServer([{ id: 'main', portalId: 111, secret: 'secret-of-main' }]);
});
afterAll(async () => s?.close());
beforeEach(async () => {
  keysBefore = await s.keys();
});
afterEach(async () => {
  expect((await send(s.url, { method: 'GET', path: '/healthz' })).status).toBe(200);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

async function expectUntouched(): Promise<void> {
  expect(await s.keys()).toEqual(keysBefore);
  for (const q of s.queues) expect(await q.count()).toBe(0);
}

function expectError(res: RawResponse, status: number): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/application\/json/);
  expect(typeof res.json?.code).toBe('string');
  expect(String(res.json?.message ?? '')).not.toBe('');
}

const get = (path: string, headers: Record<string, string> = admin) => send(s.url, { method: 'GET', path, headers });
const post = (path: string, body: string, headers: Record<string, string> = { ...admin, 'content-type': 'application/json' }) => send(s.url, { path, body, headers });

describe('query parameters', () => {
  it.each([
    ['a negative limit', '/api/connections/main/errors?limit=-1'],
    ['a limit of 10^9', '/api/connections/main/errors?limit=1e9'],
    ['a limit that is not a number', '/api/connections/main/errors?limit=abc'],
    ['a limit given twice', '/api/connections/main/errors?limit=1&limit=2'],
    ['a limit of zero on events', '/api/connections/main/events?limit=0'],
    ['an event action carrying SQL', '/api/connections/main/events?action=DROP%20TABLE%20users'],
    ['an event action carrying a script', '/api/connections/main/events?action=%3Cscript%3Ealert(1)%3C%2Fscript%3E'],
    ['a throughput window of a million minutes', '/api/connections/main/throughput?minutes=1000000'],
    ['a throughput window of NaN minutes', '/api/connections/main/throughput?minutes=NaN'],
    ['a report start that is not a date', '/api/connections/main/reports/funnel?from=yesterday-ish'],
    ['a report start on the 45th of the 13th month', '/api/connections/main/reports/funnel?from=2026-13-45'],
    ['a report period that ends before it starts', '/api/connections/main/reports/funnel?from=2026-12-01&to=2026-11-01'],
    ['a report kind carrying SQL', '/api/connections/main/reports/funnel%27%3B%20DROP%20TABLE'],
    ['an empty timeline search', '/api/connections/main/timeline?q='],
    ['a 300-character timeline search', `/api/connections/main/timeline?q=${'a'.repeat(300)}`],
  ])('refuses %s (400)', async (_name, path) => {
    expectError(await get(path), 400);
    await expectUntouched();
  });
});

describe('paths', () => {
  it.each([
    ['a connection id climbing directories', '/api/connections/..%2F..%2Fetc%2Fpasswd/errors', [400, 404]],
    ['a connection id with a NUL byte', '/api/connections/ma%00in/errors', [400]],
    ['a connection id of 200 characters', `/api/connections/${'c'.repeat(200)}/errors`, [400]],
    ['a connection id carrying a Redis key pattern', '/api/connections/*/errors', [400]],
    ['a connection that does not exist', '/api/connections/nobody/errors', [404]],
    ['a route that does not exist', '/api/connections/main/secrets', [404]],
  ])('refuses %s', async (_name, path, statuses) => {
    const res = await get(path);
    expect(statuses).toContain(res.status);
    expectError(res, res.status);
    await expectUntouched();
  });
});

describe('credentials', () => {
  it.each([
    ['no token', {}],
    ['the admin token in the query string instead of the header', { path: `/api/connections?access_token=${ADMIN_TOKEN}` }],
    ['a Basic authorization', { authorization: `Basic ${Buffer.from(`admin:${ADMIN_TOKEN}`).toString('base64')}` }],
    ['a bearer token of 8 KB', { authorization: `Bearer ${'t'.repeat(8192)}` }],
    ['the admin token with a trailing NUL', { authorization: `Bearer ${ADMIN_TOKEN}\u0000`.replace('\u0000', '%00') }],
    ['the admin token in lower case', { authorization: `Bearer ${ADMIN_TOKEN.toUpperCase()}` }],
  ])('refuses %s (401)', async (_name, o: { path?: string; authorization?: string }) => {
    const res = await get(o.path ?? '/api/connections', o.authorization ? { authorization: o.authorization } : {});
    expectError(res, 401);
    await expectUntouched();
  });

  it('refuses a read-only token on a change (403) and queues no backfill', async () => {
    const res = await post('/api/connections/main/backfill', '{}', { authorization: `Bearer ${READONLY_TOKEN}`, 'content-type': 'application/json' });
    expectError(res, 403);
    await expectUntouched();
  });
});

describe('bodies', () => {
  it.each([
    ['a pause reason of 10 KB', '/api/connections/main/pause', JSON.stringify({ reason: 'r'.repeat(10_000) }), undefined, 400],
    ['a retry whose selection hides behind __proto__', '/api/connections/main/errors/retry', '{"__proto__": {"all": true, "polluted": "yes"}}', undefined, 400],
    ['a retry of ids of 500 characters', '/api/connections/main/errors/retry', JSON.stringify({ ids: ['i'.repeat(500)] }), undefined, 400],
    ['a retry of an unknown category', '/api/connections/main/errors/retry', JSON.stringify({ category: "x'; FLUSHALL" }), undefined, 400],
    ['a retry of "all": "yes"', '/api/connections/main/errors/retry', JSON.stringify({ all: 'yes' }), undefined, 400],
    ['a backfill of an object that does not exist', '/api/connections/main/backfill', JSON.stringify({ objects: ['contacts; FLUSHALL'] }), undefined, 400],
    ['a backfill body of 200 KB', '/api/connections/main/backfill', JSON.stringify({ objects: ['contacts'], pad: 'p'.repeat(200_000) }), undefined, 413],
    ['malformed JSON', '/api/connections/main/backfill', '{"objects": [', undefined, 400],
    ['a token with an unknown scope', '/api/tokens', JSON.stringify({ label: '<script>', scope: 'root' }), undefined, 400],
  ])('refuses %s', async (_name, path, body, headers, status) => {
    expectError(await post(path, body, headers), status);
    await expectUntouched();
  });
});

describe('the request itself', () => {
  it('refuses a query string of 64 KB (431) and keeps serving', async () => {
    const res = await get(`/healthz?pad=${'q'.repeat(64 * 1024)}`);
    expect(res.status).toBe(431);
    await expectUntouched();
  });

  it.each(['TRACE', 'PUT', 'PATCH'])('answers %s /api/connections with 404 JSON', async (method) => {
    const res = await send(s.url, { method, path: '/api/connections', headers: admin, ...(method === 'TRACE' ? {} : { body: '{}' }) });
    expectError(res, 404);
    await expectUntouched();
  });
});
