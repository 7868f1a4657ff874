/**
 * The one way revloop writes SOQL: identifiers are checked against a strict pattern and every value
 * is escaped, so no configuration or record value can change the shape of a query.
 */
import { RevloopError } from '../../platform/errors.js';

export type SoqlValue = string | number | boolean | null | Date;

const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*){0,4}$/;
const OBJECT = /^[A-Za-z][A-Za-z0-9_]*$/;

function identifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new RevloopError('BAD_REQUEST', `"${name}" is not a Salesforce field name`);
  return name;
}

/** A SOQL string literal: backslash, quotes and control characters escaped. */
const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', "'": "\\'", '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };

function escapeText(value: string): string {
  return value.replace(/[\\'"\n\r\t\b\f]/g, (c) => ESCAPES[c] as string);
}

export function quote(value: string): string {
  return `'${escapeText(value)}'`;
}

/** A value as a SOQL literal. Dates become unquoted ISO datetimes. */
export function literal(value: SoqlValue): string {
  if (value === null) return 'null';
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new RevloopError('BAD_REQUEST', 'invalid date in a query');
    return value.toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RevloopError('BAD_REQUEST', `${value} cannot be used in a query`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return quote(value);
}

/** A condition: built only by the functions below. */
export class Condition {
  private constructor(readonly text: string) {}

  static raw(text: string): Condition {
    return new Condition(text);
  }
}

export const where = {
  eq: (field: string, value: SoqlValue) => Condition.raw(`${identifier(field)} = ${literal(value)}`),
  ne: (field: string, value: SoqlValue) => Condition.raw(`${identifier(field)} != ${literal(value)}`),
  gt: (field: string, value: SoqlValue) => Condition.raw(`${identifier(field)} > ${literal(value)}`),
  gte: (field: string, value: SoqlValue) => Condition.raw(`${identifier(field)} >= ${literal(value)}`),
  lt: (field: string, value: SoqlValue) => Condition.raw(`${identifier(field)} < ${literal(value)}`),
  in: (field: string, values: readonly SoqlValue[]) => {
    if (values.length === 0) throw new RevloopError('BAD_REQUEST', `IN on ${field} needs at least one value`);
    return Condition.raw(`${identifier(field)} IN (${values.map(literal).join(', ')})`);
  },
  /** LIKE with the value matched literally inside `prefix`/`suffix` wildcards. */
  like: (field: string, value: string, mode: 'contains' | 'starts' | 'ends' = 'contains') => {
    // The value's own % and _ are matched literally (\% and \_); everything else is escaped as text.
    const inner = escapeText(value).replace(/[%_]/g, (c) => `\\${c}`);
    const pattern = mode === 'contains' ? `%${inner}%` : mode === 'starts' ? `${inner}%` : `%${inner}`;
    return Condition.raw(`${identifier(field)} LIKE '${pattern}'`);
  },
  and: (...conditions: Condition[]) => Condition.raw(conditions.map((c) => `(${c.text})`).join(' AND ')),
  or: (...conditions: Condition[]) => Condition.raw(conditions.map((c) => `(${c.text})`).join(' OR ')),
  not: (condition: Condition) => Condition.raw(`NOT (${condition.text})`),
};

export interface ChildQuery {
  /** The child relationship name, e.g. OpportunityContactRoles. */
  relationship: string;
  fields: readonly string[];
}

export interface SelectOptions {
  where?: Condition;
  /** Child relationship subqueries: (SELECT Id FROM OpportunityContactRoles). */
  children?: readonly ChildQuery[];
  orderBy?: Array<{ field: string; direction?: 'ASC' | 'DESC' }>;
  limit?: number;
}

export function select(fields: readonly string[], object: string, options: SelectOptions = {}): string {
  if (!OBJECT.test(object)) throw new RevloopError('BAD_REQUEST', `"${object}" is not a Salesforce object name`);
  if (fields.length === 0) throw new RevloopError('BAD_REQUEST', 'a query needs at least one field');
  const children = (options.children ?? []).map((c) => {
    if (!OBJECT.test(c.relationship)) throw new RevloopError('BAD_REQUEST', `"${c.relationship}" is not a relationship name`);
    return `(SELECT ${c.fields.map(identifier).join(', ')} FROM ${c.relationship})`;
  });
  let soql = `SELECT ${[...[...new Set(fields)].map(identifier), ...children].join(', ')} FROM ${object}`;
  if (options.where) soql += ` WHERE ${options.where.text}`;
  if (options.orderBy?.length) soql += ` ORDER BY ${options.orderBy.map((o) => `${identifier(o.field)} ${o.direction ?? 'ASC'}`).join(', ')}`;
  if (options.limit !== undefined) {
    if (!Number.isInteger(options.limit) || options.limit < 1) throw new RevloopError('BAD_REQUEST', 'LIMIT must be a positive whole number');
    soql += ` LIMIT ${options.limit}`;
  }
  return soql;
}

/**
 * Longest list of values one query's WHERE clause carries. A query travels in the URL of a GET, and
 * a URL much beyond 16,000 characters is refused (HTTP 414/431) once the values are percent-encoded.
 */
export const MAX_IN_CHARS = 8_000;

/**
 * `field IN (...)` conditions for several lists at once, OR-ed together and split so that no query
 * carries more than `maxChars` characters of values: one condition per query to run. A short set of
 * lists stays one query; a long one becomes as few as fit.
 */
export function inConditions(lists: ReadonlyArray<{ field: string; values: readonly SoqlValue[] }>, maxChars = MAX_IN_CHARS): Condition[] {
  const queries: Condition[] = [];
  let parts: Condition[] = [];
  let used = 0;
  const close = () => {
    if (parts.length > 0) queries.push(parts.length === 1 ? (parts[0] as Condition) : where.or(...parts));
    parts = [];
    used = 0;
  };
  for (const { field, values } of lists) {
    let chunk: SoqlValue[] = [];
    for (const value of new Set(values)) {
      const size = literal(value).length + 2;
      if (used + size > maxChars && (chunk.length > 0 || parts.length > 0)) {
        if (chunk.length > 0) parts.push(where.in(field, chunk));
        chunk = [];
        close();
      }
      chunk.push(value);
      used += size;
    }
    if (chunk.length > 0) parts.push(where.in(field, chunk));
  }
  close();
  return queries;
}
