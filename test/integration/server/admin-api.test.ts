/**
 * The admin API against a running revloop (server and worker in the process) and both simulators:
 * every route refuses a missing or wrong token and, where it changes something, a read-only one;
 * what Redis keeps for a token, a session or a sign-in link is never the credential itself; CSRF on
 * cookie requests; body and rate limits; and the features an admin uses: status, errors explained
 * and retried, the record timeline, pause and resume, mapping validate and preview, metrics.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialHash } from '../../../src/state/access-tokens.js';
import { ADMIN_TOKEN, READONLY_TOKEN, startAppHarness, type AppHarness } from '../../helpers/app-harness.js';
import { SHIPPED_MAPPINGS } from '../../helpers/mappings.js';

let h: AppHarness;
beforeAll(async () => {
  h = await startAppHarness();
}, 60_000);
afterAll(async () => h?.close());

const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
const readonly = { authorization: `Bearer ${READONLY_TOKEN}` };

type Method = 'get' | 'post' | 'delete';
/** Every /api route, with the scope it needs. */
const ROUTES: Array<{ method: Method; path: string; scope: 'read' | 'admin'; body?: object }> = [
  { method: 'get', path: '/api/session', scope: 'read' },
  { method: 'get', path: '/api/connections', scope: 'read' },
  { method: 'get', path: '/api/queues', scope: 'read' },
  { method: 'get', path: '/api/connections/main', scope: 'read' },
  { method: 'get', path: '/api/connections/main/install', scope: 'read' },
  { method: 'get', path: '/api/connections/main/throughput', scope: 'read' },
  { method: 'get', path: '/api/connections/main/events', scope: 'read' },
  { method: 'get', path: '/api/connections/main/errors', scope: 'read' },
  { method: 'get', path: '/api/connections/main/timeline?q=1', scope: 'read' },
  { method: 'get', path: '/api/connections/main/reports/funnel', scope: 'read' },
  { method: 'post', path: '/api/connections/main/mappings/validate', scope: 'read', body: {} },
  { method: 'post', path: '/api/connections/main/mappings/preview', scope: 'admin', body: {} },
  { method: 'post', path: '/api/connections/main/errors/retry', scope: 'admin', body: { all: true } },
  { method: 'post', path: '/api/connections/main/pause', scope: 'admin', body: {} },
  { method: 'post', path: '/api/connections/main/resume', scope: 'admin', body: {} },
  { method: 'post', path: '/api/connections/main/backfill', scope: 'admin', body: {} },
  { method: 'post', path: '/api/connections/main/hubspot/private-app', scope: 'admin', body: { token: 'x'.repeat(20), portalId: 1 } },
  { method: 'post', path: '/api/connections/main/salesforce/jwt', scope: 'admin', body: { username: 'someone@example.com' } },
  { method: 'delete', path: '/api/connections/main', scope: 'admin' },
  { method: 'get', path: '/api/tokens', scope: 'admin' },
  { method: 'post', path: '/api/tokens', scope: 'admin', body: { label: 'x', scope: 'read' } },
  { method: 'delete', path: '/api/tokens/00000000-0000-4000-8000-000000000000', scope: 'admin' },
];

function call(method: Method, path: string, headers: Record<string, string>, body?: object) {
  const r = request(h.url)[method](path).set(headers);
  return body ? r.send(body) : r;
}

