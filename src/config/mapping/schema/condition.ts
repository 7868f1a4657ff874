/**
 * Structured conditions: the language of lifecycle entry criteria, SLA segments and inclusion scope.
 * Written in YAML as plain data, never as an expression string:
 *
 *   all: [ ... ]                         every condition holds
 *   any: [ ... ]                         at least one holds
 *   not: { ... }                         the condition does not hold
 *   { field: hubspot.hubspotscore, gte: 50 }               one comparison per object
 *   { field: salesforce.Status, in: [Working - Contacted] }
 *   { field: hubspot.email, exists: true }
 *   { field: hubspot.recent_conversion_date, within_days: 30 }
 *   { some: opportunities, where: { field: opportunity.IsWon, eq: true } }
 *   { none: opportunities }
 */
import { z } from 'zod';
import { didYouMean } from '../did-you-mean.js';
import { scalarValue, type ScalarValue } from './helpers.js';

export const COMPARISON_OPS = [
  'eq',
  'ne',
  'gt',
  'gte',
  'lt',
  'lte',
  'in',
  'not_in',
  'exists',
  'contains',
  'not_contains',
  'within_days',
  'older_than_days',
] as const;
export type ComparisonOp = (typeof COMPARISON_OPS)[number];

export const FIELD_SCOPES = ['hubspot', 'salesforce', 'lead', 'contact', 'account', 'company', 'opportunity', 'campaign'] as const;
export type FieldScope = (typeof FIELD_SCOPES)[number];

export const RELATIONS = ['opportunities', 'campaigns'] as const;
export type Relation = (typeof RELATIONS)[number];

/** The record type a relation quantifier ranges over: its fields are written `<scope>.<Field>`. */
export const RELATION_SCOPE: Record<Relation, FieldScope> = { opportunities: 'opportunity', campaigns: 'campaign' };

export type Condition =
  | { kind: 'all'; conditions: Condition[] }
  | { kind: 'any'; conditions: Condition[] }
  | { kind: 'not'; condition: Condition }
  | { kind: 'compare'; field: FieldRef; op: ComparisonOp; value: ScalarValue | ScalarValue[]; at: Array<string | number> }
  | { kind: 'some' | 'none'; relation: Relation; where?: Condition };

export interface FieldRef {
  scope: FieldScope;
  name: string;
  /** As written: "hubspot.email". */
  text: string;
}

export interface ConditionIssue {
  path: Array<string | number>;
  message: string;
}

const MAX_DEPTH = 16;
const COMBINATORS = ['all', 'any', 'not'] as const;
const QUANTIFIERS = ['some', 'none'] as const;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function parseFieldRef(text: unknown): FieldRef | string {
  if (typeof text !== 'string') return 'field must be a string such as hubspot.email or salesforce.Status';
  const dot = text.indexOf('.');
  const scope = dot > 0 ? text.slice(0, dot) : '';
  const name = dot > 0 ? text.slice(dot + 1) : '';
  if (!(FIELD_SCOPES as readonly string[]).includes(scope)) {
    const hint = didYouMean(scope || text, FIELD_SCOPES);
    return `field "${text}" must start with one of ${FIELD_SCOPES.map((s) => `${s}.`).join(', ')}${hint ? `; ${hint}` : ''}`;
  }
  if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/.test(name)) {
    return `field "${text}": "${name}" is not a property or field name`;
  }
  return { scope: scope as FieldScope, name, text };
}

function checkValue(op: ComparisonOp, value: unknown): string | undefined {
  switch (op) {
    case 'exists':
      return typeof value === 'boolean' ? undefined : 'exists takes true or false';
    case 'in':
    case 'not_in':
      return Array.isArray(value) && value.length > 0 && value.every((v) => scalarValue.safeParse(v).success)
        ? undefined
        : `${op} takes a non-empty list of values`;
    case 'within_days':
    case 'older_than_days':
      return typeof value === 'number' && Number.isFinite(value) && value > 0 ? undefined : `${op} takes a positive number of days`;
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return typeof value === 'number' || typeof value === 'string' ? undefined : `${op} takes a number or a date string`;
    case 'contains':
    case 'not_contains':
      return typeof value === 'string' && value.length > 0 ? undefined : `${op} takes a non-empty string`;
    default:
      return scalarValue.safeParse(value).success ? undefined : `${op} takes a single value (text, number, true/false or null)`;
  }
}

