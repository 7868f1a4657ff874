/**
 * Every field rule on a table of cases: both blank, one blank, both set, a delete (clear) on one side,
 * and edits on both sides with their times, with and without a ledger from an earlier sync.
 */
import { describe, expect, it } from 'vitest';
import type { FieldRule } from '../../../src/config/mapping/schema/object-mapping.js';
import { planField, type FieldDecision, type FieldLedgerEntry } from '../../../src/core/sync/field-plan.js';
import { canonical, fingerprint, type SalesforceValue } from '../../../src/core/sync/values.js';

const NOW = 1_800_000_000_000;
const T1 = NOW - 3_000;
const T2 = NOW - 2_000;

function ledgerOf(hs: SalesforceValue, sf: SalesforceValue): FieldLedgerEntry {
  const f = (v: SalesforceValue) => {
    const c = canonical(v, 'text');
    return fingerprint(c.ok ? c.value : '');
  };
  return { hubspot: f(hs), salesforce: f(sf), at: NOW - 60_000 };
}

interface Case {
  name: string;
  hs: SalesforceValue;
  sf: SalesforceValue;
  hsAt?: number;
  sfAt?: number;
  /** Values both sides had at the last sync. */
  before?: [SalesforceValue, SalesforceValue];
  blank?: 'clear' | 'keep';
  expect: 'none' | ['hubspot' | 'salesforce', SalesforceValue];
}

function decide(rule: FieldRule, c: Case): FieldDecision {
  return planField(
    {
      rule,
      blank: c.blank ?? 'keep',
      hubspotType: 'string',
      salesforceType: 'string',
      salesforceWritable: true,
      hubspot: { value: c.hs, changedAt: c.hsAt },
      salesforce: { value: c.sf, changedAt: c.sfAt },
      towardSalesforce: { kind: 'value', value: c.hs },
      towardHubSpot: { kind: 'value', value: c.sf },
      ledger: c.before ? ledgerOf(c.before[0], c.before[1]) : undefined,
    },
    NOW,
  );
}

function check(rule: FieldRule, c: Case) {
  const d = decide(rule, c);
  if (c.expect === 'none') {
    expect(d.action, JSON.stringify(d)).toBe('none');
  } else {
    expect(d, JSON.stringify(d)).toMatchObject({ action: 'write', target: c.expect[0], value: c.expect[1] });
  }
}

