/**
 * Salesforce records in batches: queries streamed page by page (never jsforce's autoFetch, which stops
 * silently at 10,000), reads by id, and writes through sObject Collections (200 per call, allOrNone
 * false, so one bad record is reported alone) or Bulk API 2.0 above a size threshold.
 */
import type { Priority } from '../budget/api-budget.js';
import { chunks, mapLimit } from '../../platform/concurrency.js';
import { RevloopError } from '../../platform/errors.js';
import type { SalesforceApi } from './salesforce-api.js';
import { select, where, type ChildQuery, type Condition } from './soql.js';

export const COLLECTION_SIZE = 200;
export const ID_QUERY_CHUNK = 200;
/** Collection calls of one request sent at once (the budget still paces them). */
export const PARALLEL_CALLS = 4;

export type SalesforceRecord = Record<string, unknown> & { Id: string };

export type SalesforceWriteResult =
  | { ok: true; id: string; created?: boolean }
  | { ok: false; code: string; message: string; fields: string[] };

interface CollectionResult {
  id?: string | null;
  success: boolean;
  created?: boolean;
  errors?: Array<{ statusCode?: string; errorCode?: string; message: string; fields?: string[] }>;
}

interface QueryResult {
  records: Array<Record<string, unknown>>;
  done: boolean;
  nextRecordsUrl?: string;
  totalSize: number;
}

/** A record without its `attributes` (and its related records' too). Every query page's record passes here. */
function strip(record: Record<string, unknown>): SalesforceRecord {
  const out: Record<string, unknown> = {};
  for (const k in record) {
    if (k === 'attributes') continue;
    const v = record[k];
    out[k] = v !== null && typeof v === 'object' && !Array.isArray(v) && 'attributes' in (v as object) ? strip(v as Record<string, unknown>) : v;
  }
  return out as SalesforceRecord;
}

function toWriteResult(r: CollectionResult): SalesforceWriteResult {
  if (r.success && r.id) return r.created === undefined ? { ok: true, id: r.id } : { ok: true, id: r.id, created: r.created };
  const first = r.errors?.[0];
  return {
    ok: false,
    code: first?.statusCode ?? first?.errorCode ?? 'UNKNOWN',
    message: r.errors?.map((e) => e.message).join('; ') || 'Salesforce refused the record',
    fields: r.errors?.flatMap((e) => e.fields ?? []) ?? [],
  };
}

export class SalesforceRecords {
  constructor(private readonly api: SalesforceApi) {}

  /** One page of a query (2,000 records by default); pass `next` back to read the following page. */
  async queryPage(soqlOrNext: { soql: string } | { next: string }, priority: Priority = 'live', scanAll = false): Promise<{ records: SalesforceRecord[]; next: string | undefined; total: number }> {
    const result = await this.api.call<QueryResult>(
      'soql',
      async (conn) =>
        ('soql' in soqlOrNext
          ? await conn.query(soqlOrNext.soql, { autoFetch: false, scanAll })
          : await conn.queryMore(soqlOrNext.next)) as unknown as QueryResult,
      priority,
    );
    return { records: result.records.map(strip), next: result.done ? undefined : result.nextRecordsUrl, total: result.totalSize };
  }

  /** Every record of a query, page by page (`scanAll` includes deleted and archived records). */
  async *query(soql: string, priority: Priority = 'live', scanAll = false): AsyncGenerator<SalesforceRecord[]> {
    let page = await this.queryPage({ soql }, priority, scanAll);
    yield page.records;
    while (page.next) {
      page = await this.queryPage({ next: page.next }, priority);
      yield page.records;
    }
  }

  /** Records of `object` whose `field` is one of `values`, in chunks that keep each query short. */
  async findIn(object: string, fields: readonly string[], field: string, values: readonly (string | number)[], extra?: Condition, priority: Priority = 'live', children: readonly ChildQuery[] = []): Promise<SalesforceRecord[]> {
    const out: SalesforceRecord[] = [];
    for (const chunk of chunks([...new Set(values)], ID_QUERY_CHUNK)) {
      const condition = extra ? where.and(where.in(field, chunk), extra) : where.in(field, chunk);
      for await (const page of this.query(select(fields, object, { where: condition, children }), priority)) out.push(...page);
    }
    return out;
  }

