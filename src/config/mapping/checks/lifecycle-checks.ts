/**
 * Checks of lifecycle.yaml that a schema cannot express: ids unique and referenced ids existing,
 * transitions consistent with the stage order, every stage reachable, detours that can be left,
 * an SLA whose thresholds grow, and criteria that name fields where they can be read.
 */
import { didYouMean } from '../did-you-mean.js';
import { fieldRefsOf, RELATION_SCOPE, type Condition } from '../schema/condition.js';
import { HUBSPOT_LIFECYCLE_STAGES } from '../schema/lifecycle.js';
import type { LifecycleFile } from '../schema/lifecycle.js';
import type { KeyPath } from '../problems.js';
import type { CheckContext } from './context.js';

interface StageInfo {
  id: string;
  order: number | undefined;
  detour: boolean;
  path: KeyPath;
}

export function stageIndex(lifecycle: LifecycleFile): Map<string, StageInfo> {
  const { stages, detours } = lifecycle;
  const index = new Map<string, StageInfo>();
  stages.forEach((s, i) => {
    if (!index.has(s.id)) index.set(s.id, { id: s.id, order: s.order, detour: false, path: ['stages', i] });
  });
  detours.forEach((d, i) => {
    if (!index.has(d.id)) index.set(d.id, { id: d.id, order: undefined, detour: true, path: ['detours', i] });
  });
  return index;
}

/** Reports `id` at `path` when no stage or detour has it; returns the stage when it exists. */
function resolveStage(ctx: CheckContext, index: Map<string, StageInfo>, id: string, path: KeyPath, what: string): StageInfo | undefined {
  const stage = index.get(id);
  if (stage) return stage;
  const hint = didYouMean(id, index.keys());
  ctx.error({ file: 'lifecycle', path }, `${what} "${id}" is not a stage or detour`, hint ?? `stages and detours: ${[...index.keys()].join(', ')}`);
  return undefined;
}

function checkIds(ctx: CheckContext, lifecycle: LifecycleFile): void {
  const { stages, detours } = lifecycle;
  const seen = new Map<string, KeyPath>();
  const orders = new Map<number, KeyPath>();
  const all: Array<{ id: string; path: KeyPath }> = [
    ...stages.map((s, i) => ({ id: s.id, path: ['stages', i, 'id'] as KeyPath })),
    ...detours.map((d, i) => ({ id: d.id, path: ['detours', i, 'id'] as KeyPath })),
  ];
  for (const { id, path } of all) {
    const first = seen.get(id);
    if (first) ctx.error({ file: 'lifecycle', path }, `stage id "${id}" is used twice (first at ${ctx.where({ file: 'lifecycle', path: first })})`, 'stage and detour ids must be unique');
    else seen.set(id, path);
  }
  stages.forEach((s, i) => {
    const first = orders.get(s.order);
    if (first) ctx.error({ file: 'lifecycle', path: ['stages', i, 'order'] }, `order ${s.order} is used twice (first at ${ctx.where({ file: 'lifecycle', path: first })})`, 'each stage needs its own order number');
    else orders.set(s.order, ['stages', i, 'order']);
    if (!(HUBSPOT_LIFECYCLE_STAGES as readonly string[]).includes(s.hubspot.lifecyclestage)) {
      const hint = didYouMean(s.hubspot.lifecyclestage, HUBSPOT_LIFECYCLE_STAGES);
      ctx.warn(
        { file: 'lifecycle', path: ['stages', i, 'hubspot', 'lifecyclestage'] },
        `"${s.hubspot.lifecyclestage}" is not one of HubSpot's default lifecycle stages`,
        hint ?? 'a custom stage must exist in the portal; `revloop validate --live` checks it',
      );
    }
  });
  detours.forEach((d, i) => {
    const reasons = new Set<string>();
    d.reason.values.forEach((r, j) => {
      if (reasons.has(r)) ctx.error({ file: 'lifecycle', path: ['detours', i, 'reason', 'values', j] }, `reason "${r}" is listed twice`);
      reasons.add(r);
    });
  });
}

