/**
 * Date and datetime values as the Salesforce REST API writes and reads them: responses use
 * '2024-05-01T10:00:00.000+0000' and '2024-05-01'; requests accept ISO 8601 with 'Z' or an offset.
 * Inside the store both are epoch milliseconds (dates at UTC midnight); the org's time zone is UTC.
 */
import { isoString } from '../../platform/iso-time.js';

const DAY_MS = 86_400_000;
/** 0000-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z: the years ISO text writes with four digits. */
const MIN_ISO_MS = -62_167_219_200_000;
const MAX_ISO_MS = 253_402_300_799_999;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

export function formatDateTime(ms: number): string {
  // The common case (integral ms in years 0000 to 9999) is ISO text with Salesforce's offset.
  if (Number.isInteger(ms) && ms >= MIN_ISO_MS && ms <= MAX_ISO_MS) return `${isoString(ms).slice(0, 23)}+0000`;
  const d = new Date(ms);
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}+0000`
  );
}

export function formatDate(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** UTC midnight of the day that contains ms. */
export function startOfDay(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

export function addDays(ms: number, days: number): number {
  return ms + days * DAY_MS;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d <= days;
}

/** Parses 'YYYY-MM-DD' (or a datetime, keeping its UTC date) to UTC midnight ms. */
export function parseDate(text: string): number | undefined {
  const m = DATE_RE.exec(text);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    return validDate(y, mo, d) ? Date.UTC(y, mo - 1, d) : undefined;
  }
  const dt = parseDateTime(text);
  return dt === undefined ? undefined : startOfDay(dt);
}

/** Parses an ISO 8601 datetime ('Z', '+0000', '+00:00' or no zone = UTC) or a bare date (UTC midnight). */
export function parseDateTime(text: string): number | undefined {
  const dm = DATE_RE.exec(text);
  if (dm) {
    const [y, mo, d] = [Number(dm[1]), Number(dm[2]), Number(dm[3])];
    return validDate(y, mo, d) ? Date.UTC(y, mo - 1, d) : undefined;
  }
  const m = DATETIME_RE.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])];
  const s = m[6] === undefined ? 0 : Number(m[6]);
  const ms = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  if (!validDate(y, mo, d) || h > 23 || mi > 59 || s > 59) return undefined;
  let offsetMin = 0;
  const zone = m[8];
  if (zone !== undefined && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
    if (oh > 14 || om > 59) return undefined;
    offsetMin = sign * (oh * 60 + om);
  }
  return Date.UTC(y, mo - 1, d, h, mi, s, ms) - offsetMin * 60_000;
}

export { DAY_MS };
