/**
 * Opportunity and contact-role changes, coalesced over the batch window: a flush looks up, for up to
 * 2,000 changed records at once, the people they concern (the contact roles, including deleted ones
 * through queryAll, and the account's contacts for the fallback), then signals those people for a
 * sync (lifecycle stage and outcome roll-ups) and the opportunities for the deal mirror. A few
 * queries per flush instead of a few per change.
 */
import type { Queue } from 'bullmq';
import type { SalesforceRecord } from '../../providers/salesforce/salesforce-records.js';
import { select, where } from '../../providers/salesforce/soql.js';
import { JOBS, type OpportunityChangesJob } from '../queues.js';
import { addPending, donePending, signal, takePending } from '../signals.js';
import type { SyncContext } from '../sync/sync-context.js';
import { signalDeals } from './deal-mirror.js';

const PENDING = 'opportunity-changes';
const FLUSH_LIMIT = 2000;
const IN_CHUNK = 200;
const SALESFORCE_ID = /^[A-Za-z0-9]{15,18}$/;

export type OpportunityObject = 'Opportunity' | 'OpportunityContactRole';

export async function signalOpportunityChanges(ctx: SyncContext, queue: Queue, object: OpportunityObject, ids: readonly string[], windowMs: number): Promise<void> {
  const valid = ids.filter((id) => SALESFORCE_ID.test(id));
  if (valid.length === 0) return;
  await addPending(ctx.redis, ctx.keys, PENDING, valid.map((id) => `${object}:${id}`), ctx.now());
  await scheduleChanges(ctx, queue, windowMs);
}

async function scheduleChanges(ctx: SyncContext, queue: Queue, windowMs: number): Promise<void> {
  const data: OpportunityChangesJob = { connectionId: ctx.connectionId };
  await queue.add(JOBS.opportunityChanges, data, { delay: windowMs, deduplication: { id: `opportunity-changes:${ctx.connectionId}`, ttl: Math.max(1, windowMs) }, attempts: 20, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: true });
}

/**
 * The Contacts these opportunity records concern: those with a contact role on the opportunities
 * (deleted roles too) and, for the fallback, the contacts of their accounts; and the opportunities.
 */
export async function affectedByOpportunities(ctx: SyncContext, changes: ReadonlyArray<{ object: OpportunityObject; id: string }>): Promise<{ people: string[]; opportunities: string[] }> {
  const people = new Set<string>();
  const opportunities = new Set(changes.filter((c) => c.object === 'Opportunity').map((c) => c.id));
  const roleIds = changes.filter((c) => c.object === 'OpportunityContactRole').map((c) => c.id);
  const query = async (soql: (chunk: string[]) => string, values: readonly string[]) => {
    const out: SalesforceRecord[] = [];
    for (let i = 0; i < values.length; i += IN_CHUNK) {
      for await (const page of ctx.salesforce.query(soql(values.slice(i, i + IN_CHUNK)), 'live', true)) out.push(...page);
    }
    return out;
  };
  const roleFields = ['Id', 'ContactId', 'OpportunityId'];
  for (const r of await query((chunk) => select(roleFields, 'OpportunityContactRole', { where: where.in('Id', chunk) }), roleIds)) {
    if (typeof r.ContactId === 'string') people.add(r.ContactId);
    // Everyone else on the opportunity too: a role added or removed moves it to or from the account's fallback person.
    if (typeof r.OpportunityId === 'string') opportunities.add(r.OpportunityId);
  }
  const opportunityIds = [...opportunities];
  if (opportunityIds.length === 0) return { people: [...people], opportunities: [] };
  for (const r of await query((chunk) => select(roleFields, 'OpportunityContactRole', { where: where.in('OpportunityId', chunk) }), opportunityIds)) {
    if (typeof r.ContactId === 'string') people.add(r.ContactId);
  }
  if (ctx.mappings.opportunities.people.fallback !== 'none') {
    const accounts = new Set<string>();
    for (const o of await query((chunk) => select(['Id', 'AccountId'], 'Opportunity', { where: where.in('Id', chunk) }), opportunityIds)) if (typeof o.AccountId === 'string') accounts.add(o.AccountId);
    if (accounts.size > 0) for (const c of await ctx.salesforce.findIn('Contact', ['Id'], 'AccountId', [...accounts])) people.add(c.Id);
  }
  return { people: [...people], opportunities: opportunityIds };
}

/** Works through the pending changes (a partial remainder waits one more window); returns what it signalled. */
export async function flushOpportunityChanges(ctx: SyncContext, queue: Queue, windowMs: number): Promise<{ changes: number; people: number; opportunities: number }> {
  const total = { changes: 0, people: 0, opportunities: 0 };
  for (let round = 0; ; round++) {
    const taken = await takePending(ctx.redis, ctx.keys, PENDING, FLUSH_LIMIT);
    if (taken.length === 0) return total;
    if (round > 0 && taken.length < FLUSH_LIMIT) {
      await scheduleChanges(ctx, queue, windowMs);
      return total;
    }
    const changes = taken.map((t) => {
      const sep = t.id.indexOf(':');
      return { object: t.id.slice(0, sep) as OpportunityObject, id: t.id.slice(sep + 1) };
    });
    const { people, opportunities } = await affectedByOpportunities(ctx, changes);
    await signal(ctx.redis, queue, ctx.keys, 'contacts', 'salesforce', people, { windowMs }, ctx.now());
    if (ctx.mappings.opportunities.deals.mirror) await signalDeals(ctx, queue, opportunities, windowMs);
    await donePending(ctx.redis, ctx.keys, PENDING, taken);
    total.changes += taken.length;
    total.people += people.length;
    total.opportunities += opportunities.length;
  }
}
