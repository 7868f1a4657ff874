/**
 * The acceptance SLA: an MQL must be accepted within N hours, per segment. Which segment a person is
 * in, the deadlines that follow from entering the stage, and whether a transition starts or stops the
 * clock. Pure.
 */
import type { SlaDefinition, SlaSegment } from '../../config/mapping/schema/lifecycle.js';
import { evaluate, type ConditionView } from '../conditions.js';
import type { Lifecycle } from './definition.js';
import type { Transition } from './evaluate.js';

const HOUR = 3_600_000;

export type SlaPhase = 'breach' | 'escalate' | 'recycle';

export interface SlaClock {
  segment: string;
  startedAt: number;
  acceptBy: number;
  escalateAt?: number;
  recycleAt?: number;
}

export function segmentFor(sla: SlaDefinition, view: ConditionView, now: number): SlaSegment | undefined {
  return sla.segments.find((s) => s.when === undefined || evaluate(s.when, view, now));
}

export function clockFor(segment: SlaSegment, startedAt: number): SlaClock {
  return {
    segment: segment.id,
    startedAt,
    acceptBy: startedAt + segment.accept_within_hours * HOUR,
    ...(segment.escalate_after_hours !== undefined ? { escalateAt: startedAt + segment.escalate_after_hours * HOUR } : {}),
    ...(segment.auto_recycle_after_hours !== undefined ? { recycleAt: startedAt + segment.auto_recycle_after_hours * HOUR } : {}),
  };
}

/** The timers of a clock, earliest first. */
export function timersOf(clock: SlaClock): Array<{ phase: SlaPhase; at: number }> {
  const out: Array<{ phase: SlaPhase; at: number }> = [{ phase: 'breach', at: clock.acceptBy }];
  if (clock.escalateAt !== undefined) out.push({ phase: 'escalate', at: clock.escalateAt });
  if (clock.recycleAt !== undefined) out.push({ phase: 'recycle', at: clock.recycleAt });
  return out.sort((a, b) => a.at - b.at);
}

/**
 * What the transitions of one evaluation do to the clock: entering the start stage starts it (the
 * last such entry wins); reaching the acceptance stage, any later stage or a detour stops it.
 */
export function slaEffect(lifecycle: Lifecycle, transitions: readonly Transition[]): 'start' | 'stop' | 'none' {
  const sla = lifecycle.file.sla;
  if (!sla || transitions.length === 0) return 'none';
  const accepted = lifecycle.get(sla.accepted_at);
  const last = lifecycle.get(transitions[transitions.length - 1]?.to);
  if (!last) return 'none';
  if (last.id === sla.starts_at) return 'start';
  if (last.detour || (accepted && (last.id === accepted.id || lifecycle.after(last, accepted)))) return 'stop';
  return transitions.some((t) => t.to === sla.starts_at) ? 'stop' : 'none';
}

/** Whether a person at `stage` who entered it at `enteredAt` is still waiting for acceptance on `clock`. */
export function stillWaiting(lifecycle: Lifecycle, stage: string | undefined, enteredAt: number | undefined, clock: SlaClock): boolean {
  const sla = lifecycle.file.sla;
  return sla !== undefined && stage === sla.starts_at && enteredAt === clock.startedAt;
}
