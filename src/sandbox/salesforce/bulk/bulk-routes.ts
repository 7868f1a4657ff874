/** Bulk API 2.0 resources (`/jobs/ingest…`, `/jobs/query…`) as jsforce's bulk2 drives them. */
import { z } from 'zod';
import { SalesforceApiError } from '../errors.js';
import type { FieldValue } from '../schema/field-def.js';
import { pathValue } from '../soql/shape.js';
import type { RestCall, RestDeps, RestRoute } from '../http/rest-route.js';
import type { RestResult } from '../http/responses.js';
import { parseBody, tableOf } from '../http/routes/shared.js';
import type { BulkJobs } from './bulk-jobs.js';
import { COLUMN_DELIMITERS, writeCsv, type CsvDialect } from './csv.js';
import { jobInfo, jobStatus, type IngestJob, type QueryJob } from './job-info.js';

const dialectFields = {
  columnDelimiter: z.enum(Object.keys(COLUMN_DELIMITERS) as [keyof typeof COLUMN_DELIMITERS]).default('COMMA'),
  lineEnding: z.enum(['LF', 'CRLF']).default('LF'),
};

const ingestBodySchema = z.object({
  object: z.string().min(1),
  operation: z.enum(['insert', 'update', 'upsert', 'delete', 'hardDelete']),
  externalIdFieldName: z.string().min(1).optional(),
  contentType: z.literal('CSV').default('CSV'),
  assignmentRuleId: z.string().optional(),
  ...dialectFields,
});

const queryBodySchema = z.object({
  operation: z.enum(['query', 'queryAll']),
  query: z.string().min(1),
  contentType: z.literal('CSV').default('CSV'),
  ...dialectFields,
});

const stateBodySchema = z.object({ state: z.string().min(1) });

const CSV_TYPE = 'text/csv; charset=UTF-8';

function invalidJob(message: string): SalesforceApiError {
  return new SalesforceApiError('INVALIDJOB', message);
}

function sameVersion(call: RestCall, job: { id: string; version: string }): void {
  if (call.version !== job.version) {
    throw new SalesforceApiError('INVALIDJOB', `Job ${job.id} was created with API version ${job.version}; use v${job.version}`, { httpStatus: 409 });
  }
}

function cell(value: FieldValue): string {
  return value === null ? '' : String(value);
}

function resultCsv(job: IngestJob, lead: [string, string], rows: string[][]): RestResult {
  const dialect: CsvDialect = job.dialect;
  const header = [...lead, ...job.header];
  return { status: 200, raw: rows.length === 0 && job.header.length === 0 ? '' : writeCsv([header, ...rows], dialect), contentType: CSV_TYPE };
}

function queryResults(call: RestCall, deps: RestDeps, job: QueryJob, pageSize: number): RestResult {
  sameVersion(call, job);
  if (job.state !== 'JobComplete' || job.rows === undefined) {
    throw new SalesforceApiError('INVALIDJOBSTATE', `Job ${job.id} is ${job.state}; results are available once it is JobComplete`, { httpStatus: 409 });
  }
  const locator = call.query.locator;
  const offset = locator === undefined || locator === '' ? 0 : Number(Buffer.from(locator, 'base64url').toString('utf8'));
  if (!Number.isInteger(offset) || offset < 0 || offset > job.rows.length) throw new SalesforceApiError('INVALID_LOCATOR', `invalid locator: ${locator ?? ''}`);
  const maxRecords = call.query.maxRecords === undefined ? pageSize : Number(call.query.maxRecords);
  if (!Number.isInteger(maxRecords) || maxRecords < 1) throw new SalesforceApiError('INVALIDJOB', 'maxRecords must be a positive integer');
  const end = Math.min(job.rows.length, offset + maxRecords);
  const paths = job.query.select.flatMap((item) => (item.kind === 'field' ? [item.path] : []));
  const env = { registry: deps.store.registry, includeDeleted: job.operation === 'queryAll', version: job.version };
  const lines: string[][] = [paths.map((p) => p.display)];
  for (let i = offset; i < end; i++) {
    const row = job.rows[i] ?? 0;
    lines.push(paths.map((p) => cell(pathValue(env, p, job.query.table, row))));
  }
  const next = end < job.rows.length ? Buffer.from(String(end), 'utf8').toString('base64url') : 'null';
  return {
    status: 200,
    raw: writeCsv(lines, job.dialect),
    contentType: CSV_TYPE,
    headers: { 'Sforce-Locator': next, 'Sforce-NumberOfRecords': String(end - offset) },
  };
}

