/**
 * SOQL over REST: `/query?q=`, `/queryAll?q=`, and `nextRecordsUrl` pages (`/query/01g…-2000`). Page size is the
 * `Sforce-Query-Options: batchSize=n` header (200..2000) or the sandbox's default (2000 like Salesforce).
 */
import { SalesforceApiError } from '../../errors.js';
import type { RestCall, RestDeps, RestRoute } from '../rest-route.js';
import type { RestResult } from '../responses.js';
import type { QueryCursor } from '../query-cursors.js';

function pageSize(call: RestCall, deps: RestDeps): number {
  const header = call.headers['sforce-query-options'];
  const m = header === undefined ? null : /batchSize\s*=\s*(\d+)/i.exec(header);
  if (m === null) return deps.settings.queryPageSize;
  return Math.min(2000, Math.max(200, Number(m[1])));
}

function page(call: RestCall, deps: RestDeps, cursor: QueryCursor, offset: number): RestResult {
  const end = Math.min(cursor.rows.length, offset + cursor.pageSize);
  const records: unknown[] = [];
  for (let i = offset; i < end; i++) {
    records.push(deps.store.render(cursor.query, cursor.rows[i] ?? 0, { includeDeleted: cursor.includeDeleted, version: call.version }));
  }
  const done = end >= cursor.rows.length;
  if (done) deps.cursors.close(cursor.id);
  return {
    status: 200,
    body: {
      totalSize: cursor.rows.length,
      done,
      ...(done ? {} : { nextRecordsUrl: `/services/data/v${call.version}/query/${cursor.id}-${end}` }),
      records,
    },
  };
}

function runSoql(call: RestCall, deps: RestDeps, includeDeleted: boolean): RestResult {
  const soql = call.query.q;
  if (soql === undefined || soql.trim() === '') throw new SalesforceApiError('MALFORMED_QUERY', 'A query string has to be specified');
  const compiled = deps.store.compile(soql);
  const run = deps.store.run(compiled, includeDeleted);
  if (compiled.count.kind === 'count') return { status: 200, body: { totalSize: run.rows.length, done: true, records: [] } };
  if (compiled.count.kind === 'aggregate') {
    return {
      status: 200,
      body: { totalSize: 1, done: true, records: [{ attributes: { type: 'AggregateResult' }, [compiled.count.alias]: run.aggregate ?? 0 }] },
    };
  }
  const cursor = deps.cursors.open(compiled, run.rows, includeDeleted, pageSize(call, deps));
  return page(call, deps, cursor, 0);
}

function more(call: RestCall, deps: RestDeps): RestResult {
  const found = deps.cursors.resolve(call.params.locator ?? '');
  if (found === undefined) throw new SalesforceApiError('INVALID_QUERY_LOCATOR', 'invalid query locator');
  return page(call, deps, found.cursor, found.offset);
}

export const queryRoutes: RestRoute[] = [
  { method: 'GET', path: '/query', handler: (call, deps) => runSoql(call, deps, false) },
  { method: 'GET', path: '/queryAll', handler: (call, deps) => runSoql(call, deps, true) },
  { method: 'GET', path: '/query/:locator', handler: more },
  { method: 'GET', path: '/queryAll/:locator', handler: more },
];
