/**
 * The lifecycle definition in the form the engine uses: stages and detours by id, the order of the
 * main stages, and the allowed transitions as a lookup. Built once per mapping set. Pure.
 */
import type { Condition } from '../../config/mapping/schema/condition.js';
import type { DetourDefinition, LifecycleFile, StageDefinition } from '../../config/mapping/schema/lifecycle.js';

export interface LifecycleStage {
  id: string;
  label: string;
  /** Main stages have an order; detours do not. */
  order: number | undefined;
  detour: DetourDefinition | undefined;
  definition: StageDefinition | DetourDefinition;
  entry: Condition | undefined;
  hubspotStage: string;
  hubspotLeadStatus: string | undefined;
  salesforceLeadStatus: string | undefined;
  salesforceObject: 'Lead' | 'Contact' | 'any';
  dateField: string | undefined;
}

export class Lifecycle {
  readonly stages: ReadonlyMap<string, LifecycleStage>;
  /** Main stages, lowest order first. */
  readonly ordered: readonly LifecycleStage[];
  readonly detours: readonly LifecycleStage[];
  private readonly allowed: ReadonlyMap<string, ReadonlySet<string>>;

  constructor(readonly file: LifecycleFile) {
    const make = (s: StageDefinition | DetourDefinition, detour: DetourDefinition | undefined): LifecycleStage => ({
      id: s.id,
      label: s.label,
      order: 'order' in s ? s.order : undefined,
      detour,
      definition: s,
      entry: s.entry,
      hubspotStage: s.hubspot.lifecyclestage,
      hubspotLeadStatus: s.hubspot.lead_status,
      salesforceLeadStatus: s.salesforce?.lead_status,
      salesforceObject: s.salesforce?.object ?? 'any',
      dateField: s.salesforce?.date_field,
    });
    const stages = new Map<string, LifecycleStage>();
    for (const s of file.stages) stages.set(s.id, make(s, undefined));
    for (const d of file.detours) stages.set(d.id, make(d, d));
    this.stages = stages;
    this.ordered = file.stages.map((s) => stages.get(s.id) as LifecycleStage).sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
    this.detours = file.detours.map((d) => stages.get(d.id) as LifecycleStage);
    this.allowed = new Map(file.transitions.map((t) => [t.from, new Set(t.to)]));
  }

  get(id: string | undefined): LifecycleStage | undefined {
    return id === undefined ? undefined : this.stages.get(id);
  }

  isAllowed(from: string, to: string): boolean {
    return this.allowed.get(from)?.has(to) ?? false;
  }

  targets(from: string): LifecycleStage[] {
    return [...(this.allowed.get(from) ?? [])].map((id) => this.stages.get(id)).filter((s): s is LifecycleStage => s !== undefined);
  }

  /** The main stage a HubSpot lifecyclestage value shows (the highest of several sharing it). */
  stageOfHubSpotValue(value: string | null | undefined): LifecycleStage | undefined {
    if (!value) return undefined;
    const matches = this.ordered.filter((s) => s.hubspotStage === value);
    return matches[matches.length - 1];
  }

  /** Whether `a` comes after `b` in the stage order (main stages only). */
  after(a: LifecycleStage, b: LifecycleStage): boolean {
    return a.order !== undefined && b.order !== undefined && a.order > b.order;
  }

  recycleDetour(): LifecycleStage | undefined {
    return this.detours.find((d) => d.detour?.kind === 'recycle');
  }
}