describe('authentication of every /api route', () => {
  it.each(ROUTES)('$method $path refuses a missing or wrong token with 401', async ({ method, path, body }) => {
    const missing = await call(method, path, {}, body);
    expect(missing.status).toBe(401);
    expect(missing.headers['www-authenticate']).toMatch(/Bearer/);
    expect((await call(method, path, { authorization: 'Bearer not-the-token-0123456789abcdef' }, body)).status).toBe(401);
    expect((await call(method, path, { authorization: `Bearer ${ADMIN_TOKEN}x` }, body)).status).toBe(401);
  });

  it.each(ROUTES.filter((r) => r.scope === 'admin'))('$method $path refuses a read-only token with 403', async ({ method, path, body }) => {
    const res = await call(method, path, readonly, body);
    expect(res.status).toBe(403);
    expect(res.body.message).toMatch(/admin/);
  });

  it.each(ROUTES.filter((r) => r.scope === 'read'))('$method $path answers a read-only token', async ({ method, path, body }) => {
    const res = await call(method, path, readonly, body);
    expect([200, 404, 501]).toContain(res.status);
  });

  it('guards /metrics (read) and the queue board (admin) too', async () => {
    expect((await request(h.url).get('/metrics')).status).toBe(401);
    const metrics = await request(h.url).get('/metrics').set(readonly);
    expect(metrics.status).toBe(200);
    expect(metrics.text).toMatch(/revloop_api_calls_total\{connection="main",system="hubspot",outcome="ok"\} \d+/);
    expect(metrics.text).toMatch(/revloop_queue_jobs\{queue="revloop-sync",state="waiting"\}/);
    expect(metrics.text).toMatch(/revloop_dead_letters\{connection="main"\} \d+/);
    expect((await request(h.url).get('/admin/queues')).status).toBe(401);
    expect((await request(h.url).get('/admin/queues').set(readonly)).status).toBe(403);
    const board = await request(h.url).get('/admin/queues').set(admin);
    expect(board.status).toBe(200);
    expect(board.text).toMatch(/<html/i);
  });

  it('answers health and readiness without a token (Redis and both APIs), naming no connection', async () => {
    expect((await request(h.url).get('/healthz')).body).toEqual({ status: 'ok' });
    const ready = await request(h.url).get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready', redis: { ok: true }, connections: { checked: 1, failing: 0 } });
  });
});

describe('credentials revloop issues', () => {
  it('keeps only the hash of an API token in Redis; the token works until revoked', async () => {
    const created = await request(h.url).post('/api/tokens').set(admin).send({ label: 'ci', scope: 'read' });
    expect(created.status).toBe(201);
    const token = created.body.token as string;
    expect(token.length).toBeGreaterThan(40);
    const everything = await dumpRedis();
    expect(everything).not.toContain(token);
    expect(everything).toContain(credentialHash(token));
    expect((await request(h.url).get('/api/connections').set({ authorization: `Bearer ${token}` })).status).toBe(200);
    expect((await request(h.url).post('/api/connections/main/pause').set({ authorization: `Bearer ${token}` }).send({})).status).toBe(403);
    expect((await request(h.url).delete(`/api/tokens/${created.body.id}`).set(admin)).status).toBe(200);
    expect((await request(h.url).get('/api/connections').set({ authorization: `Bearer ${token}` })).status).toBe(401);
  });

  it('signs in with a one-time link: the session cookie, never stored, works; the link does not work twice', async () => {
    const code = await h.stack.accessTokens.createLoginLink('admin');
    const first = await request(h.url).get(`/login?code=${code}`);
    expect(first.status).toBe(303);
    const cookies = ([] as string[]).concat(first.headers['set-cookie'] ?? []);
    const session = cookies.find((c) => c.startsWith('revloop_session='));
    expect(session).toMatch(/HttpOnly/i);
    const value = decodeURIComponent(/revloop_session=([^;]+)/.exec(session ?? '')?.[1] ?? '');
    const everything = await dumpRedis();
    expect(everything).not.toContain(value);
    expect(everything).not.toContain(code);
    expect((await request(h.url).get(`/login?code=${code}`)).status).toBe(401);

    // The cookie reads; a change needs the CSRF token as well.
    const agent = request.agent(h.url);
    await agent.get(`/login?code=${await h.stack.accessTokens.createLoginLink('admin')}`);
    const me = await agent.get('/api/session');
    expect(me.status).toBe(200);
    expect(me.body.scope).toBe('admin');
    expect((await agent.post('/api/connections/main/resume').send({})).status).toBe(403);
    expect((await agent.post('/api/connections/main/resume').set('x-csrf-token', 'forged').send({})).status).toBe(403);
    expect((await agent.post('/api/connections/main/resume').set('x-csrf-token', me.body.csrfToken as string).send({})).status).toBe(200);
  });

  it('signs in with a token typed into the form (with the form CSRF token), refuses a wrong one', async () => {
    const agent = request.agent(h.url);
    const form = await agent.get('/login');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)?.[1] ?? '';
    expect((await agent.post('/login').type('form').send({ token: 'wrong-token-0123456789', _csrf: csrf })).status).toBe(401);
    expect((await agent.post('/login').type('form').send({ token: READONLY_TOKEN })).status).toBe(403);
    const ok = await agent.post('/login').type('form').send({ token: READONLY_TOKEN, _csrf: csrf });
    expect(ok.status).toBe(303);
    expect((await agent.get('/api/session')).body.scope).toBe('read');
    expect((await agent.get('/')).status).toBe(200);
  });

  it('ends the dashboard sessions signed in with an API token when that token is revoked', async () => {
    const created = await request(h.url).post('/api/tokens').set(admin).send({ label: 'a laptop', scope: 'admin' });
    const agent = request.agent(h.url);
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await agent.get('/login')).text)?.[1] ?? '';
    expect((await agent.post('/login').type('form').send({ token: created.body.token as string, _csrf: csrf })).status).toBe(303);
    expect((await agent.get('/api/session')).status).toBe(200);
    expect((await request(h.url).delete(`/api/tokens/${created.body.id as string}`).set(admin)).status).toBeLessThan(300);
    expect((await agent.get('/api/session')).status).toBe(401);
  });
});

