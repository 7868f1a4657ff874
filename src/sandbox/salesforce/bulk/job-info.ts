/** Bulk API 2.0 job records and their JSON (the "job info" Salesforce returns). */
import { formatDateTime } from '../datetime.js';
import type { CompiledQuery } from '../soql/compiled-query.js';
import type { WriteContext } from '../store/write-context.js';
import type { CsvDialect } from './csv.js';

export type JobState = 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';
export type IngestOperation = 'insert' | 'update' | 'upsert' | 'delete' | 'hardDelete';

interface JobBase {
  id: string;
  object: string;
  state: JobState;
  createdById: string;
  createdDate: number;
  systemModstamp: number;
  /** '62.0' */
  version: string;
  dialect: CsvDialect;
  errorMessage: string | undefined;
  startedAt: number | undefined;
  finishedAt: number | undefined;
  timer: NodeJS.Timeout | undefined;
}

export interface IngestJob extends JobBase {
  kind: 'ingest';
  operation: IngestOperation;
  externalIdFieldName: string | undefined;
  ctx: WriteContext;
  data: string | undefined;
  header: string[];
  successful: string[][];
  failed: string[][];
  unprocessed: string[][];
  processed: number;
  failedCount: number;
}

export interface QueryJob extends JobBase {
  kind: 'query';
  operation: 'query' | 'queryAll';
  query: CompiledQuery;
  rows: Int32Array | undefined;
}

export type BulkJob = IngestJob | QueryJob;

function common(job: BulkJob): Record<string, unknown> {
  return {
    id: job.id,
    operation: job.operation,
    object: job.object,
    createdById: job.createdById,
    createdDate: formatDateTime(job.createdDate),
    systemModstamp: formatDateTime(job.systemModstamp),
    state: job.state,
    ...(job.kind === 'ingest' && job.externalIdFieldName !== undefined ? { externalIdFieldName: job.externalIdFieldName } : {}),
    concurrencyMode: 'Parallel',
    contentType: 'CSV',
    apiVersion: Number(job.version),
    ...(job.kind === 'ingest' ? { contentUrl: `services/data/v${job.version}/jobs/ingest/${job.id}/batches` } : {}),
    lineEnding: job.dialect.lineEnding,
    columnDelimiter: job.dialect.columnDelimiter,
  };
}

/** What create and state changes answer. */
export function jobInfo(job: BulkJob): Record<string, unknown> {
  return common(job);
}

/** What GET /jobs/…/<id> answers: the job info plus its progress. */
export function jobStatus(job: BulkJob): Record<string, unknown> {
  const elapsed = job.startedAt === undefined ? 0 : (job.finishedAt ?? job.startedAt) - job.startedAt;
  if (job.kind === 'ingest') {
    return {
      ...common(job),
      jobType: 'V2Ingest',
      numberRecordsProcessed: job.processed,
      numberRecordsFailed: job.failedCount,
      retries: 0,
      totalProcessingTime: elapsed,
      apiActiveProcessingTime: elapsed,
      apexProcessingTime: 0,
      ...(job.errorMessage === undefined ? {} : { errorMessage: job.errorMessage }),
    };
  }
  return {
    ...common(job),
    jobType: 'V2Query',
    numberRecordsProcessed: job.rows?.length ?? 0,
    retries: 0,
    totalProcessingTime: elapsed,
    ...(job.errorMessage === undefined ? {} : { errorMessage: job.errorMessage }),
  };
}
