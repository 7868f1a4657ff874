/**
 * The reports both teams read: funnel (volumes, conversion, velocity), campaigns (revenue by source
 * and campaign under each influence model, ROI, forecasts), sla (acceptance compliance per segment,
 * recycle and disqualify reasons), and velocity and reasons on their own. Each is a table of rows (for the CLI's table and CSV and the
 * dashboard) plus the detail it came from (JSON).
 */
import type { KpiReport } from '../core/kpi/kpi-builder.js';
import { RevloopError } from '../platform/errors.js';
import type { SyncContext } from '../worker/sync/sync-context.js';
import { buildKpis, type CampaignForecast, type FullKpiReport, type KpiRange } from './kpis.js';

export { buildKpis, type FullKpiReport, type KpiRange } from './kpis.js';

export const REPORT_KINDS = ['funnel', 'campaigns', 'sla', 'velocity', 'reasons'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export type Cell = string | number | null;
export type Row = Record<string, Cell>;

export interface Report {
  kind: ReportKind;
  title: string;
  period: KpiReport['period'];
  /** Named tables: the first is the report's main table. */
  tables: Array<{ name: string; rows: Row[] }>;
  detail: Partial<FullKpiReport>;
}

export function isReportKind(kind: string): kind is ReportKind {
  return (REPORT_KINDS as readonly string[]).includes(kind);
}

function round(v: number | null, digits = 2): number | null {
  if (v === null) return null;
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

function percent(v: number | null): number | null {
  return v === null ? null : round(v * 100, 1);
}

export function funnelRows(k: KpiReport, labels: ReadonlyMap<string, string>, funnel: readonly string[], detours: readonly string[]): Row[] {
  const rows: Row[] = [];
  funnel.forEach((stage, i) => {
    const next = funnel[i + 1];
    const velocity = next ? k.velocity[`${stage}→${next}`] : undefined;
    rows.push({
      stage,
      label: labels.get(stage) ?? stage,
      entries: k.stageVolume[stage]?.total ?? 0,
      reached: k.reached[stage] ?? 0,
      current: k.current[stage] ?? 0,
      to_next_pct: next ? percent(k.conversion[`${stage}→${next}`] ?? null) : null,
      median_days_to_next: velocity ? round(velocity.medianDays) : null,
      p90_days_to_next: velocity ? round(velocity.p90Days) : null,
    });
  });
  for (const stage of detours) {
    rows.push({ stage, label: labels.get(stage) ?? stage, entries: k.stageVolume[stage]?.total ?? 0, reached: k.reached[stage] ?? 0, current: k.current[stage] ?? 0, to_next_pct: null, median_days_to_next: null, p90_days_to_next: null });
  }
  return rows;
}

export function campaignRows(k: FullKpiReport): Row[] {
  const names = new Set([...Object.keys(k.campaignRoi), ...Object.keys(k.revenueByCampaign.firstTouch)]);
  return [...names]
    .map((name) => {
      const roi = k.campaignRoi[name];
      const first = k.revenueByCampaign.firstTouch[name];
      return {
        campaign: name,
        cost: roi?.actualCost ?? null,
        opportunities: first?.opportunities ?? 0,
        pipeline_first_touch: round(first?.pipeline ?? 0),
        won_first_touch: round(roi?.wonFirstTouch ?? first?.wonRevenue ?? 0),
        won_last_touch: round(roi?.wonLastTouch ?? k.revenueByCampaign.lastTouch[name]?.wonRevenue ?? 0),
        won_even_split: round(roi?.wonEvenSplit ?? k.revenueByCampaign.evenSplit[name]?.wonRevenue ?? 0),
        roi_first_touch: round(roi?.roiFirstTouch ?? null),
        roi_last_touch: round(roi?.roiLastTouch ?? null),
        roi_even_split: round(roi?.roiEvenSplit ?? null),
      };
    })
    .sort((a, b) => (b.won_first_touch ?? 0) - (a.won_first_touch ?? 0) || a.campaign.localeCompare(b.campaign));
}

export function sourceRows(k: KpiReport): Row[] {
  return Object.entries(k.revenueBySource)
    .map(([source, f]) => ({ source, opportunities: f.opportunities, open: f.open, won: f.won, lost: f.lost, pipeline: round(f.pipeline), won_revenue: round(f.wonRevenue) }))
    .sort((a, b) => (b.won_revenue ?? 0) - (a.won_revenue ?? 0) || a.source.localeCompare(b.source));
}

export function forecastRows(forecasts: readonly CampaignForecast[]): Row[] {
  return forecasts.map((f) => ({
    campaign: f.campaign,
    planned_leads: f.plannedLeads,
    conversion_pct: percent(f.conversion),
    average_deal: round(f.averageDeal),
    expected_revenue: round(f.expectedRevenue),
    actual_leads: f.actual?.leads ?? null,
    actual_won: f.actual ? round(f.actual.wonRevenue) : null,
  }));
}

export function slaRows(k: KpiReport, labels: ReadonlyMap<string, string>): Row[] {
  const row = (segment: string, label: string, f: KpiReport['sla']) => ({ segment, label, met: f.met, breached: f.breached, closed: f.closed, pending: f.pending, compliance_pct: percent(f.compliance) });
  return [...Object.entries(k.sla.bySegment).map(([segment, f]) => row(segment, labels.get(segment) ?? segment, { ...f, bySegment: {} })), row('all', 'All MQLs', k.sla)];
}

export function reasonRows(k: KpiReport): Row[] {
  return [
    ...Object.entries(k.recycleReasons).map(([reason, count]) => ({ detour: 'recycle', reason, count })),
    ...Object.entries(k.disqualifyReasons).map(([reason, count]) => ({ detour: 'disqualify', reason, count })),
    ...Object.entries(k.opportunities.lossReasons).map(([reason, count]) => ({ detour: 'lost opportunity', reason, count })),
  ].sort((a, b) => a.detour.localeCompare(b.detour) || b.count - a.count);
}

/** Builds one report from the KPIs (computed once by the caller when several reports are wanted). */
export function reportFrom(ctx: Pick<SyncContext, 'mappings'>, kind: ReportKind, k: FullKpiReport): Report {
  const lifecycle = ctx.mappings.lifecycle;
  const labels = new Map<string, string>([...lifecycle.stages.map((s) => [s.id, s.label] as const), ...lifecycle.detours.map((d) => [d.id, d.label] as const), ...(lifecycle.sla?.segments ?? []).map((s) => [s.id, s.label ?? s.id] as const)]);
  const funnel = [...lifecycle.stages].sort((a, b) => a.order - b.order).map((s) => s.id);
  switch (kind) {
    case 'funnel':
      return {
        kind,
        title: 'Funnel',
        period: k.period,
        tables: [{ name: 'stages', rows: funnelRows(k, labels, funnel, lifecycle.detours.map((d) => d.id)) }],
        detail: { people: k.people, stageVolume: k.stageVolume, reached: k.reached, current: k.current, conversion: k.conversion, velocity: k.velocity },
      };
    case 'campaigns':
      return {
        kind,
        title: 'Campaigns and sources',
        period: k.period,
        tables: [
          { name: 'campaigns', rows: campaignRows(k) },
          { name: 'sources', rows: sourceRows(k) },
          ...(k.forecasts.length > 0 ? [{ name: 'forecasts', rows: forecastRows(k.forecasts) }] : []),
        ],
        detail: { opportunities: k.opportunities, revenueBySource: k.revenueBySource, revenueByCampaign: k.revenueByCampaign, campaignRoi: k.campaignRoi, forecasts: k.forecasts },
      };
    case 'velocity':
      return {
        kind,
        title: 'Velocity between stages',
        period: k.period,
        tables: [{ name: 'velocity', rows: Object.entries(k.velocity).map(([pair, v]) => ({ from: labels.get(pair.split('→')[0] ?? '') ?? pair, to: labels.get(pair.split('→')[1] ?? '') ?? pair, moves: v.count, median_days: round(v.medianDays), p90_days: round(v.p90Days) })) }],
        detail: { velocity: k.velocity },
      };
    case 'reasons':
      return {
        kind,
        title: 'Recycle, disqualify and loss reasons',
        period: k.period,
        tables: [{ name: 'reasons', rows: reasonRows(k) }],
        detail: { recycleReasons: k.recycleReasons, disqualifyReasons: k.disqualifyReasons, opportunities: k.opportunities },
      };
    case 'sla':
      return {
        kind,
        title: 'Acceptance SLA and reasons',
        period: k.period,
        tables: [
          { name: 'sla', rows: slaRows(k, labels) },
          { name: 'reasons', rows: reasonRows(k) },
        ],
        detail: { sla: k.sla, recycleReasons: k.recycleReasons, disqualifyReasons: k.disqualifyReasons },
      };
  }
}

export async function buildReport(ctx: SyncContext, kind: string, range: KpiRange = {}): Promise<Report> {
  if (!isReportKind(kind)) throw new RevloopError('BAD_REQUEST', `no report "${kind}"; choose ${REPORT_KINDS.join(', ')}`);
  return reportFrom(ctx, kind, await buildKpis(ctx, range));
}
