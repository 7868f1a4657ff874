/** Compiles WHERE conditions into typed predicates, checking each literal against its field's type as Salesforce does. */
import type { LiteralType, Query } from '@jetstreamapp/soql-parser-js';
import { parseDate, parseDateTime } from '../datetime.js';
import { parseId } from '../ids.js';
import type { FieldDef } from '../schema/field-def.js';
import type { RawValue } from '../storage/object-table.js';
import type { TableRegistry } from '../store/table-registry.js';
import type { ComparisonOp, Condition, FieldPath, Predicate, CompiledQuery } from './compiled-query.js';
import { resolvePath, type PathScope } from './compile-path.js';
import { dateLiteralRange, likePattern, unquote, type TimeRange } from './literals.js';
import { malformedQuery } from '../errors.js';
import { queryError } from './query-errors.js';
import type { LeafCondition, WhereNode } from './where-tree.js';

export interface WhereScope extends PathScope {
  registry: TableRegistry;
  now: number;
  /** Compiles a semi-join subquery (`Id IN (SELECT LeadId FROM CampaignMember)`). */
  compileSubquery(query: Query): CompiledQuery;
}

const TEXT_TYPES = new Set(['string', 'textarea', 'email', 'phone', 'url', 'picklist', 'multipicklist', 'combobox']);
const NUMBER_TYPES = new Set(['currency', 'double', 'percent', 'int']);

function typeName(f: FieldDef): string {
  if (f.type === 'datetime') return 'dateTime';
  if (f.type === 'int') return 'integer';
  if (NUMBER_TYPES.has(f.type)) return 'double';
  return f.type;
}

function wrongType(scope: WhereScope, f: FieldDef, token: string): Error {
  const quoted = TEXT_TYPES.has(f.type) || f.type === 'id' || f.type === 'reference';
  return queryError(
    'INVALID_FIELD',
    scope.soql,
    token,
    quoted
      ? `value of filter criterion for field '${f.name}' must be of type ${typeName(f)} and should be enclosed in quotes`
      : `value of filter criterion for field '${f.name}' must be of type ${typeName(f)} and should not be enclosed in quotes`,
  );
}

type Literal = RawValue | { range: TimeRange };

function compileLiteral(scope: WhereScope, path: FieldPath, token: string, literalType: LiteralType | undefined): Literal {
  const f = path.field;
  if (literalType === 'NULL') return null;
  if (literalType === 'DATE_LITERAL' || literalType === 'DATE_N_LITERAL') {
    if (f.type !== 'date' && f.type !== 'datetime') throw wrongType(scope, f, token);
    const range = dateLiteralRange(token, scope.now);
    if (range === undefined) throw queryError('MALFORMED_QUERY', scope.soql, token, `unexpected token: '${token}'`);
    return { range };
  }
  if (f.type === 'id' || f.type === 'reference') {
    if (literalType !== 'STRING') throw wrongType(scope, f, token);
    const text = unquote(token);
    const parsed = parseId(text);
    if (parsed === undefined) throw queryError('INVALID_QUERY_FILTER_OPERATOR', scope.soql, token, `invalid ID field: ${text}`);
    const found = scope.registry.locate(parsed.id18);
    return found === undefined ? -1 : scope.registry.ref(found.table, found.row);
  }
  if (TEXT_TYPES.has(f.type)) {
    if (literalType !== 'STRING') throw wrongType(scope, f, token);
    return unquote(token).toLowerCase();
  }
  if (f.type === 'boolean') {
    if (literalType !== 'BOOLEAN') throw wrongType(scope, f, token);
    return token.toUpperCase() === 'TRUE';
  }
  if (NUMBER_TYPES.has(f.type)) {
    if (literalType !== 'INTEGER' && literalType !== 'DECIMAL' && literalType !== 'INTEGER_WITH_CURRENCY_PREFIX' && literalType !== 'DECIMAL_WITH_CURRENCY_PREFIX') {
      throw wrongType(scope, f, token);
    }
    return Number(token.replace(/^[A-Z]{3}/, ''));
  }
  if (f.type === 'date') {
    if (literalType !== 'DATE') throw wrongType(scope, f, token);
    const ms = parseDate(token);
    if (ms === undefined) throw queryError('MALFORMED_QUERY', scope.soql, token, `line 1:${token.length} no viable alternative at character '${token}'`);
    return ms;
  }
  if (f.type === 'datetime') {
    if (literalType !== 'DATETIME') throw wrongType(scope, f, token);
    const ms = parseDateTime(token);
    if (ms === undefined) throw queryError('MALFORMED_QUERY', scope.soql, token, `line 1:${token.length} no viable alternative at character '${token}'`);
    return ms;
  }
  throw wrongType(scope, f, token);
}

