/**
 * Outcome roll-ups: what sales did with a person, recomputed from ALL of the person's opportunities
 * every time (self-healing: a removed contact role or a deleted opportunity simply drops out), as
 * HubSpot property values. A person without opportunities gets blanks, so nothing is written for the
 * many people who never had one. Pure.
 */
import type { RollupDefinition, RollupMetric } from '../../config/mapping/schema/opportunities.js';
import type { OpportunityRecord } from './people.js';

const DAY_MS = 86_400_000;

export interface RollupContext {
  /** The opportunity field holding why it was lost. */
  lossReasonField?: string | undefined;
  /** When the person entered the stage `days_to_won` counts from (epoch ms). */
  daysFrom?: number | undefined;
}

function amount(o: OpportunityRecord): number {
  const v = o.Amount;
  return typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : 0;
}

function time(v: unknown): number | undefined {
  if (typeof v !== 'string' || v === '') return undefined;
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(ms) ? undefined : ms;
}

/** A number as HubSpot stores it: no exponent, at most two decimals, no trailing zeros. */
export function hubspotNumber(n: number): string {
  return String(Math.round(n * 100) / 100);
}

function day(ms: number | undefined): string {
  return ms === undefined ? '' : new Date(ms).toISOString().slice(0, 10);
}

function latest(list: readonly OpportunityRecord[], at: (o: OpportunityRecord) => number | undefined): OpportunityRecord | undefined {
  let best: OpportunityRecord | undefined;
  let bestAt = -Infinity;
  for (const o of list) {
    const t = at(o) ?? -Infinity;
    if (best === undefined || t > bestAt || (t === bestAt && o.Id > best.Id)) {
      best = o;
      bestAt = t;
    }
  }
  return best;
}

function metric(name: RollupMetric, all: readonly OpportunityRecord[], ctx: RollupContext): string {
  if (all.length === 0) return '';
  const open = all.filter((o) => o.IsClosed !== true);
  const won = all.filter((o) => o.IsWon === true);
  const lost = all.filter((o) => o.IsClosed === true && o.IsWon !== true);
  const closeOf = (o: OpportunityRecord) => time(o.CloseDate);
  switch (name) {
    case 'open_pipeline_amount':
      return hubspotNumber(open.reduce((s, o) => s + amount(o), 0));
    case 'opportunity_count':
      return String(all.length);
    case 'open_opportunity_count':
      return String(open.length);
    case 'last_opportunity_stage': {
      const last = latest(all, (o) => time(o.CreatedDate));
      return typeof last?.StageName === 'string' ? last.StageName : '';
    }
    case 'won_revenue':
      return hubspotNumber(won.reduce((s, o) => s + amount(o), 0));
    case 'won_count':
      return String(won.length);
    case 'first_won_date': {
      const dates = won.map(closeOf).filter((t): t is number => t !== undefined);
      return dates.length === 0 ? '' : day(Math.min(...dates));
    }
    case 'last_won_date': {
      const dates = won.map(closeOf).filter((t): t is number => t !== undefined);
      return dates.length === 0 ? '' : day(Math.max(...dates));
    }
    case 'last_loss_reason': {
      if (!ctx.lossReasonField) return '';
      const last = latest(lost, closeOf);
      const reason = last?.[ctx.lossReasonField];
      return typeof reason === 'string' ? reason : '';
    }
    case 'last_lost_date':
      return day(closeOf(latest(lost, closeOf) ?? { Id: '' }));
    case 'days_to_won': {
      const dates = won.map(closeOf).filter((t): t is number => t !== undefined);
      if (dates.length === 0 || ctx.daysFrom === undefined) return '';
      // Whole days from the stage entry to the first win (a win dated the same day is 0).
      const start = Date.UTC(new Date(ctx.daysFrom).getUTCFullYear(), new Date(ctx.daysFrom).getUTCMonth(), new Date(ctx.daysFrom).getUTCDate());
      return String(Math.max(0, Math.round((Math.min(...dates) - start) / DAY_MS)));
    }
  }
}

/** The roll-up values of one person, property → value ('' = blank). */
export function computeRollups(opportunities: readonly OpportunityRecord[], definitions: readonly RollupDefinition[], ctx: RollupContext = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of definitions) out[d.hubspot] = metric(d.metric, opportunities, ctx);
  return out;
}

/** Only the values that differ from what the contact holds (blank and missing are the same). */
export function rollupWrites(values: Readonly<Record<string, string>>, current: Readonly<Record<string, string | null | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const property in values) {
    const value = values[property] as string;
    const now = current[property] ?? '';
    if (now === value) continue;
    // HubSpot may hand numbers and dates back in another spelling ("50000.0", a midnight timestamp).
    if (value !== '' && now !== '' && Number.isFinite(Number(value)) && Number(now) === Number(value)) continue;
    if (/^\d{4}-\d{2}-\d{2}$/.test(value) && (now.startsWith(value) || day(time(now) ?? (Number.isFinite(Number(now)) ? Number(now) : undefined)) === value)) continue;
    out[property] = value;
  }
  return out;
}
