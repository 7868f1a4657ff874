/**
 * The record timeline of one person: both systems' ids, where they stand in the lifecycle and every
 * stage transition, who last wrote each synced field (provenance, both sides), the sync events the
 * audit log holds for either record, and any parked error. Found by a HubSpot id, a Salesforce id,
 * or an email address (one HubSpot read).
 */
import { RevloopError } from '../../platform/errors.js';
import { DeadLetters, type ParkedRecord } from '../../state/dead-letters.js';
import { LifecycleStore, type StoredLifecycle, type TransitionEvent } from '../../state/lifecycle-store.js';
import type { Provenance } from '../../state/provenance-store.js';
import type { AuditEntry } from '../../state/audit-log.js';
import type { SyncContext } from '../../worker/sync/sync-context.js';
import { explain } from '../dead-letters/explain.js';

/** Transitions scanned, newest first, for one person's history. */
const TRANSITION_SCAN = 50_000;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const SALESFORCE_ID = /^[A-Za-z0-9]{15}([A-Za-z0-9]{3})?$/;

export interface RecordTimeline {
  query: string;
  hubspotId: string | undefined;
  salesforce: { object: string; id: string } | undefined;
  stage: { current: string | undefined; enteredAt: Record<string, number>; sla?: StoredLifecycle['clock'] } | undefined;
  transitions: Array<TransitionEvent & { id: string }>;
  provenance: { hubspot: Record<string, Provenance>; salesforce: Record<string, Provenance> };
  events: AuditEntry[];
  errors: Array<ParkedRecord & { id: string; fix: string }>;
}

async function resolve(ctx: SyncContext, query: string): Promise<{ hubspotId: string | undefined; salesforce: { object: string; id: string } | undefined }> {
  const q = query.trim();
  if (/^\d+$/.test(q)) {
    const sf = (await ctx.links.byHubSpot('contacts', [q])).get(q);
    return { hubspotId: q, salesforce: sf };
  }
  if (SALESFORCE_ID.test(q)) {
    const hubspotId = (await ctx.links.bySalesforce('contacts', [q])).get(q);
    const sf = hubspotId ? (await ctx.links.byHubSpot('contacts', [hubspotId])).get(hubspotId) : undefined;
    return { hubspotId, salesforce: sf ?? { object: q.startsWith('003') ? 'Contact' : 'Lead', id: q } };
  }
  if (EMAIL.test(q)) {
    const found = (await ctx.contacts.read([q.toLowerCase()], ['email'], { idProperty: 'email' })).get(q.toLowerCase());
    if (!found) return { hubspotId: undefined, salesforce: undefined };
    return resolve(ctx, found.id);
  }
  throw new RevloopError('BAD_REQUEST', `"${query}" is neither a HubSpot id (digits), a Salesforce id (15 or 18 characters) nor an email address`);
}

export async function recordTimeline(ctx: SyncContext, query: string): Promise<RecordTimeline> {
  const { hubspotId, salesforce } = await resolve(ctx, query);
  if (!hubspotId && !salesforce) throw new RevloopError('NOT_FOUND', `no person matches "${query}" in connection ${ctx.connectionId}`);
  const lifecycle = new LifecycleStore(ctx.redis, ctx.keys);
  const state = hubspotId ? (await lifecycle.get([hubspotId])).get(hubspotId) : undefined;

  const transitions: Array<TransitionEvent & { id: string }> = [];
  if (hubspotId || salesforce) {
    const raw = await ctx.redis.xrevrange(lifecycle.transitionsKey, '+', '-', 'COUNT', TRANSITION_SCAN);
    for (const [id, fields] of raw) {
      const m: Record<string, string> = {};
      for (let i = 0; i < fields.length; i += 2) m[fields[i] as string] = fields[i + 1] as string;
      if (m.person !== hubspotId && (!salesforce || m.salesforce !== salesforce.id)) continue;
      transitions.push({ id, person: m.person ?? '', salesforceId: m.salesforce, from: m.from, to: m.to ?? '', at: Number(m.at), cause: m.cause ?? '', actor: m.actor ?? '', criterion: m.criterion, reason: m.reason, segment: m.segment });
    }
    transitions.reverse();
  }

  const records = [...(hubspotId ? [`hubspot:contacts:${hubspotId}`] : []), ...(salesforce ? [`salesforce:${salesforce.object}:${salesforce.id}`] : [])];
  const events: AuditEntry[] = [];
  for (const record of records) events.push(...(await ctx.audit.recent(100, record)));
  const seen = new Set<string>();
  const uniqueEvents = events.filter((e) => {
    const k = `${e.at}|${e.action}|${e.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  }).sort((a, b) => a.at - b.at);

  const dlq = new DeadLetters(ctx.redis, ctx.keys);
  const errors: RecordTimeline['errors'] = [];
  for (const side of ['hubspot', 'salesforce'] as const) {
    const candidates = [
      ...(hubspotId ? [`hubspot:contacts:${hubspotId}`, `salesforce:${salesforce?.object ?? 'Lead'}:(from ${hubspotId})`] : []),
      ...(salesforce ? [`salesforce:${salesforce.object}:${salesforce.id}`, `hubspot:contacts:(from ${salesforce.id})`] : []),
    ];
    for (const record of candidates) {
      const id = DeadLetters.entryId({ pair: 'contacts', side, record });
      const entry = await dlq.get(id);
      if (entry) errors.push({ ...entry, id, fix: explain(entry).fix });
    }
  }

  return {
    query,
    hubspotId,
    salesforce,
    stage: state ? { current: state.stage, enteredAt: state.enteredAt, ...(state.clock ? { sla: state.clock } : {}) } : undefined,
    transitions,
    provenance: {
      hubspot: hubspotId ? await ctx.provenance.get('hubspot', hubspotId) : {},
      salesforce: salesforce ? await ctx.provenance.get('salesforce', salesforce.id) : {},
    },
    events: uniqueEvents,
    errors,
  };
}
