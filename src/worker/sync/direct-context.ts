/**
 * A sync context wired straight to a HubSpot portal and a Salesforce org with given tokens (a private
 * app token and a session): used by the benchmarks, the tests and tools that run one connection
 * in-process, exactly as the worker wires a stored connection.
 */
import type { Redis } from 'ioredis';
import type { MappingSet } from '../../config/mapping/mapping-set.js';
import { silentLogger, type Logger } from '../../platform/logger.js';
import { Keyspace } from '../../platform/redis.js';
import { ApiBudget, type BudgetLimits } from '../../providers/budget/api-budget.js';
import { HubSpotApi, staticHubSpotAuth } from '../../providers/hubspot/hubspot-api.js';
import { SalesforceApi } from '../../providers/salesforce/salesforce-api.js';
import { createSyncContext, type SyncContext } from './sync-context.js';

export interface DirectConnection {
  connectionId: string;
  root: string;
  redis: Redis;
  mappings: MappingSet;
  /** `appId`: the app the token belongs to (its writes are revloop's own in property history). */
  hubspot: { baseUrl: string; accessToken: string; appId?: number };
  salesforce: { instanceUrl: string; accessToken: string; version: string };
  limits?: Partial<BudgetLimits>;
  bulkThreshold?: number;
  now?: () => number;
  logger?: Logger;
}

export function directSyncContext(c: DirectConnection): SyncContext {
  const keys = new Keyspace(c.connectionId, c.root);
  const budget = new ApiBudget(c.redis, keys.prefix, { hubspotTenSecond: 190, hubspotSearchPerSecond: 5, salesforceDailyShare: 100, ...c.limits }, 15_000, c.now);
  const hubspotApi = new HubSpotApi(c.hubspot.baseUrl, staticHubSpotAuth(c.hubspot.accessToken), budget);
  const salesforceApi = new SalesforceApi(c.salesforce, budget);
  return createSyncContext({
    connectionId: c.connectionId,
    root: c.root,
    redis: c.redis,
    mappings: c.mappings,
    budget,
    hubspotApi,
    salesforceApi,
    logger: c.logger ?? silentLogger,
    hubspotAppIds: [c.hubspot.appId],
    ...(c.bulkThreshold ? { bulkThreshold: c.bulkThreshold } : {}),
    ...(c.now ? { now: c.now } : {}),
  });
}
