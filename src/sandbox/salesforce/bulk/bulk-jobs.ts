/**
 * The Bulk API 2.0 job manager: ingest and query jobs, their state machine (Open → UploadComplete → InProgress →
 * JobComplete | Failed | Aborted) and asynchronous processing after a short delay, so clients really poll.
 */
import { SalesforceApiError } from '../errors.js';
import { sequentialId } from '../ids.js';
import type { CompiledQuery } from '../soql/compiled-query.js';
import type { SalesforceStore } from '../store/salesforce-store.js';
import type { WriteContext } from '../store/write-context.js';
import { parseCsv, type CsvDialect } from './csv.js';
import { CHUNK_SIZE, headerProblem, processChunk } from './ingest-processor.js';
import type { BulkJob, IngestJob, IngestOperation, QueryJob } from './job-info.js';

/** Rows handled per slice before yielding to the event loop. */
const SLICE_ROWS = 2000;
/** Finished jobs kept for their results; older ones are forgotten first. */
const KEPT_JOBS = 200;

export interface NewIngestJob {
  object: string;
  operation: IngestOperation;
  externalIdFieldName: string | undefined;
  dialect: CsvDialect;
  version: string;
  ctx: WriteContext;
  userId: string;
}

export interface NewQueryJob {
  operation: 'query' | 'queryAll';
  query: CompiledQuery;
  dialect: CsvDialect;
  version: string;
  userId: string;
}

export class BulkJobs {
  private readonly jobs = new Map<string, BulkJob>();
  private counter = 0;
  private stopped = false;

  constructor(
    private readonly store: SalesforceStore,
    private readonly pod: string,
    private readonly delayMs: number,
  ) {}

  private nextId(): string {
    if (this.jobs.size >= KEPT_JOBS) {
      for (const job of this.jobs.values()) {
        if (this.jobs.size < KEPT_JOBS) break;
        if (job.state === 'JobComplete' || job.state === 'Failed' || job.state === 'Aborted') this.jobs.delete(job.id);
      }
    }
    this.counter += 1;
    return sequentialId('750', this.pod, this.counter);
  }

  get(id: string, kind: BulkJob['kind']): BulkJob {
    const job = this.jobs.get(id);
    if (job === undefined || job.kind !== kind) throw new SalesforceApiError('NOT_FOUND', 'The requested resource does not exist', { httpStatus: 404 });
    return job;
  }

  list(kind: BulkJob['kind']): BulkJob[] {
    return [...this.jobs.values()].filter((j) => j.kind === kind);
  }

  createIngest(input: NewIngestJob): IngestJob {
    const now = this.store.now();
    const job: IngestJob = {
      kind: 'ingest',
      id: this.nextId(),
      object: input.object,
      operation: input.operation,
      externalIdFieldName: input.externalIdFieldName,
      state: 'Open',
      createdById: input.userId,
      createdDate: now,
      systemModstamp: now,
      version: input.version,
      dialect: input.dialect,
      ctx: input.ctx,
      data: undefined,
      header: [],
      successful: [],
      failed: [],
      unprocessed: [],
      processed: 0,
      failedCount: 0,
      errorMessage: undefined,
      startedAt: undefined,
      finishedAt: undefined,
      timer: undefined,
    };
    this.jobs.set(job.id, job);
    return job;
  }

  createQuery(input: NewQueryJob): QueryJob {
    const now = this.store.now();
    const job: QueryJob = {
      kind: 'query',
      id: this.nextId(),
      object: input.query.table.name,
      operation: input.operation,
      query: input.query,
      rows: undefined,
      state: 'UploadComplete',
      createdById: input.userId,
      createdDate: now,
      systemModstamp: now,
      version: input.version,
      dialect: input.dialect,
      errorMessage: undefined,
      startedAt: undefined,
      finishedAt: undefined,
      timer: undefined,
    };
    this.jobs.set(job.id, job);
    this.schedule(job, () => this.runQuery(job));
    return job;
  }

