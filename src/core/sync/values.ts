/**
 * Values as the two systems hold them, and the conversions between them.
 * HubSpot keeps every property value as a string ('' or absent = blank). Salesforce keeps typed JSON
 * values (null = blank). revloop compares values in a canonical form per kind, so "42" and 42.0, or
 * "2026-01-05" and 1767571200000 (midnight UTC), are the same value.
 */
import type { HubSpotType, SalesforceType } from '../../config/mapping/schema/field-types.js';

export type HubSpotValue = string | null | undefined;
export type SalesforceValue = string | number | boolean | null | undefined;

/** How a field's values are compared. */
/** `email` compares ignoring case and surrounding spaces (HubSpot stores emails lower-cased). */
export type ValueKind = 'text' | 'email' | 'number' | 'boolean' | 'date' | 'datetime' | 'multi';

export type Converted<T> = { ok: true; value: T } | { ok: false; message: string };

const NUMERIC: ReadonlySet<SalesforceType> = new Set(['int', 'long', 'double', 'currency', 'percent']);
const DAY_MS = 86_400_000;

export function isBlank(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === 'string' && value.trim() === '');
}

/** The kind both sides' values are compared in: the more specific of the two declared types. */
export function valueKind(hubspot: HubSpotType, salesforce: SalesforceType): ValueKind {
  if (salesforce === 'multipicklist') return 'multi';
  if (salesforce === 'email') return 'email';
  if (NUMERIC.has(salesforce) && hubspot === 'number') return 'number';
  if (salesforce === 'boolean' && (hubspot === 'bool' || hubspot === 'enumeration')) return 'boolean';
  if (salesforce === 'date' && (hubspot === 'date' || hubspot === 'datetime')) return 'date';
  if (salesforce === 'datetime' && (hubspot === 'datetime' || hubspot === 'date')) return hubspot === 'date' ? 'date' : 'datetime';
  if (NUMERIC.has(salesforce) || hubspot === 'number') return 'number';
  if (salesforce === 'boolean' || hubspot === 'bool') return 'boolean';
  return 'text';
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** A date as YYYY-MM-DD (UTC) from epoch ms, an ISO date or an ISO datetime. */
export function toIsoDate(input: string | number): Converted<string> {
  if (typeof input === 'number' || /^-?\d+$/.test(input)) {
    const ms = Number(input);
    if (!Number.isFinite(ms)) return { ok: false, message: `"${input}" is not a date` };
    const d = new Date(ms);
    return { ok: true, value: `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` };
  }
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(input);
  if (!m) return { ok: false, message: `"${input}" is not a date (expected YYYY-MM-DD)` };
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const back = new Date(ms);
  if (back.getUTCDate() !== Number(m[3])) return { ok: false, message: `"${input}" is not a valid calendar date` };
  if (input.length > 10) {
    const parsed = Date.parse(input.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
    if (Number.isNaN(parsed)) return { ok: false, message: `"${input}" is not a date` };
    return toIsoDate(parsed);
  }
  return { ok: true, value: `${m[1]}-${m[2]}-${m[3]}` };
}

/** Epoch milliseconds from epoch ms, an ISO datetime (with Z, ±HH:MM or ±HHMM) or an ISO date. */
export function toEpochMs(input: string | number): Converted<number> {
  if (typeof input === 'number') return Number.isFinite(input) ? { ok: true, value: input } : { ok: false, message: `${input} is not a time` };
  if (/^-?\d+$/.test(input)) return { ok: true, value: Number(input) };
  const normalised = input.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(input) ? Date.parse(`${input}T00:00:00Z`) : Date.parse(normalised);
  return Number.isNaN(ms) ? { ok: false, message: `"${input}" is not a date and time` } : { ok: true, value: ms };
}

function parseNumber(input: string | number | boolean): Converted<number> {
  if (typeof input === 'number') return { ok: true, value: input };
  if (typeof input === 'boolean') return { ok: false, message: `${input} is not a number` };
  const cleaned = input.trim().replace(/,/g, '');
  const n = Number(cleaned);
  return cleaned !== '' && Number.isFinite(n) ? { ok: true, value: n } : { ok: false, message: `"${input}" is not a number` };
}

function parseBoolean(input: string | number | boolean): Converted<boolean> {
  if (typeof input === 'boolean') return { ok: true, value: input };
  const s = String(input).trim().toLowerCase();
  if (['true', '1', 'yes', 'y', 'on'].includes(s)) return { ok: true, value: true };
  if (['false', '0', 'no', 'n', 'off'].includes(s)) return { ok: true, value: false };
  return { ok: false, message: `"${input}" is not true or false` };
}

/**
 * The canonical form of a value for comparison and hashing: a string that is equal for equal values
 * of `kind`, whichever side and format they come from. Blank is ''.
 */
export function canonical(value: SalesforceValue, kind: ValueKind): Converted<string> {
  if (isBlank(value)) return { ok: true, value: '' };
  const v = value as string | number | boolean;
  switch (kind) {
    case 'number': {
      const n = parseNumber(v);
      return n.ok ? { ok: true, value: String(n.value) } : n;
    }
    case 'boolean': {
      const b = parseBoolean(v);
      return b.ok ? { ok: true, value: String(b.value) } : b;
    }
    case 'date':
      return typeof v === 'boolean' ? { ok: false, message: `${v} is not a date` } : toIsoDate(v);
    case 'datetime': {
      if (typeof v === 'boolean') return { ok: false, message: `${v} is not a date and time` };
      const t = toEpochMs(v);
      return t.ok ? { ok: true, value: String(t.value) } : t;
    }
    case 'multi':
      return {
        ok: true,
        value: String(v)
          .split(';')
          .map((s) => s.trim())
          .filter(Boolean)
          .sort()
          .join(';'),
      };
    case 'email':
      return { ok: true, value: String(v).trim().toLowerCase() };
    case 'text':
      return { ok: true, value: String(v) };
  }
}

/** A value as HubSpot takes it on a write ('' clears the property). */
export function toHubSpotValue(value: SalesforceValue, hubspot: HubSpotType): Converted<string> {
  if (isBlank(value)) return { ok: true, value: '' };
  const v = value as string | number | boolean;
  switch (hubspot) {
    case 'number': {
      const n = parseNumber(v);
      return n.ok ? { ok: true, value: String(n.value) } : n;
    }
    case 'bool': {
      const b = parseBoolean(v);
      return b.ok ? { ok: true, value: String(b.value) } : b;
    }
    case 'date':
      return typeof v === 'boolean' ? { ok: false, message: `${v} is not a date` } : toIsoDate(v);
    case 'datetime': {
      if (typeof v === 'boolean') return { ok: false, message: `${v} is not a date and time` };
      const t = toEpochMs(v);
      return t.ok ? { ok: true, value: new Date(t.value).toISOString() } : t;
    }
    default:
      return { ok: true, value: String(v) };
  }
}

/** A value as Salesforce takes it on a write (null clears the field). */
export function toSalesforceValue(value: SalesforceValue, salesforce: SalesforceType): Converted<string | number | boolean | null> {
  if (isBlank(value)) return { ok: true, value: null };
  const v = value as string | number | boolean;
  if (NUMERIC.has(salesforce)) {
    const n = parseNumber(v);
    if (!n.ok) return n;
    return { ok: true, value: salesforce === 'int' || salesforce === 'long' ? Math.round(n.value) : n.value };
  }
  switch (salesforce) {
    case 'boolean':
      return parseBoolean(v);
    case 'date':
      return typeof v === 'boolean' ? { ok: false, message: `${v} is not a date` } : toIsoDate(v);
    case 'datetime': {
      if (typeof v === 'boolean') return { ok: false, message: `${v} is not a date and time` };
      const t = toEpochMs(v);
      return t.ok ? { ok: true, value: new Date(t.value).toISOString() } : t;
    }
    case 'multipicklist':
      return { ok: true, value: String(v).split(';').map((s) => s.trim()).filter(Boolean).join(';') };
    default:
      return { ok: true, value: String(v) };
  }
}

/** Days between two epoch-ms instants, rounded down. */
export function daysBetween(fromMs: number, toMs: number): number {
  return Math.floor((toMs - fromMs) / DAY_MS);
}

/**
 * A short, stable fingerprint of a canonical value (FNV-1a, 64 bits as 16 hex digits): what the
 * field ledger stores instead of the value itself, so personal data is not duplicated in Redis.
 */
export function fingerprint(canonicalValue: string): string {
  if (canonicalValue === '') return BLANK_FINGERPRINT;
  return fnv(canonicalValue);
}

function fnv(canonicalValue: string): string {
  // int32 throughout (the same bits as the unsigned arithmetic), hex by table: toString(16) costs more than the hash.
  let h1 = 0x811c9dc5 | 0;
  let h2 = 0x01000193 ^ canonicalValue.length;
  for (let i = 0; i < canonicalValue.length; i++) {
    const c = canonicalValue.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 13;
  }
  // One flat string of 16 characters: pieced together it was eight small strings, each kept until the ledger's write.
  const d = HEX_DIGITS;
  return String.fromCharCode(
    d[(h1 >>> 28) & 15] as number, d[(h1 >>> 24) & 15] as number, d[(h1 >>> 20) & 15] as number, d[(h1 >>> 16) & 15] as number,
    d[(h1 >>> 12) & 15] as number, d[(h1 >>> 8) & 15] as number, d[(h1 >>> 4) & 15] as number, d[h1 & 15] as number,
    d[(h2 >>> 28) & 15] as number, d[(h2 >>> 24) & 15] as number, d[(h2 >>> 20) & 15] as number, d[(h2 >>> 16) & 15] as number,
    d[(h2 >>> 12) & 15] as number, d[(h2 >>> 8) & 15] as number, d[(h2 >>> 4) & 15] as number, d[h2 & 15] as number,
  );
}

/** The character codes of the hex digits 0-f. */
const HEX_DIGITS = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));

/** Most fields of most records are blank: their fingerprint is worked out once. */
export const BLANK_FINGERPRINT = fnv('');
