/**
 * Builds and caches the sync context of each stored connection: its mappings, its API budget and
 * the two API gateways with the connection's own credentials (refreshed tokens are sealed back into
 * the store). A connection edited in the store is rebuilt on its next use.
 */
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import type { Env } from '../../config/env.js';
import { loadMappings } from '../../config/mapping/load.js';
import type { MappingSet } from '../../config/mapping/mapping-set.js';
import { RevloopError } from '../../platform/errors.js';
import type { Logger } from '../../platform/logger.js';
import { Keyspace } from '../../platform/redis.js';
import { ApiBudget } from '../../providers/budget/api-budget.js';
import { HubSpotApi, staticHubSpotAuth, type CallObserver, type HubSpotAuth } from '../../providers/hubspot/hubspot-api.js';
import { hubspotOAuthAuth } from '../../providers/hubspot/hubspot-oauth.js';
import { jwtBearerToken } from '../../providers/salesforce/jwt-bearer.js';
import { SalesforceApi, type SalesforceCallObserver, type SalesforceSession } from '../../providers/salesforce/salesforce-api.js';
import type { Connection, ConnectionSecrets, ConnectionStore } from '../../state/connection-store.js';
import type { ConnectionRegistry } from '../create-workers.js';
import { createSyncContext, type SyncContext } from '../sync/sync-context.js';
import { loadOwnerDirectory } from './owners.js';

export type RegistrySettings = Pick<
  Env,
  | 'REVLOOP_MAPPINGS_DIR'
  | 'REVLOOP_REDIS_ROOT'
  | 'HUBSPOT_CLIENT_ID'
  | 'HUBSPOT_CLIENT_SECRET'
  | 'HUBSPOT_APP_ID'
  | 'SALESFORCE_CLIENT_ID'
  | 'SALESFORCE_CLIENT_SECRET'
  | 'SALESFORCE_JWT_PRIVATE_KEY'
  | 'REVLOOP_SALESFORCE_DAILY_SHARE'
  | 'REVLOOP_HUBSPOT_TEN_SECOND_LIMIT'
  | 'REVLOOP_HUBSPOT_DAILY_LIMIT'
  | 'REVLOOP_BULK_THRESHOLD'
>;

/** Sees every API call of a connection (metrics and activity counters). */
export type ApiCallObserver = (connectionId: string) => { hubspot: CallObserver; salesforce: SalesforceCallObserver };

function privateKey(value: string | undefined): string {
  if (!value) throw new RevloopError('ENV_INVALID', 'SALESFORCE_JWT_PRIVATE_KEY is required for JWT bearer connections');
  return value.includes('-----BEGIN') ? value : readFileSync(value, 'utf8');
}

export class StoredConnectionRegistry implements ConnectionRegistry {
  private readonly cache = new Map<string, { updatedAt: number; ctx: Promise<SyncContext> }>();
  private readonly mappings = new Map<string, Promise<MappingSet>>();

  constructor(
    private readonly redis: Redis,
    private readonly store: ConnectionStore,
    private readonly settings: RegistrySettings,
    private readonly logger: Logger,
    private readonly observe?: ApiCallObserver,
  ) {}

  async get(connectionId: string): Promise<SyncContext> {
    const { connection, secrets } = await this.store.require(connectionId);
    const cached = this.cache.get(connectionId);
    if (cached && cached.updatedAt === connection.updatedAt) return cached.ctx;
    const ctx = this.build(connection, secrets);
    this.cache.set(connectionId, { updatedAt: connection.updatedAt, ctx });
    ctx.catch(() => this.cache.delete(connectionId));
    return ctx;
  }

  async ids(): Promise<string[]> {
    return (await this.store.list()).map((c) => c.id);
  }

  /** Forgets cached contexts (after a mapping change). */
  invalidate(connectionId?: string): void {
    if (connectionId) this.cache.delete(connectionId);
    else this.cache.clear();
    this.mappings.clear();
  }

  private loadMappingSet(dir: string): Promise<MappingSet> {
    let pending = this.mappings.get(dir);
    if (!pending) {
      pending = loadMappings(dir).then((result) => {
        if (!result.set) {
          const first = result.problems.find((p) => p.severity === 'error');
          throw new RevloopError('CONFIG_INVALID', `the mappings in ${dir} are invalid (${result.errors} errors; first: ${first ? `${first.file}:${first.line} ${first.message}` : '?'}); run revloop validate --dir ${dir}`);
        }
        return result.set;
      });
      pending.catch(() => this.mappings.delete(dir));
      this.mappings.set(dir, pending);
    }
    return pending;
  }