/** Long text areas cannot be filtered in Salesforce. */
function checkFilterable(scope: WhereScope, path: FieldPath): void {
  const f = path.field;
  if (f.type === 'textarea' && f.length > 255) {
    throw queryError('INVALID_FIELD', scope.soql, f.name, `field '${f.name}' can not be filtered in a query call`);
  }
}

function literalTypeAt(literalType: LiteralType | LiteralType[] | undefined, i: number): LiteralType | undefined {
  return Array.isArray(literalType) ? literalType[i] : literalType;
}

function compileLeaf(scope: WhereScope, leaf: LeafCondition): Predicate {
  if (!('field' in leaf)) throw malformedQuery('Functions in WHERE (e.g. CALENDAR_YEAR) are not supported by the revloop sandbox');
  const path = resolvePath(scope, leaf.field);
  checkFilterable(scope, path);
  const op = leaf.operator;
  if ('valueQuery' in leaf && leaf.valueQuery !== undefined) {
    if (op !== 'IN' && op !== 'NOT IN') throw queryError('MALFORMED_QUERY', scope.soql, leaf.field, `unexpected token: '${op}'`);
    if (path.field.type !== 'id' && path.field.type !== 'reference') {
      throw queryError('INVALID_FIELD', scope.soql, leaf.field, `The selected field '${path.fieldName}' in the subquery and the left operand field in the where expression in the outer query '${path.fieldName}' should point to the same object type`);
    }
    return { kind: 'semi', path, negate: op === 'NOT IN', query: scope.compileSubquery(leaf.valueQuery) };
  }
  const values = 'value' in leaf ? leaf.value : undefined;
  const literalType = 'literalType' in leaf ? (leaf.literalType as LiteralType | LiteralType[] | undefined) : undefined;
  if (op === 'IN' || op === 'NOT IN') {
    const list = Array.isArray(values) ? values : values === undefined ? [] : [values];
    const compiled = list.map((v, i) => compileLiteral(scope, path, v, literalTypeAt(literalType, i)));
    if (compiled.some((v) => v !== null && typeof v === 'object')) {
      throw queryError('MALFORMED_QUERY', scope.soql, leaf.field, 'date literals are not supported in IN lists');
    }
    return { kind: 'in', path, negate: op === 'NOT IN', values: compiled as RawValue[] };
  }
  const token = Array.isArray(values) ? (values[0] ?? '') : (values ?? '');
  if (op === 'LIKE') {
    if (!TEXT_TYPES.has(path.field.type) && path.field.type !== 'id' && path.field.type !== 'reference') {
      throw queryError('INVALID_FIELD', scope.soql, leaf.field, `invalid operator on ${typeName(path.field)} field: LIKE`);
    }
    if (literalTypeAt(literalType, 0) !== 'STRING') throw wrongType(scope, path.field, token);
    return { kind: 'like', path, pattern: likePattern(token) };
  }
  if (op === 'INCLUDES' || op === 'EXCLUDES') {
    if (path.field.type !== 'multipicklist') {
      throw queryError('INVALID_FIELD', scope.soql, leaf.field, `includes or excludes operator only valid on multipicklist field`);
    }
    const list = Array.isArray(values) ? values : [token];
    const sets = list.map((v) => unquote(v).split(';').map((s) => s.trim().toLowerCase()).filter((s) => s !== ''));
    return { kind: 'includes', path, negate: op === 'EXCLUDES', sets };
  }
  const value = compileLiteral(scope, path, token, literalTypeAt(literalType, 0));
  if (value !== null && typeof value === 'object') return { kind: 'range', path, op: op as ComparisonOp, range: value.range };
  if (value === null && op !== '=' && op !== '!=') {
    throw queryError('MALFORMED_QUERY', scope.soql, leaf.field, `invalid operator on null: ${op}`);
  }
  return { kind: 'compare', path, op: op as ComparisonOp, value };
}

export function compileWhere(scope: WhereScope, node: WhereNode): Condition {
  switch (node.kind) {
    case 'and':
      return { kind: 'and', items: node.items.map((n) => compileWhere(scope, n)) };
    case 'or':
      return { kind: 'or', items: node.items.map((n) => compileWhere(scope, n)) };
    case 'not':
      return { kind: 'not', item: compileWhere(scope, node.item) };
    case 'leaf':
      return { kind: 'pred', pred: compileLeaf(scope, node.condition) };
  }
}
