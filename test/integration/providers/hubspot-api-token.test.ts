/**
 * The HubSpot gateway keeps one client and sets its token only when it changes (setting one rebuilds
 * every API object of the client); a 401 gets one refresh and the call is sent again with the new token.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RevloopError } from '../../../src/platform/errors.js';
import { Keyspace } from '../../../src/platform/redis.js';
import { ApiBudget } from '../../../src/providers/budget/api-budget.js';
import { HubSpotApi, staticHubSpotAuth, type HubSpotAuth } from '../../../src/providers/hubspot/hubspot-api.js';
import { HubSpotObjects } from '../../../src/providers/hubspot/hubspot-objects.js';
import { startHubSpotSandbox, type HubSpotSandbox } from '../../../src/sandbox/hubspot/index.js';
import { useRedis, type RedisTestContext } from '../../helpers/redis.js';

let redis: RedisTestContext;
let sandbox: HubSpotSandbox;

beforeEach(async () => {
  redis = await useRedis('hubspot-token');
  sandbox = await startHubSpotSandbox({ rateLimits: { enabled: false } });
});

afterEach(async () => {
  await sandbox.close();
  await redis.cleanup();
});

function gateway(auth: HubSpotAuth): { api: HubSpotApi; calls: Array<{ operation: string; ok: boolean; code?: string }> } {
  const calls: Array<{ operation: string; ok: boolean; code?: string }> = [];
  const budget = new ApiBudget(redis.redis, new Keyspace('c', redis.root).prefix, { hubspotTenSecond: 1000, hubspotSearchPerSecond: 100, salesforceDailyShare: 100 });
  const api = new HubSpotApi(sandbox.baseUrl, auth, budget, (e) => calls.push({ operation: e.operation, ok: e.ok, ...(e.code ? { code: e.code } : {}) }));
  return { api, calls };
}

/** A token HubSpot refuses, refreshed into the sandbox's valid one; counts its refreshes. */
function refreshing(): { auth: HubSpotAuth; refreshes: number } {
  const token = {
    refreshes: 0,
    auth: {
      accessToken: async () => 'pat-na1-not-a-token',
      refresh: async () => {
        token.refreshes += 1;
        return sandbox.accessToken;
      },
    },
  };
  return token;
}

describe('HubSpot gateway tokens', () => {
  it('refreshes once on a 401 and keeps using the new token', async () => {
    const token = refreshing();
    const { api, calls } = gateway(token.auth);
    // Through the typed client and through the generic request (the batch reads and pages): both answer a 401 alike.
    const list = () => api.call('contacts.list', (c) => c.crm.contacts.basicApi.getPage(10));
    expect((await list()).results).toEqual([]);
    expect((await new HubSpotObjects(api, 'contacts').listPage(['email'], undefined, 'live')).records).toEqual([]);
    expect(token.refreshes).toBe(1);
    expect(calls).toEqual([
      { operation: 'contacts.list', ok: true },
      { operation: 'contacts.list', ok: true },
    ]);
  });

  it('refreshes on a 401 answered to the generic request first', async () => {
    const token = refreshing();
    const { api, calls } = gateway(token.auth);
    const objects = new HubSpotObjects(api, 'contacts');
    const [id] = sandbox.store.createMany('contacts', [{ properties: { email: 'ada@example.com', jobtitle: 'Analyst' } }], { actor: { source: 'CRM_UI' }, quiet: true });
    const read = await objects.read([id as string, '999999'], ['email', 'jobtitle'], { withHistory: ['jobtitle'], priority: 'live' });
    expect([...read.keys()]).toEqual([id]);
    expect(read.get(id as string)?.properties).toMatchObject({ email: 'ada@example.com', jobtitle: 'Analyst' });
    expect(read.get(id as string)?.propertyChangedAt.jobtitle).toBeGreaterThan(0);
    expect(token.refreshes).toBe(1);
    expect(calls).toEqual([{ operation: 'contacts.batch.read', ok: true }]);
  });

  it('classifies an error answered to the generic request as the typed calls do', async () => {
    const { api } = gateway(staticHubSpotAuth(sandbox.accessToken));
    const raw = await new HubSpotObjects(api, 'nonsense' as 'contacts').listPage(['email'], undefined, 'live').catch((e: unknown) => e);
    const typed = await api.call('nonsense.list', (c) => c.crm.objects.basicApi.getPage('nonsense', 100)).catch((e: unknown) => e);
    expect(raw).toBeInstanceOf(RevloopError);
    expect(typed).toBeInstanceOf(RevloopError);
    const [r, t] = [raw as RevloopError, typed as RevloopError];
    expect(r.code).toBe(t.code);
    expect(r.details).toEqual(t.details);
  });

  it('reports a token that cannot be refreshed as revoked, naming the call', async () => {
    const { api } = gateway({
      accessToken: async () => 'pat-na1-not-a-token',
      refresh: async () => {
        throw new Error('AUTH_REVOKED: the install was removed');
      },
    });
    await expect(api.call('contacts.list', (c) => c.crm.contacts.basicApi.getPage(10))).rejects.toThrow(/AUTH_REVOKED/);
  });
});
