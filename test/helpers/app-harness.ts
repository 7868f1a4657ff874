/**
 * revloop's server and worker in the test process (the local stack) with the admin API's tokens,
 * against both simulators, on a private key root of the test Redis. One connection is stored as an
 * install stores it; HubSpot's webhooks point at the server.
 */
import type { Logger } from '../../src/platform/logger.js';
import { sandboxEndpoints, startLocalStack, type LocalStack } from '../../src/local/local-stack.js';
import { startHubSpotSandbox, type HubSpotSandbox, type HubSpotSandboxOptions } from '../../src/sandbox/hubspot/index.js';
import { startSalesforceSandbox, type SalesforceSandbox, type SalesforceSandboxOptions } from '../../src/sandbox/salesforce/index.js';
import type { OAuthApps } from '../../src/server/server-deps.js';
import { SHIPPED_MAPPINGS } from './mappings.js';
import { useRedis, type RedisTestContext } from './redis.js';

export const ADMIN_TOKEN = 'admin-token-of-the-tests-0123456789';
export const READONLY_TOKEN = 'readonly-token-of-the-tests-0123456789';

export const SUBSCRIPTIONS = ['contact', 'company'].flatMap((o) => ['creation', 'propertyChange', 'deletion', 'merge', 'restore', 'associationChange'].map((e) => ({ subscriptionType: `${o}.${e}` })));

export interface AppHarness {
  hubspot: HubSpotSandbox;
  salesforce: SalesforceSandbox;
  redis: RedisTestContext;
  stack: LocalStack;
  url: string;
  connectionId: string;
  until(what: string, probe: () => boolean | Promise<boolean>, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface AppHarnessOptions {
  connectionId?: string;
  hubspot?: HubSpotSandboxOptions;
  salesforce?: SalesforceSandboxOptions;
  rateLimits?: { enabled: boolean; perMinute?: number };
  trustProxy?: number | string[];
  logger?: Logger;
  /** OAuth apps for the install flows, from the started simulators. */
  apps?: (hubspot: HubSpotSandbox, salesforce: SalesforceSandbox) => OAuthApps;
  encryptionKey?: Buffer;
}

export async function until(what: string, probe: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startAppHarness(options: AppHarnessOptions = {}): Promise<AppHarness> {
  const [hubspot, salesforce, redis] = await Promise.all([
    startHubSpotSandbox({ rateLimits: { enabled: false }, ...options.hubspot }),
    startSalesforceSandbox({ dailyApiLimit: 10_000_000, ...options.salesforce }),
    useRedis('app'),
  ]);
  const connectionId = options.connectionId ?? 'main';
  const stack = await startLocalStack({
    redisUrl: redis.url,
    root: redis.root,
    connectionId,
    ...sandboxEndpoints(hubspot, salesforce),
    mappingsDir: SHIPPED_MAPPINGS,
    windowMs: 100,
    sweepEveryMs: 3_600_000,
    concurrency: 4,
    limits: { hubspotTenSecond: 100_000 },
    adminToken: ADMIN_TOKEN,
    readonlyToken: READONLY_TOKEN,
    ...(options.rateLimits ? { rateLimits: options.rateLimits } : {}),
    ...(options.trustProxy !== undefined ? { trustProxy: options.trustProxy } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.apps ? { apps: options.apps(hubspot, salesforce) } : {}),
    ...(options.encryptionKey ? { encryptionKey: options.encryptionKey } : {}),
  });
  hubspot.webhooks.configure({ targetUrl: stack.webhookUrl, subscriptions: SUBSCRIPTIONS, batchWindowMs: 20 });
  await until('the change listener', () => (salesforce.cdc?.stats().subscriptions['/data/ChangeEvents'] ?? 0) > 0);
  return {
    hubspot,
    salesforce,
    redis,
    stack,
    url: stack.serverUrl,
    connectionId,
    until,
    async close() {
      await stack.syncQueue.obliterate({ force: true }).catch(() => undefined);
      await stack.listenQueue.obliterate({ force: true }).catch(() => undefined);
      await stack.stop();
      await Promise.allSettled([hubspot.close(), salesforce.close()]);
      await redis.cleanup();
    },
  };
}
