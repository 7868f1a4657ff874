/**
 * HubSpot CRM objects (contacts, companies, deals) in batches of 100: read by id or by a unique
 * property, list and search page by page, create, update and upsert with per-record results.
 * Batch writes send an objectWriteTraceId per input so one bad record comes back as a per-record
 * error (207) instead of failing the batch. Batch reads, pages and writes go through the client's
 * generic request and use HubSpot's JSON as sent (see requestJson); the rest through its typed APIs.
 */
import type { Priority } from '../budget/api-budget.js';
import { chunks, mapLimit } from '../../platform/concurrency.js';
import { RevloopError } from '../../platform/errors.js';
import { requestJson, type BudgetReservation, type HubSpotApi } from './hubspot-api.js';

export const HUBSPOT_BATCH = 100;
export const HUBSPOT_PAGE = 100;
export const HUBSPOT_SEARCH_PAGE = 200;
export const HUBSPOT_SEARCH_CAP = 10_000;
/** Batch calls of one request sent at once (the budget still paces them). */
export const PARALLEL_CALLS = 4;

export type HubSpotObjectType = 'contacts' | 'companies' | 'deals';

export interface HubSpotRecord {
  id: string;
  properties: Record<string, string | null>;
  /** Time of the latest change of each property read with history, epoch ms. */
  propertyChangedAt: Record<string, number>;
  /** Who made that latest change, per property: HubSpot's sourceType (INTEGRATION, CRM_UI, ...) and sourceId (an app id, `userId:..`). */
  propertySource: Record<string, { type: string; id: string | undefined }>;
  createdAt: number;
  updatedAt: number;
  archived: boolean;
}

export type WriteResult = { ok: true; id: string; created?: boolean } | { ok: false; message: string; category: string };

interface RawObject {
  id: string;
  properties: Record<string, string | null>;
  propertiesWithHistory?: Record<string, Array<{ value: string; timestamp: Date | string; sourceType?: string; sourceId?: string }>>;
  createdAt: Date | string;
  updatedAt: Date | string;
  archived?: boolean;
  objectWriteTraceId?: string;
  'new'?: boolean;
}

interface RawError {
  category: string;
  message: string;
  context?: Record<string, string[] | undefined>;
  errors?: Array<{ message?: string; context?: Record<string, string[] | undefined> }>;
  objectWriteTraceId?: string;
}

interface RawBatch {
  results: RawObject[];
  errors?: RawError[];
}

function ms(value: Date | string | undefined): number {
  if (value === undefined) return 0;
  return value instanceof Date ? value.getTime() : Date.parse(value);
}

export function toRecord(raw: RawObject): HubSpotRecord {
  const propertyChangedAt: Record<string, number> = {};
  const propertySource: HubSpotRecord['propertySource'] = {};
  for (const [name, history] of Object.entries(raw.propertiesWithHistory ?? {})) {
    let latest: { t: number; source: { type: string; id: string | undefined } } | undefined;
    for (const entry of history) {
      const t = ms(entry.timestamp);
      if (!latest || t > latest.t) latest = { t, source: { type: entry.sourceType ?? '', id: entry.sourceId } };
    }
    if (latest) {
      propertyChangedAt[name] = latest.t;
      propertySource[name] = latest.source;
    }
  }
  return {
    id: raw.id,
    properties: raw.properties,
    propertyChangedAt,
    propertySource,
    createdAt: ms(raw.createdAt),
    updatedAt: ms(raw.updatedAt),
    archived: raw.archived ?? false,
  };
}

/** A batch input with its trace id, copied key by key (cheaper than a spread here, per the profile). */
function withTrace(body: Readonly<Record<string, unknown>>, trace: string): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const key in body) input[key] = body[key];
  input.objectWriteTraceId = trace;
  return input;
}

/** The trace ids (or record ids) a 207 error concerns. */
function errorKeys(error: RawError): string[] {
  const keys = new Set<string>();
  for (const ctx of [error.context, ...(error.errors ?? []).map((e) => e.context)]) {
    for (const k of ['objectWriteTraceId', 'ids', 'id']) for (const v of ctx?.[k] ?? []) keys.add(String(v));
  }
  if (error.objectWriteTraceId) keys.add(error.objectWriteTraceId);
  return [...keys];
}

export class HubSpotObjects {
  constructor(
    private readonly api: HubSpotApi,
    readonly objectType: HubSpotObjectType,
  ) {}

