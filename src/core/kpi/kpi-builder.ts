/**
 * The KPIs marketing and sales share, from the lifecycle's stage entries and the opportunities'
 * outcomes. Entries stream in (any interleaving of people, each person's in time order); one small
 * state per person is kept (last entry, stages reached, an open MQL awaiting acceptance), so the
 * memory is bounded by the number of people, not of events. Pure.
 *
 * Definitions:
 * - volume: stage entries (re-entries count) by UTC month and ISO week;
 * - reached: people who entered a stage; current: people whose last entry it is;
 * - conversion "a→b": reached(b) / reached(a), over consecutive funnel stages, and every stage to the last;
 * - velocity "a→b": days between consecutive entries of a person, median and p90 by nearest rank;
 * - SLA, per entry into the SLA's start stage: met (accepted within the segment's hours), breached
 *   (accepted later, or not accepted once due), closed (left by a detour before due), pending;
 * - revenue: each opportunity counts for its attributed person's source and campaigns (first touch,
 *   last touch, and an even split over the person's distinct campaigns); ROI = won revenue / cost.
 * With a period, events (entries, closes) inside it count; in cohort mode, the people whose first
 * entry into the SLA's start stage (the MQL) falls inside it, with everything they did.
 */
import type { LifecycleFile } from '../../config/mapping/schema/lifecycle.js';
import { isoWeekOf, monthOf, percentile, ratio } from './periods.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
export const NO_CAMPAIGN = '(none)';
export const UNKNOWN_SOURCE = '(unknown)';

export interface KpiDefinition {
  /** Every stage and detour id, funnel order first. */
  stages: string[];
  /** The ordered (non-detour) stages. */
  funnel: string[];
  recycle: string[];
  disqualify: string[];
  sla?: { startsAt: string; acceptedAt: string; hours: Record<string, number>; defaultSegment: string };
}

export function kpiDefinitionOf(lifecycle: LifecycleFile): KpiDefinition {
  const funnel = [...lifecycle.stages].sort((a, b) => a.order - b.order).map((s) => s.id);
  const segments = lifecycle.sla?.segments ?? [];
  return {
    stages: [...funnel, ...lifecycle.detours.map((d) => d.id)],
    funnel,
    recycle: lifecycle.detours.filter((d) => d.kind === 'recycle').map((d) => d.id),
    disqualify: lifecycle.detours.filter((d) => d.kind === 'disqualify').map((d) => d.id),
    ...(lifecycle.sla
      ? {
          sla: {
            startsAt: lifecycle.sla.starts_at,
            acceptedAt: lifecycle.sla.accepted_at,
            hours: Object.fromEntries(segments.map((s) => [s.id, s.accept_within_hours])),
            defaultSegment: segments.find((s) => !s.when)?.id ?? segments[segments.length - 1]?.id ?? 'standard',
          },
        }
      : {}),
  };
}

export interface StageEntry {
  person: string;
  stage: string;
  at: number;
  reason?: string | undefined;
  /** The SLA segment of an entry into the SLA's start stage. */
  segment?: string | undefined;
}

export interface KpiOpportunity {
  id: string;
  amount: number;
  isClosed: boolean;
  isWon: boolean;
  createdAt: number;
  closeDate?: number | undefined;
  lossReason?: string | null | undefined;
}

export interface Attribution {
  source?: string | undefined;
  /** The person's campaigns in touch order. */
  campaigns: readonly string[];
}

export interface PeriodCounts {
  total: number;
  byMonth: Record<string, number>;
  byWeek: Record<string, number>;
}

export interface VelocityFigure {
  count: number;
  medianDays: number | null;
  p90Days: number | null;
}

export interface SlaFigures {
  met: number;
  breached: number;
  closed: number;
  pending: number;
  compliance: number | null;
}

export interface RevenueFigures {
  opportunities: number;
  open: number;
  won: number;
  lost: number;
  pipeline: number;
  wonRevenue: number;
}

export interface CampaignReturn {
  actualCost: number;
  wonFirstTouch: number;
  wonLastTouch: number;
  wonEvenSplit: number;
  roiFirstTouch: number | null;
  roiLastTouch: number | null;
  roiEvenSplit: number | null;
}

