/**
 * The KPI figures of the ground truth, accumulated unit by unit as the generator writes them (so a million people
 * need not be kept in memory). Definitions (docs/sandbox-data.md): volumes count stage entries (re-entries too) by
 * UTC month and ISO week; conversion rates divide the number of people who ever reached a stage by the number who
 * reached the one before (Inquiry = lead); velocity takes each consecutive pair of journey entries A→B, in days
 * (ms / 86,400,000), median and p90 by nearest rank; revenue is attributed to the opportunity's attributed person.
 */
import type { CampaignTruth, OpportunityTruth, PersonTruth, SlaRecord, SlaSegment } from './truth.js';
import { STAGES, type Stage } from './vocabulary.js';

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
  /** met / (met + breached). */
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
  /** Won revenue divided by ActualCost (null without cost). */
  roiFirstTouch: number | null;
  roiLastTouch: number | null;
  roiEvenSplit: number | null;
}

export interface Aggregates {
  counts: {
    people: number;
    inHubSpot: number;
    inSalesforce: number;
    inBoth: number;
    hubspotOnly: number;
    salesforceOnly: number;
    leads: number;
    convertedLeads: number;
    contacts: number;
    companies: number;
    hubspotCompanies: number;
    accounts: number;
    opportunities: number;
    campaignMembers: number;
  };
  stageVolume: Record<Stage, PeriodCounts>;
  reached: Record<Stage, number>;
  current: Record<Stage, number>;
  conversion: {
    inquiryToMql: number | null;
    mqlToSal: number | null;
    salToSql: number | null;
    sqlToOpportunity: number | null;
    opportunityToWon: number | null;
    sqlToWon: number | null;
  };
  velocity: Record<string, VelocityFigure>;
  sla: SlaFigures & { bySegment: Record<SlaSegment, SlaFigures> };
  recycleReasons: Record<string, number>;
  disqualifyReasons: Record<string, number>;
  opportunities: RevenueFigures & { lossReasons: Record<string, number> };
  revenueBySource: Record<string, RevenueFigures>;
  revenueByCampaign: { firstTouch: Record<string, RevenueFigures>; lastTouch: Record<string, RevenueFigures>; evenSplit: Record<string, RevenueFigures> };
  campaignRoi: Record<string, CampaignReturn>;
}

const DAY_MS = 86_400_000;
export const NO_CAMPAIGN = '(none)';

export function monthKey(at: number): string {
  return new Date(at).toISOString().slice(0, 7);
}

/** ISO 8601 week, e.g. 2026-W09 (weeks start on Monday; week 1 holds the year's first Thursday). */
export function isoWeekKey(at: number): string {
  const d = new Date(at);
  const day = (d.getUTCDay() + 6) % 7;
  const thursday = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day + 3);
  const year = new Date(thursday).getUTCFullYear();
  const week = 1 + Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * DAY_MS));
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** Nearest-rank percentile of values sorted ascending (p in (0, 1]). */
export function nearestRank(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? null;
}

function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

function emptyRevenue(): RevenueFigures {
  return { opportunities: 0, open: 0, won: 0, lost: 0, pipeline: 0, wonRevenue: 0 };
}

function emptySla(): SlaFigures {
  return { met: 0, breached: 0, closed: 0, pending: 0, compliance: null };
}

function bump(map: Record<string, number>, key: string, by = 1): void {
  map[key] = (map[key] ?? 0) + by;
}

function addRevenue(map: Record<string, RevenueFigures>, key: string, opportunity: OpportunityTruth, share = 1): void {
  const figures = (map[key] ??= emptyRevenue());
  figures.opportunities += share;
  if (!opportunity.isClosed) {
    figures.open += share;
    figures.pipeline += opportunity.amount * share;
  } else if (opportunity.isWon) {
    figures.won += share;
    figures.wonRevenue += opportunity.amount * share;
  } else {
    figures.lost += share;
  }
}

export class AggregateBuilder {
  private readonly counts: Aggregates['counts'] = {
    people: 0, inHubSpot: 0, inSalesforce: 0, inBoth: 0, hubspotOnly: 0, salesforceOnly: 0, leads: 0, convertedLeads: 0,
    contacts: 0, companies: 0, hubspotCompanies: 0, accounts: 0, opportunities: 0, campaignMembers: 0,
  };
  private readonly volume = Object.fromEntries(STAGES.map((s) => [s, { total: 0, byMonth: {}, byWeek: {} }])) as Record<Stage, PeriodCounts>;
  private readonly reached = Object.fromEntries(STAGES.map((s) => [s, 0])) as Record<Stage, number>;
  private readonly current = Object.fromEntries(STAGES.map((s) => [s, 0])) as Record<Stage, number>;
  private readonly durations = new Map<string, number[]>();
  private readonly sla = { ...emptySla(), bySegment: { demo_request: emptySla(), standard: emptySla() } };
  private readonly recycleReasons: Record<string, number> = {};
  private readonly disqualifyReasons: Record<string, number> = {};
  private readonly opportunities = { ...emptyRevenue(), lossReasons: {} as Record<string, number> };
  private readonly bySource: Record<string, RevenueFigures> = {};
  private readonly byCampaign = { firstTouch: {} as Record<string, RevenueFigures>, lastTouch: {} as Record<string, RevenueFigures>, evenSplit: {} as Record<string, RevenueFigures> };