  /** Reads records by id (or by a unique property such as email); absent ones are simply missing from the map. */
  async read(ids: readonly string[], properties: readonly string[], options: { withHistory?: readonly string[]; idProperty?: string; priority?: Priority } = {}): Promise<Map<string, HubSpotRecord>> {
    const out = new Map<string, HubSpotRecord>();
    await mapLimit(chunks([...new Set(ids)], HUBSPOT_BATCH), PARALLEL_CALLS, async (chunk) => {
      const response = await this.api.call(
        `${this.objectType}.batch.read`,
        (c) =>
          requestJson<RawBatch>(c, 'POST', `/crm/v3/objects/${this.objectType}/batch/read`, {
            body: {
              inputs: chunk.map((id) => ({ id })),
              properties: [...properties],
              propertiesWithHistory: [...(options.withHistory ?? [])],
              ...(options.idProperty ? { idProperty: options.idProperty } : {}),
            },
          }),
        options.priority,
      );
      const data = response.data;
      for (const raw of data.results) {
        const record = toRecord(raw);
        const key = options.idProperty ? (raw.properties[options.idProperty] ?? '').toLowerCase() : raw.id;
        out.set(key, record);
      }
    });
    return out;
  }

  /** A budget slot taken now for a page about to be read (see HubSpotApi.reserve). */
  reservePage(priority: Priority = 'backfill'): BudgetReservation {
    return this.api.reserve(priority);
  }

  /** One page of every record, in HubSpot's id order; `after` resumes. `reserved`: a budget slot taken ahead for it. */
  async listPage(properties: readonly string[], after: string | undefined, priority: Priority = 'backfill', reserved?: BudgetReservation): Promise<{ records: HubSpotRecord[]; after: string | undefined }> {
    const response = await this.api.call(
      `${this.objectType}.list`,
      (c) =>
        requestJson<{ results: RawObject[]; paging?: { next?: { after?: string } } }>(c, 'GET', `/crm/v3/objects/${this.objectType}`, {
          qs: { limit: String(HUBSPOT_PAGE), ...(after !== undefined ? { after } : {}), properties: properties.join(','), archived: 'false' },
        }),
      priority,
      'standard',
      true,
      reserved,
    );
    const data = response.data;
    return { records: data.results.map(toRecord), after: data.paging?.next?.after };
  }

  /**
   * One page of the records modified in [from, to), oldest first. Search stops at 10,000 results, so
   * callers window on the modified date (see sweep).
   */
  async searchModifiedPage(
    window: { from: number; to: number },
    properties: readonly string[],
    after: string | undefined,
    priority: Priority = 'live',
  ): Promise<{ records: HubSpotRecord[]; after: string | undefined; total: number }> {
    const modified = this.objectType === 'contacts' ? 'lastmodifieddate' : 'hs_lastmodifieddate';
    const data = (await this.api.call(
      `${this.objectType}.search`,
      (c) =>
        c.crm.objects.searchApi.doSearch(this.objectType, {
          filterGroups: [
            {
              filters: [
                { propertyName: modified, operator: 'GTE' as never, value: String(window.from) },
                { propertyName: modified, operator: 'LT' as never, value: String(window.to) },
              ],
            },
          ],
          sorts: [modified],
          properties: [...properties, modified],
          limit: HUBSPOT_SEARCH_PAGE,
          ...(after ? { after } : {}),
        }),
      priority,
      'search',
    )) as unknown as { total: number; results: RawObject[]; paging?: { next?: { after?: string } } };
    return { records: data.results.map(toRecord), after: data.paging?.next?.after, total: data.total };
  }

  /** `repeatable`: the call may be sent again when its answer was lost (every write but a create without a unique value). */
  private async write(
    operation: 'update' | 'upsert' | 'create',
    inputs: ReadonlyArray<{ key: string; body: Record<string, unknown> }>,
    priority: Priority,
    repeatable = operation !== 'create',
  ): Promise<Map<string, WriteResult>> {
    const out = new Map<string, WriteResult>();
    await mapLimit(chunks(inputs, HUBSPOT_BATCH), PARALLEL_CALLS, (chunk) => this.writeChunk(operation, chunk, priority, out, repeatable));
    return out;
  }