export interface KpiReport {
  period: { from: number | null; to: number | null; mode: 'event' | 'cohort'; asOf: number };
  people: number;
  stageVolume: Record<string, PeriodCounts>;
  reached: Record<string, number>;
  current: Record<string, number>;
  conversion: Record<string, number | null>;
  velocity: Record<string, VelocityFigure>;
  sla: SlaFigures & { bySegment: Record<string, SlaFigures> };
  recycleReasons: Record<string, number>;
  disqualifyReasons: Record<string, number>;
  opportunities: RevenueFigures & { lossReasons: Record<string, number> };
  revenueBySource: Record<string, RevenueFigures>;
  revenueByCampaign: { firstTouch: Record<string, RevenueFigures>; lastTouch: Record<string, RevenueFigures>; evenSplit: Record<string, RevenueFigures> };
  campaignRoi: Record<string, CampaignReturn>;
}

export interface KpiOptions {
  now: number;
  from?: number | undefined;
  to?: number | undefined;
  mode?: 'event' | 'cohort';
}

interface PersonState {
  lastStage: number;
  lastAt: number;
  reached: number;
  /** An entry into the SLA start stage awaiting acceptance: its time, due time and segment. */
  openAt?: number;
  openDue?: number;
  openSegment?: string;
  /** Cohort mode: 1 in the cohort, 0 not (yet), -1 never (first MQL outside). */
  cohort: number;
  /** Cohort mode: entries before joining the cohort, replayed when the person joins. */
  early?: StageEntry[];
}

function emptySla(): SlaFigures {
  return { met: 0, breached: 0, closed: 0, pending: 0, compliance: null };
}

function emptyRevenue(): RevenueFigures {
  return { opportunities: 0, open: 0, won: 0, lost: 0, pipeline: 0, wonRevenue: 0 };
}

function has(bits: number, i: number): boolean {
  return Math.floor(bits / 2 ** i) % 2 === 1;
}

function bump(map: Record<string, number>, key: string, by = 1): void {
  map[key] = (map[key] ?? 0) + by;
}

export class KpiBuilder {
  private readonly index = new Map<string, number>();
  private readonly people = new Map<string, PersonState>();
  private readonly volume: Record<string, PeriodCounts> = {};
  private readonly durations = new Map<string, number[]>();
  private readonly sla: SlaFigures & { bySegment: Record<string, SlaFigures> } = { ...emptySla(), bySegment: {} };
  private readonly recycleReasons: Record<string, number> = {};
  private readonly disqualifyReasons: Record<string, number> = {};
  private readonly opportunities = { ...emptyRevenue(), lossReasons: {} as Record<string, number> };
  private readonly bySource: Record<string, RevenueFigures> = {};
  private readonly byCampaign = { firstTouch: {} as Record<string, RevenueFigures>, lastTouch: {} as Record<string, RevenueFigures>, evenSplit: {} as Record<string, RevenueFigures> };
  private readonly asOf: number;
  private readonly mode: 'event' | 'cohort';

  constructor(
    private readonly def: KpiDefinition,
    private readonly options: KpiOptions,
  ) {
    // Stages reached are kept as the binary digits of one number per person (exact up to 2^53).
    if (def.stages.length > 52) throw new Error(`the KPIs handle up to 52 stages and detours, the lifecycle has ${def.stages.length}`);
    def.stages.forEach((s, i) => this.index.set(s, i));
    for (const s of def.stages) this.volume[s] = { total: 0, byMonth: {}, byWeek: {} };
    for (const segment of Object.keys(def.sla?.hours ?? {})) this.sla.bySegment[segment] = emptySla();
    this.asOf = options.to !== undefined ? Math.min(options.now, options.to) : options.now;
    this.mode = options.mode ?? 'event';
    if (this.mode === 'cohort' && !def.sla) throw new Error('cohort KPIs need the lifecycle SLA start stage (the MQL)');
  }

  private inPeriod(at: number): boolean {
    return (this.options.from === undefined || at >= this.options.from) && (this.options.to === undefined || at < this.options.to);
  }

  /** One stage entry; a person's entries must come in time order. Unknown stages are ignored. */
  entry(e: StageEntry): void {
    const stage = this.index.get(e.stage);
    if (stage === undefined || e.at > this.asOf) return;
    let p = this.people.get(e.person);
    if (!p) {
      p = { lastStage: -1, lastAt: 0, reached: 0, cohort: 0 };
      this.people.set(e.person, p);
    }
    if (this.mode === 'cohort') {
      if (p.cohort === 0 && e.stage === this.def.sla?.startsAt) {
        p.cohort = this.inPeriod(e.at) ? 1 : -1;
        const early = p.early ?? [];
        delete p.early;
        if (p.cohort === 1) for (const x of early) this.count(p, x, true);
        else for (const x of early) this.track(p, x);
      }
      if (p.cohort === 0) {
        (p.early ??= []).push(e);
        return;
      }
      this.count(p, e, p.cohort === 1);
      return;
    }
    this.count(p, e, this.inPeriod(e.at));
  }

