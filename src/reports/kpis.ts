/**
 * Loads what the KPIs are computed from and runs the builder: the lifecycle's transition events
 * (Redis, streamed in chunks), the opportunities with their contact roles, each opportunity's
 * attributed person (its primary contact role, else the account's primary contact), that person's
 * original source (HubSpot) and campaigns (Salesforce CampaignMember in touch order, or HubSpot's
 * first and last touch), and the campaigns' costs. Reads at backfill priority, writes nothing.
 */
import { forecastRevenue, KpiBuilder, kpiDefinitionOf, type Attribution, type KpiReport } from '../core/kpi/kpi-builder.js';
import type { SalesforceRecord } from '../providers/salesforce/salesforce-records.js';
import { select, where } from '../providers/salesforce/soql.js';
import { LifecycleStore } from '../state/lifecycle-store.js';
import type { SyncContext } from '../worker/sync/sync-context.js';
import { chunks } from '../platform/concurrency.js';

export interface KpiRange {
  from?: number | undefined;
  to?: number | undefined;
  mode?: 'event' | 'cohort';
  /** The report's "now" (tests and reruns); the wall clock by default. */
  now?: number;
}

export interface CampaignForecast {
  campaign: string;
  plannedLeads: number;
  conversion: number | null;
  averageDeal: number | null;
  expectedRevenue: number | null;
  /** Once the campaign ran: its people and first-touch won revenue. */
  actual: { leads: number; wonRevenue: number } | null;
}

export type FullKpiReport = KpiReport & { forecasts: CampaignForecast[] };

const CHUNK = 200;

function time(v: unknown): number | undefined {
  if (typeof v !== 'string' || v === '') return undefined;
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(ms) ? undefined : ms;
}

async function all(ctx: SyncContext, soql: string): Promise<SalesforceRecord[]> {
  const out: SalesforceRecord[] = [];
  for await (const page of ctx.salesforce.query(soql, 'backfill')) out.push(...page);
  return out;
}