const TABLE: Record<FieldRule, Case[]> = {
  'two-way': [
    { name: 'both blank', hs: null, sf: null, expect: 'none' },
    { name: 'equal', hs: 'Ada', sf: 'Ada', expect: 'none' },
    { name: 'first sync, Salesforce blank: fill it', hs: 'Ada', sf: null, expect: ['salesforce', 'Ada'] },
    { name: 'first sync, HubSpot blank: fill it', hs: '', sf: 'Ada', expect: ['hubspot', 'Ada'] },
    { name: 'first sync, both set, HubSpot more recent', hs: 'Ada', sf: 'Grace', hsAt: T2, sfAt: T1, expect: ['salesforce', 'Ada'] },
    { name: 'first sync, both set, Salesforce more recent', hs: 'Ada', sf: 'Grace', hsAt: T1, sfAt: T2, expect: ['hubspot', 'Grace'] },
    { name: 'first sync, tie goes to Salesforce', hs: 'Ada', sf: 'Grace', hsAt: T1, sfAt: T1, expect: ['hubspot', 'Grace'] },
    { name: 'edited in HubSpot only', hs: 'Ada L.', sf: 'Ada', before: ['Ada', 'Ada'], hsAt: T1, sfAt: T2, expect: ['salesforce', 'Ada L.'] },
    { name: 'edited in Salesforce only', hs: 'Ada', sf: 'Ada L.', before: ['Ada', 'Ada'], hsAt: T2, sfAt: T1, expect: ['hubspot', 'Ada L.'] },
    { name: 'edited on both, HubSpot later', hs: 'H', sf: 'S', before: ['Ada', 'Ada'], hsAt: T2, sfAt: T1, expect: ['salesforce', 'H'] },
    { name: 'edited on both, Salesforce later', hs: 'H', sf: 'S', before: ['Ada', 'Ada'], hsAt: T1, sfAt: T2, expect: ['hubspot', 'S'] },
    { name: 'cleared in HubSpot, blank: keep', hs: '', sf: 'Ada', before: ['Ada', 'Ada'], expect: 'none' },
    { name: 'cleared in HubSpot, blank: clear', hs: '', sf: 'Ada', before: ['Ada', 'Ada'], blank: 'clear', expect: ['salesforce', null] },
    { name: 'cleared in Salesforce, blank: clear', hs: 'Ada', sf: null, before: ['Ada', 'Ada'], blank: 'clear', expect: ['hubspot', ''] },
    { name: 'diverged earlier by a kept blank, nothing changed since', hs: '', sf: 'Ada', before: ['', 'Ada'], expect: 'none' },
  ],
  'prefer-salesforce-unless-blank': [
    { name: 'both blank', hs: null, sf: null, expect: 'none' },
    { name: 'Salesforce set wins', hs: 'H', sf: 'S', hsAt: T2, sfAt: T1, expect: ['hubspot', 'S'] },
    { name: 'Salesforce blank: HubSpot fills it', hs: 'H', sf: null, expect: ['salesforce', 'H'] },
    { name: 'HubSpot blank: Salesforce fills it', hs: null, sf: 'S', expect: ['hubspot', 'S'] },
    { name: 'edited in HubSpot: Salesforce still wins', hs: 'H2', sf: 'S', before: ['S', 'S'], hsAt: T2, expect: ['hubspot', 'S'] },
    { name: 'cleared in Salesforce: HubSpot value goes back', hs: 'H', sf: null, before: ['H', 'H'], blank: 'clear', expect: ['salesforce', 'H'] },
    { name: 'equal', hs: 'S', sf: 'S', expect: 'none' },
  ],
  'prefer-hubspot-unless-blank': [
    { name: 'both blank', hs: null, sf: null, expect: 'none' },
    { name: 'HubSpot set wins', hs: 'H', sf: 'S', hsAt: T1, sfAt: T2, expect: ['salesforce', 'H'] },
    { name: 'HubSpot blank: Salesforce fills it', hs: '', sf: 'S', expect: ['hubspot', 'S'] },
    { name: 'Salesforce blank: HubSpot fills it', hs: 'H', sf: null, expect: ['salesforce', 'H'] },
    { name: 'edited in Salesforce: HubSpot still wins', hs: 'H', sf: 'S2', before: ['H', 'H'], sfAt: T2, expect: ['salesforce', 'H'] },
  ],
  'always-salesforce': [
    { name: 'both blank', hs: null, sf: null, expect: 'none' },
    { name: 'Salesforce set', hs: 'H', sf: 'S', expect: ['hubspot', 'S'] },
    { name: 'HubSpot set, Salesforce blank, keep', hs: 'H', sf: null, expect: 'none' },
    { name: 'HubSpot set, Salesforce cleared, clear', hs: 'H', sf: null, blank: 'clear', expect: ['hubspot', ''] },
    { name: 'HubSpot edited: overwritten', hs: 'H2', sf: 'S', before: ['S', 'S'], hsAt: T2, sfAt: T1, expect: ['hubspot', 'S'] },
  ],
  'always-hubspot': [
    { name: 'both blank', hs: null, sf: null, expect: 'none' },
    { name: 'HubSpot set', hs: 'H', sf: 'S', expect: ['salesforce', 'H'] },
    { name: 'HubSpot blank, keep', hs: null, sf: 'S', expect: 'none' },
    { name: 'HubSpot cleared, clear', hs: '', sf: 'S', blank: 'clear', expect: ['salesforce', null] },
    { name: 'Salesforce edited: overwritten', hs: 'H', sf: 'S2', before: ['H', 'H'], hsAt: T1, sfAt: T2, expect: ['salesforce', 'H'] },
  ],
  'dont-sync': [
    { name: 'both blank', hs: null, sf: null, expect: 'none' },
    { name: 'both set, different', hs: 'H', sf: 'S', expect: 'none' },
    { name: 'one blank', hs: 'H', sf: null, expect: 'none' },
    { name: 'edited on both', hs: 'H', sf: 'S', before: ['a', 'b'], expect: 'none' },
  ],
};

