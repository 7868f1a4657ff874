/**
 * The lifecycle engine: from what revloop knows of a person (both systems, their account and
 * opportunities) and where the person stood, compute the stage the definition gives now, the
 * transitions that led there (each with the criterion that matched and whether it was allowed), moves
 * people made by hand that break the definition (corrected or reported, as the policy says), and the
 * values to write to both systems. Pure.
 *
 * Rules:
 * - A person with no stage yet is placed at the highest stage whose criteria hold (or in a detour whose
 *   entry holds): the initial classification.
 * - Forward: from the current stage, the highest allowed target whose criteria hold, repeatedly.
 * - A detour (recycle, disqualify) is entered when its entry holds and the transition is allowed.
 * - A recycled person returns only by meeting the criteria again: the return is armed once the
 *   target's criteria have stopped holding since the detour was entered.
 * - Criteria of a later stage holding without an allowed path (a rep set Qualified without accepting),
 *   or HubSpot shown at an earlier stage than the canonical one without a detour, are violations.
 */
import type { ConditionView } from '../conditions.js';
import { evaluate } from '../conditions.js';
import { stageDateProperty, STAGE_PROPERTY } from '../../config/mapping/mapping-set.js';
import { isoString } from '../../platform/iso-time.js';
import type { Lifecycle, LifecycleStage } from './definition.js';

export interface LifecycleState {
  stage: string | undefined;
  /** When the person last entered each stage (epoch ms). */
  enteredAt: Record<string, number>;
  /** In a detour: whether the way back is armed (the target's criteria stopped holding since). */
  armed?: boolean;
  /**
   * Detours just left while their entry still held (Lead Status still "Recycled" until revloop's write
   * lands): they are entered again only after their entry has stopped holding once.
   */
  blocked?: string[];
}

export type TransitionCause = 'initial' | 'criteria' | 'detour' | 'reentry';

export interface Transition {
  from: string | undefined;
  to: string;
  at: number;
  cause: TransitionCause;
  /** The stage whose entry criteria matched. */
  criterion: string;
  reason?: string;
}

export interface Violation {
  kind: 'skipped-stage' | 'backward-without-detour' | 'detour-not-allowed';
  system: 'hubspot' | 'salesforce';
  observed: string;
  expected: string;
  message: string;
  action: 'corrected' | 'reported';
}

export interface LifecycleObserved {
  hubspotLifecycleStage?: string | null | undefined;
  hubspotLeadStatus?: string | null | undefined;
  hubspotStage?: string | null | undefined;
  /** Which record holds the person in Salesforce. */
  salesforceObject?: 'Lead' | 'Contact' | undefined;
  salesforceLeadStatus?: string | null | undefined;
  /** Reason values found on the person, per detour id (from the detour's Salesforce field). */
  reasons?: Readonly<Record<string, string | null | undefined>>;
  /** Stage dates HubSpot shows now (revloop_<stage>_date), to write only what differs. */
  hubspotDates?: Readonly<Record<string, string | null | undefined>>;
}

export interface LifecycleInput {
  view: ConditionView;
  state: LifecycleState;
  observed: LifecycleObserved;
  now: number;
}

export interface LifecycleDecision {
  state: LifecycleState;
  transitions: Transition[];
  violations: Violation[];
  hubspot: Record<string, string>;
  /** A move back in HubSpot's lifecyclestage: clear it first, then set it (HubSpot only moves forward). */
  hubspotClearFirst: boolean;
  salesforce: Record<string, string | null>;
}

const MAX_HOPS = 20;

function holds(stage: LifecycleStage, input: LifecycleInput): boolean {
  return stage.entry !== undefined && evaluate(stage.entry, input.view, input.now);
}

function initialStage(lifecycle: Lifecycle, input: LifecycleInput): LifecycleStage | undefined {
  const detour = lifecycle.detours.find((d) => holds(d, input));
  if (detour) return detour;
  return [...lifecycle.ordered].reverse().find((s) => holds(s, input));
}

