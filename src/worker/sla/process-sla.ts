/**
 * Works through the SLA timers that are due: an MQL not accepted in time gets a Salesforce Task for
 * its owner (and a notice to REVLOOP_NOTIFY_URL when configured), then an escalation Task for the
 * owner's manager, then, if the lifecycle says so, an automatic recycle with its reason. A timer whose
 * person has moved on (accepted, recycled, re-entered) does nothing: acceptance cancels the SLA.
 */
import type { Queue } from 'bullmq';
import { Lifecycle } from '../../core/lifecycle/definition.js';
import { stillWaiting } from '../../core/lifecycle/sla.js';
import { LifecycleStore } from '../../state/lifecycle-store.js';
import type { SalesforceRecord } from '../../providers/salesforce/salesforce-records.js';
import { where } from '../../providers/salesforce/soql.js';
import { signal } from '../signals.js';
import type { SyncContext } from '../sync/sync-context.js';

export interface SlaResult {
  due: number;
  breaches: number;
  escalations: number;
  recycled: number;
  /** Auto-recycles that could not be done (a Contact has no Lead Status). */
  skipped: number;
  cancelled: number;
}

export interface SlaOptions {
  queue: Queue;
  windowMs: number;
  notifyUrl?: string | undefined;
  fetchImpl?: typeof fetch;
}

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export async function processDueSla(ctx: SyncContext, options: SlaOptions): Promise<SlaResult> {
  const lifecycle = new Lifecycle(ctx.mappings.lifecycle);
  const sla = lifecycle.file.sla;
  const store = new LifecycleStore(ctx.redis, ctx.keys);
  const now = ctx.now();
  const result: SlaResult = { due: 0, breaches: 0, escalations: 0, recycled: 0, skipped: 0, cancelled: 0 };
  if (!sla) return result;
  const due = await store.due(now);
  result.due = due.length;
  if (due.length === 0) return result;
  const states = await store.get([...new Set(due.map((t) => t.person))]);
  // The person's Salesforce record: a Lead, or a Contact (an MQL sales already knew as a Contact).
  const ids = [...new Set([...states.values()].map((s) => s.salesforceId).filter((id): id is string => typeof id === 'string'))];
  const leadIds = ids.filter((id) => id.startsWith('00Q'));
  const contactIds = ids.filter((id) => id.startsWith('003'));
  const records = new Map<string, SalesforceRecord & { object: 'Lead' | 'Contact' }>();
  if (leadIds.length > 0) for (const r of await ctx.salesforce.findIn('Lead', ['Id', 'OwnerId', 'Status', 'Name', 'Owner.ManagerId'], 'Id', leadIds)) records.set(r.Id, { ...r, object: 'Lead' });
  if (contactIds.length > 0) for (const r of await ctx.salesforce.findIn('Contact', ['Id', 'OwnerId', 'Name', 'Owner.ManagerId'], 'Id', contactIds)) records.set(r.Id, { ...r, object: 'Contact' });
  const task = sla.on_breach.task;
  const escalationSubject = task ? `Escalation: ${task.subject}` : undefined;
  // Tasks already created for these people (a retry after a crash between the Task and the timer's
  // removal must not create a second one).
  const existing = new Set<string>();
  if (task && records.size > 0) {
    const since = Math.min(...due.map((t) => t.startedAt));
    const found = await ctx.salesforce.findIn('Task', ['Id', 'WhoId', 'Subject', 'CreatedDate'], 'WhoId', [...records.keys()], where.and(where.in('Subject', [task.subject, escalationSubject as string]), where.gte('CreatedDate', new Date(since))));
    for (const t of found) existing.add(`${String(t.WhoId)}|${String(t.Subject)}|${Date.parse(String(t.CreatedDate).replace(/([+-]\d{2})(\d{2})$/, '$1:$2'))}`);
  }
  const already = (who: string, subject: string, since: number) => [...existing].some((k) => {
    const [w, s, at] = k.split('|');
    return w === who && s === subject && Number(at) >= since;
  });
  for (const timer of due) {
    const state = states.get(timer.person);
    const clock = state?.clock;
    if (!state || !clock || clock.startedAt !== timer.startedAt || !stillWaiting(lifecycle, state.stage, state.enteredAt[sla.starts_at], clock)) {
      await store.done(timer.member);
      result.cancelled += 1;
      continue;
    }
    const record = state.salesforceId ? records.get(state.salesforceId) : undefined;
    const owner = record?.OwnerId as string | undefined;
    const refs = [`hubspot:contacts:${timer.person}`, ...(record ? [`salesforce:${record.object}:${record.Id}`] : [])];
    const hoursLate = Math.round((now - clock.acceptBy) / 3_600_000);
    if (timer.phase === 'breach') {
      if (task && record && owner && !already(record.Id, task.subject, clock.startedAt)) {
        await ctx.salesforce.create('Task', [{ Subject: task.subject, Priority: task.priority, OwnerId: owner, WhoId: record.Id, ActivityDate: day(now), Status: 'Not Started', Description: `Accept (Working - Contacted) or recycle this MQL: the ${clock.segment} SLA ended at ${new Date(clock.acceptBy).toISOString()}.` }]);
      }
      if (sla.on_breach.notify && options.notifyUrl) {
        await (options.fetchImpl ?? fetch)(options.notifyUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ event: 'sla-breach', connection: ctx.connectionId, person: timer.person, salesforceId: record?.Id, segment: clock.segment, mqlAt: new Date(clock.startedAt).toISOString(), acceptBy: new Date(clock.acceptBy).toISOString() }),
        }).catch((err: unknown) => ctx.logger.warn({ err }, 'SLA notice could not be delivered'));
      }
      await ctx.audit.add({ at: now, action: 'sla-breach', records: refs, message: record ? `not accepted within the ${clock.segment} SLA (due ${new Date(clock.acceptBy).toISOString()})` : `not accepted within the ${clock.segment} SLA; no Salesforce record to give a Task to` });
      result.breaches += 1;
    } else if (timer.phase === 'escalate') {
      const manager = (record?.Owner as { ManagerId?: string | null } | undefined)?.ManagerId ?? undefined;
      if (task && escalationSubject && record && (manager ?? owner) && !already(record.Id, escalationSubject, clock.startedAt)) {
        await ctx.salesforce.create('Task', [{ Subject: escalationSubject, Priority: 'High', OwnerId: manager ?? owner, WhoId: record.Id, ActivityDate: day(now), Status: 'Not Started', Description: `${record.Name ?? 'This MQL'} is ${hoursLate} h past the ${clock.segment} SLA and still not accepted.` }]);
      }
      await ctx.audit.add({ at: now, action: 'sla-escalation', records: refs, message: manager ? `escalated to the owner's manager (${manager})` : 'escalated; the owner has no manager, the owner was reminded' });
      result.escalations += 1;
    } else {
      const recycle = lifecycle.recycleDetour();
      if (recycle?.detour && record?.object === 'Lead' && recycle.salesforceLeadStatus) {
        await ctx.salesforce.update('Lead', [{ Id: record.Id, Status: recycle.salesforceLeadStatus, [recycle.detour.reason.salesforce_field]: sla.auto_recycle_reason ?? recycle.detour.reason.values[0] ?? null }]);
        // revloop's own write comes back as an echo; the lifecycle is moved on now.
        await signal(ctx.redis, options.queue, ctx.keys, 'contacts', 'hubspot', [timer.person], { windowMs: options.windowMs }, now);
        await ctx.audit.add({ at: now, action: 'sla-auto-recycle', records: refs, message: `recycled automatically: ${sla.auto_recycle_reason ?? 'not accepted in time'}` });
        result.recycled += 1;
      } else {
        // Only a Lead has a status to recycle with; a Contact MQL stays with its owner (and the breach Tasks).
        await ctx.audit.add({ at: now, action: 'sla-auto-recycle-skipped', records: refs, message: record ? `not recycled automatically: ${record.object} ${record.Id} has no Lead Status to recycle with` : 'not recycled automatically: no Salesforce record' });
        result.skipped += 1;
      }
    }
    await store.done(timer.member);
  }
  return result;
}

/** People whose SLA clock is running (for the dashboard and the KPIs). */
export async function slaWaiting(ctx: SyncContext): Promise<number> {
  return new LifecycleStore(ctx.redis, ctx.keys).pending();
}