/** Builds the transition graph; `complete` is false when a transition names an unknown stage. */
function checkTransitions(ctx: CheckContext, lifecycle: LifecycleFile, index: Map<string, StageInfo>): { graph: Map<string, Set<string>>; complete: boolean } {
  const graph = new Map<string, Set<string>>();
  let complete = true;
  const fromSeen = new Map<string, KeyPath>();
  lifecycle.transitions.forEach((t, i) => {
    const base: KeyPath = ['transitions', i];
    const from = resolveStage(ctx, index, t.from, [...base, 'from'], 'transition from');
    if (!from) complete = false;
    const first = fromSeen.get(t.from);
    if (first) {
      ctx.error({ file: 'lifecycle', path: [...base, 'from'] }, `transitions from "${t.from}" are listed twice (first at ${ctx.where({ file: 'lifecycle', path: first })})`, 'list every target of a stage in one `to:` list');
    } else fromSeen.set(t.from, [...base, 'from']);
    const targets = graph.get(t.from) ?? new Set<string>();
    t.to.forEach((toId, j) => {
      const at: KeyPath = [...base, 'to', j];
      const to = resolveStage(ctx, index, toId, at, 'transition to');
      if (!to) complete = false;
      if (!to || !from) return;
      if (toId === t.from) ctx.error({ file: 'lifecycle', path: at }, `"${toId}" cannot transition to itself`);
      else if (targets.has(toId)) ctx.error({ file: 'lifecycle', path: at }, `"${t.from} → ${toId}" is listed twice`);
      else if (!from.detour && !to.detour && from.order !== undefined && to.order !== undefined && to.order < from.order) {
        ctx.error(
          { file: 'lifecycle', path: at },
          `"${t.from} → ${toId}" moves backward (order ${from.order} → ${to.order})`,
          'backward moves go through a detour (recycle or disqualify) so the reason is recorded',
        );
      }
      targets.add(toId);
    });
    graph.set(t.from, targets);
  });
  return { graph, complete };
}

function checkReachability(ctx: CheckContext, lifecycle: LifecycleFile, index: Map<string, StageInfo>, graph: Map<string, Set<string>>): void {
  const stages = [...lifecycle.stages].sort((a, b) => a.order - b.order);
  const start = stages[0];
  if (!start) return;
  const reached = new Set<string>([start.id]);
  const queue = [start.id];
  while (queue.length > 0) {
    const at = queue.shift() as string;
    for (const next of graph.get(at) ?? []) {
      if (!reached.has(next)) {
        reached.add(next);
        queue.push(next);
      }
    }
  }
  for (const info of index.values()) {
    if (!reached.has(info.id)) {
      ctx.error({ file: 'lifecycle', path: [...info.path, 'id'] }, `"${info.id}" can never be reached from "${start.id}"`, `add it to the \`to:\` list of a transition`);
    }
  }
  for (const info of index.values()) {
    if (info.detour && (graph.get(info.id)?.size ?? 0) === 0 && lifecycle.detours.find((d) => d.id === info.id)?.kind === 'recycle') {
      ctx.error({ file: 'lifecycle', path: [...info.path, 'id'] }, `recycle detour "${info.id}" has no way out`, `add a transition from "${info.id}" (usually back to the MQL stage)`);
    }
  }
}

function checkDetours(ctx: CheckContext, lifecycle: LifecycleFile, index: Map<string, StageInfo>, graph: Map<string, Set<string>>): void {
  lifecycle.detours.forEach((d, i) => {
    if (d.returns_to === undefined) return;
    const at: KeyPath = ['detours', i, 'returns_to'];
    const target = resolveStage(ctx, index, d.returns_to, at, 'returns_to');
    if (!target) return;
    if (target.detour) ctx.error({ file: 'lifecycle', path: at }, `"${d.id}" returns to "${d.returns_to}", which is a detour; it must return to a stage`);
    else if (!graph.get(d.id)?.has(d.returns_to)) {
      ctx.error({ file: 'lifecycle', path: at }, `"${d.id}" returns to "${d.returns_to}" but no transition allows "${d.id} → ${d.returns_to}"`, `add "${d.returns_to}" to the transitions from "${d.id}"`);
    }
  });
}