export async function buildKpis(ctx: SyncContext, range: KpiRange = {}): Promise<FullKpiReport> {
  const mappings = ctx.mappings;
  const def = kpiDefinitionOf(mappings.lifecycle);
  const now = range.now ?? ctx.now();
  const builder = new KpiBuilder(def, { now, from: range.from, to: range.to, mode: range.mode ?? 'event' });

  // 1. Stage entries, oldest first.
  const store = new LifecycleStore(ctx.redis, ctx.keys);
  let after = '-';
  for (;;) {
    const events = await store.transitions(after, 10_000);
    if (events.length === 0) break;
    for (const e of events) builder.entry({ person: e.person, stage: e.to, at: e.at, reason: e.reason, segment: e.segment });
    after = (events[events.length - 1] as { id: string }).id;
  }

  // 2. Opportunities with their roles; the attributed person of each.
  const o = mappings.opportunities;
  const lossField = o.salesforce.loss_reason_field;
  const opportunities = await all(ctx, select(['Id', 'AccountId', 'Amount', 'IsClosed', 'IsWon', 'CreatedDate', 'CloseDate', 'StageName', ...(lossField ? [lossField] : [])], 'Opportunity', { children: [{ relationship: 'OpportunityContactRoles', fields: ['ContactId', 'IsPrimary', 'CreatedDate'] }] }));
  const attributed = new Map<string, string>();
  const roleless: SalesforceRecord[] = [];
  for (const opp of opportunities) {
    const roles = ((opp.OpportunityContactRoles as { records?: Array<{ ContactId?: string | null; IsPrimary?: boolean; CreatedDate?: string }> } | null)?.records ?? []).filter((r) => r.ContactId);
    const primary = roles.find((r) => r.IsPrimary) ?? [...roles].sort((a, b) => (time(a.CreatedDate) ?? 0) - (time(b.CreatedDate) ?? 0))[0];
    if (primary?.ContactId) attributed.set(opp.Id, primary.ContactId);
    else roleless.push(opp);
  }
  if (roleless.length > 0 && o.people.fallback !== 'none') {
    const accounts = [...new Set(roleless.map((r) => r.AccountId).filter((a): a is string => typeof a === 'string'))];
    const first = new Map<string, { id: string; at: number }>();
    for (const chunk of chunks(accounts, CHUNK)) {
      for (const c of await all(ctx, select(['Id', 'AccountId', 'CreatedDate'], 'Contact', { where: where.in('AccountId', chunk) }))) {
        const at = time(c.CreatedDate) ?? 0;
        const best = first.get(String(c.AccountId));
        if (!best || at < best.at || (at === best.at && c.Id < best.id)) first.set(String(c.AccountId), { id: c.Id, at });
      }
    }
    for (const opp of roleless) {
      const primary = typeof opp.AccountId === 'string' ? first.get(opp.AccountId) : undefined;
      if (primary) attributed.set(opp.Id, primary.id);
    }
  }

  // 3. Who those people are: source and campaigns.
  const contacts = [...new Set(attributed.values())];
  const links = await ctx.links.bySalesforce('contacts', contacts);
  const hubspotIds = [...new Set(links.values())];
  const campaignProps = ['hs_analytics_first_touch_converting_campaign', 'hs_analytics_last_touch_converting_campaign'];
  const hubspot = hubspotIds.length > 0 ? await ctx.contacts.read(hubspotIds, ['hs_analytics_source', ...(o.attribution.campaigns_from === 'hubspot' ? campaignProps : [])], { priority: 'backfill' }) : new Map();
  const campaigns = await all(ctx, select(['Id', 'Name', 'ActualCost', 'Status', 'NumberOfLeads', 'NumberOfContacts'], 'Campaign'));
  const campaignName = new Map(campaigns.map((c) => [c.Id, String(c.Name ?? c.Id)]));
  const touches = new Map<string, Array<{ campaign: string; at: number; id: string }>>();
  if (o.attribution.campaigns_from === 'salesforce') {
    for (const chunk of chunks(contacts, CHUNK)) {
      for (const m of await all(ctx, select(['Id', 'ContactId', 'CampaignId', 'CreatedDate'], 'CampaignMember', { where: where.in('ContactId', chunk) }))) {
        const list = touches.get(String(m.ContactId)) ?? [];
        list.push({ campaign: campaignName.get(String(m.CampaignId)) ?? String(m.CampaignId), at: time(m.CreatedDate) ?? 0, id: m.Id });
        touches.set(String(m.ContactId), list);
      }
    }
  }
  const attributionOf = (contactId: string): Attribution => {
    const hubspotId = links.get(contactId);
    const record = hubspotId ? hubspot.get(hubspotId) : undefined;
    const source = record?.properties.hs_analytics_source ?? undefined;
    if (o.attribution.campaigns_from === 'hubspot') {
      const first = record?.properties.hs_analytics_first_touch_converting_campaign;
      const last = record?.properties.hs_analytics_last_touch_converting_campaign;
      return { source: source ?? undefined, campaigns: [first, last].filter((c): c is string => typeof c === 'string' && c !== '').filter((c, i, a) => a.indexOf(c) === i) };
    }
    const list = (touches.get(contactId) ?? []).sort((a, b) => a.at - b.at || a.id.localeCompare(b.id));
    return { source: source ?? undefined, campaigns: list.map((t) => t.campaign) };
  };
  for (const opp of opportunities) {
    const person = attributed.get(opp.Id);
    const amount = typeof opp.Amount === 'number' ? opp.Amount : Number(opp.Amount ?? 0) || 0;
    builder.opportunity(
      { id: opp.Id, amount, isClosed: opp.IsClosed === true, isWon: opp.IsWon === true, createdAt: time(opp.CreatedDate) ?? 0, closeDate: time(opp.CloseDate), lossReason: lossField ? ((opp[lossField] as string | null | undefined) ?? null) : null },
      person ? attributionOf(person) : undefined,
    );
  }

  // 4. Costs and ROI; forecasts of planned campaigns.
  const costs = campaigns.map((c) => ({ name: String(c.Name ?? c.Id), actualCost: o.roi.cost_source === 'config' || typeof c.ActualCost !== 'number' ? (o.roi.costs[String(c.Name)] ?? (typeof c.ActualCost === 'number' ? c.ActualCost : 0)) : c.ActualCost }));
  for (const [name, cost] of Object.entries(o.roi.costs)) if (!costs.some((c) => c.name === name)) costs.push({ name, actualCost: cost });
  const report = builder.finish(costs);
  const leadStage = mappings.lifecycle.stages.find((s) => s.hubspot?.lifecyclestage === 'lead')?.id ?? def.funnel[0] ?? 'lead';
  const wonStage = def.funnel[def.funnel.length - 1] ?? 'customer';
  const forecasts: CampaignForecast[] = Object.entries(o.roi.forecasts).map(([campaign, plan]) => {
    const f = forecastRevenue(report, leadStage, wonStage, plan.leads);
    const row = campaigns.find((c) => c.Name === campaign);
    const leads = row ? Number(row.NumberOfLeads ?? 0) + Number(row.NumberOfContacts ?? 0) : 0;
    return { campaign, plannedLeads: plan.leads, ...f, actual: row && leads > 0 ? { leads, wonRevenue: report.revenueByCampaign.firstTouch[campaign]?.wonRevenue ?? 0 } : null };
  });
  return { ...report, forecasts };
}