  private async build(connection: Connection, secrets: ConnectionSecrets): Promise<SyncContext> {
    const root = this.settings.REVLOOP_REDIS_ROOT;
    const keys = new Keyspace(connection.id, root);
    const mappings = await this.loadMappingSet(connection.mappingsDir ?? this.settings.REVLOOP_MAPPINGS_DIR);
    const budget = new ApiBudget(this.redis, keys.prefix, {
      // HubSpot's defaults (private apps 190 a ten seconds, OAuth apps 110) until its headers say; the settings are ceilings.
      hubspotTenSecond: this.settings.REVLOOP_HUBSPOT_TEN_SECOND_LIMIT ?? (secrets.hubspot.kind === 'private-app' ? 190 : 110),
      hubspotTenSecondCap: this.settings.REVLOOP_HUBSPOT_TEN_SECOND_LIMIT,
      hubspotSearchPerSecond: 5,
      hubspotDaily: this.settings.REVLOOP_HUBSPOT_DAILY_LIMIT,
      hubspotDailyCap: this.settings.REVLOOP_HUBSPOT_DAILY_LIMIT,
      salesforceDailyShare: this.settings.REVLOOP_SALESFORCE_DAILY_SHARE,
    });
    const observers = this.observe?.(connection.id);
    const hubspotApi = new HubSpotApi(connection.hubspot.baseUrl, this.hubspotAuth(connection, secrets), budget, observers?.hubspot);
    const salesforceApi = new SalesforceApi(this.salesforceSession(connection, secrets), budget, observers?.salesforce);
    let owners: ReturnType<typeof loadOwnerDirectory> | undefined;
    let ownersAt = 0;
    return createSyncContext({
      connectionId: connection.id,
      root,
      redis: this.redis,
      mappings,
      budget,
      hubspotApi,
      salesforceApi,
      logger: this.logger,
      bulkThreshold: this.settings.REVLOOP_BULK_THRESHOLD,
      hubspotAppIds: [connection.hubspot.appId, this.settings.HUBSPOT_APP_ID],
      owners: () => {
        if (!owners || Date.now() - ownersAt > 10 * 60_000) {
          ownersAt = Date.now();
          owners = loadOwnerDirectory(hubspotApi, salesforceApi);
          owners.catch(() => (owners = undefined));
        }
        return owners;
      },
    });
  }

  private hubspotAuth(connection: Connection, secrets: ConnectionSecrets): HubSpotAuth {
    const auth = secrets.hubspot;
    if (auth.kind === 'private-app') return staticHubSpotAuth(auth.token);
    const { HUBSPOT_CLIENT_ID: clientId, HUBSPOT_CLIENT_SECRET: clientSecret } = this.settings;
    if (!clientId || !clientSecret) throw new RevloopError('ENV_INVALID', `connection ${connection.id} uses HubSpot OAuth; HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET are required`);
    return hubspotOAuthAuth({ baseUrl: connection.hubspot.baseUrl, clientId, clientSecret }, auth, (tokens) =>
      this.store.updateSecrets(connection.id, (s) => ({ ...s, hubspot: { kind: 'oauth', ...tokens } })),
    );
  }

  private salesforceSession(connection: Connection, secrets: ConnectionSecrets): SalesforceSession {
    const auth = secrets.salesforce;
    const base = { instanceUrl: connection.salesforce.instanceUrl, version: connection.salesforce.version };
    const persist = (accessToken: string) =>
      this.store.updateSecrets(connection.id, (s) => ({ ...s, salesforce: s.salesforce.kind === 'session' ? s.salesforce : { ...s.salesforce, accessToken } }));
    switch (auth.kind) {
      case 'session':
        return { ...base, accessToken: auth.accessToken };
      case 'oauth': {
        const clientId = this.settings.SALESFORCE_CLIENT_ID;
        if (!clientId) throw new RevloopError('ENV_INVALID', `connection ${connection.id} uses Salesforce OAuth; SALESFORCE_CLIENT_ID is required`);
        return {
          ...base,
          accessToken: auth.accessToken,
          oauth: { loginUrl: connection.salesforce.loginUrl, clientId, ...(this.settings.SALESFORCE_CLIENT_SECRET ? { clientSecret: this.settings.SALESFORCE_CLIENT_SECRET } : {}), refreshToken: auth.refreshToken },
          // The refreshed token works in memory either way; a failed store (the connection removed
          // meanwhile, Redis away) is said, and the next refresh stores again.
          onToken: (t) =>
            persist(t.accessToken).catch((err: unknown) => {
              this.logger.warn({ connection: connection.id, err: err instanceof Error ? err.message : String(err) }, 'the refreshed Salesforce token could not be stored');
            }),
        };
      }
      case 'jwt': {
        const clientId = this.settings.SALESFORCE_CLIENT_ID;
        if (!clientId) throw new RevloopError('ENV_INVALID', `connection ${connection.id} uses Salesforce JWT bearer; SALESFORCE_CLIENT_ID is required`);
        const renew = async () => {
          const t = await jwtBearerToken({ loginUrl: connection.salesforce.loginUrl, clientId, username: auth.username, privateKeyPem: privateKey(this.settings.SALESFORCE_JWT_PRIVATE_KEY) });
          await persist(t.accessToken);
          return t;
        };
        return { ...base, accessToken: auth.accessToken ?? 'pending', renew };
      }
    }
  }
}
