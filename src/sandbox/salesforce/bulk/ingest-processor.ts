/**
 * Processes a Bulk API 2.0 ingest job's CSV: checks the header against the object, then writes the rows in chunks of
 * 200 (each chunk one transaction, as Salesforce processes batches), collecting successful, failed and unprocessed
 * rows with sf__Id / sf__Created / sf__Error. Empty cells leave a field alone; #N/A sets it to null.
 */
import { dmlError, MultipleMatchesError, type CollectionError } from '../errors.js';
import type { SalesforceStore, SaveResult } from '../store/salesforce-store.js';
import type { RecordInput } from '../store/record-writer.js';
import type { IngestJob } from './job-info.js';

export const CHUNK_SIZE = 200;

/** Why the header cannot be processed (the job then fails with this message), or undefined when it is fine. */
export function headerProblem(store: SalesforceStore, job: IngestJob, header: readonly string[]): string | undefined {
  const table = store.table(job.object);
  const lower = header.map((h) => h.toLowerCase());
  for (const column of header) {
    if (column.includes('.')) {
      const [rel, ext] = column.split('.');
      const f = table.schema.parentRelationship(rel ?? '');
      const target = f === undefined ? undefined : store.registry.table(f.referenceTo[0] ?? '');
      const extField = target?.schema.field(ext ?? '');
      if (extField === undefined || !(extField.externalId || extField.idLookup)) return `InvalidBatch : Field name not found : ${column}`;
    } else if (table.schema.field(column) === undefined) {
      return `InvalidBatch : Field name not found : ${column}`;
    }
  }
  if ((job.operation === 'update' || job.operation === 'delete' || job.operation === 'hardDelete') && !lower.includes('id')) {
    return 'InvalidBatch : Field name not found : Id';
  }
  if (job.operation === 'upsert' && !lower.includes((job.externalIdFieldName ?? '').toLowerCase())) {
    return `InvalidBatch : The External ID field was not specified: ${job.externalIdFieldName ?? ''}`;
  }
  return undefined;
}

function recordOf(header: readonly string[], row: readonly string[]): RecordInput {
  const record: RecordInput = {};
  header.forEach((column, i) => {
    const cell = row[i] ?? '';
    if (cell === '') return;
    const value = cell === '#N/A' ? null : cell;
    if (column.includes('.')) {
      const [rel, ext] = column.split('.');
      if (value !== null) record[rel ?? ''] = { [ext ?? '']: value };
      return;
    }
    record[column] = value;
  });
  return record;
}

function idOf(record: RecordInput): string | undefined {
  const key = Object.keys(record).find((k) => k.toLowerCase() === 'id');
  const value = key === undefined ? undefined : record[key];
  return typeof value === 'string' ? value : undefined;
}

function errorText(errors: CollectionError[]): string {
  return errors.map((e) => `${e.statusCode}:${e.message}:${e.fields.join(',')} --`).join(' ');
}

/** Writes one chunk of rows in one transaction; appends to the job's result lists. */
export function processChunk(store: SalesforceStore, job: IngestJob, rows: readonly string[][]): void {
  const table = store.table(job.object);
  const purge: string[] = [];
  const results = store.transaction(job.ctx, (tx) =>
    store.eachRecord(tx, rows, false, (row): SaveResult => {
      const record = recordOf(job.header, row);
      switch (job.operation) {
        case 'insert':
          return { id: table.idOf(store.records.insert(tx, table, record)), success: true, errors: [], created: true };
        case 'update': {
          const id = idOf(record);
          if (id === undefined) throw dmlError('MISSING_ARGUMENT', 'Id not specified in an update call', ['Id']);
          const { row: target } = store.locateRecord(table.name, id);
          const { Id: _id, id: _lower, ...fields } = record;
          store.records.update(tx, table, target, fields);
          return { id: table.idOf(target), success: true, errors: [], created: false };
        }
        case 'upsert': {
          const field = job.externalIdFieldName ?? '';
          const key = Object.keys(record).find((k) => k.toLowerCase() === field.toLowerCase());
          const value = key === undefined ? undefined : record[key];
          if (typeof value !== 'string') throw dmlError('MISSING_ARGUMENT', `${field} not specified`, [field]);
          try {
            const result = store.upsertIn(tx, table.name, field, value, record);
            return { id: result.id, success: true, errors: [], created: result.created };
          } catch (err) {
            if (err instanceof MultipleMatchesError) {
              throw dmlError('DUPLICATE_EXTERNAL_ID', `${field}: more than one record found for external id field: ${err.ids.join(', ')}`, [field]);
            }
            throw err;
          }
        }
        case 'delete':
        case 'hardDelete': {
          const id = idOf(record);
          if (id === undefined) throw dmlError('MISSING_ARGUMENT', 'Id not specified in a delete call', ['Id']);
          const { row: target } = store.locateRecord(table.name, id);
          store.records.delete(tx, table, target);
          if (job.operation === 'hardDelete') purge.push(table.idOf(target));
          return { id: table.idOf(target), success: true, errors: [], created: false };
        }
      }
    }),
  );
  store.purge(purge);
  results.forEach((result, i) => {
    const row = rows[i] ?? [];
    if (result.success) {
      job.successful.push([result.id ?? '', String(result.created === true), ...row]);
    } else {
      const record = recordOf(job.header, row);
      const knownId = job.operation === 'insert' || job.operation === 'upsert' ? '' : (idOf(record) ?? '');
      job.failed.push([knownId, errorText(result.errors), ...row]);
      job.failedCount += 1;
    }
    job.processed += 1;
  });
}
