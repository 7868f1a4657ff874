/**
 * `revloop report funnel|campaigns|sla|velocity|reasons [--from DATE] [--to DATE] [--cohort] [--format table|csv|json] [--connection ID]`
 * prints a KPI report; `revloop report digest [--send]` prints last week's digest (Markdown) and,
 * with --send, posts it to REVLOOP_DIGEST_WEBHOOK_URL.
 */
import type { Command } from 'commander';
import { RevloopError } from '../../platform/errors.js';
import { sendDigest } from '../../reports/digest.js';
import { buildReport, isReportKind, REPORT_KINDS } from '../../reports/index.js';
import { renderReport, REPORT_FORMATS, type ReportFormat } from '../../reports/render.js';
import { withConnection } from '../connection-context.js';

export interface ReportFlags {
  from?: string;
  to?: string;
  cohort: boolean;
  format: string;
  send: boolean;
  connection?: string;
}

/** A day (the start of it, UTC) or a full timestamp. `end` makes a bare day inclusive (the next midnight). */
export function parseDate(flag: string, value: string | undefined, end = false): number | undefined {
  if (value === undefined) return undefined;
  const day = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const ms = Date.parse(day ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(ms)) throw new RevloopError('BAD_REQUEST', `--${flag} "${value}" is not a date (use 2026-11-01 or 2026-11-01T08:00:00Z)`);
  return day && end ? ms + 86_400_000 : ms;
}

export async function runReportCommand(kind: string | undefined, flags: ReportFlags, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  if (kind === 'digest') {
    return withConnection(flags.connection, async (ctx, env) => {
      const digest = await sendDigest(ctx, { webhookUrl: flags.send ? env.REVLOOP_DIGEST_WEBHOOK_URL : undefined, dashboardUrl: env.REVLOOP_PUBLIC_URL });
      if (flags.send && !env.REVLOOP_DIGEST_WEBHOOK_URL) throw new RevloopError('BAD_REQUEST', '--send needs REVLOOP_DIGEST_WEBHOOK_URL');
      out.write(digest.markdown);
      return flags.send && !digest.delivered ? 1 : 0;
    });
  }
  if (kind === undefined || !isReportKind(kind)) throw new RevloopError('BAD_REQUEST', `choose a report: ${[...REPORT_KINDS, 'digest'].join(', ')}${kind === undefined ? '' : ` ("${kind}" is not one)`}`);
  if (!(REPORT_FORMATS as readonly string[]).includes(flags.format)) throw new RevloopError('BAD_REQUEST', `--format must be ${REPORT_FORMATS.join(', ')}, not "${flags.format}"`);
  const from = parseDate('from', flags.from);
  const to = parseDate('to', flags.to, true);
  if (from !== undefined && to !== undefined && from >= to) throw new RevloopError('BAD_REQUEST', '--from must be before --to');
  return withConnection(flags.connection, async (ctx) => {
    const report = await buildReport(ctx, kind, { from, to, mode: flags.cohort ? 'cohort' : 'event' });
    out.write(renderReport(report, flags.format as ReportFormat));
    return 0;
  });
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('Print a KPI report (funnel, campaigns, sla, velocity, reasons) or last week\'s digest.')
    .argument('[kind]', 'funnel | campaigns | sla | velocity | reasons | digest')
    .option('--from <date>', 'start of the period (a day, or a timestamp)')
    .option('--to <date>', 'end of the period (a day counts in full)')
    .option('--cohort', 'count the people whose first MQL falls in the period, with everything they did since', false)
    .option('--format <format>', 'table | csv | json', 'table')
    .option('--send', 'digest: also post it to REVLOOP_DIGEST_WEBHOOK_URL', false)
    .option('--connection <id>', 'the connection (needed when there are several)')
    .action(async (kind: string | undefined, flags: ReportFlags) => {
      process.exitCode = await runReportCommand(kind, flags);
    });
}