export function bulkRoutes(jobs: BulkJobs, queryPageSize: number): RestRoute[] {
  const ingest = (call: RestCall): IngestJob => {
    const job = jobs.get(call.params.jobId ?? '', 'ingest');
    if (job.kind !== 'ingest') throw new SalesforceApiError('NOT_FOUND', 'The requested resource does not exist', { httpStatus: 404 });
    return job;
  };
  const query = (call: RestCall): QueryJob => {
    const job = jobs.get(call.params.jobId ?? '', 'query');
    if (job.kind !== 'query') throw new SalesforceApiError('NOT_FOUND', 'The requested resource does not exist', { httpStatus: 404 });
    return job;
  };
  return [
    {
      method: 'POST',
      path: '/jobs/ingest',
      handler: (call, deps) => {
        const body = parseBody(ingestBodySchema, call.body);
        const table = deps.store.registry.table(body.object);
        if (table === undefined) throw invalidJob(`InvalidJob : Unable to find object: ${body.object}`);
        if (body.operation === 'upsert') {
          const f = body.externalIdFieldName === undefined ? undefined : table.schema.field(body.externalIdFieldName);
          if (f === undefined || !(f.externalId || f.idLookup)) {
            throw invalidJob(`InvalidJob : External ID field ${body.externalIdFieldName ?? '(missing)'} does not exist or is not an External ID on ${table.name}`);
          }
        }
        const job = jobs.createIngest({
          object: table.name,
          operation: body.operation,
          externalIdFieldName: body.operation === 'upsert' ? table.schema.field(body.externalIdFieldName ?? '')?.name : undefined,
          dialect: { columnDelimiter: body.columnDelimiter, lineEnding: body.lineEnding },
          version: call.version,
          ctx: call.ctx,
          userId: call.session.userId,
        });
        return { status: 200, body: jobInfo(job) };
      },
    },
    {
      method: 'GET',
      path: '/jobs/ingest',
      handler: () => ({ status: 200, body: { done: true, records: jobs.list('ingest').map(jobInfo), nextRecordsUrl: null } }),
    },
    { method: 'GET', path: '/jobs/ingest/:jobId', handler: (call) => ({ status: 200, body: jobStatus(ingest(call)) }) },
    {
      method: 'PATCH',
      path: '/jobs/ingest/:jobId',
      handler: (call) => {
        const job = ingest(call);
        jobs.setState(job, parseBody(stateBodySchema, call.body).state);
        return { status: 200, body: jobInfo(job) };
      },
    },
    {
      method: 'DELETE',
      path: '/jobs/ingest/:jobId',
      handler: (call) => {
        jobs.delete(ingest(call));
        return { status: 204 };
      },
    },
    {
      method: 'PUT',
      path: '/jobs/ingest/:jobId/batches',
      handler: (call) => {
        const job = ingest(call);
        const type = call.headers['content-type'] ?? '';
        if (!/^text\/csv/i.test(type)) throw new SalesforceApiError('INVALIDJOB', `Content-Type must be text/csv, got ${type || '(none)'}`, { httpStatus: 415 });
        if (typeof call.body !== 'string') throw new SalesforceApiError('INVALIDJOB', 'The upload has no CSV data');
        jobs.upload(job, call.body);
        return { status: 201 };
      },
    },
    { method: 'GET', path: '/jobs/ingest/:jobId/successfulResults', handler: (call) => resultCsv(ingest(call), ['sf__Id', 'sf__Created'], ingest(call).successful) },
    { method: 'GET', path: '/jobs/ingest/:jobId/failedResults', handler: (call) => resultCsv(ingest(call), ['sf__Id', 'sf__Error'], ingest(call).failed) },
    {
      method: 'GET',
      path: '/jobs/ingest/:jobId/unprocessedrecords',
      handler: (call) => {
        const job = ingest(call);
        if (job.header.length === 0) return { status: 200, raw: job.data ?? '', contentType: CSV_TYPE };
        return { status: 200, raw: writeCsv([job.header, ...job.unprocessed], job.dialect), contentType: CSV_TYPE };
      },
    },
    {
      method: 'POST',
      path: '/jobs/query',
      handler: (call, deps) => {
        const body = parseBody(queryBodySchema, call.body);
        const compiled = deps.store.compile(body.query);
        if (compiled.count.kind !== 'none') throw new SalesforceApiError('API_ERROR', 'Aggregate queries (COUNT) are not supported by Bulk API 2.0 query');
        if (compiled.select.some((s) => s.kind === 'subquery')) {
          throw new SalesforceApiError('API_ERROR', 'Nested queries (relationship subqueries) are not supported by Bulk API 2.0 query');
        }
        tableOf(deps.store, compiled.table.name);
        const job = jobs.createQuery({
          operation: body.operation,
          query: compiled,
          dialect: { columnDelimiter: body.columnDelimiter, lineEnding: body.lineEnding },
          version: call.version,
          userId: call.session.userId,
        });
        return { status: 200, body: jobInfo(job) };
      },
    },
    {
      method: 'GET',
      path: '/jobs/query',
      handler: () => ({ status: 200, body: { done: true, records: jobs.list('query').map(jobInfo), nextRecordsUrl: null } }),
    },
    { method: 'GET', path: '/jobs/query/:jobId', handler: (call) => ({ status: 200, body: jobStatus(query(call)) }) },
    {
      method: 'PATCH',
      path: '/jobs/query/:jobId',
      handler: (call) => {
        const job = query(call);
        jobs.setState(job, parseBody(stateBodySchema, call.body).state);
        return { status: 200, body: jobInfo(job) };
      },
    },
    {
      method: 'DELETE',
      path: '/jobs/query/:jobId',
      handler: (call) => {
        jobs.delete(query(call));
        return { status: 204 };
      },
    },
    { method: 'GET', path: '/jobs/query/:jobId/results', handler: (call, deps) => queryResults(call, deps, query(call), queryPageSize) },
  ];
}
