/**
 * Marketing's campaigns over the history window (always-on paid search, newsletter and partner program; quarterly
 * LinkedIn ads and ebooks; monthly webinars; trade shows every four months; one webinar still planned), each with the
 * channel (HubSpot original source) whose conversions it gets, its dates and its costs; and the calendar that finds
 * the campaign a conversion came from.
 */
import type { Rng } from './rng.js';
import type { Source } from './vocabulary.js';

export type CampaignKind = 'paid_search' | 'newsletter' | 'partner' | 'linkedin' | 'ebook' | 'webinar' | 'trade_show';

export interface CampaignPlan {
  index: number;
  name: string;
  kind: CampaignKind;
  /** Salesforce Campaign.Type. */
  type: string;
  channel: Source;
  start: number;
  end: number;
  budgetedCost: number;
  actualCost: number;
  status: 'Planned' | 'In Progress' | 'Completed';
}

const DAY = 86_400_000;
const WEBINARS = [
  'Pipeline hygiene', 'Lead scoring sales trusts', 'The MQL-to-SAL hand-off', 'Attribution without tears', 'Forecasting with RevOps',
  'Closing the loop on lost deals', 'Building a recycle program', 'SLA design for SDR teams', 'Marketing ROI for the board',
  'Account-based plays', 'Data quality at scale', 'Lifecycle stages explained',
];
const EBOOKS = ['The RevOps Playbook', 'State of B2B Funnels', 'Lead Management Benchmarks', 'The Alignment Guide'];
const SHOWS = ['SaaS Connect', 'RevOps Summit', 'B2B Marketing Expo', 'Sales Leadership Forum'];
const LINKEDIN = ['Funnel analytics', 'Closed-loop reporting', 'Lead routing', 'Pipeline visibility'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function isoDate(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

function monthStart(at: number): number {
  const d = new Date(at);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

function addMonths(at: number, months: number): number {
  const d = new Date(at);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, d.getUTCDate());
}

/** The campaigns of [windowStart, now), deterministic for the rng. */
export function planCampaigns(rng: Rng, windowStart: number, now: number): CampaignPlan[] {
  const plans: Array<Omit<CampaignPlan, 'index' | 'actualCost' | 'status'> & { perMonth?: number }> = [];
  const alwaysOn = { start: windowStart - 30 * DAY, end: now + 90 * DAY };
  plans.push({ name: 'Paid Search – Brand', kind: 'paid_search', type: 'Advertisement', channel: 'PAID_SEARCH', ...alwaysOn, budgetedCost: 0, perMonth: 6_000 });
  plans.push({ name: 'Paid Search – Category', kind: 'paid_search', type: 'Advertisement', channel: 'PAID_SEARCH', ...alwaysOn, budgetedCost: 0, perMonth: 12_000 });
  plans.push({ name: 'Newsletter', kind: 'newsletter', type: 'Email', channel: 'EMAIL_MARKETING', ...alwaysOn, budgetedCost: 0, perMonth: 1_500 });
  plans.push({ name: 'Partner Referral Program', kind: 'partner', type: 'Referral Program', channel: 'REFERRALS', ...alwaysOn, budgetedCost: 0, perMonth: 2_500 });
  let quarter = 0;
  for (let q = Date.UTC(new Date(windowStart).getUTCFullYear(), Math.floor(new Date(windowStart).getUTCMonth() / 3) * 3, 1); q < now; q = addMonths(q, 3)) {
    const end = addMonths(q, 3) - DAY;
    const year = new Date(q).getUTCFullYear();
    const label = `Q${Math.floor(new Date(q).getUTCMonth() / 3) + 1} ${year}`;
    plans.push({ name: `LinkedIn Ads – ${LINKEDIN[quarter % LINKEDIN.length] ?? ''} (${label})`, kind: 'linkedin', type: 'Banner Ads', channel: 'PAID_SOCIAL', start: q, end, budgetedCost: 25_000 });
    plans.push({ name: `Ebook: ${EBOOKS[quarter % EBOOKS.length] ?? ''} (${label})`, kind: 'ebook', type: 'Other', channel: 'OTHER_CAMPAIGNS', start: q, end, budgetedCost: 15_000 });
    quarter += 1;
  }
  let webinar = 0;
  for (let m = monthStart(windowStart); m < now + 40 * DAY; m = addMonths(m, 1)) {
    const day = m + (14 + rng.int(0, 10)) * DAY;
    const d = new Date(m);
    plans.push({
      name: `Webinar: ${WEBINARS[webinar % WEBINARS.length] ?? ''} (${MONTHS[d.getUTCMonth()] ?? ''} ${d.getUTCFullYear()})`,
      kind: 'webinar', type: 'Webinar', channel: 'EMAIL_MARKETING', start: day - 21 * DAY, end: day + 7 * DAY, budgetedCost: 4_000,
    });
    webinar += 1;
  }
  let show = 0;
  for (let m = addMonths(monthStart(windowStart), 2); m < now; m = addMonths(m, 4)) {
    const day = m + rng.int(3, 25) * DAY;
    plans.push({
      name: `Trade show: ${SHOWS[show % SHOWS.length] ?? ''} ${new Date(day).getUTCFullYear()}`,
      kind: 'trade_show', type: 'Trade Show', channel: 'OFFLINE', start: day - 14 * DAY, end: day + 14 * DAY, budgetedCost: 45_000,
    });
    show += 1;
  }
  return plans.map((plan, index) => {
    const months = (plan.end - plan.start) / (30 * DAY);
    const budgetedCost = plan.perMonth === undefined ? plan.budgetedCost : Math.round(plan.perMonth * months);
    const status = plan.start > now ? 'Planned' : plan.end < now ? 'Completed' : 'In Progress';
    const progress = status === 'Planned' ? 0 : status === 'Completed' ? 1 : (now - plan.start) / (plan.end - plan.start);
    const actualCost = Math.round(budgetedCost * progress * rng.between(0.85, 1.1));
    const { perMonth: _perMonth, ...rest } = plan;
    return { ...rest, index, budgetedCost, actualCost, status };
  });
}

/** Finds campaigns active at an instant, by channel. */
export class CampaignCalendar {
  private readonly byChannel = new Map<Source, CampaignPlan[]>();

  constructor(readonly plans: readonly CampaignPlan[]) {
    for (const plan of plans) {
      const list = this.byChannel.get(plan.channel) ?? [];
      list.push(plan);
      this.byChannel.set(plan.channel, list);
    }
  }

  /** A campaign of the channel running at `at` that the person has not touched yet, or undefined. */
  pick(rng: Rng, channel: Source, at: number, touched: ReadonlySet<number>): CampaignPlan | undefined {
    const active = (this.byChannel.get(channel) ?? []).filter((c) => c.start <= at && at <= c.end && !touched.has(c.index));
    return active.length === 0 ? undefined : rng.pick(active);
  }
}