  addPerson(person: PersonTruth): void {
    const c = this.counts;
    c.people += 1;
    if (person.hubspot !== null) c.inHubSpot += 1;
    if (person.salesforce !== null) c.inSalesforce += 1;
    if (person.hubspot !== null && person.salesforce !== null) c.inBoth += 1;
    else if (person.hubspot !== null) c.hubspotOnly += 1;
    else c.salesforceOnly += 1;
    if (person.salesforce?.leadId != null) c.leads += 1;
    if (person.salesforce?.convertedAt != null) c.convertedLeads += 1;
    if (person.salesforce?.contactId != null) c.contacts += 1;
    if (person.salesforce !== null) c.campaignMembers += new Set(person.campaigns.map((t) => t.campaign)).size;

    const seen = new Set<Stage>();
    person.journey.forEach((entry, i) => {
      const volume = this.volume[entry.stage];
      volume.total += 1;
      bump(volume.byMonth, monthKey(entry.at));
      bump(volume.byWeek, isoWeekKey(entry.at));
      seen.add(entry.stage);
      if (entry.stage === 'recycled' && entry.reason !== undefined) bump(this.recycleReasons, entry.reason);
      if (entry.stage === 'disqualified' && entry.reason !== undefined) bump(this.disqualifyReasons, entry.reason);
      const previous = i > 0 ? person.journey[i - 1] : undefined;
      if (previous !== undefined) {
        const key = `${previous.stage}→${entry.stage}`;
        let list = this.durations.get(key);
        if (list === undefined) this.durations.set(key, (list = []));
        list.push((entry.at - previous.at) / DAY_MS);
      }
    });
    for (const stage of seen) this.reached[stage] += 1;
    this.current[person.stage] += 1;
    for (const record of person.sla) this.addSla(record);
  }

  private addSla(record: SlaRecord): void {
    this.sla[record.outcome] += 1;
    this.sla.bySegment[record.segment][record.outcome] += 1;
  }

  /** An opportunity with its attributed person (for source and campaign revenue). */
  addOpportunity(opportunity: OpportunityTruth, attributed: PersonTruth | undefined, campaignNames: readonly string[]): void {
    this.counts.opportunities += 1;
    const o = this.opportunities;
    o.opportunities += 1;
    if (!opportunity.isClosed) {
      o.open += 1;
      o.pipeline += opportunity.amount;
    } else if (opportunity.isWon) {
      o.won += 1;
      o.wonRevenue += opportunity.amount;
    } else {
      o.lost += 1;
      if (opportunity.lossReason !== null) bump(o.lossReasons, opportunity.lossReason);
    }
    addRevenue(this.bySource, attributed?.source ?? '(unknown)', opportunity);
    const touches = attributed?.campaigns ?? [];
    const name = (index: number | undefined): string => (index === undefined ? NO_CAMPAIGN : (campaignNames[index] ?? NO_CAMPAIGN));
    addRevenue(this.byCampaign.firstTouch, name(touches[0]?.campaign), opportunity);
    addRevenue(this.byCampaign.lastTouch, name(touches[touches.length - 1]?.campaign), opportunity);
    const distinct = [...new Set(touches.map((t) => t.campaign))];
    if (distinct.length === 0) addRevenue(this.byCampaign.evenSplit, NO_CAMPAIGN, opportunity);
    for (const index of distinct) addRevenue(this.byCampaign.evenSplit, name(index), opportunity, 1 / distinct.length);
  }

  addCompany(hubspot: boolean, account: boolean): void {
    this.counts.companies += 1;
    if (hubspot) this.counts.hubspotCompanies += 1;
    if (account) this.counts.accounts += 1;
  }

  finish(campaigns: readonly CampaignTruth[]): Aggregates {
    const velocity: Record<string, VelocityFigure> = {};
    for (const [key, list] of [...this.durations.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      const sorted = Float64Array.from(list).sort();
      const values = Array.from(sorted);
      velocity[key] = { count: values.length, medianDays: nearestRank(values, 0.5), p90Days: nearestRank(values, 0.9) };
    }
    const withCompliance = (f: SlaFigures): SlaFigures => ({ ...f, compliance: ratio(f.met, f.met + f.breached) });
    const campaignRoi: Record<string, CampaignReturn> = {};
    for (const campaign of campaigns) {
      const won = (model: keyof typeof this.byCampaign): number => this.byCampaign[model][campaign.name]?.wonRevenue ?? 0;
      const roi = (value: number): number | null => (campaign.actualCost > 0 ? value / campaign.actualCost : null);
      campaignRoi[campaign.name] = {
        actualCost: campaign.actualCost,
        wonFirstTouch: won('firstTouch'),
        wonLastTouch: won('lastTouch'),
        wonEvenSplit: won('evenSplit'),
        roiFirstTouch: roi(won('firstTouch')),
        roiLastTouch: roi(won('lastTouch')),
        roiEvenSplit: roi(won('evenSplit')),
      };
    }
    const r = this.reached;
    return {
      counts: { ...this.counts },
      stageVolume: this.volume,
      reached: { ...r },
      current: { ...this.current },
      conversion: {
        inquiryToMql: ratio(r.mql, r.lead),
        mqlToSal: ratio(r.sal, r.mql),
        salToSql: ratio(r.sql, r.sal),
        sqlToOpportunity: ratio(r.opportunity, r.sql),
        opportunityToWon: ratio(r.customer, r.opportunity),
        sqlToWon: ratio(r.customer, r.sql),
      },
      velocity,
      sla: {
        ...withCompliance(this.sla),
        bySegment: { demo_request: withCompliance(this.sla.bySegment.demo_request), standard: withCompliance(this.sla.bySegment.standard) },
      },
      recycleReasons: { ...this.recycleReasons },
      disqualifyReasons: { ...this.disqualifyReasons },
      opportunities: { ...this.opportunities, lossReasons: { ...this.opportunities.lossReasons } },
      revenueBySource: this.bySource,
      revenueByCampaign: this.byCampaign,
      campaignRoi,
    };
  }
}