describe('a session signed in with an environment token', () => {
  it('ends when that token is rotated (the next start has another one)', async () => {
    const { default: express } = await import('express');
    const { authenticate, requireScope } = await import('../../../src/server/auth/admin-auth.js');
    const { cookieParser } = await import('../../../src/server/http/cookies.js');
    const { envFingerprint } = await import('../../../src/state/access-tokens.js');
    const session = await h.stack.accessTokens.createSession('admin', Date.now(), { env: envFingerprint(ADMIN_TOKEN) });
    const server = (adminToken: string) => {
      const app = express();
      app.use(cookieParser, authenticate({ adminToken, tokens: h.stack.accessTokens }));
      app.get('/who', requireScope('read'), (req, res) => void res.json({ scope: req.principal?.scope }));
      app.use((err: { status?: number }, _req: unknown, res: { status: (n: number) => { end: () => void } }, _next: unknown) => res.status(err.status ?? 500).end());
      return app;
    };
    const cookie = `revloop_session=${session.credential}`;
    expect((await request(server(ADMIN_TOKEN)).get('/who').set('cookie', cookie)).body).toEqual({ scope: 'admin' });
    expect((await request(server('a-rotated-admin-token-0123456789')).get('/who').set('cookie', cookie)).status).toBe(401);
  });
});

