/**
 * The impact of a changed lifecycle or mapping: the same batch planned twice, under the mappings in
 * force and under the changed ones, and the differences counted. Who would move from which stage to
 * which, which fields would get a different value (with a few examples each), which records would be
 * created, and which values the changed mapping could not write. Pure: the plans come from the core
 * planner, the caller streams batches through `add` and reads `report()` when it likes.
 */
import type { BatchInput, BatchPlan, SalesforceRef } from '../sync/batch-plan.js';

export const NO_STAGE = '(none)';

export interface FieldImpact {
  /** `hubspot` or `salesforce`. */
  system: 'hubspot' | 'salesforce';
  /** HubSpot object (contacts, companies) or Salesforce object (Lead, Contact, Account). */
  object: string;
  field: string;
  /** Records that would get another value than under the mappings in force. */
  changes: number;
  /** Records the mappings in force would write and the changed ones no longer would. */
  dropped: number;
  samples: Array<{ record: string; now: string | null; current: string | null; changed: string | null }>;
}

export interface ImpactReport {
  /** People (or companies) planned. */
  records: number;
  /** People whose stage differs between the two plans. */
  moving: number;
  /** from → to → people, over every person (unchanged ones on the diagonal). */
  matrix: Record<string, Record<string, number>>;
  fields: FieldImpact[];
  /** Records each plan would create, per system and object. */
  creations: Record<string, { current: number; changed: number }>;
  /** Values the changed mapping could not write (picklists, lengths), per field. */
  invalid: Record<string, { count: number; example: string }>;
}

type Value = string | number | boolean | null;

interface Write {
  system: 'hubspot' | 'salesforce';
  object: string;
  record: string;
  field: string;
  value: Value;
  now: Value | undefined;
}

const SAMPLES = 5;

function text(v: Value | undefined): string | null {
  return v === undefined || v === null ? null : String(v);
}

function personKey(hubspotId: string | undefined, sf: SalesforceRef | undefined): string {
  return hubspotId ?? (sf ? `${sf.object}:${sf.id}` : '?');
}

/** Every write of a plan, keyed by system, object, record and field. */
function writesOf(input: BatchInput, plan: BatchPlan): Map<string, Write> {
  const out = new Map<string, Write>();
  const put = (w: Write) => out.set(`${w.system}|${w.object}|${w.record}|${w.field}`, w);
  for (const p of plan.pairs) {
    const hs = input.hubspot.get(p.hubspotId);
    const sf = input.salesforce.get(p.salesforce.id);
    for (const [field, value] of Object.entries(p.hubspotWrites)) put({ system: 'hubspot', object: input.pair, record: p.hubspotId, field, value, now: hs?.properties[field] ?? null });
    for (const [field, value] of Object.entries(p.salesforceWrites)) put({ system: 'salesforce', object: p.salesforce.object, record: p.salesforce.id, field, value, now: (sf?.fields[field] as Value | undefined) ?? null });
  }
  for (const c of plan.createInSalesforce) {
    const record = `new ${c.object} for ${c.hubspotId}`;
    for (const [field, value] of Object.entries(c.values)) put({ system: 'salesforce', object: c.object, record, field, value, now: undefined });
    const hs = input.hubspot.get(c.hubspotId);
    for (const [field, value] of Object.entries(c.hubspotValues)) put({ system: 'hubspot', object: input.pair, record: c.hubspotId, field, value, now: hs?.properties[field] ?? null });
  }
  for (const c of plan.createInHubSpot) {
    const record = `new for ${c.salesforce.object}:${c.salesforce.id}`;
    for (const [field, value] of Object.entries(c.values)) put({ system: 'hubspot', object: input.pair, record, field, value, now: undefined });
    const sf = input.salesforce.get(c.salesforce.id);
    for (const [field, value] of Object.entries(c.salesforceValues ?? {})) put({ system: 'salesforce', object: c.salesforce.object, record: c.salesforce.id, field, value, now: (sf?.fields[field] as Value | undefined) ?? null });
  }
  return out;
}

