/**
 * /readyz for probes and load balancers: ready while Redis answers; a connection whose API refuses its
 * credentials makes it "degraded" but keeps it 200 (the dashboard must stay reachable to fix it); the
 * public answer names no connection and carries no vendor message.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretBox } from '../../../src/platform/secret-box.js';
import { ConnectionStore } from '../../../src/state/connection-store.js';
import { startAppHarness, type AppHarness } from '../../helpers/app-harness.js';

const KEY = Buffer.alloc(32, 4);
let h: AppHarness;

beforeAll(async () => {
  h = await startAppHarness({ encryptionKey: KEY });
}, 60_000);
afterAll(async () => h?.close());

describe('/readyz', () => {
  it('stays 200 and says degraded when the token of a connection is refused, with codes only', async () => {
    const store = new ConnectionStore(h.redis.redis, new SecretBox(KEY), h.redis.root);
    await store.put(
      { id: 'revoked-portal', hubspot: { baseUrl: h.hubspot.baseUrl, portalId: 424242 }, salesforce: { instanceUrl: h.salesforce.instanceUrl, loginUrl: h.salesforce.instanceUrl, version: h.salesforce.version } },
      { hubspot: { kind: 'private-app', token: 'pat-revoked-0000' }, salesforce: { kind: 'session', accessToken: h.salesforce.accessToken } },
    );
    const ready = await request(h.url).get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'degraded', redis: { ok: true }, connections: { checked: 2, failing: 1, codes: ['AUTH_REVOKED'] } });
    expect(JSON.stringify(ready.body)).not.toContain('revoked-portal');
  });
});
