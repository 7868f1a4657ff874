/**
 * Mirrors Salesforce opportunities as HubSpot deals when opportunities.yaml asks for it: the deals
 * of changed opportunities are upserted by the opportunity id (idempotent, so a retried job never
 * makes a second deal), associated with the people on their contact roles and the account's
 * company, and archived when the opportunity is deleted. A fingerprint per opportunity in Redis
 * keeps unchanged deals from being written again.
 */
import { DEAL_KEY_PROPERTY, dealProperties, planDeal, type DealPlan, type DealState } from '../../core/opportunities/deal-plan.js';
import type { Priority } from '../../providers/budget/api-budget.js';
import { HubSpotAssociations } from '../../providers/hubspot/hubspot-associations.js';
import { HubSpotObjects } from '../../providers/hubspot/hubspot-objects.js';
import type { SalesforceRecord } from '../../providers/salesforce/salesforce-records.js';
import { select, where } from '../../providers/salesforce/soql.js';
import type { Queue } from 'bullmq';
import { JOBS, type DealsFlushJob } from '../queues.js';
import { addPending, donePending, takePending } from '../signals.js';
import type { SyncContext } from '../sync/sync-context.js';

export interface MirrorOutcome {
  opportunities: number;
  written: number;
  unchanged: number;
  archived: number;
  parked: number;
}

const CHUNK = 200;
const PENDING = 'deals';
const FLUSH_LIMIT = 2000;

/** Opportunities whose deals need mirroring: coalesced over the batch window like record changes. */
export async function signalDeals(ctx: SyncContext, queue: Queue, opportunityIds: readonly string[], windowMs: number): Promise<void> {
  if (opportunityIds.length === 0) return;
  await addPending(ctx.redis, ctx.keys, PENDING, opportunityIds, ctx.now());
  await scheduleDeals(ctx, queue, windowMs);
}

async function scheduleDeals(ctx: SyncContext, queue: Queue, windowMs: number): Promise<void> {
  const data: DealsFlushJob = { connectionId: ctx.connectionId };
  await queue.add(JOBS.deals, data, { delay: windowMs, deduplication: { id: `deals:${ctx.connectionId}`, ttl: Math.max(1, windowMs) }, attempts: 20, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: true });
}

/** Mirrors the pending opportunities, 2,000 at a time; a partial remainder waits one more window. */
export async function flushDeals(ctx: SyncContext, queue: Queue, windowMs: number): Promise<MirrorOutcome> {
  const total: MirrorOutcome = { opportunities: 0, written: 0, unchanged: 0, archived: 0, parked: 0 };
  for (let round = 0; ; round++) {
    const taken = await takePending(ctx.redis, ctx.keys, PENDING, FLUSH_LIMIT);
    if (taken.length === 0) return total;
    if (round > 0 && taken.length < FLUSH_LIMIT) {
      await scheduleDeals(ctx, queue, windowMs);
      return total;
    }
    const outcome = await mirrorDeals(ctx, taken.map((t) => t.id));
    for (const k of Object.keys(total) as Array<keyof MirrorOutcome>) total[k] += outcome[k];
    await donePending(ctx.redis, ctx.keys, PENDING, taken);
  }
}

function stateKey(ctx: SyncContext): string {
  return ctx.keys.key('deals', 'mirror');
}

async function states(ctx: SyncContext, ids: readonly string[]): Promise<Map<string, DealState>> {
  const out = new Map<string, DealState>();
  if (ids.length === 0) return out;
  const raw = await ctx.redis.hmget(stateKey(ctx), ...ids);
  ids.forEach((id, i) => {
    const v = raw[i];
    if (v) out.set(id, JSON.parse(v) as DealState);
  });
  return out;
}

/** Mirrors these opportunities (up to any number; read and written in chunks). */
export async function mirrorDeals(ctx: SyncContext, opportunityIds: readonly string[], priority: Priority = 'live'): Promise<MirrorOutcome> {
  const outcome: MirrorOutcome = { opportunities: 0, written: 0, unchanged: 0, archived: 0, parked: 0 };
  const deals = ctx.mappings.opportunities.deals;
  if (!deals.mirror) return outcome;
  const ids = [...new Set(opportunityIds)];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const fields = [...new Set(['Id', 'StageName', 'AccountId', ...deals.fields.map((f) => f.salesforce)])];
    const records: SalesforceRecord[] = [];
    for await (const page of ctx.salesforce.query(select(fields, 'Opportunity', { where: where.in('Id', chunk), children: [{ relationship: 'OpportunityContactRoles', fields: ['ContactId'] }] }), priority)) records.push(...page);
    await mirrorRecords(ctx, records, chunk, priority, outcome);
  }
  return outcome;
}

/** Mirrors every opportunity of the org (the first mirror, or a repair), page by page. */
export async function mirrorAllDeals(ctx: SyncContext, onProgress?: (outcome: MirrorOutcome) => void): Promise<MirrorOutcome> {
  const outcome: MirrorOutcome = { opportunities: 0, written: 0, unchanged: 0, archived: 0, parked: 0 };
  const deals = ctx.mappings.opportunities.deals;
  if (!deals.mirror) return outcome;
  const fields = [...new Set(['Id', 'StageName', 'AccountId', ...deals.fields.map((f) => f.salesforce)])];
  for await (const page of ctx.salesforce.query(select(fields, 'Opportunity', { children: [{ relationship: 'OpportunityContactRoles', fields: ['ContactId'] }] }), 'backfill')) {
    await mirrorRecords(ctx, page, page.map((r) => r.Id), 'backfill', outcome);
    onProgress?.({ ...outcome });
  }
  return outcome;
}