function checkSla(ctx: CheckContext, lifecycle: LifecycleFile, index: Map<string, StageInfo>): void {
  const sla = lifecycle.sla;
  if (!sla) return;
  const start = resolveStage(ctx, index, sla.starts_at, ['sla', 'starts_at'], 'SLA starts_at');
  const end = resolveStage(ctx, index, sla.accepted_at, ['sla', 'accepted_at'], 'SLA accepted_at');
  if (start?.detour) ctx.error({ file: 'lifecycle', path: ['sla', 'starts_at'] }, `the SLA clock must start at a stage, not the detour "${start.id}"`);
  if (end?.detour) ctx.error({ file: 'lifecycle', path: ['sla', 'accepted_at'] }, `acceptance must be a stage, not the detour "${end.id}"`);
  if (start && end && !start.detour && !end.detour && (end.order ?? 0) <= (start.order ?? 0)) {
    ctx.error({ file: 'lifecycle', path: ['sla', 'accepted_at'] }, `acceptance stage "${end.id}" must come after "${start.id}" in the stage order`);
  }
  const ids = new Set<string>();
  let needsRecycle = false;
  sla.segments.forEach((s, i) => {
    const base: KeyPath = ['sla', 'segments', i];
    if (ids.has(s.id)) ctx.error({ file: 'lifecycle', path: [...base, 'id'] }, `segment id "${s.id}" is used twice`);
    ids.add(s.id);
    const last = i === sla.segments.length - 1;
    if (!last && s.when === undefined) {
      ctx.error({ file: 'lifecycle', path: base }, `segment "${s.id}" has no \`when\` but is not the last; the segments after it can never apply`, 'only the last segment may omit `when` (it catches everyone else)');
    }
    if (last && s.when !== undefined) {
      ctx.warn({ file: 'lifecycle', path: base }, `the last segment "${s.id}" has a \`when\`; people outside every segment get no SLA`, 'end with a segment without `when`');
    }
    if (s.escalate_after_hours !== undefined && s.escalate_after_hours <= s.accept_within_hours) {
      ctx.error({ file: 'lifecycle', path: [...base, 'escalate_after_hours'] }, `escalation (${s.escalate_after_hours} h) must come after the acceptance deadline (${s.accept_within_hours} h)`);
    }
    if (s.auto_recycle_after_hours !== undefined) {
      needsRecycle = true;
      const floor = s.escalate_after_hours ?? s.accept_within_hours;
      if (s.auto_recycle_after_hours <= floor) {
        ctx.error({ file: 'lifecycle', path: [...base, 'auto_recycle_after_hours'] }, `auto-recycle (${s.auto_recycle_after_hours} h) must come after ${s.escalate_after_hours !== undefined ? 'escalation' : 'the acceptance deadline'} (${floor} h)`);
      }
    }
  });
  if (!needsRecycle) return;
  const recycle = lifecycle.detours.find((d) => d.kind === 'recycle');
  if (!recycle) {
    ctx.error({ file: 'lifecycle', path: ['sla', 'segments'] }, 'auto-recycle needs a detour of kind "recycle"');
  } else if (sla.auto_recycle_reason === undefined) {
    ctx.error({ file: 'lifecycle', path: ['sla'] }, 'auto-recycle needs `auto_recycle_reason`', `one of: ${recycle.reason.values.join(', ')}`);
  } else if (!recycle.reason.values.includes(sla.auto_recycle_reason)) {
    const hint = didYouMean(sla.auto_recycle_reason, recycle.reason.values);
    ctx.error({ file: 'lifecycle', path: ['sla', 'auto_recycle_reason'] }, `"${sla.auto_recycle_reason}" is not a reason of the "${recycle.id}" detour`, hint ?? `one of: ${recycle.reason.values.join(', ')}`);
  }
}

/** Relation fields (opportunity.*, campaign.*) only inside their some/none; others anywhere. */
export function checkConditionScopes(ctx: CheckContext, file: 'lifecycle' | 'contacts' | 'companies', base: KeyPath, condition: Condition, allowed: readonly string[]): void {
  for (const { ref, at, relation } of fieldRefsOf(condition)) {
    const path = [...base, ...at];
    if (relation) {
      if (ref.scope !== RELATION_SCOPE[relation]) {
        ctx.error({ file, path }, `inside "${relation}" conditions name the ${RELATION_SCOPE[relation]}'s fields (${RELATION_SCOPE[relation]}.Field), not "${ref.text}"`);
      }
    } else if (!allowed.includes(ref.scope)) {
      ctx.error({ file, path }, `"${ref.text}" cannot be read here`, `fields here start with ${allowed.map((s) => `${s}.`).join(', ')}`);
    }
  }
}

const PERSON_SCOPES = ['hubspot', 'salesforce', 'lead', 'contact', 'account', 'company'] as const;

export function checkLifecycle(ctx: CheckContext, lifecycle: LifecycleFile): void {
  const index = stageIndex(lifecycle);
  checkIds(ctx, lifecycle);
  const { graph, complete } = checkTransitions(ctx, lifecycle, index);
  // With an unknown stage in the transitions, "unreachable" would only repeat that mistake.
  if (complete) checkReachability(ctx, lifecycle, index, graph);
  checkDetours(ctx, lifecycle, index, graph);
  checkSla(ctx, lifecycle, index);
  const { stages, detours, sla } = lifecycle;
  stages.forEach((s, i) => {
    if (s.entry) checkConditionScopes(ctx, 'lifecycle', ['stages', i, 'entry'], s.entry, PERSON_SCOPES);
    if (s.salesforce?.object === 'Contact' && s.salesforce.lead_status !== undefined) {
      ctx.error({ file: 'lifecycle', path: ['stages', i, 'salesforce', 'lead_status'] }, `stage "${s.id}" is shown on Contacts, which have no Lead Status`);
    }
  });
  detours.forEach((d, i) => {
    if (d.entry) checkConditionScopes(ctx, 'lifecycle', ['detours', i, 'entry'], d.entry, PERSON_SCOPES);
  });
  sla?.segments.forEach((s, i) => {
    if (s.when) checkConditionScopes(ctx, 'lifecycle', ['sla', 'segments', i, 'when'], s.when, PERSON_SCOPES);
  });
}
