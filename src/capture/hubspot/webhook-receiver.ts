/**
 * Receives a HubSpot webhook delivery: authenticates it first (signature v3 in constant time, within
 * five minutes, never the same signed request twice), then parses it, keeps each portal's events to
 * its own connection (a delivery signed with one connection's secret can never touch another's data),
 * drops events already seen and revloop's own echoes, and turns the rest into change signals (ids
 * only) and deletion/merge jobs. Answers fast: no API call happens here.
 */
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../../platform/logger.js';
import { Keyspace, deploymentKey } from '../../platform/redis.js';
import type { Connection, ConnectionStore } from '../../state/connection-store.js';
import { hubspotActor, ProvenanceStore } from '../../state/provenance-store.js';
import { JOBS } from '../../worker/queues.js';
import { signal } from '../../worker/signals.js';
import { checkV3, MAX_AGE_MS } from './webhook-signature.js';
import { actionOf, webhookBodySchema, type WebhookEvent } from './webhook-events.js';

export interface WebhookReceiverDeps {
  redis: Redis;
  connections: ConnectionStore;
  syncQueue: Queue;
  root: string;
  /** The OAuth app's client secret (signs webhooks of every portal that installed it). */
  appSecret?: string | undefined;
  /** The OAuth app's id: its INTEGRATION events are revloop's own writes. */
  appId?: number | undefined;
  windowMs: number;
  logger: Logger;
  now?: () => number;
}

export interface WebhookRequest {
  method: string;
  url: string;
  body: Buffer;
  signature: string | undefined;
  timestamp: string | undefined;
}

export interface WebhookResponse {
  status: number;
  body: Record<string, unknown>;
}

const EVENT_TTL_S = 3 * 86_400;
const CACHE_MS = 30_000;

interface Tenant {
  connection: Connection;
  secret: string | undefined;
}

export class HubSpotWebhookReceiver {
  private tenants: { at: number; list: Tenant[] } | undefined;

  constructor(private readonly deps: WebhookReceiverDeps) {}

  private async tenantList(): Promise<Tenant[]> {
    const now = Date.now();
    if (this.tenants && now - this.tenants.at < CACHE_MS) return this.tenants.list;
    const list: Tenant[] = [];
    for (const connection of await this.deps.connections.list()) {
      const found = await this.deps.connections.get(connection.id);
      const own = found?.secrets.hubspot.kind === 'private-app' ? found.secrets.hubspot.webhookSecret : undefined;
      list.push({ connection, secret: own ?? this.deps.appSecret });
    }
    this.tenants = { at: now, list };
    return list;
  }

  /** Drops the cached connection list (after an install or a removal). */
  refresh(): void {
    this.tenants = undefined;
  }

