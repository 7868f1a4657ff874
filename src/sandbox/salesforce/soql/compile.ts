/**
 * Parses SOQL with @jetstreamapp/soql-parser-js and resolves it against the org: the FROM object, the selected
 * fields (parent paths, child subqueries, COUNT(), COUNT(field), FIELDS()), WHERE, ORDER BY, LIMIT and OFFSET.
 * Anything Salesforce would refuse gets Salesforce's error; what the sandbox does not implement (GROUP BY, other
 * aggregate functions, TYPEOF) is refused with a message that says so.
 */
import { parseQuery, type FieldType as ParsedField, type OrderByClause, type Query, type Subquery } from '@jetstreamapp/soql-parser-js';
import { malformedQuery, SalesforceApiError } from '../errors.js';
import type { ObjectSchema, OrgSchema } from '../schema/org-schema.js';
import type { TableRegistry } from '../store/table-registry.js';
import type { CompiledQuery, CountMode, FieldPath, OrderItem, SelectItem } from './compiled-query.js';
import { resolvePath, type PathScope } from './compile-path.js';
import { compileWhere, type WhereScope } from './compile-where.js';
import { queryError, unknownChildRelationship, unknownObject } from './query-errors.js';
import { buildWhereTree, WhereSyntaxError } from './where-tree.js';

export interface CompileEnv {
  registry: TableRegistry;
  schema: OrgSchema;
  now: number;
}

/** Salesforce's maximum OFFSET. */
export const MAX_OFFSET = 2000;

function parseError(soql: string, err: unknown): SalesforceApiError {
  const message = err instanceof Error ? err.message : String(err);
  const found = /but found(?: --> '|: ')(.*?)'/s.exec(message);
  const lexing = /unexpected character: ->(.)<-/.exec(message);
  const token = found?.[1] ?? lexing?.[1];
  const reason = token === undefined || token === '' ? 'unexpected token: <EOF>' : `unexpected token: '${token}'`;
  return queryError('MALFORMED_QUERY', soql, token === '' ? undefined : token, reason);
}

function parse(soql: string): Query {
  try {
    return parseQuery(soql);
  } catch (err) {
    throw parseError(soql, err);
  }
}

export function compileSoql(soql: string, env: CompileEnv): CompiledQuery {
  const query = parse(soql.trim());
  if (query.sObject === undefined) throw malformedQuery('A query needs a FROM clause');
  const object = env.schema.object(query.sObject);
  if (object === undefined) throw unknownObject(soql, query.sObject);
  return compileQuery(soql, query, object, env, false);
}

function scopeOf(soql: string, object: ObjectSchema, alias: string | undefined, env: CompileEnv): WhereScope {
  return {
    schema: env.schema,
    object,
    alias,
    soql,
    registry: env.registry,
    now: env.now,
    compileSubquery: (sub: Query) => {
      const subObject = sub.sObject === undefined ? undefined : env.schema.object(sub.sObject);
      if (subObject === undefined) throw unknownObject(soql, sub.sObject ?? '');
      const compiled = compileQuery(soql, sub, subObject, env, true);
      const only = compiled.select[0];
      if (compiled.select.length !== 1 || only?.kind !== 'field' || (only.path.field.type !== 'id' && only.path.field.type !== 'reference')) {
        throw queryError('MALFORMED_QUERY', soql, sub.sObject, 'semi join sub-selects must select exactly one Id or reference field');
      }
      return compiled;
    },
  };
}

function expandFields(scope: PathScope, kind: string, limit: number | undefined): FieldPath[] {
  const upper = kind.toUpperCase();
  if ((upper === 'ALL' || upper === 'CUSTOM') && (limit === undefined || limit > 200)) {
    throw queryError('MALFORMED_QUERY', scope.soql, 'FIELDS', 'The SOQL FIELDS function must have a LIMIT of at most 200');
  }
  return scope.object.fields
    .filter((f) => (upper === 'ALL' ? true : upper === 'CUSTOM' ? f.custom : !f.custom))
    .map((f) => resolvePath(scope, f.name));
}