  /** Moves a person's state along without counting anything. */
  private track(p: PersonState, e: StageEntry): void {
    p.lastStage = this.index.get(e.stage) ?? p.lastStage;
    p.lastAt = e.at;
  }

  private count(p: PersonState, e: StageEntry, counted: boolean): void {
    const stage = this.index.get(e.stage) as number;
    const sla = this.def.sla;
    // The open SLA entry is answered (or left) by this entry.
    if (sla && p.openAt !== undefined && p.openDue !== undefined) {
      const segment = p.openSegment ?? sla.defaultSegment;
      if (e.stage === sla.acceptedAt) this.slaOutcome(segment, e.at <= p.openDue ? 'met' : 'breached');
      else this.slaOutcome(segment, e.at < p.openDue ? 'closed' : 'breached');
      delete p.openAt;
      delete p.openDue;
      delete p.openSegment;
    }
    if (counted) {
      const v = this.volume[e.stage] as PeriodCounts;
      v.total += 1;
      bump(v.byMonth, monthOf(e.at));
      bump(v.byWeek, isoWeekOf(e.at));
      if (!has(p.reached, stage)) p.reached += 2 ** stage;
      if (e.reason !== undefined && e.reason !== '') {
        if (this.def.recycle.includes(e.stage)) bump(this.recycleReasons, e.reason);
        else if (this.def.disqualify.includes(e.stage)) bump(this.disqualifyReasons, e.reason);
      }
      if (p.lastStage >= 0) {
        const key = `${this.def.stages[p.lastStage]}→${e.stage}`;
        let list = this.durations.get(key);
        if (!list) this.durations.set(key, (list = []));
        list.push((e.at - p.lastAt) / DAY_MS);
      }
      if (sla && e.stage === sla.startsAt) {
        const segment = e.segment && sla.hours[e.segment] !== undefined ? e.segment : sla.defaultSegment;
        p.openAt = e.at;
        p.openDue = e.at + (sla.hours[segment] ?? 0) * HOUR_MS;
        p.openSegment = segment;
      }
    }
    p.lastStage = stage;
    p.lastAt = e.at;
  }

  private slaOutcome(segment: string, outcome: 'met' | 'breached' | 'closed' | 'pending'): void {
    this.sla[outcome] += 1;
    const s = (this.sla.bySegment[segment] ??= emptySla());
    s[outcome] += 1;
  }

  private inWindow(o: KpiOpportunity): boolean {
    if (o.createdAt > this.asOf) return false;
    if (this.options.from === undefined && this.options.to === undefined) return true;
    // Open opportunities are a snapshot; closed ones count in the period they closed.
    if (!o.isClosed) return true;
    return o.closeDate !== undefined && this.inPeriod(o.closeDate);
  }

  /** One opportunity with its attributed person's source and campaigns. */
  opportunity(o: KpiOpportunity, who: Attribution | undefined): void {
    if (!this.inWindow(o)) return;
    const add = (f: RevenueFigures, share = 1) => {
      f.opportunities += share;
      if (!o.isClosed) {
        f.open += share;
        f.pipeline += o.amount * share;
      } else if (o.isWon) {
        f.won += share;
        f.wonRevenue += o.amount * share;
      } else f.lost += share;
    };
    add(this.opportunities);
    if (o.isClosed && !o.isWon && o.lossReason) bump(this.opportunities.lossReasons, o.lossReason);
    add((this.bySource[who?.source || UNKNOWN_SOURCE] ??= emptyRevenue()));
    const touches = who?.campaigns ?? [];
    add((this.byCampaign.firstTouch[touches[0] ?? NO_CAMPAIGN] ??= emptyRevenue()));
    add((this.byCampaign.lastTouch[touches[touches.length - 1] ?? NO_CAMPAIGN] ??= emptyRevenue()));
    const distinct = [...new Set(touches)];
    if (distinct.length === 0) add((this.byCampaign.evenSplit[NO_CAMPAIGN] ??= emptyRevenue()));
    for (const c of distinct) add((this.byCampaign.evenSplit[c] ??= emptyRevenue()), 1 / distinct.length);
  }