describe('limits', () => {
  it('refuses an oversized body with 413 and a malformed one with 400', async () => {
    const big = { ids: Array.from({ length: 900 }, (_, i) => `contacts|hubspot|hubspot:contacts:${i}${'x'.repeat(150)}`) };
    expect((await request(h.url).post('/api/connections/main/errors/retry').set(admin).send(big)).status).toBe(413);
    const bad = await request(h.url).post('/api/connections/main/errors/retry').set(admin).set('content-type', 'application/json').send('{"ids":');
    expect(bad.status).toBe(400);
    const wrong = await request(h.url).post('/api/connections/main/errors/retry').set(admin).send({ ids: 'all' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.message).toMatch(/body/);
  });

  it('rate-limits the public endpoints', async () => {
    const limited = await startAppHarness({ connectionId: 'rl', rateLimits: { enabled: true, perMinute: 3 } });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) codes.push((await request(limited.url).get('/login')).status);
      expect(codes.slice(0, 3)).toEqual([200, 200, 200]);
      expect(codes[4]).toBe(429);
    } finally {
      await limited.close();
    }
  }, 60_000);

  it('counts each client behind a believed proxy on its own, and ignores X-Forwarded-For from anyone else', async () => {
    const burst = async (url: string) => {
      const codes: number[] = [];
      for (let i = 0; i < 4; i++) codes.push((await request(url).get('/login').set('x-forwarded-for', `203.0.113.${i + 1}`)).status);
      return codes;
    };
    // The default believes loopback (a proxy on this host): four clients, four buckets.
    const local = await startAppHarness({ connectionId: 'tp1', rateLimits: { enabled: true, perMinute: 2 } });
    try {
      expect(await burst(local.url)).toEqual([200, 200, 200, 200]);
    } finally {
      await local.close();
    }
    // Believing only a proxy on another network, a header sent from here is the client's own claim: one bucket.
    const remote = await startAppHarness({ connectionId: 'tp2', rateLimits: { enabled: true, perMinute: 2 }, trustProxy: ['10.0.0.0/8'] });
    try {
      expect(await burst(remote.url)).toEqual([200, 200, 429, 429]);
    } finally {
      await remote.close();
    }
  }, 90_000);
});