  async receive(request: WebhookRequest): Promise<WebhookResponse> {
    const now = (this.deps.now ?? Date.now)();
    const refuse = (status: number, error: string, message: string): WebhookResponse => {
      this.deps.logger.warn({ status, error }, `webhook refused: ${message}`);
      return { status, body: { error, message } };
    };
    const body = request.body.toString('utf8');
    const tenants = await this.tenantList();
    const secrets = [...new Set(tenants.map((t) => t.secret).filter((s): s is string => s !== undefined))];
    // Before the first install (or with none left) there is no secret to check a delivery against: said
    // as such, so the log of an install in progress does not read like a forged request.
    if (secrets.length === 0) return refuse(401, 'NO_CONNECTION', 'no installed connection has a webhook secret to check it against (install one first)');
    let secret: string | undefined;
    let stale = false;
    for (const candidate of secrets) {
      const check = checkV3({ secret: candidate, method: request.method, url: request.url, body, signature: request.signature, timestamp: request.timestamp, now });
      if (check.ok) {
        secret = candidate;
        break;
      }
      if (check.reason === 'stale') stale = true;
      if (check.reason === 'missing') return refuse(401, 'SIGNATURE_MISSING', 'X-HubSpot-Signature-v3 and X-HubSpot-Request-Timestamp are required');
    }
    if (stale) return refuse(401, 'STALE_TIMESTAMP', `the request timestamp is more than ${MAX_AGE_MS / 60_000} minutes off`);
    if (!secret) return refuse(401, 'BAD_SIGNATURE', 'the signature does not match');

    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return refuse(400, 'MALFORMED_JSON', 'the body is not JSON');
    }
    const events = webhookBodySchema.safeParse(parsed);
    if (!events.success) {
      const first = events.error.issues[0];
      return refuse(400, 'INVALID_EVENTS', `the body is not a list of HubSpot events (${first ? `${first.path.join('.')}: ${first.message}` : 'invalid'})`);
    }
    // Every portal in the delivery must belong to a connection whose secret signed it; checked for all
    // of them before anything is stored, so a refused delivery leaves nothing behind.
    const byPortal = new Map<string, WebhookEvent[]>();
    for (const e of events.data) byPortal.set(e.portalId, [...(byPortal.get(e.portalId) ?? []), e]);
    const counts = { received: events.data.length, signalled: 0, echoes: 0, duplicates: 0, ignored: 0, jobs: 0 };
    const owned: Array<{ tenant: Tenant; events: WebhookEvent[] }> = [];
    const unknown: Array<{ portalId: string; events: number }> = [];
    for (const [portalId, portalEvents] of byPortal) {
      const tenant = tenants.find((t) => String(t.connection.hubspot.portalId) === portalId);
      if (!tenant) unknown.push({ portalId, events: portalEvents.length });
      else if (tenant.secret !== secret) return refuse(401, 'WRONG_TENANT', `portal ${portalId} belongs to a connection whose secret did not sign this request`);
      else owned.push({ tenant, events: portalEvents });
    }
    // A signed request is accepted once: a captured delivery replayed within the five minutes is refused.
    const replayKey = deploymentKey(this.deps.root, 'webhook-signature', request.signature as string);
    if ((await this.deps.redis.set(replayKey, '1', 'PX', 2 * MAX_AGE_MS, 'NX')) !== 'OK') {
      return refuse(401, 'REPLAYED', 'this signed request was already received');
    }
    for (const u of unknown) {
      counts.ignored += u.events;
      this.deps.logger.info({ portalId: u.portalId, events: u.events }, 'webhook events for a portal with no connection ignored');
    }
    for (const { tenant, events: portalEvents } of owned) await this.process(tenant.connection, portalEvents, counts);
    return { status: 200, body: counts };
  }

  private async process(connection: Connection, events: WebhookEvent[], counts: Record<string, number>): Promise<void> {
    const { redis } = this.deps;
    const keys = new Keyspace(connection.id, this.deps.root);
    const own = new Set<string>([connection.hubspot.appId, this.deps.appId].filter((v): v is number => v !== undefined).map(String));
    // Events seen before (HubSpot retries a delivery when an answer is lost) are not signalled again.
    const fresh = await redis.pipeline(events.map((e) => ['set', keys.key('seen-event', e.eventId), '1', 'EX', String(EVENT_TTL_S), 'NX'])).exec();
    const claimed = events.filter((_, i) => fresh?.[i]?.[1] === 'OK').map((e) => keys.key('seen-event', e.eventId));
    try {
      const provenance = new ProvenanceStore(redis, keys);
      const signals = new Map<string, Set<string>>();
      const changes: Array<{ id: string; field: string; value: string | null; at: number; actor: string; source: string }> = [];
      for (const [i, event] of events.entries()) {
        if (fresh?.[i]?.[1] !== 'OK') {
          counts.duplicates = (counts.duplicates ?? 0) + 1;
          continue;
        }
        const action = actionOf(event, own);
        switch (action.kind) {
          case 'echo':
            counts.echoes = (counts.echoes ?? 0) + 1;
            break;
          case 'ignored':
            counts.ignored = (counts.ignored ?? 0) + 1;
            break;
          case 'change': {
            const set = signals.get(action.pair) ?? new Set<string>();
            for (const id of action.ids) set.add(id);
            signals.set(action.pair, set);
            if (action.property) changes.push({ id: action.ids[0] as string, field: action.property.name, value: action.property.value, at: action.property.at, actor: hubspotActor(action.property.source), source: `hubspot:${action.property.source}${event.sourceId ? `:${event.sourceId}` : ''}` });
            counts.signalled = (counts.signalled ?? 0) + 1;
            break;
          }
          case 'delete':
          case 'merge':
            await this.deps.syncQueue.add(JOBS.hubspotEvent, { connectionId: connection.id, event: action }, { jobId: `hs-event-${connection.id}-${event.eventId}` });
            counts.jobs = (counts.jobs ?? 0) + 1;
            break;
        }
      }
      await provenance.record('hubspot', changes);
      for (const [pair, ids] of signals) {
        await signal(redis, this.deps.syncQueue, keys, pair as 'contacts' | 'companies', 'hubspot', [...ids], { windowMs: this.deps.windowMs }, (this.deps.now ?? Date.now)());
      }
    } catch (err) {
      // Not handled after all: HubSpot's retry of these events must not be taken for a duplicate.
      if (claimed.length > 0) await redis.del(...claimed).catch(() => undefined);
      throw err;
    }
  }
}