  finish(campaigns: ReadonlyArray<{ name: string; actualCost: number }>): KpiReport {
    const reached: Record<string, number> = Object.fromEntries(this.def.stages.map((s) => [s, 0]));
    const current: Record<string, number> = Object.fromEntries(this.def.stages.map((s) => [s, 0]));
    let people = 0;
    const sla = this.def.sla;
    for (const p of this.people.values()) {
      if (this.mode === 'cohort' && p.cohort !== 1) continue;
      if (this.mode === 'event' && p.reached === 0) continue;
      people += 1;
      this.def.stages.forEach((s, i) => {
        if (has(p.reached, i)) reached[s] = (reached[s] ?? 0) + 1;
      });
      const last = this.def.stages[p.lastStage];
      if (last !== undefined) current[last] = (current[last] ?? 0) + 1;
      if (sla && p.openDue !== undefined) this.slaOutcome(p.openSegment ?? sla.defaultSegment, this.asOf >= p.openDue ? 'breached' : 'pending');
    }
    const conversion: Record<string, number | null> = {};
    const funnel = this.def.funnel;
    for (let i = 1; i < funnel.length; i++) {
      const a = funnel[i - 1] as string;
      const b = funnel[i] as string;
      conversion[`${a}→${b}`] = ratio(reached[b] ?? 0, reached[a] ?? 0);
    }
    const last = funnel[funnel.length - 1];
    if (last !== undefined) for (const a of funnel.slice(0, -2)) conversion[`${a}→${last}`] = ratio(reached[last] ?? 0, reached[a] ?? 0);
    const velocity: Record<string, VelocityFigure> = {};
    for (const [key, list] of [...this.durations].sort(([a], [b]) => a.localeCompare(b))) {
      const sorted = Float64Array.from(list).sort();
      velocity[key] = { count: sorted.length, medianDays: percentile(sorted, 0.5), p90Days: percentile(sorted, 0.9) };
    }
    const compliance = (f: SlaFigures): SlaFigures => ({ ...f, compliance: ratio(f.met, f.met + f.breached) });
    const campaignRoi: Record<string, CampaignReturn> = {};
    for (const c of campaigns) {
      const won = (model: 'firstTouch' | 'lastTouch' | 'evenSplit') => this.byCampaign[model][c.name]?.wonRevenue ?? 0;
      const roi = (v: number) => (c.actualCost > 0 ? v / c.actualCost : null);
      campaignRoi[c.name] = {
        actualCost: c.actualCost,
        wonFirstTouch: won('firstTouch'),
        wonLastTouch: won('lastTouch'),
        wonEvenSplit: won('evenSplit'),
        roiFirstTouch: roi(won('firstTouch')),
        roiLastTouch: roi(won('lastTouch')),
        roiEvenSplit: roi(won('evenSplit')),
      };
    }
    return {
      period: { from: this.options.from ?? null, to: this.options.to ?? null, mode: this.mode, asOf: this.asOf },
      people,
      stageVolume: this.volume,
      reached,
      current,
      conversion,
      velocity,
      sla: { ...compliance(this.sla), bySegment: Object.fromEntries(Object.entries(this.sla.bySegment).map(([k, v]) => [k, compliance(v)])) },
      recycleReasons: this.recycleReasons,
      disqualifyReasons: this.disqualifyReasons,
      opportunities: this.opportunities,
      revenueBySource: this.bySource,
      revenueByCampaign: this.byCampaign,
      campaignRoi,
    };
  }
}

/**
 * Expected revenue of a planned campaign: planned leads × the measured conversion from `fromStage`
 * (where a campaign's people enter) to `wonStage` × the average won deal.
 */
export function forecastRevenue(report: Pick<KpiReport, 'reached' | 'opportunities'>, fromStage: string, wonStage: string, plannedLeads: number): { conversion: number | null; averageDeal: number | null; expectedRevenue: number | null } {
  const conversion = ratio(report.reached[wonStage] ?? 0, report.reached[fromStage] ?? 0);
  const averageDeal = ratio(report.opportunities.wonRevenue, report.opportunities.won);
  return { conversion, averageDeal, expectedRevenue: conversion === null || averageDeal === null ? null : plannedLeads * conversion * averageDeal };
}
