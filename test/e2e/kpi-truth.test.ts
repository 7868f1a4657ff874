/**
 * KPI correctness against the generator's ground truth. A generated revenue team of 12,000 people
 * (a year of history written into both simulators) is linked by revloop's backfill; the year is
 * then replayed as the stage entries revloop records as people move (the lifecycle e2e tests prove
 * that recording), because that history happened before revloop was installed. Everything else the
 * KPIs use is read from the simulators through the real clients: opportunities, contact roles,
 * account primaries, sources, campaign members, campaign costs. Every KPI must equal the truth.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMappings } from '../../src/config/mapping/load.js';
import type { GroundTruth } from '../../src/sandbox/generator/truth.js';
import { startSandboxes, type Sandboxes } from '../../src/sandbox/start-sandboxes.js';
import { LifecycleStore, type TransitionEvent } from '../../src/state/lifecycle-store.js';
import { buildKpis, type FullKpiReport } from '../../src/reports/kpis.js';
import { backfill } from '../../src/worker/backfill/run-backfill.js';
import { directSyncContext } from '../../src/worker/sync/direct-context.js';
import type { SyncContext } from '../../src/worker/sync/sync-context.js';
import { SHIPPED_MAPPINGS } from '../helpers/mappings.js';
import { useRedis, type RedisTestContext } from '../helpers/redis.js';

const PEOPLE = 12_000;
let sandboxes: Sandboxes;
let redis: RedisTestContext;
let ctx: SyncContext;
let truth: GroundTruth;
let report: FullKpiReport;

/** Sums of fractional shares may add up in another order: compare to a millionth. */
function rounded<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? Math.round(v * 1e6) / 1e6 : v))) as T;
}

beforeAll(async () => {
  sandboxes = await startSandboxes({ people: PEOPLE, seed: 20261129, hubspot: { rateLimits: { enabled: false } }, salesforce: { dailyApiLimit: 100_000_000, changeDataCapture: false } });
  truth = sandboxes.truth as GroundTruth;
  redis = await useRedis('kpi');
  const loaded = await loadMappings(SHIPPED_MAPPINGS);
  if (!loaded.set) throw new Error('shipped mappings invalid');
  const c = sandboxes.connection;
  ctx = directSyncContext({
    connectionId: 'kpi',
    root: redis.root,
    redis: redis.redis,
    mappings: loaded.set,
    hubspot: { baseUrl: c.hubspot.baseUrl, accessToken: c.hubspot.accessToken, appId: c.hubspot.appId },
    salesforce: { instanceUrl: c.salesforce.instanceUrl, accessToken: c.salesforce.accessToken, version: c.salesforce.version },
    limits: { hubspotTenSecond: 1_000_000, hubspotSearchPerSecond: 10_000 },
    now: () => truth.now,
  });
  await backfill(ctx, { pair: 'contacts' });

  // The year before revloop, as the stage entries it records.
  const store = new LifecycleStore(ctx.redis, ctx.keys);
  await ctx.redis.del(store.transitionsKey);
  const events: TransitionEvent[] = [];
  for (const p of truth.persons) {
    const salesforceId = p.salesforce?.contactId ?? p.salesforce?.leadId ?? undefined;
    const person = p.hubspot?.id ?? (salesforceId ? (await ctx.links.bySalesforce('contacts', [salesforceId])).get(salesforceId) : undefined);
    if (!person) throw new Error(`person ${p.index} (${p.email}) was not linked by the backfill`);
    let from: string | undefined;
    for (const entry of p.journey) {
      const sla = entry.stage === 'mql' ? p.sla.find((s) => s.mqlAt === entry.at) : undefined;
      events.push({ person, salesforceId, from, to: entry.stage, at: entry.at, cause: 'history', actor: 'import', reason: entry.reason, segment: sla?.segment });
      from = entry.stage;
    }
  }
  for (let i = 0; i < events.length; i += 5000) await store.record(events.slice(i, i + 5000));
  report = await buildKpis(ctx, { now: truth.now });
}, 240_000);

afterAll(async () => {
  await sandboxes?.close();
  await redis?.cleanup();
});

describe('KPIs against the ground truth of a generated year', () => {
  it('has a dataset large enough to mean something', () => {
    expect(truth.persons.length).toBeGreaterThanOrEqual(10_000);
    expect(truth.opportunities.length).toBeGreaterThan(100);
    expect(truth.aggregates.reached.customer).toBeGreaterThan(20);
    // Every kind of figure is populated, so an equality below cannot hold by being empty on both sides.
    expect(Object.keys(report.revenueBySource).length).toBeGreaterThanOrEqual(5);
    expect(report.revenueBySource['(unknown)']).toBeUndefined();
    expect(Object.keys(report.revenueByCampaign.firstTouch).length).toBeGreaterThanOrEqual(5);
    expect(Object.keys(report.velocity).length).toBeGreaterThanOrEqual(8);
    expect(Math.min(report.sla.met, report.sla.breached, report.sla.closed)).toBeGreaterThan(0);
    expect(Object.keys(report.recycleReasons).length).toBeGreaterThanOrEqual(3);
    expect(report.opportunities.won * report.opportunities.lost * report.opportunities.open).toBeGreaterThan(0);
  });

  it('volumes per stage, by month and ISO week', () => {
    expect(report.stageVolume).toEqual(truth.aggregates.stageVolume);
  });

  it('people who reached each stage and stand in it now', () => {
    expect(report.reached).toEqual(truth.aggregates.reached);
    expect(report.current).toEqual(truth.aggregates.current);
  });

  it('conversion between stages', () => {
    const t = truth.aggregates.conversion;
    expect({
      inquiryToMql: report.conversion['lead→mql'],
      mqlToSal: report.conversion['mql→sal'],
      salToSql: report.conversion['sal→sql'],
      sqlToOpportunity: report.conversion['sql→opportunity'],
      opportunityToWon: report.conversion['opportunity→customer'],
      sqlToWon: report.conversion['sql→customer'],
    }).toEqual(t);
  });

  it('velocity: median and p90 days between consecutive stages', () => {
    expect(report.velocity).toEqual(truth.aggregates.velocity);
  });

  it('SLA compliance overall and per segment, and the detour reasons', () => {
    expect(report.sla).toEqual(truth.aggregates.sla);
    expect(report.recycleReasons).toEqual(truth.aggregates.recycleReasons);
    expect(report.disqualifyReasons).toEqual(truth.aggregates.disqualifyReasons);
  });

  it('opportunities: open, won, lost, pipeline, won revenue, loss reasons', () => {
    expect(rounded(report.opportunities)).toEqual(rounded(truth.aggregates.opportunities));
  });

  it('pipeline and won revenue by source and by campaign under every influence model', () => {
    expect(rounded(report.revenueBySource)).toEqual(rounded(truth.aggregates.revenueBySource));
    expect(rounded(report.revenueByCampaign)).toEqual(rounded(truth.aggregates.revenueByCampaign));
  });

  it('ROI per campaign', () => {
    expect(rounded(report.campaignRoi)).toEqual(rounded(truth.aggregates.campaignRoi));
  });
});
