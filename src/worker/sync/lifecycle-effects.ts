/**
 * What a batch's lifecycle decisions leave behind once their writes landed: each person's state, the
 * transition events, the violations (reported in the audit log), and the SLA clock started or
 * stopped (timers scheduled or cancelled).
 */
import type { PersonLifecycle } from '../../core/sync/batch-plan.js';
import type { Lifecycle } from '../../core/lifecycle/definition.js';
import { personView } from '../../core/lifecycle/person-view.js';
import { clockFor, segmentFor, slaEffect, timersOf } from '../../core/lifecycle/sla.js';
import { LifecycleStore, type StoredLifecycle, type TransitionEvent } from '../../state/lifecycle-store.js';
import type { SyncContext } from './sync-context.js';

const actors = new WeakMap<Lifecycle, Map<string, string>>();

/** Who a transition is down to: the system whose data met the criterion (or revloop for the first placement). */
function actorOf(lifecycle: Lifecycle, criterion: string, cause: string): string {
  if (cause === 'initial') return 'revloop';
  let known = actors.get(lifecycle);
  if (!known) actors.set(lifecycle, (known = new Map()));
  let actor = known.get(criterion);
  if (actor === undefined) {
    const stage = lifecycle.get(criterion);
    const entry = stage?.entry ? JSON.stringify(stage.entry) : '';
    actor = /"scope":"(salesforce|lead|contact|account|opportunity)"/.test(entry) || stage?.detour ? 'sales' : 'marketing';
    known.set(criterion, actor);
  }
  return actor;
}

export async function persistLifecycle(
  ctx: SyncContext,
  lifecycle: Lifecycle,
  people: ReadonlyArray<PersonLifecycle & { resolvedHubSpotId: string | undefined; failed: boolean }>,
): Promise<void> {
  const store = new LifecycleStore(ctx.redis, ctx.keys);
  const states = new Map<string, StoredLifecycle>();
  const events: TransitionEvent[] = [];
  const cancels: Array<{ person: string; startedAt: number }> = [];
  const schedules: Array<{ person: string; timers: ReturnType<typeof timersOf>; startedAt: number }> = [];
  const previous = await store.get(people.map((p) => p.resolvedHubSpotId).filter((id): id is string => id !== undefined));
  for (const p of people) {
    const person = p.resolvedHubSpotId;
    if (!person || p.failed) continue;
    const { decision } = p;
    const before = previous.get(person);
    const state: StoredLifecycle = Object.assign({}, decision.state);
    if (before?.clock) state.clock = before.clock;
    if (p.salesforce) state.salesforceId = p.salesforce.id;
    const effect = slaEffect(lifecycle, decision.transitions);
    const sla = lifecycle.file.sla;
    let segment: string | undefined;
    if ((effect === 'start' || effect === 'stop') && state.clock) {
      cancels.push({ person, startedAt: state.clock.startedAt });
      delete state.clock;
    }
    if (effect === 'start' && sla) {
      const seg = segmentFor(sla, personView(p.records), ctx.now());
      const startedAt = decision.state.enteredAt[sla.starts_at];
      if (seg && startedAt !== undefined) {
        state.clock = clockFor(seg, startedAt);
        segment = seg.id;
        schedules.push({ person, timers: timersOf(state.clock), startedAt });
      }
    }
    states.set(person, state);
    for (const t of decision.transitions) {
      events.push({
        person,
        salesforceId: p.salesforce?.id,
        from: t.from,
        to: t.to,
        at: t.at,
        cause: t.cause,
        actor: actorOf(lifecycle, t.criterion, t.cause),
        criterion: t.criterion,
        reason: t.reason,
        ...(t.to === sla?.starts_at && segment ? { segment } : {}),
      });
    }
    for (const v of decision.violations) {
      await ctx.audit.add({
        at: ctx.now(),
        action: v.action === 'corrected' ? 'lifecycle-correction' : 'lifecycle-violation',
        records: [`hubspot:contacts:${person}`, ...(p.salesforce ? [`salesforce:${p.salesforce.object}:${p.salesforce.id}`] : [])],
        message: `${v.message} (${v.action})`,
      });
    }
  }
  await store.retime(cancels, schedules);
  await store.set(states);
  await store.record(events);
}