  upload(job: IngestJob, csv: string): void {
    if (job.state !== 'Open') throw new SalesforceApiError('INVALIDJOBSTATE', `Job state is ${job.state}; data can only be uploaded to an Open job`, { httpStatus: 409 });
    if (job.data !== undefined) throw new SalesforceApiError('INVALIDJOBSTATE', 'Data has already been uploaded to this job', { httpStatus: 409 });
    job.data = csv;
    job.systemModstamp = this.store.now();
  }

  /** Client-requested state change: UploadComplete (starts processing) or Aborted. */
  setState(job: BulkJob, state: string): void {
    if (state === 'Aborted') {
      if (job.state === 'JobComplete' || job.state === 'Failed' || job.state === 'Aborted') {
        throw new SalesforceApiError('INVALIDJOBSTATE', `Job state is ${job.state} and cannot be aborted`, { httpStatus: 409 });
      }
      this.finish(job, 'Aborted');
      return;
    }
    if (state !== 'UploadComplete' || job.kind !== 'ingest') {
      throw new SalesforceApiError('INVALIDJOBSTATE', `Cannot change the job state to ${state}`, { httpStatus: 400 });
    }
    if (job.state !== 'Open') throw new SalesforceApiError('INVALIDJOBSTATE', `Job state is ${job.state}, not Open`, { httpStatus: 409 });
    job.state = 'UploadComplete';
    job.systemModstamp = this.store.now();
    this.schedule(job, () => this.startIngest(job));
  }

  delete(job: BulkJob): void {
    if (job.timer !== undefined) clearTimeout(job.timer);
    this.jobs.delete(job.id);
  }

  /** Stops all processing (server shutdown). */
  stop(): void {
    this.stopped = true;
    for (const job of this.jobs.values()) if (job.timer !== undefined) clearTimeout(job.timer);
  }

  private schedule(job: BulkJob, run: () => void): void {
    job.timer = setTimeout(() => {
      job.timer = undefined;
      if (!this.stopped && job.state !== 'Aborted') run();
    }, this.delayMs);
    job.timer.unref();
  }

  private finish(job: BulkJob, state: 'JobComplete' | 'Failed' | 'Aborted', errorMessage?: string): void {
    if (job.timer !== undefined) clearTimeout(job.timer);
    job.timer = undefined;
    job.state = state;
    job.errorMessage = errorMessage;
    job.finishedAt = this.store.now();
    job.systemModstamp = job.finishedAt;
  }

  private startIngest(job: IngestJob): void {
    job.state = 'InProgress';
    job.startedAt = this.store.now();
    let rows: string[][];
    try {
      rows = parseCsv(job.data ?? '', job.dialect);
    } catch (err) {
      this.finish(job, 'Failed', `InvalidBatch : Failed to parse CSV: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    const [header, ...data] = rows;
    if (header === undefined || data.length === 0) {
      this.finish(job, 'Failed', 'InvalidBatch : No data to process in the uploaded CSV');
      return;
    }
    job.header = header;
    const problem = headerProblem(this.store, job, header);
    if (problem !== undefined) {
      job.unprocessed = data;
      this.finish(job, 'Failed', problem);
      return;
    }
    let next = 0;
    const slice = (): void => {
      if (this.stopped) return;
      if (job.state === 'Aborted') {
        job.unprocessed.push(...data.slice(next));
        return;
      }
      const end = Math.min(data.length, next + SLICE_ROWS);
      for (let i = next; i < end; i += CHUNK_SIZE) processChunk(this.store, job, data.slice(i, Math.min(end, i + CHUNK_SIZE)));
      next = end;
      job.systemModstamp = this.store.now();
      if (next >= data.length) this.finish(job, 'JobComplete');
      else setImmediate(slice);
    };
    slice();
  }

  private runQuery(job: QueryJob): void {
    job.state = 'InProgress';
    job.startedAt = this.store.now();
    job.rows = this.store.run(job.query, job.operation === 'queryAll').rows;
    this.finish(job, 'JobComplete');
  }
}
