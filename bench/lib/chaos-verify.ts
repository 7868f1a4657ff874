/**
 * The verdict of a chaos run, from what both systems hold at the end: pure, so it is tested on its
 * own. The expected state of each person is their starting values (bench/lib/people.ts) with every
 * edit the harness applied, the latest per field winning; invalid people exist in HubSpot only and
 * are parked.
 */
import { COMPARED_FIELDS, indexOfEmail, personValues, type ComparedField } from './people.js';
import type { SnapshotRecord } from './people-sandbox-process.js';

export interface AppliedEdit {
  /** Order in which the edits were applied (they are applied one at a time). */
  seq: number;
  index: number;
  side: 'hubspot' | 'salesforce';
  field: ComparedField;
  value: string;
  /** When it was applied (epoch ms). */
  at: number;
}

export interface ChaosPopulation {
  /** Indexes of everyone who should exist (the starting people and those created during the run). */
  indexes: Iterable<number>;
  /** HubSpot-only people with a value Salesforce refuses: they stay in HubSpot alone, parked. */
  invalid: ReadonlySet<number>;
  /** Their starting HubSpot values (the invalid people's differ from personValues). */
  startValues(index: number): Record<ComparedField, string>;
}

export interface Mismatch {
  index: number;
  reason: string;
}

export interface Verdict {
  people: number;
  converged: number;
  convergedRatio: number;
  /** The latest edit of a field that is not on both sides. */
  lost: number;
  /** Records beyond the first with the same email, on either side. */
  duplicates: number;
  missing: { hubspot: number; salesforce: number };
  /** Invalid people that reached Salesforce anyway. */
  invalidInSalesforce: number;
  /** Links that point at a record that does not point back. */
  disagreeingLinks: number;
  /** A few examples of people who did not converge. */
  examples: Mismatch[];
  /** Which latest edits were lost (person and field), for diagnosis. */
  lostEdits: AppliedEdit[];
}

export function startValuesOf(index: number): Record<ComparedField, string> {
  const v = personValues(index);
  return { firstname: v.firstname, lastname: v.lastname, jobtitle: v.jobtitle, city: v.city };
}

export function verify(population: ChaosPopulation, edits: readonly AppliedEdit[], snapshot: readonly SnapshotRecord[]): Verdict {
  const latest = new Map<string, AppliedEdit>();
  for (const e of [...edits].sort((a, b) => a.seq - b.seq)) latest.set(`${e.index}|${e.field}`, e);

  const bySide = { hubspot: new Map<number, SnapshotRecord[]>(), salesforce: new Map<number, SnapshotRecord[]>() };
  const ids = { hubspot: new Map<string, SnapshotRecord>(), salesforce: new Map<string, SnapshotRecord>() };
  let duplicates = 0;
  for (const r of snapshot) {
    ids[r.side].set(r.id, r);
    const index = r.email ? indexOfEmail(r.email) : undefined;
    if (index === undefined) continue;
    const list = bySide[r.side].get(index) ?? [];
    if (list.length > 0) duplicates += 1;
    list.push(r);
    bySide[r.side].set(index, list);
  }
  let disagreeingLinks = 0;
  for (const r of snapshot) {
    if (!r.link) continue;
    const other = ids[r.side === 'hubspot' ? 'salesforce' : 'hubspot'].get(r.link);
    if (other?.link !== r.id) disagreeingLinks += 1;
  }

  const verdict: Verdict = { people: 0, converged: 0, convergedRatio: 0, lost: 0, duplicates, missing: { hubspot: 0, salesforce: 0 }, invalidInSalesforce: 0, disagreeingLinks, examples: [], lostEdits: [] };
  const note = (index: number, reason: string) => {
    if (verdict.examples.length < 20) verdict.examples.push({ index, reason });
  };
  for (const index of population.indexes) {
    verdict.people += 1;
    const expected = population.startValues(index);
    for (const field of COMPARED_FIELDS) {
      const edit = latest.get(`${index}|${field.hubspot}`);
      if (edit) expected[field.hubspot] = edit.value;
    }
    const hs = bySide.hubspot.get(index) ?? [];
    const sf = bySide.salesforce.get(index) ?? [];
    const invalid = population.invalid.has(index);
    let ok = true;
    if (hs.length === 0) {
      verdict.missing.hubspot += 1;
      note(index, 'missing in HubSpot');
      ok = false;
    }
    if (invalid && sf.length > 0) {
      verdict.invalidInSalesforce += 1;
      note(index, 'an invalid person reached Salesforce');
      ok = false;
    }
    if (!invalid && sf.length === 0) {
      verdict.missing.salesforce += 1;
      note(index, 'missing in Salesforce');
      ok = false;
    }
    const sides = invalid ? [hs] : [hs, sf];
    for (const field of COMPARED_FIELDS) {
      const want = expected[field.hubspot];
      const held = sides.every((records) => records.length > 0 && records.every((r) => r.fields[field.hubspot] === want));
      if (!held) {
        ok = false;
        const got = sides.map((records) => records.map((r) => `${r.side}=${JSON.stringify(r.fields[field.hubspot])}`).join(',')).join(' ');
        note(index, `${field.hubspot}: expected ${JSON.stringify(want)}, got ${got}`);
        const edit = latest.get(`${index}|${field.hubspot}`);
        if (edit) {
          verdict.lost += 1;
          verdict.lostEdits.push(edit);
        }
      }
    }
    if (!invalid && hs.length === 1 && sf.length === 1 && (hs[0]?.link !== sf[0]?.id || sf[0]?.link !== hs[0]?.id)) {
      ok = false;
      note(index, 'not linked to each other');
    }
    if (hs.length > 1 || sf.length > 1) ok = false;
    if (ok) verdict.converged += 1;
  }
  // Rounded down (to 1e-6): 1 means every person converged, never a few short of it.
  verdict.convergedRatio = verdict.people === 0 ? 1 : Math.floor((verdict.converged / verdict.people) * 1_000_000) / 1_000_000;
  return verdict;
}
