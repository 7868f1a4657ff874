/**
 * Turns incoming field values (REST JSON, CSV text, the store API) into stored raw values, with Salesforce's errors,
 * and stored values back into API values (ids, 'YYYY-MM-DD', '...T...+0000').
 */
import { formatDate, formatDateTime, parseDate, parseDateTime } from '../datetime.js';
import { dmlError } from '../errors.js';
import type { FieldDef, FieldValue } from '../schema/field-def.js';
import type { RawValue } from '../storage/object-table.js';

/** What callers may pass: JSON values, or Date objects for date/datetime fields through the store API. */
export type InputValue = FieldValue | Date | undefined;

const EMAIL_RE = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

function typeError(f: FieldDef, value: unknown): Error {
  return dmlError('INVALID_TYPE_ON_FIELD_IN_RECORD', `${f.label}: value not of required type: ${display(value)}`, [f.name]);
}

function display(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

function asText(f: FieldDef, value: InputValue): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value === '' ? null : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw typeError(f, value);
}

function checkLength(f: FieldDef, text: string): void {
  // UTF-16 length is at least the number of characters, so the exact count is only needed past the limit.
  if (f.length > 0 && text.length > f.length && [...text].length > f.length) {
    throw dmlError('STRING_TOO_LONG', `${f.label}: data value too large: ${text} (max length=${f.length})`, [f.name]);
  }
}

function checkPicklist(f: FieldDef, text: string): string {
  if (!f.restrictedPicklist) return text;
  const match = f.picklistValues.find((p) => p.active && p.value === text);
  if (match === undefined) {
    throw dmlError('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `${f.label}: bad value for restricted picklist field: ${text}`, [f.name]);
  }
  return match.value;
}

function asNumber(f: FieldDef, value: InputValue): number | null {
  if (value === null || value === undefined || value === '') return null;
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(value)) n = Number(value);
  else throw typeError(f, value);
  if (!Number.isFinite(n)) throw typeError(f, value);
  if (f.type === 'int') {
    if (!Number.isInteger(n)) throw typeError(f, value);
    if (Math.abs(n) >= 10 ** (f.digits || 9)) throw rangeError(f, value);
    return n;
  }
  const integerDigits = Math.max(1, f.precision - f.scale);
  if (Math.abs(n) >= 10 ** integerDigits) throw rangeError(f, value);
  const factor = 10 ** f.scale;
  return Math.round(n * factor) / factor;
}

function rangeError(f: FieldDef, value: unknown): Error {
  return dmlError('NUMBER_OUTSIDE_VALID_RANGE', `${f.label}: value outside of valid range on numeric field: ${display(value)}`, [f.name]);
}

function asBoolean(f: FieldDef, value: InputValue): boolean {
  if (value === null || value === undefined || value === '') return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const lower = value.toLowerCase();
    if (lower === 'true' || lower === '1') return true;
    if (lower === 'false' || lower === '0') return false;
  }
  if (value === 1) return true;
  if (value === 0) return false;
  throw typeError(f, value);
}

function asTime(f: FieldDef, value: InputValue): number | null {
  if (value === null || value === undefined || value === '') return null;
  if (value instanceof Date) {
    const t = value.getTime();
    if (Number.isNaN(t)) throw typeError(f, value);
    return f.type === 'date' ? Math.floor(t / 86_400_000) * 86_400_000 : t;
  }
  if (typeof value !== 'string') throw typeError(f, value);
  const parsed = f.type === 'date' ? parseDate(value.trim()) : parseDateTime(value.trim());
  if (parsed === undefined) throw typeError(f, value);
  return parsed;
}

/**
 * Converts a scalar input for a non-reference field into its raw stored value (references are resolved by the store,
 * which knows the tables). Throws a DML error in Salesforce's words.
 */
export function coerceScalar(f: FieldDef, value: InputValue): RawValue {
  switch (f.type) {
    case 'boolean':
      return asBoolean(f, value);
    case 'currency':
    case 'double':
    case 'percent':
    case 'int':
      return asNumber(f, value);
    case 'date':
    case 'datetime':
      return asTime(f, value);
    case 'email': {
      const text = asText(f, value);
      if (text === null) return null;
      checkLength(f, text);
      if (!EMAIL_RE.test(text)) throw dmlError('INVALID_EMAIL_ADDRESS', `${f.label}: invalid email address: ${text}`, [f.name]);
      return text;
    }
    case 'picklist': {
      const text = asText(f, value);
      if (text === null) return null;
      checkLength(f, text);
      return checkPicklist(f, text);
    }
    case 'multipicklist': {
      const text = asText(f, value);
      if (text === null) return null;
      const parts = [...new Set(text.split(';').map((p) => p.trim()).filter((p) => p !== ''))];
      for (const part of parts) checkPicklist(f, part);
      const joined = parts.join(';');
      checkLength(f, joined);
      return joined === '' ? null : joined;
    }
    default: {
      const text = asText(f, value);
      if (text === null) return null;
      checkLength(f, text);
      return text;
    }
  }
}

/** A stored raw value as the API shows it (references are rendered by the store). */
export function externalScalar(f: FieldDef, raw: RawValue): FieldValue {
  if (raw === null) return f.type === 'boolean' ? false : null;
  if (f.type === 'date' && typeof raw === 'number') return formatDate(raw);
  if (f.type === 'datetime' && typeof raw === 'number') return formatDateTime(raw);
  return raw;
}
