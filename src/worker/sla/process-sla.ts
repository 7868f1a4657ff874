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
import { signal } from '../signals.js';
import type { SyncContext } from '../sync/sync-context.js';

export interface SlaResult {
  due: number;
  breaches: number;
  escalations: number;
  recycled: number;
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
  const result: SlaResult = { due: 0, breaches: 0, escalations: 0, recycled: 0, cancelled: 0 };
  if (!sla) return result;
  const due = await store.due(now);
  result.due = due.length;
  if (due.length === 0) return result;
  const states = await store.get([...new Set(due.map((t) => t.person))]);
  const leadIds = [...new Set([...states.values()].map((s) => s.salesforceId).filter((id): id is string => typeof id === 'string' && id.startsWith('00Q')))];
  const leads = new Map((leadIds.length > 0 ? await ctx.salesforce.findIn('Lead', ['Id', 'OwnerId', 'Status', 'Name', 'Owner.ManagerId'], 'Id', leadIds) : []).map((l) => [l.Id, l]));
  const task = sla.on_breach.task;
  for (const timer of due) {
    const state = states.get(timer.person);
    const clock = state?.clock;
    if (!state || !clock || clock.startedAt !== timer.startedAt || !stillWaiting(lifecycle, state.stage, state.enteredAt[sla.starts_at], clock)) {
      await store.done(timer.member);
      result.cancelled += 1;
      continue;
    }
    const lead = state.salesforceId ? leads.get(state.salesforceId) : undefined;
    const owner = lead?.OwnerId as string | undefined;
    const records = [`hubspot:contacts:${timer.person}`, ...(lead ? [`salesforce:Lead:${lead.Id}`] : [])];
    const hoursLate = Math.round((now - clock.acceptBy) / 3_600_000);
    if (timer.phase === 'breach') {
      if (task && lead && owner) {
        await ctx.salesforce.create('Task', [{ Subject: task.subject, Priority: task.priority, OwnerId: owner, WhoId: lead.Id, ActivityDate: day(now), Status: 'Not Started', Description: `Accept (Working - Contacted) or recycle this MQL: the ${clock.segment} SLA ended at ${new Date(clock.acceptBy).toISOString()}.` }]);
      }
      if (sla.on_breach.notify && options.notifyUrl) {
        await (options.fetchImpl ?? fetch)(options.notifyUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ event: 'sla-breach', connection: ctx.connectionId, person: timer.person, salesforceId: lead?.Id, segment: clock.segment, mqlAt: new Date(clock.startedAt).toISOString(), acceptBy: new Date(clock.acceptBy).toISOString() }),
        }).catch((err: unknown) => ctx.logger.warn({ err }, 'SLA notice could not be delivered'));
      }
      await ctx.audit.add({ at: now, action: 'sla-breach', records, message: `not accepted within the ${clock.segment} SLA (due ${new Date(clock.acceptBy).toISOString()})` });
      result.breaches += 1;
    } else if (timer.phase === 'escalate') {
      const manager = (lead?.Owner as { ManagerId?: string | null } | undefined)?.ManagerId ?? undefined;
      if (task && lead && (manager ?? owner)) {
        await ctx.salesforce.create('Task', [{ Subject: `Escalation: ${task.subject}`, Priority: 'High', OwnerId: manager ?? owner, WhoId: lead.Id, ActivityDate: day(now), Status: 'Not Started', Description: `${lead.Name ?? 'This MQL'} is ${hoursLate} h past the ${clock.segment} SLA and still not accepted.` }]);
      }
      await ctx.audit.add({ at: now, action: 'sla-escalation', records, message: manager ? `escalated to the owner's manager (${manager})` : 'escalated; the owner has no manager, the owner was reminded' });
      result.escalations += 1;
    } else {
      const recycle = lifecycle.recycleDetour();
      if (recycle?.detour && lead && recycle.salesforceLeadStatus) {
        await ctx.salesforce.update('Lead', [{ Id: lead.Id, Status: recycle.salesforceLeadStatus, [recycle.detour.reason.salesforce_field]: sla.auto_recycle_reason ?? recycle.detour.reason.values[0] ?? null }]);
        // revloop's own write comes back as an echo; the lifecycle is moved on now.
        await signal(ctx.redis, options.queue, ctx.keys, 'contacts', 'hubspot', [timer.person], { windowMs: options.windowMs }, now);
      }
      await ctx.audit.add({ at: now, action: 'sla-auto-recycle', records, message: `recycled automatically: ${sla.auto_recycle_reason ?? 'not accepted in time'}` });
      result.recycled += 1;
    }
    await store.done(timer.member);
  }
  return result;
}

/** People whose SLA clock is running (for the dashboard and the KPIs). */
export async function slaWaiting(ctx: SyncContext): Promise<number> {
  return new LifecycleStore(ctx.redis, ctx.keys).pending();
}
