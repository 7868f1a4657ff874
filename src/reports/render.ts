/** Renders reports as a text table, CSV (one table, or every table with a `table` column), JSON, Markdown and HTML. */
import { stringify } from 'csv-stringify/sync';
import type { Cell, Report, Row } from './index.js';

export const REPORT_FORMATS = ['table', 'csv', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

function text(v: Cell): string {
  if (v === null) return '—';
  if (typeof v === 'number') return Number.isInteger(v) ? v.toLocaleString('en-US') : v.toLocaleString('en-US', { maximumFractionDigits: 2 });
  return v;
}

export function textTable(rows: readonly Row[]): string {
  if (rows.length === 0) return '(nothing in this period)';
  const headers = Object.keys(rows[0] as Row);
  const cells = rows.map((r) => headers.map((h) => text(r[h] ?? null)));
  const numeric = headers.map((h) => rows.every((r) => r[h] === null || typeof r[h] === 'number'));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (values: string[]) => values.map((v, i) => (numeric[i] ? v.padStart(widths[i] ?? 0) : v.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

export function periodText(period: Report['period']): string {
  const day = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString().slice(0, 10));
  const range = period.from === null && period.to === null ? 'all time' : `${day(period.from) ?? 'the start'} to ${day(period.to) ?? 'now'}`;
  return `${range}${period.mode === 'cohort' ? ' (MQL cohort)' : ''}, as of ${new Date(period.asOf).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function renderReport(report: Report, format: ReportFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'csv': {
      if (report.tables.length === 1) {
        const rows = report.tables[0]?.rows ?? [];
        return stringify(rows, { header: true, columns: rows[0] ? Object.keys(rows[0]) : [], cast: { number: (n) => String(n) } });
      }
      // Several tables: one CSV per table, each headed by a `table` column, separated by a blank line.
      return report.tables.map((t) => stringify(t.rows.map((r) => ({ table: t.name, ...r })), { header: true, columns: ['table', ...(t.rows[0] ? Object.keys(t.rows[0]) : [])], cast: { number: (n) => String(n) } })).join('\n');
    }
    case 'table':
      return `${report.title}: ${periodText(report.period)}\n\n${report.tables.map((t) => `${report.tables.length > 1 ? `${t.name}\n` : ''}${textTable(t.rows)}`).join('\n\n')}\n`;
  }
}

function escapeMarkdown(v: string): string {
  return v.replace(/[|\\`*_[\]<>]/g, (c) => `\\${c}`);
}

export function markdownTable(rows: readonly Row[]): string {
  if (rows.length === 0) return '_nothing in this period_';
  const headers = Object.keys(rows[0] as Row);
  return [`| ${headers.join(' | ')} |`, `| ${headers.map((h) => (rows.every((r) => r[h] === null || typeof r[h] === 'number') ? '---:' : '---')).join(' | ')} |`, ...rows.map((r) => `| ${headers.map((h) => escapeMarkdown(text(r[h] ?? null))).join(' | ')} |`)].join('\n');
}

export function escapeHtml(v: string): string {
  return v.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

export function htmlTable(rows: readonly Row[], caption: string): string {
  if (rows.length === 0) return `<p>${escapeHtml(caption)}: nothing in this period.</p>`;
  const headers = Object.keys(rows[0] as Row);
  const numeric = new Set(headers.filter((h) => rows.every((r) => r[h] === null || typeof r[h] === 'number')));
  const cell = (h: string, v: Cell, tag: 'td' | 'th') => `<${tag}${tag === 'th' ? ' scope="row"' : ''}${numeric.has(h) ? ' style="text-align:right"' : ''}>${escapeHtml(text(v))}</${tag}>`;
  return `<table><caption>${escapeHtml(caption)}</caption><thead><tr>${headers.map((h) => `<th scope="col"${numeric.has(h) ? ' style="text-align:right"' : ''}>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${headers.map((h, i) => cell(h, r[h] ?? null, i === 0 ? 'th' : 'td')).join('')}</tr>`).join('')}</tbody></table>`;
}
