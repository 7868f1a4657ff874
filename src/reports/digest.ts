/**
 * The weekly digest marketing and sales both receive: last week's funnel against the week before,
 * acceptance SLA, why people were recycled or disqualified and deals lost, and the campaigns that
 * brought revenue. Rendered as Markdown (chat) and HTML (e-mail, the dashboard), POSTed to the
 * configured webhook and kept in Redis as the latest digest.
 */
import type { SyncContext } from '../worker/sync/sync-context.js';
import { reportFrom, type Row } from './index.js';
import { buildKpis, type FullKpiReport } from './kpis.js';
import { escapeHtml, htmlTable, markdownTable } from './render.js';

const DAY_MS = 86_400_000;

export interface Digest {
  connection: string;
  from: number;
  to: number;
  generatedAt: number;
  subject: string;
  markdown: string;
  html: string;
  headline: Array<{ label: string; value: number | null; previous: number | null }>;
}

/** Monday 00:00 UTC of the week before the one `now` is in, and the Monday after it. */
export function lastWeek(now: number): { from: number; to: number } {
  const d = new Date(now);
  const monday = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - ((d.getUTCDay() + 6) % 7) * DAY_MS;
  return { from: monday - 7 * DAY_MS, to: monday };
}

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function change(value: number | null, previous: number | null): string {
  if (value === null || previous === null) return '';
  if (previous === 0) return value === 0 ? ' (=)' : ' (new)';
  const pct = Math.round(((value - previous) / previous) * 100);
  return pct === 0 ? ' (=)' : ` (${pct > 0 ? '+' : ''}${pct} %)`;
}

function money(v: number | null): string {
  return v === null ? '—' : v.toLocaleString('en-US', { maximumFractionDigits: 0 });
}

export function digestKey(ctx: Pick<SyncContext, 'keys'>): string {
  return ctx.keys.key('digest', 'latest');
}

