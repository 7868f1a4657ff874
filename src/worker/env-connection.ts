/**
 * A server-to-server deployment (HubSpot private app + Salesforce JWT bearer) configured entirely in
 * the environment: its connection, "default", is registered at start-up from the variables.
 */
import type { Env } from '../config/env.js';
import type { ConnectionStore } from '../state/connection-store.js';

export const ENV_CONNECTION_ID = 'default';

export async function registerEnvConnection(store: ConnectionStore, env: Env): Promise<boolean> {
  if (env.HUBSPOT_AUTH_MODE !== 'private-app' || env.SALESFORCE_AUTH_MODE !== 'jwt' || !env.HUBSPOT_PRIVATE_APP_TOKEN || !env.SALESFORCE_JWT_USERNAME) return false;
  const existing = await store.get(ENV_CONNECTION_ID);
  await store.put(
    {
      id: ENV_CONNECTION_ID,
      label: 'from the environment',
      // The portal and app let webhooks reach this connection and its own writes be told apart.
      hubspot: { baseUrl: env.HUBSPOT_BASE_URL, ...(env.HUBSPOT_PORTAL_ID ? { portalId: env.HUBSPOT_PORTAL_ID } : {}), ...(env.HUBSPOT_APP_ID ? { appId: env.HUBSPOT_APP_ID } : {}) },
      salesforce: { instanceUrl: env.SALESFORCE_INSTANCE_URL ?? env.SALESFORCE_LOGIN_URL, loginUrl: env.SALESFORCE_LOGIN_URL, version: env.SALESFORCE_API_VERSION },
      ...(existing ? { createdAt: existing.connection.createdAt } : {}),
    },
    {
      hubspot: { kind: 'private-app', token: env.HUBSPOT_PRIVATE_APP_TOKEN, ...(env.HUBSPOT_WEBHOOK_SECRET ? { webhookSecret: env.HUBSPOT_WEBHOOK_SECRET } : {}) },
      salesforce: { kind: 'jwt', username: env.SALESFORCE_JWT_USERNAME, ...(existing?.secrets.salesforce.kind === 'jwt' && existing.secrets.salesforce.accessToken ? { accessToken: existing.secrets.salesforce.accessToken } : {}) },
    },
  );
  return true;
}