async function mirrorRecords(ctx: SyncContext, records: readonly SalesforceRecord[], asked: readonly string[], priority: Priority, outcome: MirrorOutcome): Promise<void> {
  const deals = ctx.mappings.opportunities.deals;
  const before = await states(ctx, asked);
  const found = new Set(records.map((r) => r.Id));

  // Deleted opportunities: their deals go too.
  const gone = asked.filter((id) => !found.has(id) && before.get(id)?.dealId);
  if (gone.length > 0) {
    await new HubSpotObjects(ctx.hubspotApi, 'deals').archive(gone.map((id) => before.get(id)?.dealId as string), priority);
    await ctx.redis.hdel(stateKey(ctx), ...gone);
    outcome.archived += gone.length;
  }

  // Who and what each deal is associated with, through revloop's links.
  const contactIds = [...new Set(records.flatMap((r) => ((r.OpportunityContactRoles as { records?: Array<{ ContactId?: string | null }> } | null)?.records ?? []).map((c) => c.ContactId).filter((c): c is string => typeof c === 'string')))];
  const accountIds = [...new Set(records.map((r) => r.AccountId).filter((a): a is string => typeof a === 'string'))];
  const people = await ctx.links.bySalesforce('contacts', contactIds);
  const companies = await ctx.links.bySalesforce('companies', accountIds);

  const plans: DealPlan[] = [];
  for (const r of records) {
    outcome.opportunities += 1;
    const { properties, problems } = dealProperties(deals, r);
    if (problems.length > 0) {
      await ctx.deadLetters.park(problems.map((p) => ({ pair: 'companies' as const, side: 'hubspot' as const, record: `salesforce:Opportunity:${r.Id}`, code: 'INVALID_VALUE', message: `deal mirror: ${p.field}: ${p.message}`, fields: [p.field], salesforceId: r.Id })), ctx.now());
      outcome.parked += 1;
      continue;
    }
    const roles = ((r.OpportunityContactRoles as { records?: Array<{ ContactId?: string | null }> } | null)?.records ?? []).map((c) => (c.ContactId ? people.get(c.ContactId) : undefined)).filter((c): c is string => c !== undefined);
    const company = typeof r.AccountId === 'string' ? companies.get(r.AccountId) : undefined;
    plans.push(planDeal(r.Id, properties, roles, company, before.get(r.Id)));
  }

  const toWrite = plans.filter((p) => p.write);
  const dealIds = new Map<string, string>();
  for (const p of plans) {
    const id = before.get(p.opportunityId)?.dealId;
    if (id) dealIds.set(p.opportunityId, id);
  }
  if (toWrite.length > 0) {
    const results = await new HubSpotObjects(ctx.hubspotApi, 'deals').upsert(DEAL_KEY_PROPERTY, toWrite.map((p) => ({ value: p.opportunityId, properties: p.properties })), priority);
    for (const p of toWrite) {
      const r = results.get(p.opportunityId.toLowerCase());
      if (r?.ok) {
        dealIds.set(p.opportunityId, r.id);
        outcome.written += 1;
      } else {
        await ctx.deadLetters.park([{ pair: 'companies', side: 'hubspot', record: `salesforce:Opportunity:${p.opportunityId}`, code: r?.ok === false ? r.category : 'MISSING_RESULT', message: `deal mirror: ${r?.ok === false ? r.message : 'no result'}`, fields: [], salesforceId: p.opportunityId }], ctx.now());
        outcome.parked += 1;
      }
    }
  }
  outcome.unchanged += plans.length - toWrite.length;

  const associations = new HubSpotAssociations(ctx.hubspotApi);
  const ready = plans.filter((p) => dealIds.has(p.opportunityId));
  const pairs = (pick: (p: DealPlan) => string[]) => ready.flatMap((p) => pick(p).map((to) => ({ from: dealIds.get(p.opportunityId) as string, to })));
  const addContacts = pairs((p) => p.associate.contacts);
  const addCompanies = pairs((p) => (p.associate.company ? [p.associate.company] : []));
  const dropContacts = pairs((p) => p.dissociate.contacts);
  const dropCompanies = pairs((p) => (p.dissociate.company ? [p.dissociate.company] : []));
  if (addContacts.length > 0) await associations.associate('deals', 'contacts', addContacts, priority);
  if (addCompanies.length > 0) await associations.associate('deals', 'companies', addCompanies, priority);
  if (dropContacts.length > 0) await associations.dissociate('deals', 'contacts', dropContacts, priority);
  if (dropCompanies.length > 0) await associations.dissociate('deals', 'companies', dropCompanies, priority);

  if (ready.length > 0) {
    await ctx.redis.hset(stateKey(ctx), Object.fromEntries(ready.map((p) => [p.opportunityId, JSON.stringify({ h: p.fingerprint, contacts: p.contacts, ...(p.company ? { company: p.company } : {}), dealId: dealIds.get(p.opportunityId) } satisfies DealState)])));
  }
}