export class ImpactTally {
  private records = 0;
  private moving = 0;
  private readonly matrix = new Map<string, Map<string, number>>();
  private readonly fields = new Map<string, FieldImpact>();
  private readonly creations = new Map<string, { current: number; changed: number }>();
  private readonly invalid = new Map<string, { count: number; example: string }>();

  /** Counts one batch: `current` planned under the mappings in force, `changed` under the new ones, both from `input`. */
  add(input: BatchInput, current: BatchPlan, changed: BatchPlan): number {
    // Records: every distinct record either plan touched or left alone.
    const seen = new Set<string>();
    for (const p of [...changed.pairs, ...current.pairs]) seen.add(p.hubspotId);
    for (const c of [...changed.createInSalesforce, ...current.createInSalesforce]) seen.add(c.hubspotId);
    for (const c of [...changed.createInHubSpot, ...current.createInHubSpot]) seen.add(`${c.salesforce.object}:${c.salesforce.id}`);
    for (const s of [...changed.skipped, ...current.skipped]) seen.add(s.record);
    this.records += seen.size;

    // Stages.
    const before = new Map(current.lifecycle.map((l) => [personKey(l.hubspotId, l.salesforce), l.decision.state.stage ?? NO_STAGE]));
    const after = new Map(changed.lifecycle.map((l) => [personKey(l.hubspotId, l.salesforce), l.decision.state.stage ?? NO_STAGE]));
    for (const key of new Set([...before.keys(), ...after.keys()])) {
      const from = before.get(key) ?? NO_STAGE;
      const to = after.get(key) ?? NO_STAGE;
      if (from !== to) this.moving += 1;
      const row = this.matrix.get(from) ?? new Map<string, number>();
      row.set(to, (row.get(to) ?? 0) + 1);
      this.matrix.set(from, row);
    }

    // Fields.
    const a = writesOf(input, current);
    const b = writesOf(input, changed);
    const impact = (w: Write) => {
      const key = `${w.system}|${w.object}|${w.field}`;
      let f = this.fields.get(key);
      if (!f) {
        f = { system: w.system, object: w.object, field: w.field, changes: 0, dropped: 0, samples: [] };
        this.fields.set(key, f);
      }
      return f;
    };
    for (const [key, w] of b) {
      const was = a.get(key);
      if (was && text(was.value) === text(w.value)) continue;
      // Writing what the record already holds changes nothing either.
      if (!was && w.now !== undefined && text(w.now) === text(w.value)) continue;
      const f = impact(w);
      f.changes += 1;
      if (f.samples.length < SAMPLES) f.samples.push({ record: w.record, now: text(w.now), current: was ? text(was.value) : null, changed: text(w.value) });
    }
    for (const [key, w] of a) if (!b.has(key)) impact(w).dropped += 1;

    // Creations.
    const count = (plan: BatchPlan, side: 'current' | 'changed') => {
      for (const c of plan.createInSalesforce) this.bump(`salesforce.${c.object}`, side);
      for (let i = 0; i < plan.createInHubSpot.length; i++) this.bump(`hubspot.${input.pair}`, side);
    };
    count(current, 'current');
    count(changed, 'changed');

    for (const bad of changed.invalid) {
      const key = `${bad.side}.${bad.field}`;
      const entry = this.invalid.get(key) ?? { count: 0, example: `${bad.hubspotId ?? bad.salesforceId ?? '?'}: ${bad.message}` };
      entry.count += 1;
      this.invalid.set(key, entry);
    }
    return seen.size;
  }

  private bump(key: string, side: 'current' | 'changed'): void {
    const entry = this.creations.get(key) ?? { current: 0, changed: 0 };
    entry[side] += 1;
    this.creations.set(key, entry);
  }

  report(): ImpactReport {
    return {
      records: this.records,
      moving: this.moving,
      matrix: Object.fromEntries([...this.matrix].map(([from, row]) => [from, Object.fromEntries(row)])),
      fields: [...this.fields.values()].sort((x, y) => y.changes - x.changes || y.dropped - x.dropped).map((f) => ({ ...f, samples: [...f.samples] })),
      creations: Object.fromEntries(this.creations),
      invalid: Object.fromEntries(this.invalid),
    };
  }
}