/** Validates and normalises a condition, collecting every issue with its path. */
export function readCondition(input: unknown, issues: ConditionIssue[], path: Array<string | number> = [], depth = 0): Condition | undefined {
  const fail = (message: string, at: Array<string | number> = path): undefined => {
    issues.push({ path: at, message });
    return undefined;
  };
  if (depth > MAX_DEPTH) return fail(`conditions may be nested at most ${MAX_DEPTH} levels deep`);
  if (!isPlainObject(input)) return fail('a condition must be a mapping such as { field: hubspot.email, exists: true }');
  const keys = Object.keys(input);
  const combinator = COMBINATORS.find((k) => k in input);
  if (combinator) {
    const extra = keys.filter((k) => k !== combinator);
    if (extra.length > 0) return fail(`"${combinator}" stands alone in its condition; move ${extra.map((k) => `"${k}"`).join(', ')} into its own condition`);
    const body = input[combinator];
    if (combinator === 'not') {
      const inner = readCondition(body, issues, [...path, 'not'], depth + 1);
      return inner && { kind: 'not', condition: inner };
    }
    if (!Array.isArray(body) || body.length === 0) return fail(`"${combinator}" takes a non-empty list of conditions`, [...path, combinator]);
    const conditions = body.map((c, i) => readCondition(c, issues, [...path, combinator, i], depth + 1));
    return conditions.every((c): c is Condition => c !== undefined) ? { kind: combinator, conditions } : undefined;
  }
  const quantifier = QUANTIFIERS.find((k) => k in input);
  if (quantifier) {
    const extra = keys.filter((k) => k !== quantifier && k !== 'where');
    if (extra.length > 0) return fail(`unknown key "${extra[0]}" in a "${quantifier}" condition (valid: ${quantifier}, where)`);
    const relation = input[quantifier];
    if (typeof relation !== 'string' || !(RELATIONS as readonly string[]).includes(relation)) {
      const hint = typeof relation === 'string' ? didYouMean(relation, RELATIONS) : undefined;
      return fail(`unknown relation "${String(relation)}"${hint ? `; ${hint}` : ''} (valid: ${RELATIONS.join(', ')})`, [...path, quantifier]);
    }
    if (!('where' in input)) return { kind: quantifier, relation: relation as Relation };
    const where = readCondition(input.where, issues, [...path, 'where'], depth + 1);
    return where && { kind: quantifier, relation: relation as Relation, where };
  }
  if (!('field' in input)) {
    const hint = keys[0] ? didYouMean(keys[0], [...COMBINATORS, ...QUANTIFIERS, 'field']) : undefined;
    return fail(`a condition needs "field" with one operator, or one of all/any/not/some/none${hint ? `; ${hint}` : ''}`);
  }
  const field = parseFieldRef(input.field);
  if (typeof field === 'string') return fail(field, [...path, 'field']);
  const opKeys = keys.filter((k) => k !== 'field');
  if (opKeys.length !== 1) {
    return fail(
      opKeys.length === 0
        ? `the condition on ${field.text} has no operator (valid: ${COMPARISON_OPS.join(', ')})`
        : `the condition on ${field.text} has ${opKeys.length} operators (${opKeys.join(', ')}); use one per condition and combine with all/any`,
    );
  }
  const opKey = opKeys[0] as string;
  if (!(COMPARISON_OPS as readonly string[]).includes(opKey)) {
    const hint = didYouMean(opKey, COMPARISON_OPS);
    return fail(`unknown condition operator "${opKey}"${hint ? `; ${hint}` : ''} (valid: ${COMPARISON_OPS.join(', ')})`, [...path, opKey]);
  }
  const op = opKey as ComparisonOp;
  const problem = checkValue(op, input[op]);
  if (problem) return fail(problem, [...path, op]);
  return { kind: 'compare', field, op, value: input[op] as ScalarValue | ScalarValue[], at: [...path, 'field'] };
}

/** The zod schema of a condition: validates with readCondition and yields the normalised form. */
export const conditionSchema = z.unknown().transform((input, ctx): Condition => {
  const issues: ConditionIssue[] = [];
  const condition = readCondition(input, issues);
  for (const issue of issues) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  return condition ?? { kind: 'all', conditions: [] };
});

/** Every field reference in a condition, with the path of its "field" key inside the condition. */
export function fieldRefsOf(
  condition: Condition,
  inRelation?: Relation,
): Array<{ ref: FieldRef; at: Array<string | number>; relation?: Relation }> {
  switch (condition.kind) {
    case 'all':
    case 'any':
      return condition.conditions.flatMap((c) => fieldRefsOf(c, inRelation));
    case 'not':
      return fieldRefsOf(condition.condition, inRelation);
    case 'compare':
      return [inRelation ? { ref: condition.field, at: condition.at, relation: inRelation } : { ref: condition.field, at: condition.at }];
    case 'some':
    case 'none':
      return condition.where ? fieldRefsOf(condition.where, condition.relation) : [];
  }
}