function compileSelect(scope: WhereScope, fields: ParsedField[], query: Query | Subquery, env: CompileEnv, isSub: boolean): { select: SelectItem[]; count: CountMode } {
  const select: SelectItem[] = [];
  let count: CountMode = { kind: 'none' };
  const seen = new Set<string>();
  const addPath = (path: FieldPath): void => {
    const key = path.display.toLowerCase();
    if (seen.has(key)) throw queryError('MALFORMED_QUERY', scope.soql, path.fieldName, `duplicate field selected: ${path.display}`);
    seen.add(key);
    select.push({ kind: 'field', path });
  };
  for (const item of fields) {
    switch (item.type) {
      case 'Field':
        addPath(resolvePath(scope, item.field));
        break;
      case 'FieldRelationship':
        addPath(resolvePath(scope, [...item.relationships, item.field].join('.')));
        break;
      case 'FieldSubquery': {
        if (isSub) throw queryError('MALFORMED_QUERY', scope.soql, item.subquery.relationshipName, 'nested subqueries are not supported');
        const rel = env.schema.childRelationship(scope.object.name, item.subquery.relationshipName);
        if (rel === undefined) throw unknownChildRelationship(scope.soql, item.subquery.relationshipName);
        const child = env.schema.object(rel.childSObject);
        if (child === undefined) throw unknownChildRelationship(scope.soql, item.subquery.relationshipName);
        const sub = compileQuery(scope.soql, { ...item.subquery, sObject: child.name }, child, env, true);
        select.push({ kind: 'subquery', relationshipName: rel.relationshipName, childField: rel.field, query: sub });
        break;
      }
      case 'FieldFunctionExpression': {
        const fn = item.functionName.toUpperCase();
        if (fn === 'FIELDS') {
          for (const path of expandFields(scope, String(item.parameters[0] ?? ''), query.limit)) addPath(path);
        } else if (fn === 'COUNT' && item.parameters.length === 0) {
          count = { kind: 'count' };
        } else if (fn === 'COUNT' && typeof item.parameters[0] === 'string') {
          count = { kind: 'aggregate', alias: item.alias ?? 'expr0', path: resolvePath(scope, item.parameters[0]) };
        } else {
          throw queryError('MALFORMED_QUERY', scope.soql, item.functionName, `the revloop sandbox does not support ${item.functionName}() in SELECT`);
        }
        break;
      }
      default:
        throw queryError('MALFORMED_QUERY', scope.soql, 'TYPEOF', 'the revloop sandbox does not support TYPEOF');
    }
  }
  if (count.kind === 'count' && select.length > 0) {
    throw queryError('MALFORMED_QUERY', scope.soql, 'COUNT', 'COUNT() must be the only element in the SELECT list');
  }
  if (count.kind === 'aggregate') {
    const first = select[0];
    if (first !== undefined) {
      throw queryError('MALFORMED_QUERY', scope.soql, first.kind === 'field' ? first.path.fieldName : first.relationshipName, `Field must be grouped or aggregated: ${first.kind === 'field' ? first.path.fieldName : first.relationshipName}`);
    }
  }
  if (count.kind === 'none' && select.length === 0) throw queryError('MALFORMED_QUERY', scope.soql, 'FROM', "unexpected token: 'FROM'");
  return { select, count };
}

function compileOrder(scope: WhereScope, orderBy: OrderByClause | OrderByClause[] | undefined): OrderItem[] {
  const list = orderBy === undefined ? [] : Array.isArray(orderBy) ? orderBy : [orderBy];
  return list.map((item) => {
    if (!('field' in item)) throw queryError('MALFORMED_QUERY', scope.soql, 'ORDER', 'the revloop sandbox does not support functions in ORDER BY');
    const path = resolvePath(scope, item.field);
    if ((path.field.type === 'textarea' && path.field.length > 255) || path.field.type === 'multipicklist') {
      throw queryError('INVALID_FIELD', scope.soql, item.field, `field '${path.fieldName}' can not be sorted in a query call`);
    }
    const descending = item.order === 'DESC';
    return { path, descending, nullsFirst: item.nulls === undefined ? !descending : item.nulls === 'FIRST' };
  });
}

function compileQuery(soql: string, query: Query | Subquery, object: ObjectSchema, env: CompileEnv, isSub: boolean): CompiledQuery {
  const table = env.registry.table(object.name);
  if (table === undefined) throw unknownObject(soql, object.name);
  if (query.groupBy !== undefined || query.having !== undefined) {
    throw queryError('MALFORMED_QUERY', soql, 'GROUP', 'the revloop sandbox does not support GROUP BY / HAVING');
  }
  const scope = scopeOf(soql, object, query.sObjectAlias, env);
  const { select, count } = compileSelect(scope, query.fields ?? [], query, env, isSub);
  let where;
  if (query.where !== undefined) {
    try {
      where = compileWhere(scope, buildWhereTree(query.where));
    } catch (err) {
      if (err instanceof WhereSyntaxError) {
        const token = /'(.*)'/.exec(err.message)?.[1];
        throw queryError('MALFORMED_QUERY', soql, token, err.message);
      }
      throw err;
    }
  }
  if (query.offset !== undefined && query.offset > MAX_OFFSET) {
    throw new SalesforceApiError('NUMBER_OUTSIDE_VALID_RANGE', `Maximum SOQL offset allowed is ${MAX_OFFSET}`);
  }
  return {
    soql,
    table,
    select,
    count,
    where,
    orderBy: compileOrder(scope, query.orderBy),
    limit: query.limit,
    offset: query.offset,
  };
}
