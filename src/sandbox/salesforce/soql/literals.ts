/** SOQL literal values: quoted strings with their escapes, LIKE patterns, and date literals as [start, end) ranges. */
import { DAY_MS, startOfDay } from '../datetime.js';

/** Removes the quotes of a SOQL string literal and resolves its escapes (\' \" \\ \n \t \r \b \f). */
export function unquote(literal: string): string {
  const body = literal.startsWith("'") && literal.endsWith("'") && literal.length >= 2 ? literal.slice(1, -1) : literal;
  return body.replace(/\\(.)/g, (_m, c: string) => {
    switch (c) {
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      default:
        return c;
    }
  });
}

/** A LIKE pattern (% any run, _ one character, \% and \_ literal) as a case-insensitive regular expression. */
export function likePattern(literal: string): RegExp {
  const body = literal.startsWith("'") && literal.endsWith("'") ? literal.slice(1, -1) : literal;
  let re = '';
  for (let i = 0; i < body.length; i++) {
    const c = body.charAt(i);
    if (c === '\\' && i + 1 < body.length) {
      const next = body.charAt(i + 1);
      i += 1;
      const literalChar = next === 'n' ? '\n' : next === 't' ? '\t' : next;
      re += literalChar.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    } else if (c === '%') re += '[\\s\\S]*';
    else if (c === '_') re += '[\\s\\S]';
    else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'i');
}

export interface TimeRange {
  /** Inclusive start (ms). */
  start: number;
  /** Exclusive end (ms). */
  end: number;
}

function monthStart(year: number, month: number): number {
  return Date.UTC(year, month, 1);
}

function weekStart(ms: number): number {
  const day = startOfDay(ms);
  return day - new Date(day).getUTCDay() * DAY_MS;
}

/** Ranges for whole periods (unit = day, week, month, quarter, year) offset from the current one. */
function periodRange(now: number, unit: 'day' | 'week' | 'month' | 'quarter' | 'year', from: number, count: number): TimeRange {
  const d = new Date(now);
  switch (unit) {
    case 'day': {
      const today = startOfDay(now);
      return { start: today + from * DAY_MS, end: today + (from + count) * DAY_MS };
    }
    case 'week': {
      const week = weekStart(now);
      return { start: week + from * 7 * DAY_MS, end: week + (from + count) * 7 * DAY_MS };
    }
    case 'month': {
      const y = d.getUTCFullYear();
      const m = d.getUTCMonth();
      return { start: monthStart(y, m + from), end: monthStart(y, m + from + count) };
    }
    case 'quarter': {
      const y = d.getUTCFullYear();
      const q = Math.floor(d.getUTCMonth() / 3) * 3;
      return { start: monthStart(y, q + from * 3), end: monthStart(y, q + (from + count) * 3) };
    }
    case 'year': {
      const y = d.getUTCFullYear();
      return { start: Date.UTC(y + from, 0, 1), end: Date.UTC(y + from + count, 0, 1) };
    }
  }
}

const FIXED: Record<string, [unit: 'day' | 'week' | 'month' | 'quarter' | 'year', from: number, count: number]> = {
  YESTERDAY: ['day', -1, 1],
  TODAY: ['day', 0, 1],
  TOMORROW: ['day', 1, 1],
  LAST_WEEK: ['week', -1, 1],
  THIS_WEEK: ['week', 0, 1],
  NEXT_WEEK: ['week', 1, 1],
  LAST_MONTH: ['month', -1, 1],
  THIS_MONTH: ['month', 0, 1],
  NEXT_MONTH: ['month', 1, 1],
  LAST_90_DAYS: ['day', -90, 91],
  NEXT_90_DAYS: ['day', 1, 90],
  THIS_QUARTER: ['quarter', 0, 1],
  LAST_QUARTER: ['quarter', -1, 1],
  NEXT_QUARTER: ['quarter', 1, 1],
  THIS_YEAR: ['year', 0, 1],
  LAST_YEAR: ['year', -1, 1],
  NEXT_YEAR: ['year', 1, 1],
  THIS_FISCAL_QUARTER: ['quarter', 0, 1],
  LAST_FISCAL_QUARTER: ['quarter', -1, 1],
  NEXT_FISCAL_QUARTER: ['quarter', 1, 1],
  THIS_FISCAL_YEAR: ['year', 0, 1],
  LAST_FISCAL_YEAR: ['year', -1, 1],
  NEXT_FISCAL_YEAR: ['year', 1, 1],
};

const UNIT_OF: Record<string, 'day' | 'week' | 'month' | 'quarter' | 'year'> = {
  DAYS: 'day',
  WEEKS: 'week',
  MONTHS: 'month',
  QUARTERS: 'quarter',
  YEARS: 'year',
  FISCAL_QUARTERS: 'quarter',
  FISCAL_YEARS: 'year',
};

/**
 * The range a date literal covers on the clock `now` (the org's fiscal year is the calendar year, time zone UTC).
 * LAST_N_DAYS:n includes today, as Salesforce documents; NEXT_N_DAYS:n starts tomorrow.
 */
export function dateLiteralRange(literal: string, now: number): TimeRange | undefined {
  const upper = literal.toUpperCase();
  const fixed = FIXED[upper];
  if (fixed !== undefined) return periodRange(now, ...fixed);
  const m = /^(LAST|NEXT)_N_([A-Z_]+):(\d+)$|^N_([A-Z_]+)_AGO:(\d+)$/.exec(upper);
  if (m === null) return undefined;
  if (m[1] !== undefined) {
    const unit = UNIT_OF[m[2] ?? ''];
    const n = Number(m[3]);
    if (unit === undefined) return undefined;
    if (unit === 'day') return m[1] === 'LAST' ? periodRange(now, 'day', -n, n + 1) : periodRange(now, 'day', 1, n);
    return m[1] === 'LAST' ? periodRange(now, unit, -n, n) : periodRange(now, unit, 1, n);
  }
  const unit = UNIT_OF[m[4] ?? ''];
  const n = Number(m[5]);
  if (unit === undefined) return undefined;
  return periodRange(now, unit, -n, 1);
}
