/**
 * A complete sync setup for integration tests: both simulators on free ports, a private key root on
 * the test Redis, the shipped mappings, and a SyncContext wired exactly as the worker wires it.
 */
import { loadMappings } from '../../src/config/mapping/load.js';
import type { MappingSet } from '../../src/config/mapping/mapping-set.js';
import type { BudgetLimits } from '../../src/providers/budget/api-budget.js';
import { startHubSpotSandbox, type HubSpotSandbox, type HubSpotSandboxOptions } from '../../src/sandbox/hubspot/index.js';
import { startSalesforceSandbox, type SalesforceSandbox, type SalesforceSandboxOptions } from '../../src/sandbox/salesforce/index.js';
import { ensureHubSpotSchema } from '../../src/worker/setup/hubspot-schema.js';
import { picklistsFor } from '../../src/worker/setup/salesforce-picklists.js';
import { directSyncContext } from '../../src/worker/sync/direct-context.js';
import type { SyncContext } from '../../src/worker/sync/sync-context.js';
import { SHIPPED_MAPPINGS } from './mappings.js';
import { useRedis, type RedisTestContext } from './redis.js';

export interface SyncHarness {
  hubspot: HubSpotSandbox;
  salesforce: SalesforceSandbox;
  redis: RedisTestContext;
  mappings: MappingSet;
  ctx: SyncContext;
  /** A second context on the same connection (another worker process). */
  newContext(): SyncContext;
  close(): Promise<void>;
}

export interface HarnessOptions {
  hubspot?: HubSpotSandboxOptions;
  salesforce?: SalesforceSandboxOptions;
  limits?: Partial<BudgetLimits>;
  bulkThreshold?: number;
  connectionId?: string;
  /** revloop's clock (pause and resume times); the simulators take theirs in their own options. */
  now?: () => number;
}

export async function startSyncHarness(options: HarnessOptions = {}): Promise<SyncHarness> {
  const [hubspot, salesforce, redis, loaded] = await Promise.all([
    startHubSpotSandbox({ rateLimits: { enabled: false }, ...options.hubspot }),
    startSalesforceSandbox({ dailyApiLimit: 10_000_000, ...options.salesforce }),
    useRedis('sync'),
    loadMappings(SHIPPED_MAPPINGS),
  ]);
  if (!loaded.set) throw new Error('shipped mappings invalid');
  const mappings = loaded.set;
  const connectionId = options.connectionId ?? 'test';
  const newContext = () =>
    directSyncContext({
      connectionId,
      root: redis.root,
      redis: redis.redis,
      mappings,
      hubspot: { baseUrl: hubspot.baseUrl, accessToken: hubspot.accessToken, appId: hubspot.privateAppId },
      salesforce: { instanceUrl: salesforce.instanceUrl, accessToken: salesforce.accessToken, version: salesforce.version },
      limits: { hubspotTenSecond: 100_000, hubspotSearchPerSecond: 1000, ...options.limits },
      ...(options.bulkThreshold ? { bulkThreshold: options.bulkThreshold } : {}),
      ...(options.now ? { now: options.now } : {}),
    });
  const ctx = newContext();
  await ensureHubSpotSchema(ctx.hubspotApi, mappings, (missing) => picklistsFor(ctx.salesforceApi, mappings, missing));
  return {
    hubspot,
    salesforce,
    redis,
    mappings,
    ctx,
    newContext,
    async close() {
      await Promise.allSettled([hubspot.close(), salesforce.close()]);
      await redis.cleanup();
    },
  };
}
