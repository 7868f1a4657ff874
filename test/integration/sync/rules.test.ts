/**
 * Every field rule on a table of cases, end to end through the real clients: both blank, one blank,
 * both set, a value cleared on one side after a sync, and edits on both sides at known times.
 * Each rule drives its own HubSpot property ↔ Salesforce field of a Lead.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FieldRule } from '../../../src/config/mapping/schema/object-mapping.js';
import { syncBatch } from '../../../src/worker/sync/sync-batch.js';
import { startSyncHarness, type SyncHarness } from '../../helpers/sync-harness.js';

const RULES: Array<{ rule: FieldRule; hubspot: string; salesforce: string; blank: 'keep' | 'clear' }> = [
  { rule: 'two-way', hubspot: 'jobtitle', salesforce: 'Title', blank: 'clear' },
  { rule: 'prefer-salesforce-unless-blank', hubspot: 'city', salesforce: 'City', blank: 'keep' },
  { rule: 'prefer-hubspot-unless-blank', hubspot: 'state', salesforce: 'State', blank: 'keep' },
  { rule: 'always-salesforce', hubspot: 'country', salesforce: 'Country', blank: 'clear' },
  { rule: 'always-hubspot', hubspot: 'zip', salesforce: 'PostalCode', blank: 'clear' },
  { rule: 'dont-sync', hubspot: 'address', salesforce: 'Street', blank: 'keep' },
];

let clock = Date.parse('2026-10-01T00:00:00Z');
const now = () => clock;
let h: SyncHarness;

beforeAll(async () => {
  h = await startSyncHarness({ hubspot: { now }, salesforce: { now }, now });
  // The shipped contact mapping, with one field per rule (the rest unchanged).
  const fields = h.ctx.mappings.contacts.fields.map((f) => {
    const row = RULES.find((r) => r.hubspot === f.hubspot);
    return row ? { ...f, rule: row.rule, blank: row.blank, salesforce: { Lead: row.salesforce }, salesforce_type: 'string' as const } : f;
  });
  (h.ctx.mappings as { contacts: typeof h.ctx.mappings.contacts }).contacts = { ...h.ctx.mappings.contacts, fields };
}, 60_000);
afterAll(async () => h?.close());

type Values = [hubspot: string, salesforce: string | null];

/** A linked person with each rule's field set as given, synced once when `before` is given, then edited. */
async function person(n: number, before: Values | undefined, after: Values, offsets: { hubspot: number; salesforce: number }) {
  const email = `rule${n}@example.com`;
  const initial = before ?? after;
  // Each case starts a day after the previous one; its edits happen `offsets` seconds into that day.
  const base = clock + 86_400_000;
  const times = { hubspot: base + offsets.hubspot * 1000, salesforce: base + offsets.salesforce * 1000 };
  clock = base - 3_600_000;
  const props: Record<string, string> = { email, lastname: `R${n}` };
  const fields: Record<string, string | null> = { Email: email, LastName: `R${n}`, Company: 'Rules' };
  for (const r of RULES) {
    props[r.hubspot] = initial[0];
    fields[r.salesforce] = initial[1];
  }
  const hs = h.hubspot.store.create('contacts', { properties: props }, { actor: { source: 'CRM_UI' } });
  const leadId = h.salesforce.store.insert('Lead', fields, { origin: 'ui' });
  if (before) {
    await syncBatch(h.ctx, { pair: 'contacts', hubspotIds: [hs.id], salesforceIds: [], priority: 'live' });
    const apply = async (side: 'hubspot' | 'salesforce', at: number) => {
      clock = at;
      if (side === 'hubspot') {
        const p: Record<string, string> = {};
        for (const r of RULES) if (after[0] !== before[0]) p[r.hubspot] = after[0];
        if (Object.keys(p).length) h.hubspot.store.update('contacts', hs.id, p, { actor: { source: 'CRM_UI' } });
      } else {
        const f: Record<string, string | null> = {};
        for (const r of RULES) if (after[1] !== before[1]) f[r.salesforce] = after[1];
        if (Object.keys(f).length) h.salesforce.store.update('Lead', leadId, f, { origin: 'ui' });
      }
    };
    const order = times.hubspot < times.salesforce ? (['hubspot', 'salesforce'] as const) : (['salesforce', 'hubspot'] as const);
    for (const side of order) await apply(side, side === 'hubspot' ? times.hubspot : times.salesforce);
  } else {
    // First sync: the change times are the creation times; set them apart.
    clock = Math.max(times.hubspot, times.salesforce);
    h.hubspot.store.update('contacts', hs.id, Object.fromEntries(RULES.map((r) => [r.hubspot, `${initial[0]}.`])), { actor: { source: 'CRM_UI' }, at: times.hubspot - 1 });
    h.hubspot.store.update('contacts', hs.id, Object.fromEntries(RULES.map((r) => [r.hubspot, initial[0]])), { actor: { source: 'CRM_UI' }, at: times.hubspot });
  }
  clock += 60_000;
  await syncBatch(h.ctx, { pair: "contacts", hubspotIds: [hs.id], salesforceIds: [leadId], priority: "live" });
  const hsNow = h.hubspot.store.get('contacts', hs.id, { properties: RULES.map((r) => r.hubspot) })!.properties;
  const sfNow = h.salesforce.store.get('Lead', leadId, RULES.map((r) => r.salesforce))!;
  return (rule: FieldRule): Values => {
    const r = RULES.find((x) => x.rule === rule)!;
    return [hsNow[r.hubspot] ?? '', (sfNow[r.salesforce] as string | null) ?? null];
  };
}

