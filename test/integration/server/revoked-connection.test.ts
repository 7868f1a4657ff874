/**
 * A connection whose HubSpot token is refused. /readyz, for probes and load balancers, stays 200 and
 * says "degraded" (the dashboard must stay reachable to fix it), naming no connection and carrying no
 * vendor message. The admin API answers that connection's calls with 502 and the reason, not with the
 * 401 that would tell the dashboard its own session ended.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretBox } from '../../../src/platform/secret-box.js';
import { ConnectionStore } from '../../../src/state/connection-store.js';
import { ensureConnectionJobs } from '../../../src/worker/connection-jobs.js';
import { ADMIN_TOKEN, startAppHarness, type AppHarness } from '../../helpers/app-harness.js';

const KEY = Buffer.alloc(32, 4);
let h: AppHarness;

beforeAll(async () => {
  h = await startAppHarness({ encryptionKey: KEY });
}, 60_000);
afterAll(async () => h?.close());

beforeAll(async () => {
  const store = new ConnectionStore(h.redis.redis, new SecretBox(KEY), h.redis.root);
  await store.put(
    { id: 'revoked-portal', hubspot: { baseUrl: h.hubspot.baseUrl, portalId: 424242 }, salesforce: { instanceUrl: h.salesforce.instanceUrl, loginUrl: h.salesforce.instanceUrl, version: h.salesforce.version } },
    { hubspot: { kind: 'private-app', token: 'pat-revoked-0000' }, salesforce: { kind: 'session', accessToken: h.salesforce.accessToken } },
  );
});

describe('a connection whose HubSpot token is refused', () => {
  it('leaves /readyz 200 and degraded, with codes only', async () => {
    const ready = await request(h.url).get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'degraded', redis: { ok: true }, connections: { checked: 2, failing: 1, codes: ['AUTH_REVOKED'] } });
    expect(JSON.stringify(ready.body)).not.toContain('revoked-portal');
  });

  it('answers the admin API with 502 and the reason, not 401', async () => {
    const res = await request(h.url).get('/api/connections/revoked-portal/timeline').query({ q: 'someone@example.com' }).set('authorization', `Bearer ${ADMIN_TOKEN}`);
    expect(res.status).toBe(502);
    expect(res.body).toMatchObject({ code: 'AUTH_REVOKED', message: expect.stringMatching(/HubSpot/) });
  });

  it('once removed, leaves none of its scheduled jobs (sweep, SLA check, weekly digest)', async () => {
    const ofIt = async () => (await h.stack.syncQueue.getJobSchedulers()).map((s) => s.key).filter((k) => k.endsWith('-revoked-portal'));
    await ensureConnectionJobs(['revoked-portal'], { listenQueue: h.stack.listenQueue, syncQueue: h.stack.syncQueue, sweepEveryMs: 3_600_000 });
    expect((await ofIt()).sort()).toEqual(['digest-revoked-portal', 'sla-revoked-portal', 'sweep-revoked-portal']);
    const res = await request(h.url).delete('/api/connections/revoked-portal').set('authorization', `Bearer ${ADMIN_TOKEN}`);
    expect(res.status).toBe(200);
    expect(await ofIt()).toEqual([]);
  });
});