  private async collection(
    operation: 'create' | 'update' | 'upsert',
    object: string,
    records: ReadonlyArray<Record<string, unknown>>,
    externalIdField: string | undefined,
    priority: Priority,
    repeatable = operation !== 'create',
  ): Promise<SalesforceWriteResult[]> {
    const perChunk = await mapLimit(chunks(records, COLLECTION_SIZE), PARALLEL_CALLS, async (chunk) => {
      const results = await this.api.call<CollectionResult[]>(
        `${object}.collection.${operation}`,
        async (conn) => {
          const sobject = conn.sobject(object);
          const answer =
            operation === 'create'
              ? await sobject.create(chunk as never[], { allOrNone: false })
              : operation === 'update'
                ? await sobject.update(chunk as never[], { allOrNone: false })
                : await sobject.upsert(chunk as never[], externalIdField as string, { allOrNone: false });
          return answer as unknown as CollectionResult[];
        },
        priority,
        // Updates by Id and upserts by an external id land the same way twice; a creation might not.
        repeatable,
      );
      if (results.length !== chunk.length) {
        throw new RevloopError('UPSTREAM_UNAVAILABLE', `Salesforce ${object} ${operation}: ${results.length} results for ${chunk.length} records`);
      }
      return results.map(toWriteResult);
    });
    return perChunk.flat();
  }

  create(object: string, records: ReadonlyArray<Record<string, unknown>>, priority: Priority = 'live'): Promise<SalesforceWriteResult[]> {
    return this.collection('create', object, records, undefined, priority);
  }

  /**
   * Creates records that each carry a value of a unique field (the external id): one that exists is
   * refused (DUPLICATE_VALUE), never updated, and so a create whose answer was lost is sent again.
   */
  createUnique(object: string, records: ReadonlyArray<Record<string, unknown>>, priority: Priority = 'live'): Promise<SalesforceWriteResult[]> {
    return this.collection('create', object, records, undefined, priority, true);
  }

  /** Each record carries its `Id`. */
  update(object: string, records: ReadonlyArray<Record<string, unknown> & { Id: string }>, priority: Priority = 'live'): Promise<SalesforceWriteResult[]> {
    return this.collection('update', object, records, undefined, priority);
  }

  /** Creates or updates by an external-id field each record carries. */
  upsert(object: string, externalIdField: string, records: ReadonlyArray<Record<string, unknown>>, priority: Priority = 'live'): Promise<SalesforceWriteResult[]> {
    return this.collection('upsert', object, records, externalIdField, priority);
  }

  /**
   * Upsert through Bulk API 2.0 (one job: a handful of calls whatever the size). Results come back in
   * input order, matched on the external id.
   */
  bulkUpsert(object: string, externalIdField: string, records: ReadonlyArray<Record<string, unknown>>, priority: Priority = 'backfill'): Promise<SalesforceWriteResult[]> {
    return this.bulk('upsert', object, externalIdField, records, priority);
  }

  /**
   * Insert through Bulk API 2.0. Every record carries a unique value of `keyField` (the external id),
   * by which results are matched to the input order.
   */
  bulkInsert(object: string, keyField: string, records: ReadonlyArray<Record<string, unknown>>, priority: Priority = 'backfill'): Promise<SalesforceWriteResult[]> {
    return this.bulk('insert', object, keyField, records, priority);
  }

  private async bulk(operation: 'insert' | 'upsert', object: string, externalIdField: string, records: ReadonlyArray<Record<string, unknown>>, priority: Priority): Promise<SalesforceWriteResult[]> {
    const results = await this.api.call(
      `${object}.bulk.${operation}`,
      async (conn) =>
        conn.bulk2.loadAndWaitForResults({
          object,
          operation,
          ...(operation === 'upsert' ? { externalIdFieldName: externalIdField } : {}),
          input: records.map((r) => ({ ...r })) as never[],
          pollInterval: 500,
          pollTimeout: 10 * 60_000,
        }),
      priority,
    );
    const byKey = new Map<string, SalesforceWriteResult>();
    for (const r of results.successfulResults as Array<Record<string, unknown>>) {
      byKey.set(String(r[externalIdField]), { ok: true, id: String(r.sf__Id), created: r.sf__Created === 'true' });
    }
    for (const r of results.failedResults as Array<Record<string, unknown>>) {
      const [code, ...rest] = String(r.sf__Error).split(':');
      byKey.set(String(r[externalIdField]), { ok: false, code: code ?? 'UNKNOWN', message: rest.join(':').trim() || String(r.sf__Error), fields: [] });
    }
    return records.map((r) => byKey.get(String(r[externalIdField])) ?? { ok: false, code: 'UNPROCESSED', message: 'Salesforce did not process this record', fields: [] });
  }
}