describe('what an admin does', () => {
  it('sees a refused record grouped with the vendor message and a fix, fixes it at the source and retries it', async () => {
    const [created] = h.hubspot.store.createMany('contacts', [{ properties: { email: 'too.long@example.org', firstname: 'Tess', lastname: 'L'.repeat(120) } }], { actor: { source: 'CRM_UI' } });
    const id = String(created);
    await h.until('the record to be parked', async () => (await request(h.url).get('/api/connections/main/errors').set(readonly)).body.total > 0);
    const errors = (await request(h.url).get('/api/connections/main/errors').set(readonly)).body;
    const group = errors.groups.find((g: { category: string }) => g.category === 'invalid-value');
    expect(group.entries[0]).toMatchObject({ code: 'STRING_TOO_LONG', hubspotId: id });
    expect(group.entries[0].message).toMatch(/Last Name/);
    expect(group.entries[0].fix).toMatch(/Lead\.LastName/);

    h.hubspot.store.update('contacts', id, { lastname: 'Long' }, { actor: { source: 'CRM_UI' } });
    const retried = await request(h.url).post('/api/connections/main/errors/retry').set(admin).send({ ids: [group.entries[0].id] });
    expect(retried.status).toBe(202);
    expect(retried.body.entries).toBe(1);
    await h.until('the retry to sync it', async () => (await request(h.url).get('/api/connections/main/errors').set(readonly)).body.total === 0);
    expect(h.salesforce.store.query("SELECT LastName FROM Lead WHERE Email = 'too.long@example.org'").records[0]?.LastName).toBe('Long');

    const timeline = (await request(h.url).get(`/api/connections/main/timeline?q=${id}`).set(readonly)).body;
    expect(timeline.hubspotId).toBe(id);
    expect(timeline.salesforce.object).toBe('Lead');
    // Who wrote what: the fix by a person in HubSpot, the link by revloop.
    expect(timeline.provenance.hubspot.lastname).toMatchObject({ actor: 'person', value: 'Long' });
    expect(Object.values({ ...timeline.provenance.hubspot, ...timeline.provenance.salesforce }).some((p) => (p as { actor: string }).actor === 'revloop')).toBe(true);
    const byEmail = (await request(h.url).get('/api/connections/main/timeline?q=too.long@example.org').set(readonly)).body;
    expect(byEmail.salesforce.id).toBe(timeline.salesforce.id);
    const bySalesforce = (await request(h.url).get(`/api/connections/main/timeline?q=${timeline.salesforce.id}`).set(readonly)).body;
    expect(bySalesforce.hubspotId).toBe(id);
    expect((await request(h.url).get('/api/connections/main/timeline?q=nobody@example.org').set(readonly)).status).toBe(404);
    expect((await request(h.url).get('/api/connections/main/timeline?q=%3Cscript%3E').set(readonly)).status).toBe(400);
  });

  it("shows whether the Salesforce change listener is at work and how far it has read", async () => {
    const status = async () => (await request(h.url).get('/api/connections/main').set(readonly)).body as { changeListener: { atWork: boolean; seenUntil?: number } };
    expect((await status()).changeListener.atWork).toBe(true);
    const before = Date.now();
    h.salesforce.store.insert('Lead', { LastName: 'Listened', Company: 'Acme', Email: 'listened@example.com' }, { origin: 'ui' });
    const deadline = Date.now() + 20_000;
    while (((await status()).changeListener.seenUntil ?? 0) < before - 1_000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect((await status()).changeListener.seenUntil).toBeGreaterThanOrEqual(before - 1_000);
  });

  it('pauses and resumes a connection, shown in its status', async () => {
    expect((await request(h.url).post('/api/connections/main/pause').set(admin).send({ reason: 'maintenance' })).status).toBe(200);
    expect((await request(h.url).get('/api/connections/main').set(readonly)).body.paused).toMatchObject({ reason: 'maintenance' });
    expect((await request(h.url).post('/api/connections/main/resume').set(admin).send({})).status).toBe(200);
    const status = (await request(h.url).get('/api/connections/main').set(readonly)).body;
    expect(status.paused).toBeUndefined();
    expect(status.budget.hubspot.tenSecondLimit).toBeGreaterThan(0);
    expect(status.queues['revloop-sync']).toBeDefined();
  });

  it('validates a changed mapping with file and line, and previews it on a sample', async () => {
    const broken = readFileSync(join(SHIPPED_MAPPINGS, 'contacts.yaml'), 'utf8').replace('rule: two-way', 'rule: two_way');
    const invalid = await request(h.url).post('/api/connections/main/mappings/validate').set(readonly).send({ files: { contacts: broken } });
    expect(invalid.status).toBe(200);
    expect(invalid.body.valid).toBe(false);
    expect(invalid.body.problems[0]).toMatchObject({ file: 'contacts.yaml (submitted)', severity: 'error' });
    expect(invalid.body.problems[0].line).toBeGreaterThan(0);
    expect((await request(h.url).post('/api/connections/main/mappings/preview').set(admin).send({ files: { contacts: broken } })).status).toBe(422);
    const preview = await request(h.url).post('/api/connections/main/mappings/preview').set(admin).send({ sample: 50 });
    expect(preview.status).toBe(200);
    expect(preview.body.pairs.contacts).toBeDefined();
    // The whole base, streamed as JSON lines.
    const whole = await request(h.url).post('/api/connections/main/mappings/preview').set(admin).send({ sample: 5, whole: true }).buffer(true).parse((res, done) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => done(null, text));
    });
    expect(whole.status).toBe(200);
    expect(whole.headers['content-type']).toContain('application/x-ndjson');
    const lines = (whole.body as string).trim().split('\n').map((l) => JSON.parse(l) as { kind: string; pair?: string });
    expect(lines[0]?.kind).toBe('started');
    expect(lines.at(-1)?.kind).toBe('done');
    expect(lines.filter((l) => l.kind === 'final').map((l) => l.pair)).toEqual(['contacts', 'companies']);
  });
});

async function dumpRedis(): Promise<string> {
  const parts: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await h.redis.redis.scan(cursor, 'MATCH', `${h.redis.root}:*`, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) {
      const type = await h.redis.redis.type(key);
      parts.push(key);
      if (type === 'string') parts.push((await h.redis.redis.get(key)) ?? '');
      else if (type === 'hash') parts.push(JSON.stringify(await h.redis.redis.hgetall(key)));
    }
  } while (cursor !== '0');
  return parts.join('\n');
}