describe.each(Object.entries(TABLE))('rule %s', (rule, cases) => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => check(rule as FieldRule, c));
});

describe('field decisions', () => {
  it('records a ledger after a write that makes the next sync a no-op', () => {
    const first = decide('two-way', { name: '', hs: 'Ada', sf: null, expect: 'none' });
    expect(first.action).toBe('write');
    if (first.action !== 'write') return;
    const second = planField(
      {
        rule: 'two-way',
        blank: 'keep',
        hubspotType: 'string',
        salesforceType: 'string',
        salesforceWritable: true,
        hubspot: { value: 'Ada', changedAt: T1 },
        salesforce: { value: 'Ada', changedAt: NOW },
        towardSalesforce: { kind: 'value', value: 'Ada' },
        towardHubSpot: { kind: 'value', value: 'Ada' },
        ledger: first.ledger,
      },
      NOW + 1,
    );
    expect(second.action).toBe('none');
  });

  it('never writes a read-only Salesforce field', () => {
    const d = planField(
      {
        rule: 'two-way',
        blank: 'keep',
        hubspotType: 'string',
        salesforceType: 'string',
        salesforceWritable: false,
        hubspot: { value: 'Acme', changedAt: T2 },
        salesforce: { value: 'ACME Corp', changedAt: T1 },
        towardSalesforce: { kind: 'value', value: 'Acme' },
        towardHubSpot: { kind: 'value', value: 'ACME Corp' },
        ledger: undefined,
      },
      NOW,
    );
    expect(d).toMatchObject({ action: 'none', reason: 'read-only' });
  });

  it('reports a value that cannot be converted, naming it', () => {
    const d = planField(
      {
        rule: 'always-hubspot',
        blank: 'keep',
        hubspotType: 'string',
        salesforceType: 'double',
        salesforceWritable: true,
        hubspot: { value: 'about 50', changedAt: T2 },
        salesforce: { value: null, changedAt: T1 },
        towardSalesforce: { kind: 'value', value: 'about 50' },
        towardHubSpot: { kind: 'value', value: null },
        ledger: undefined,
      },
      NOW,
    );
    expect(d).toEqual({ action: 'invalid', side: 'salesforce', message: '"about 50" is not a number' });
  });

  it('compares numbers, booleans and dates in canonical form', () => {
    const same = (hubspotType: 'number' | 'bool' | 'date' | 'datetime', salesforceType: 'double' | 'boolean' | 'date' | 'datetime', hs: string, sf: SalesforceValue) =>
      planField(
        {
          rule: 'two-way',
          blank: 'keep',
          hubspotType,
          salesforceType,
          salesforceWritable: true,
          hubspot: { value: hs, changedAt: T2 },
          salesforce: { value: sf, changedAt: T1 },
          towardSalesforce: { kind: 'value', value: hs },
          towardHubSpot: { kind: 'value', value: sf },
          ledger: undefined,
        },
        NOW,
      ).action;
    expect(same('number', 'double', '42.0', 42)).toBe('none');
    expect(same('bool', 'boolean', 'true', true)).toBe('none');
    expect(same('date', 'date', '1767571200000', '2026-01-05')).toBe('none');
    expect(same('datetime', 'datetime', '2026-01-05T10:00:00Z', '2026-01-05T10:00:00.000+0000')).toBe('none');
    expect(same('number', 'double', '42.5', 42)).toBe('write');
  });
});
