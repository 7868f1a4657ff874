/**
 * The generated world follows the documented distributions: the funnel rates of PRODUCT.md's benchmark ranges for
 * people whose earlier stage is old enough to have played out, acceptance around the SLA with some breaches, the
 * shipped industries and reasons, a mix of sources and segments, opportunities with roles and without.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { HubSpotStore } from '../../../src/sandbox/hubspot/store/hubspot-store.js';
import { SalesforceStore } from '../../../src/sandbox/salesforce/store/salesforce-store.js';
import { generateDataset } from '../../../src/sandbox/generator/generate-dataset.js';
import { SandboxClock } from '../../../src/sandbox/generator/sandbox-clock.js';
import type { GroundTruth, PersonTruth } from '../../../src/sandbox/generator/truth.js';
import { DISQUALIFY_REASONS, INDUSTRY_MAP, LOSS_REASONS, RECYCLE_REASONS, type Stage } from '../../../src/sandbox/generator/vocabulary.js';

const NOW = Date.parse('2026-03-01T00:00:00.000Z');
const DAY = 86_400_000;
let truth: GroundTruth;

beforeAll(async () => {
  const clock = new SandboxClock(() => NOW);
  truth = await generateDataset({ seed: 2026, people: 30_000, now: NOW, hubspot: new HubSpotStore({ now: clock.now }), salesforce: new SalesforceStore({ now: clock.now }), clock });
}, 120_000);

const entered = (p: PersonTruth, stage: Stage) => p.journey.find((e) => e.stage === stage)?.at;

/** Of the people who entered `from` at least 150 days before now, the share who ever entered `to`. */
function matureRate(from: Stage, to: Stage): number {
  const cohort = truth.persons.filter((p) => (entered(p, from) ?? NOW) < NOW - 150 * DAY);
  expect(cohort.length).toBeGreaterThan(200);
  return cohort.filter((p) => entered(p, to) !== undefined).length / cohort.length;
}

describe('distributions of a 30,000-person dataset', () => {
  it('converts within the benchmark ranges: Inquiry→MQL 10–25 %, MQL→SAL 40–60 %, SAL→SQL 50–70 %, SQL→Won 20–30 %', () => {
    expect(matureRate('lead', 'mql')).toBeGreaterThanOrEqual(0.1);
    expect(matureRate('lead', 'mql')).toBeLessThanOrEqual(0.25);
    expect(matureRate('mql', 'sal')).toBeGreaterThanOrEqual(0.4);
    expect(matureRate('mql', 'sal')).toBeLessThanOrEqual(0.6);
    expect(matureRate('sal', 'sql')).toBeGreaterThanOrEqual(0.5);
    expect(matureRate('sal', 'sql')).toBeLessThanOrEqual(0.7);
    expect(matureRate('sql', 'customer')).toBeGreaterThanOrEqual(0.2);
    expect(matureRate('sql', 'customer')).toBeLessThanOrEqual(0.3);
  });

  it('accepts MQLs around the SLA: most in time, some late, demo requests faster', () => {
    const accepted = truth.persons.flatMap((p) => p.sla).filter((s) => s.acceptedAt !== null);
    const late = accepted.filter((s) => s.outcome === 'breached').length / accepted.length;
    expect(late).toBeGreaterThan(0.1);
    expect(late).toBeLessThan(0.35);
    const median = (segment: string) => {
      const hours = accepted.filter((s) => s.segment === segment).map((s) => s.hoursToAccept ?? 0).sort((a, b) => a - b);
      return hours[Math.floor(hours.length / 2)] ?? 0;
    };
    expect(median('demo_request')).toBeGreaterThan(1);
    expect(median('demo_request')).toBeLessThan(4);
    expect(median('standard')).toBeGreaterThan(6);
    expect(median('standard')).toBeLessThan(24);
    const demo = truth.persons.filter((p) => p.segment === 'demo_request').length / truth.persons.filter((p) => p.segment !== null).length;
    expect(demo).toBeGreaterThan(0.2);
    expect(demo).toBeLessThan(0.4);
  });

  it("recycles and disqualifies with lifecycle.yaml's reasons, and loses deals with the org's loss reasons", () => {
    const { recycleReasons, disqualifyReasons, opportunities } = truth.aggregates;
    expect(Object.keys(recycleReasons).length).toBeGreaterThanOrEqual(4);
    for (const reason of Object.keys(recycleReasons)) expect(RECYCLE_REASONS).toContain(reason);
    expect(Object.keys(disqualifyReasons).length).toBeGreaterThanOrEqual(4);
    for (const reason of Object.keys(disqualifyReasons)) expect(DISQUALIFY_REASONS).toContain(reason);
    expect(Object.keys(opportunities.lossReasons).length).toBe(LOSS_REASONS.length);
    for (const reason of Object.keys(opportunities.lossReasons)) expect(LOSS_REASONS).toContain(reason);
  });

  it('spreads companies over the mapped industries and sizes, people over sources and domains', () => {
    const industries = new Set(truth.companies.map((c) => c.industry));
    expect(industries.size).toBeGreaterThan(25);
    for (const industry of industries) expect(Object.keys(INDUSTRY_MAP)).toContain(industry);
    const sizes = truth.companies.map((c) => c.employees).sort((a, b) => a - b);
    expect(sizes[0]).toBeLessThanOrEqual(10);
    expect(sizes.at(-1)).toBeGreaterThan(5000);
    expect(new Set(truth.companies.map((c) => c.domain)).size).toBe(truth.companies.length);
    const sources = new Set(truth.persons.map((p) => p.source));
    expect(sources.size).toBe(9);
    const freeMail = truth.persons.filter((p) => p.company === null).length / truth.persons.length;
    expect(freeMail).toBeGreaterThan(0.08);
    expect(freeMail).toBeLessThan(0.25);
    const perCompany = truth.persons.length / truth.companies.length;
    expect(perCompany).toBeGreaterThan(3);
    expect(perCompany).toBeLessThan(12);
  });

  it('has open, won and lost opportunities; most with contact roles, some only on the Account; amounts grow with company size', () => {
    const o = truth.opportunities;
    expect(o.filter((x) => !x.isClosed).length).toBeGreaterThan(20);
    expect(o.filter((x) => x.isWon).length).toBeGreaterThan(50);
    expect(o.filter((x) => x.isClosed && !x.isWon).length).toBeGreaterThan(50);
    const onAccount = o.filter((x) => x.via === 'account').length / o.length;
    expect(onAccount).toBeGreaterThan(0.02);
    expect(onAccount).toBeLessThan(0.3);
    const byEmployees = (min: number, max: number) => {
      const amounts = o.filter((x) => x.type === 'New Customer' && (truth.companies[x.company]?.employees ?? 0) >= min && (truth.companies[x.company]?.employees ?? 0) <= max).map((x) => x.amount).sort((a, b) => a - b);
      return amounts[Math.floor(amounts.length / 2)] ?? 0;
    };
    expect(byEmployees(201, 50_000)).toBeGreaterThan(byEmployees(1, 50));
  });

  it('spends campaign money and attributes revenue to campaigns', () => {
    const spent = truth.campaigns.reduce((n, c) => n + c.actualCost, 0);
    expect(spent).toBeGreaterThan(100_000);
    const attributed = Object.entries(truth.aggregates.revenueByCampaign.firstTouch).filter(([name, r]) => name !== '(none)' && r.wonRevenue > 0);
    expect(attributed.length).toBeGreaterThan(3);
    expect(Object.values(truth.aggregates.campaignRoi).some((r) => (r.roiFirstTouch ?? 0) > 0)).toBe(true);
  });
});
