/**
 * HubSpot's lifecycle-stage rule: through the API (and workflows, forms, imports) `lifecyclestage`
 * only moves forward in the stage order; setting an earlier stage is silently ignored (the call
 * succeeds, the value stays). To move back, clear the value first (`""`), then set the earlier
 * stage. A person editing the record in the CRM can pick any stage (the UI clears and sets).
 * Each first entry into a stage stamps `hs_lifecyclestage_<stage>_date`.
 */
import type { Actor } from './actors.js';
import type { ObjectTypeName } from './object-types.js';
import type { PropertyRegistry } from './property-registry.js';

export type LifecycleDecision = { apply: true } | { apply: false; reason: string };

export function decideLifecycleMove(
  registry: PropertyRegistry,
  type: ObjectTypeName,
  from: string | undefined,
  to: string | undefined,
  actor: Actor,
): LifecycleDecision {
  if (from === undefined || to === undefined || from === to) return { apply: true };
  if (actor.source === 'CRM_UI' || actor.source === 'CRM_UI_BULK_ACTION') return { apply: true };
  const def = registry.get(type, 'lifecyclestage');
  if (def === undefined) return { apply: true };
  const order = (value: string) => def.options.find((o) => o.value === value)?.displayOrder ?? -1;
  return order(to) >= order(from)
    ? { apply: true }
    : { apply: false, reason: `lifecyclestage cannot move back from ${from} to ${to} without being cleared first` };
}

export function stageDateProperty(stage: string): string {
  return `hs_lifecyclestage_${stage}_date`;
}