export function evaluateLifecycle(lifecycle: Lifecycle, input: LifecycleInput): LifecycleDecision {
  const policy = lifecycle.file.policy.invalid_manual_moves;
  const state: LifecycleState = { ...input.state, enteredAt: { ...input.state.enteredAt } };
  // A blocked detour is released once its entry no longer holds.
  const blocked = new Set((state.blocked ?? []).filter((id) => {
    const d = lifecycle.get(id);
    return d !== undefined && holds(d, input);
  }));
  const transitions: Transition[] = [];
  const violations: Violation[] = [];
  const now = input.now;
  const reasonOf = (stage: LifecycleStage) => (stage.detour ? (input.observed.reasons?.[stage.id] ?? undefined) : undefined);
  const enter = (to: LifecycleStage, cause: TransitionCause, criterion: string) => {
    const reason = reasonOf(to) ?? undefined;
    transitions.push({ from: state.stage, to: to.id, at: now, cause, criterion, ...(reason ? { reason } : {}) });
    state.stage = to.id;
    state.enteredAt[to.id] = now;
    if (to.detour) {
      const back = lifecycle.get(to.detour.returns_to);
      state.armed = back ? !holds(back, input) : true;
    } else delete state.armed;
  };

  let current = lifecycle.get(state.stage);
  if (!current) {
    const initial = initialStage(lifecycle, input);
    if (initial) enter(initial, 'initial', initial.id);
    current = lifecycle.get(state.stage);
  } else {
    for (let hop = 0; hop < MAX_HOPS && current; hop++) {
      const from: LifecycleStage = current;
      // Sales recycles or disqualifies: a detour whose entry holds.
      const detour = lifecycle.detours.find((d) => d.id !== from.id && !blocked.has(d.id) && holds(d, input));
      if (detour && (!from.detour || detour.id !== from.id)) {
        if (lifecycle.isAllowed(from.id, detour.id)) {
          enter(detour, 'detour', detour.id);
          current = detour;
          continue;
        }
        if (!from.detour) {
          violations.push({
            kind: 'detour-not-allowed',
            system: 'salesforce',
            observed: detour.id,
            expected: from.id,
            message: `"${detour.label}" is not allowed from "${from.label}"`,
            action: policy === 'correct' ? 'corrected' : 'reported',
          });
        }
      }
      if (from.detour) {
        const back = lifecycle.get(from.detour.returns_to);
        if (back && !state.armed && !holds(back, input)) state.armed = true;
        const exits = lifecycle
          .targets(from.id)
          .filter((t) => !t.detour && holds(t, input) && (t.id !== back?.id || state.armed === true))
          .sort((a, b) => (b.order ?? 0) - (a.order ?? 0));
        const exit = exits[0];
        if (!exit) break;
        if (holds(from, input)) blocked.add(from.id);
        enter(exit, 'reentry', exit.id);
        current = exit;
        continue;
      }
      const forward = lifecycle
        .targets(from.id)
        .filter((t) => !t.detour && lifecycle.after(t, from) && holds(t, input))
        .sort((a, b) => (b.order ?? 0) - (a.order ?? 0))[0];
      if (!forward) break;
      enter(forward, 'criteria', forward.id);
      current = forward;
    }
  }

  if (blocked.size > 0) state.blocked = [...blocked];
  else delete state.blocked;
  const stage = lifecycle.get(state.stage);
  const decision: LifecycleDecision = { state, transitions, violations, hubspot: {}, hubspotClearFirst: false, salesforce: {} };
  if (!stage) return decision;

  // A later stage's criteria holding with no allowed path to it: a stage was skipped by hand.
  if (!stage.detour) {
    const skipped = [...lifecycle.ordered].reverse().find((s) => lifecycle.after(s, stage) && holds(s, input));
    if (skipped) {
      violations.push({
        kind: 'skipped-stage',
        system: 'salesforce',
        observed: skipped.id,
        expected: stage.id,
        message: `"${skipped.label}" was reached without passing through the stages after "${stage.label}"`,
        action: policy === 'correct' ? 'corrected' : 'reported',
      });
    }
  }
  // HubSpot shown at an earlier stage than the canonical one, with no detour behind it.
  const shown = lifecycle.stageOfHubSpotValue(input.observed.hubspotLifecycleStage);
  const expectedShown = lifecycle.stageOfHubSpotValue(stage.hubspotStage);
  if (!stage.detour && shown && expectedShown && lifecycle.after(expectedShown, shown) && transitions.length === 0) {
    violations.push({
      kind: 'backward-without-detour',
      system: 'hubspot',
      observed: shown.id,
      expected: stage.id,
      message: `HubSpot shows "${input.observed.hubspotLifecycleStage}" but the person is "${stage.label}"; moving back needs a recycle or disqualify`,
      action: policy === 'correct' ? 'corrected' : 'reported',
    });
  }
  const reportOnly = policy === 'report' && violations.length > 0;

  // What both systems should show.
  const hs = decision.hubspot;
  if (input.observed.hubspotStage !== stage.id) hs[STAGE_PROPERTY] = stage.id;
  for (const t of transitions) hs[stageDateProperty(t.to)] = isoString(t.at);
  for (const [id, at] of Object.entries(state.enteredAt)) {
    const prop = stageDateProperty(id);
    if (hs[prop] === undefined && input.observed.hubspotDates && !input.observed.hubspotDates[prop]) hs[prop] = isoString(at);
  }
  const lifecycleMismatch = input.observed.hubspotLifecycleStage !== stage.hubspotStage;
  if (lifecycleMismatch && !(reportOnly && violations.some((v) => v.system === 'hubspot'))) {
    hs.lifecyclestage = stage.hubspotStage;
    const target = lifecycle.stageOfHubSpotValue(stage.hubspotStage);
    decision.hubspotClearFirst = Boolean(shown && target && lifecycle.after(shown, target)) || Boolean(input.observed.hubspotLifecycleStage && !target);
  }
  if (stage.hubspotLeadStatus && input.observed.hubspotLeadStatus !== stage.hubspotLeadStatus) hs.hs_lead_status = stage.hubspotLeadStatus;
  if (stage.detour) {
    const reason = reasonOf(stage);
    if (reason) hs[stage.detour.reason.hubspot_property] = reason;
  }

  const sf = decision.salesforce;
  if (input.observed.salesforceObject === 'Lead' && stage.salesforceLeadStatus && input.observed.salesforceLeadStatus !== stage.salesforceLeadStatus && !(reportOnly && violations.some((v) => v.system === 'salesforce'))) {
    sf.Status = stage.salesforceLeadStatus;
  }
  if (input.observed.salesforceObject) {
    for (const t of transitions) {
      const field = lifecycle.get(t.to)?.dateField;
      if (field) sf[field] = new Date(t.at).toISOString();
    }
  }
  return decision;
}
