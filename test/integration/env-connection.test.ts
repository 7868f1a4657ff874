/**
 * A server-to-server deployment configured in the environment (private app + JWT bearer): its
 * connection carries the portal, the app and the webhook secret, so signed webhooks from that portal
 * reach it and its own writes are told apart.
 */
import { describe, expect, it } from 'vitest';
import { loadEnv } from '../../src/config/env.js';
import { SecretBox } from '../../src/platform/secret-box.js';
import { ConnectionStore } from '../../src/state/connection-store.js';
import { ENV_CONNECTION_ID, registerEnvConnection } from '../../src/worker/env-connection.js';
import { useRedis } from '../helpers/redis.js';

const base = {
  REVLOOP_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'),
  REVLOOP_ADMIN_TOKEN: 'a'.repeat(32),
  HUBSPOT_AUTH_MODE: 'private-app',
  HUBSPOT_PRIVATE_APP_TOKEN: 'pat-na1-0123456789abcdef',
  SALESFORCE_AUTH_MODE: 'jwt',
  SALESFORCE_CLIENT_ID: 'client',
  SALESFORCE_JWT_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----',
  SALESFORCE_JWT_USERNAME: 'revloop@acme.test',
  SALESFORCE_INSTANCE_URL: 'https://acme.my.salesforce.com',
};

describe('the connection from the environment', () => {
  it('carries the portal, app and webhook secret', async () => {
    const r = await useRedis('envconn');
    try {
      const env = loadEnv({ ...base, HUBSPOT_WEBHOOK_SECRET: 'whsec-0123456789abcdef', HUBSPOT_PORTAL_ID: '4242', HUBSPOT_APP_ID: '77' });
      const store = new ConnectionStore(r.redis, new SecretBox(env.REVLOOP_ENCRYPTION_KEY as Buffer), r.root);
      expect(await registerEnvConnection(store, env)).toBe(true);
      const stored = await store.require(ENV_CONNECTION_ID);
      expect(stored.connection.hubspot).toMatchObject({ portalId: 4242, appId: 77 });
      expect(stored.secrets.hubspot).toEqual({ kind: 'private-app', token: base.HUBSPOT_PRIVATE_APP_TOKEN, webhookSecret: 'whsec-0123456789abcdef' });
      expect((await store.byPortal('4242'))?.id).toBe(ENV_CONNECTION_ID);
    } finally {
      await r.cleanup();
    }
  });

  it('asks for the portal when a webhook secret is given', () => {
    expect(() => loadEnv({ ...base, HUBSPOT_WEBHOOK_SECRET: 'whsec-0123456789abcdef' })).toThrow(/HUBSPOT_PORTAL_ID: is required with HUBSPOT_WEBHOOK_SECRET/);
  });
});