  /**
   * Writes one batch. If HubSpot refuses the whole batch for one bad record (no per-record result), the
   * batch is split in halves until the bad records stand alone; the good ones are written.
   */
  private async writeChunk(
    operation: 'update' | 'upsert' | 'create',
    chunk: ReadonlyArray<{ key: string; body: Record<string, unknown> }>,
    priority: Priority,
    out: Map<string, WriteResult>,
    repeatable: boolean,
  ): Promise<void> {
    const traced = chunk.map((input, i) => ({ key: input.key, body: input.body, trace: `rl-${i}-${input.key}` }));
    const body = { inputs: traced.map((t) => withTrace(t.body, t.trace)) };
    let data: RawBatch;
    try {
      const response = await this.api.call(
        `${this.objectType}.batch.${operation}`,
        (c) => requestJson<RawBatch>(c, 'POST', `/crm/v3/objects/${this.objectType}/batch/${operation}`, { body }),
        priority,
        'standard',
        // A creation whose answer was lost may have happened: it is not sent again at once, unless a
        // unique value (a contact's email) makes a second one a conflict rather than a duplicate.
        repeatable,
      );
      data = response.data;
    } catch (err) {
      if (err instanceof RevloopError && (err.code === 'RECORD_INVALID' || err.code === 'CONFLICT')) {
        if (chunk.length === 1) {
          const only = chunk[0] as { key: string };
          out.set(only.key, { ok: false, message: String(err.details.vendorMessage ?? err.message), category: String(err.details.category ?? err.code) });
          return;
        }
        const half = Math.ceil(chunk.length / 2);
        await this.writeChunk(operation, chunk.slice(0, half), priority, out, repeatable);
        await this.writeChunk(operation, chunk.slice(half), priority, out, repeatable);
        return;
      }
      throw err;
    }
    const byTrace = new Map(traced.map((t) => [t.trace, t.key]));
    const byId = new Map(traced.map((t) => [String(t.body.id ?? '').toLowerCase(), t.key]));
    for (const raw of data.results) {
      const key =
        (raw.objectWriteTraceId && byTrace.get(raw.objectWriteTraceId)) ||
        byId.get(raw.id) ||
        (operation === 'upsert' ? byId.get((raw.properties.email ?? '').toLowerCase()) : undefined);
      // An upsert says whether it created the record ("new").
      if (key !== undefined) out.set(key, { ok: true, id: raw.id, ...(operation !== 'update' ? { created: raw.new ?? operation === 'create' } : {}) });
    }
    for (const error of data.errors ?? []) {
      for (const k of errorKeys(error)) {
        const key = byTrace.get(k) ?? byId.get(k.toLowerCase());
        if (key !== undefined) out.set(key, { ok: false, message: error.message, category: error.category });
      }
    }
    for (const t of traced) {
      if (!out.has(t.key)) out.set(t.key, { ok: false, message: 'HubSpot returned no result for this record', category: 'MISSING_RESULT' });
    }
  }

  /** Archives records (HubSpot's delete; restorable for 90 days). */
  async archive(ids: readonly string[], priority: Priority = 'live'): Promise<void> {
    await mapLimit(chunks([...new Set(ids)], HUBSPOT_BATCH), PARALLEL_CALLS, async (chunk) => {
      await this.api.call(`${this.objectType}.batch.archive`, (c) => c.crm.objects.batchApi.archive(this.objectType, { inputs: chunk.map((id) => ({ id })) }), priority);
    });
  }

  /** Updates existing records; results keyed by record id. */
  update(inputs: ReadonlyArray<{ id: string; properties: Record<string, string> }>, priority: Priority = 'live'): Promise<Map<string, WriteResult>> {
    return this.write('update', inputs.map((i) => ({ key: i.id, body: { id: i.id, properties: i.properties } })), priority);
  }

  /** Creates or updates by a unique property (email for contacts); results keyed by that value, lower-cased. */
  upsert(idProperty: string, inputs: ReadonlyArray<{ value: string; properties: Record<string, string> }>, priority: Priority = 'live'): Promise<Map<string, WriteResult>> {
    return this.write('upsert', inputs.map((i) => ({ key: i.value.toLowerCase(), body: { id: i.value, idProperty, properties: { ...i.properties, [idProperty]: i.value } } })), priority);
  }

  /**
   * Creates records; results keyed by the caller's key. `unique`: every input carries a unique value
   * (a contact's email), so a creation sent again after a lost answer meets a conflict, not a duplicate.
   */
  create(inputs: ReadonlyArray<{ key: string; properties: Record<string, string>; associations?: unknown[] }>, priority: Priority = 'live', options: { unique?: boolean } = {}): Promise<Map<string, WriteResult>> {
    return this.write('create', inputs.map((i) => ({ key: i.key, body: { properties: i.properties, associations: i.associations ?? [] } })), priority, options.unique === true);
  }
}