const T = (s: number) => s;

describe('field rules end to end', () => {
  it('both blank: nothing changes under any rule', async () => {
    const result = await person(1, undefined, ['', null], { hubspot: T(1), salesforce: T(2) });
    for (const { rule } of RULES) expect(result(rule), rule).toEqual(['', null]);
  });

  it('one blank (Salesforce): filled from HubSpot where the rule lets it', async () => {
    const result = await person(2, undefined, ['Paris', null], { hubspot: T(1), salesforce: T(2) });
    expect(result('two-way')).toEqual(['Paris', 'Paris']);
    expect(result('prefer-salesforce-unless-blank')).toEqual(['Paris', 'Paris']);
    expect(result('prefer-hubspot-unless-blank')).toEqual(['Paris', 'Paris']);
    expect(result('always-salesforce')).toEqual(['', null]);
    expect(result('always-hubspot')).toEqual(['Paris', 'Paris']);
    expect(result('dont-sync')).toEqual(['Paris', null]);
  });

  it('both set, HubSpot more recent', async () => {
    const result = await person(3, undefined, ['Paris', 'Lyon'], { hubspot: T(5), salesforce: T(1) });
    expect(result('two-way')).toEqual(['Paris', 'Paris']);
    expect(result('prefer-salesforce-unless-blank')).toEqual(['Lyon', 'Lyon']);
    expect(result('prefer-hubspot-unless-blank')).toEqual(['Paris', 'Paris']);
    expect(result('always-salesforce')).toEqual(['Lyon', 'Lyon']);
    expect(result('always-hubspot')).toEqual(['Paris', 'Paris']);
    expect(result('dont-sync')).toEqual(['Paris', 'Lyon']);
  });

  it('cleared in Salesforce after a sync', async () => {
    const result = await person(4, ['Paris', 'Paris'], ['Paris', null], { hubspot: T(1), salesforce: T(2) });
    expect(result('two-way')).toEqual(['', null]); // blank: clear carries the delete
    expect(result('prefer-salesforce-unless-blank')).toEqual(['Paris', 'Paris']); // Salesforce blank: HubSpot's value returns
    expect(result('prefer-hubspot-unless-blank')).toEqual(['Paris', 'Paris']);
    expect(result('always-salesforce')).toEqual(['', null]); // blank: clear follows Salesforce
    expect(result('always-hubspot')).toEqual(['Paris', 'Paris']);
    expect(result('dont-sync')).toEqual(['Paris', null]);
  });

  it('edited on both sides, Salesforce last', async () => {
    const result = await person(5, ['Paris', 'Paris'], ['Nice', 'Lille'], { hubspot: T(10), salesforce: T(20) });
    expect(result('two-way')).toEqual(['Lille', 'Lille']);
    expect(result('prefer-salesforce-unless-blank')).toEqual(['Lille', 'Lille']);
    expect(result('prefer-hubspot-unless-blank')).toEqual(['Nice', 'Nice']);
    expect(result('always-salesforce')).toEqual(['Lille', 'Lille']);
    expect(result('always-hubspot')).toEqual(['Nice', 'Nice']);
    expect(result('dont-sync')).toEqual(['Nice', 'Lille']);
  });

  it('edited on both sides, HubSpot last', async () => {
    const result = await person(6, ['Paris', 'Paris'], ['Nice', 'Lille'], { hubspot: T(40), salesforce: T(30) });
    expect(result('two-way')).toEqual(['Nice', 'Nice']);
    expect(result('prefer-salesforce-unless-blank')).toEqual(['Lille', 'Lille']);
    expect(result('prefer-hubspot-unless-blank')).toEqual(['Nice', 'Nice']);
  });
});
