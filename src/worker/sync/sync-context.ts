/** Everything a sync job of one connection needs: its mappings, API gateways and Redis stores. */
import type { Redis } from 'ioredis';
import type { MappingSet } from '../../config/mapping/mapping-set.js';
import type { OwnerDirectory } from '../../core/sync/transforms.js';
import type { Logger } from '../../platform/logger.js';
import { Keyspace } from '../../platform/redis.js';
import type { ApiBudget } from '../../providers/budget/api-budget.js';
import type { HubSpotApi } from '../../providers/hubspot/hubspot-api.js';
import { HubSpotObjects } from '../../providers/hubspot/hubspot-objects.js';
import type { SalesforceApi } from '../../providers/salesforce/salesforce-api.js';
import { SalesforceRecords } from '../../providers/salesforce/salesforce-records.js';
import { AuditLog } from '../../state/audit-log.js';
import { Checkpoints } from '../../state/checkpoints.js';
import { ConnectionState } from '../../state/connection-state.js';
import { DeadLetters } from '../../state/dead-letters.js';
import { LedgerStore } from '../../state/ledger-store.js';
import { LinkStore } from '../../state/link-store.js';
import { ProvenanceStore } from '../../state/provenance-store.js';

export interface SyncContext {
  connectionId: string;
  keys: Keyspace;
  redis: Redis;
  mappings: MappingSet;
  budget: ApiBudget;
  hubspotApi: HubSpotApi;
  salesforceApi: SalesforceApi;
  contacts: HubSpotObjects;
  companies: HubSpotObjects;
  salesforce: SalesforceRecords;
  links: LinkStore;
  ledger: LedgerStore;
  deadLetters: DeadLetters;
  state: ConnectionState;
  checkpoints: Checkpoints;
  provenance: ProvenanceStore;
  audit: AuditLog;
  logger: Logger;
  /** Salesforce writes above this many records go through Bulk API 2.0. */
  bulkThreshold: number;
  /** HubSpot's sourceId of revloop's own writes (its app ids): history entries they made are revloop's, not a person's. */
  ownHubSpotSources: ReadonlySet<string>;
  now(): number;
  /** Owner ids on both sides matched by email; loaded lazily and cached. */
  owners(): Promise<OwnerDirectory>;
}

export interface SyncContextParts {
  connectionId: string;
  root?: string;
  redis: Redis;
  mappings: MappingSet;
  budget: ApiBudget;
  hubspotApi: HubSpotApi;
  salesforceApi: SalesforceApi;
  logger: Logger;
  bulkThreshold?: number;
  /** The HubSpot app(s) revloop writes with on this connection. */
  hubspotAppIds?: ReadonlyArray<number | undefined>;
  now?: () => number;
  owners?: () => Promise<OwnerDirectory>;
}

export function createSyncContext(parts: SyncContextParts): SyncContext {
  const keys = new Keyspace(parts.connectionId, parts.root);
  const salesforce = new SalesforceRecords(parts.salesforceApi);
  return {
    connectionId: parts.connectionId,
    keys,
    redis: parts.redis,
    mappings: parts.mappings,
    budget: parts.budget,
    hubspotApi: parts.hubspotApi,
    salesforceApi: parts.salesforceApi,
    contacts: new HubSpotObjects(parts.hubspotApi, 'contacts'),
    companies: new HubSpotObjects(parts.hubspotApi, 'companies'),
    salesforce,
    links: new LinkStore(parts.redis, keys),
    ledger: new LedgerStore(parts.redis, keys),
    deadLetters: new DeadLetters(parts.redis, keys),
    state: new ConnectionState(parts.redis, keys),
    checkpoints: new Checkpoints(parts.redis, keys),
    provenance: new ProvenanceStore(parts.redis, keys),
    audit: new AuditLog(parts.redis, keys),
    logger: parts.logger.child({ connection: parts.connectionId }),
    bulkThreshold: parts.bulkThreshold ?? 10_000,
    ownHubSpotSources: new Set((parts.hubspotAppIds ?? []).filter((id): id is number => id !== undefined).map(String)),
    now: parts.now ?? Date.now,
    owners: parts.owners ?? (async () => ({ hubspotToSalesforce: new Map(), salesforceToHubSpot: new Map() })),
  };
}