export function renderDigest(connection: string, week: { from: number; to: number }, now: number, k: FullKpiReport, before: FullKpiReport, ctx: Pick<SyncContext, 'mappings'>, dashboardUrl?: string): Digest {
  const sla = ctx.mappings.lifecycle.sla;
  const stages = [...ctx.mappings.lifecycle.stages].sort((a, b) => a.order - b.order);
  const entries = (r: FullKpiReport, id: string) => r.stageVolume[id]?.total ?? 0;
  const headline: Digest['headline'] = [
    ...stages.filter((s) => s.order > (stages[0]?.order ?? 0)).map((s) => ({ label: `${s.label} entries`, value: entries(k, s.id), previous: entries(before, s.id) })),
    { label: 'Won revenue', value: k.opportunities.wonRevenue, previous: before.opportunities.wonRevenue },
    { label: 'Open pipeline', value: k.opportunities.pipeline, previous: before.opportunities.pipeline },
    ...(sla ? [{ label: 'SLA compliance %', value: k.sla.compliance === null ? null : Math.round(k.sla.compliance * 1000) / 10, previous: before.sla.compliance === null ? null : Math.round(before.sla.compliance * 1000) / 10 }] : []),
  ];
  const funnel = reportFrom(ctx, 'funnel', k).tables[0]?.rows ?? [];
  const slaRows = reportFrom(ctx, 'sla', k).tables;
  const campaigns = (reportFrom(ctx, 'campaigns', k).tables[0]?.rows ?? []).filter((r) => (r.won_first_touch as number) > 0 || (r.pipeline_first_touch as number) > 0).slice(0, 5);
  const reasons = (slaRows[1]?.rows ?? []).slice(0, 10);
  const funnelRows: Row[] = funnel.map((r) => ({ stage: r.label as string, entries: r.entries ?? 0, week_before: before.stageVolume[r.stage as string]?.total ?? 0, to_next_pct: r.to_next_pct ?? null }));
  const title = `revloop weekly digest: ${day(week.from)} to ${day(week.to - DAY_MS)}`;
  const link = dashboardUrl ? `${dashboardUrl.replace(/\/$/, '')}/` : undefined;

  const md = [
    `# ${title}`,
    '',
    ...headline.map((h) => `- **${h.label}**: ${h.label.includes('revenue') || h.label.includes('pipeline') ? money(h.value) : (h.value ?? '—')}${change(h.value, h.previous)}`),
    '',
    '## Funnel',
    markdownTable(funnelRows),
    '',
    ...(sla ? ['## Acceptance SLA', markdownTable(slaRows[0]?.rows ?? []), ''] : []),
    '## Why people left the funnel, and deals were lost',
    markdownTable(reasons),
    '',
    '## Campaigns that brought revenue (first touch)',
    markdownTable(campaigns),
    ...(link ? ['', `Dashboard: ${link}`] : []),
    '',
  ].join('\n');

  const html = [
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>',
    escapeHtml(title),
    '</title><style>body{font-family:system-ui,sans-serif;color:#1a1a1a;max-width:900px;margin:auto;padding:1rem}table{border-collapse:collapse;margin:0.5rem 0 1.5rem}th,td{border:1px solid #c8c8c8;padding:4px 8px}caption{text-align:left;font-weight:600;padding:4px 0}ul{padding-left:1.2rem}</style></head><body>',
    `<h1>${escapeHtml(title)}</h1><ul>`,
    ...headline.map((h) => `<li><strong>${escapeHtml(h.label)}</strong>: ${escapeHtml(`${h.label.includes('revenue') || h.label.includes('pipeline') ? money(h.value) : (h.value ?? '—')}${change(h.value, h.previous)}`)}</li>`),
    '</ul>',
    htmlTable(funnelRows, 'Funnel (entries this week and the week before)'),
    ...(sla ? [htmlTable(slaRows[0]?.rows ?? [], 'Acceptance SLA')] : []),
    htmlTable(reasons, 'Why people left the funnel, and deals were lost'),
    htmlTable(campaigns, 'Campaigns that brought revenue (first touch)'),
    ...(link ? [`<p><a href="${escapeHtml(link)}">Open the dashboard</a></p>`] : []),
    '</body></html>',
  ].join('');
  return { connection, from: week.from, to: week.to, generatedAt: now, subject: title, markdown: md, html, headline };
}

/** Builds last week's digest, keeps it as the latest and, when a webhook is configured, sends it. */
export async function sendDigest(ctx: SyncContext, options: { webhookUrl?: string | undefined; dashboardUrl?: string | undefined; now?: number; fetchImpl?: typeof fetch } = {}): Promise<Digest & { delivered: boolean }> {
  const now = options.now ?? ctx.now();
  const week = lastWeek(now);
  const [k, before] = await Promise.all([buildKpis(ctx, { ...week, now }), buildKpis(ctx, { from: week.from - 7 * DAY_MS, to: week.from, now })]);
  const digest = renderDigest(ctx.connectionId, week, now, k, before, ctx, options.dashboardUrl);
  await ctx.redis.set(digestKey(ctx), JSON.stringify(digest));
  let delivered = false;
  if (options.webhookUrl) {
    const res = await (options.fetchImpl ?? fetch)(options.webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      // `text` is what chat webhooks (Slack, Mattermost, Teams connectors) display; mail relays take subject and html.
      body: JSON.stringify({ text: digest.markdown, subject: digest.subject, html: digest.html, connection: ctx.connectionId }),
    });
    delivered = res.ok;
    if (!res.ok) ctx.logger.warn({ status: res.status }, 'the weekly digest was not accepted by its webhook');
  }
  await ctx.audit.add({ at: now, action: 'digest', records: [], message: `weekly digest ${day(week.from)}–${day(week.to - DAY_MS)}${options.webhookUrl ? (delivered ? ', delivered' : ', NOT delivered') : ''}` });
  return { ...digest, delivered };
}

export async function latestDigest(ctx: Pick<SyncContext, 'keys' | 'redis'>): Promise<Digest | undefined> {
  const raw = await ctx.redis.get(digestKey(ctx));
  return raw ? (JSON.parse(raw) as Digest) : undefined;
}
