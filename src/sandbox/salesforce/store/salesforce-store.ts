/**
 * SalesforceStore: the in-memory org behind the simulator, with a typed API used without HTTP by tests, the data
 * generator and the activity driver. Every write is validated as an org does it, runs in a transaction (all or
 * nothing) and, once committed, is published on the change feed.
 */
import { createHash, randomUUID } from 'node:crypto';
import { ChangeFeed, type ChangeListener, type SalesforceChange } from '../change-feed.js';
import { MultipleMatchesError, SalesforceApiError, dmlError, notFound, type CollectionError } from '../errors.js';
import { parseId } from '../ids.js';
import { customFieldDef, type CustomFieldInput, type CustomFieldsConfig } from '../schema/custom-field-input.js';
import type { FieldDef, FieldValue } from '../schema/field-def.js';
import { buildOrgSchema, type OrgSchema } from '../schema/org-schema.js';
import { ROW_DELETED, ROW_LIVE, type ObjectTable } from '../storage/object-table.js';
import { compileSoql } from '../soql/compile.js';
import type { CompiledQuery } from '../soql/compiled-query.js';
import { runQuery, type QueryRun } from '../soql/execute.js';
import { renderRecord, externalValue, type JsonRecord } from '../soql/shape.js';
import { convertLead, failedConversion, type LeadConvertRequest, type LeadConvertResult } from './convert-lead.js';
import { mergeRecords, type MergeResult } from './merge.js';
import { RecordWriter, type RecordInput } from './record-writer.js';
import { TableRegistry, type Located } from './table-registry.js';
import { Transaction, type Savepoint } from './transaction.js';
import { changeOriginOf, type ResolvedContext, type WriteContext } from './write-context.js';
import { readField } from '../soql/evaluate.js';
import { bootstrapOrg, type SandboxUserInput } from './bootstrap.js';

export interface SalesforceStoreOptions {
  /** Injectable clock (epoch ms). */
  now?: () => number;
  /** The org id (15 or 18 characters, prefix 00D). */
  orgId?: string;
  /** Default API version for change origins and record urls, '62.0'. */
  version?: string;
  /** Start without revloop's custom fields and Lead Status values. */
  bareOrg?: boolean;
  customFields?: CustomFieldsConfig;
  /** Users besides the integration user and the admin. */
  users?: SandboxUserInput[];
}

export interface SaveResult {
  id: string | null;
  success: boolean;
  errors: CollectionError[];
  created?: boolean;
}

export interface QueryOptions {
  /** queryAll: include records in the recycle bin. */
  includeDeleted?: boolean;
  version?: string;
}

export interface QueryResultPage {
  totalSize: number;
  done: boolean;
  records: JsonRecord[];
}

const DEFAULT_ORG_ID = '00D5g000004ABCD';

export class SalesforceStore {
  readonly schema: OrgSchema;
  readonly registry: TableRegistry;
  readonly orgId: string;
  readonly version: string;
  readonly integrationUserId: string;
  readonly adminUserId: string;
  readonly now: () => number;
  private readonly feed = new ChangeFeed();
  private readonly writer: RecordWriter;
  private active: Transaction | undefined;
  private commitNumber = 10_000_000_000;
  private readonly userRefs = new Map<string, number>();

  constructor(options: SalesforceStoreOptions = {}) {
    this.now = options.now ?? Date.now;
    this.version = options.version ?? '62.0';
    const org = parseId(options.orgId ?? DEFAULT_ORG_ID);
    if (org === undefined || org.keyPrefix !== '00D') throw new Error(`orgId must be a Salesforce org id (00D...), got ${options.orgId ?? ''}`);
    this.orgId = org.id18;
    this.schema = buildOrgSchema({ bareOrg: options.bareOrg ?? false, ...(options.customFields === undefined ? {} : { customFields: options.customFields }) });
    this.registry = new TableRegistry(this.schema, org.id15.slice(3, 5));
    this.writer = new RecordWriter(this.registry, this.schema, (userId) => this.userRef(userId));
    const users = this.registry.get('User');
    this.integrationUserId = users.idOf(0);
    this.adminUserId = users.idOf(1);
    bootstrapOrg(this, options.users ?? []);
  }

  // ---- change feed and transactions --------------------------------------------------------------------------

  /** Subscribes to committed changes (called synchronously, in commit order); returns the unsubscribe function. */
  onChange(listener: ChangeListener): () => void {
    return this.feed.onChange(listener);
  }

  private resolve(ctx: WriteContext): ResolvedContext {
    // A UI edit is a person's: without a named user, the sandbox admin (never the integration user, whose
    // session the API clients hold).
    const userId = ctx.userId ?? (ctx.origin === 'ui' ? this.adminUserId : this.integrationUserId);
    return {
      userId,
      origin: ctx.origin ?? 'api',
      changeOrigin: changeOriginOf(ctx, this.version),
      emitChanges: ctx.emitChanges ?? true,
      auditFields: ctx.auditFields ?? false,
    };
  }

  /**
   * Runs fn in one transaction: everything it writes commits together (and is published with one transactionKey) or,
   * if it throws, is undone. A nested call joins the running transaction.
   */
  transaction<T>(ctx: WriteContext, fn: (tx: Transaction) => T): T {
    if (this.active !== undefined) return fn(this.active);
    const resolved = this.resolve(ctx);
    this.userRef(resolved.userId);
    const tx = new Transaction(resolved, this.now());
    this.active = tx;
    let result: T;
    try {
      result = fn(tx);
    } catch (err) {
      this.active = undefined;
      tx.rollbackAll();
      throw err;
    }
    this.active = undefined;
    this.publish(tx);
    return result;
  }

  /** Runs one unit of work inside a transaction; on failure only that unit is undone and its error returned. */
  attempt<T>(tx: Transaction, fn: () => T): { ok: true; value: T } | { ok: false; error: SalesforceApiError } {
    const savepoint: Savepoint = tx.savepoint();
    try {
      return { ok: true, value: fn() };
    } catch (err) {
      tx.rollbackTo(savepoint);
      if (err instanceof SalesforceApiError) return { ok: false, error: err };
      throw err;
    }
  }

  private publish(tx: Transaction): void {
    if (tx.changes.length === 0 || !this.feed.hasListeners) return;
    this.commitNumber += 1;
    const transactionKey = randomUUID();
    const commitUser = tx.ctx.userId;
    const changes: SalesforceChange[] = tx.changes.map((c, i) => ({
      entityName: c.entityName,
      changeType: c.changeType,
      recordIds: [c.recordId],
      changedFields: c.changedFields,
      fields: c.fields,
      commitTimestamp: tx.now,
      commitNumber: this.commitNumber,
      transactionKey,
      sequenceNumber: i + 1,
      changeOrigin: tx.ctx.changeOrigin,
      commitUser,
    }));
    this.feed.publish(changes);
  }

  // ---- lookups -----------------------------------------------------------------------------------------------

  table(objectName: string): ObjectTable {
    const table = this.registry.table(objectName);
    if (table === undefined) throw notFound(`The requested resource does not exist`);
    return table;
  }

  private userRef(userId: string): number {
    const cached = this.userRefs.get(userId);
    if (cached !== undefined) return cached;
    const users = this.registry.get('User');
    const parsed = parseId(userId);
    const row = parsed === undefined ? -1 : users.codec.rowOf(parsed.id15);
    const bootstrapping = row >= 0 && row === users.rowCount;
    if (row < 0 || (!bootstrapping && users.rowOf(parsed?.id15 ?? '') < 0)) {
      throw dmlError('INVALID_CROSS_REFERENCE_KEY', `no such user: ${userId}`, []);
    }
    const ref = this.registry.ref(users, row);
    if (!bootstrapping) this.userRefs.set(userId, ref);
    return ref;
  }

  /**
   * The record an id designates within an object, for writes: MALFORMED_ID when the id is not an id of that object,
   * INVALID_CROSS_REFERENCE_KEY when no such record exists. Deleted records are returned (callers decide).
   */
  locateRecord(objectName: string, id: string): Located {
    const table = this.table(objectName);
    const parsed = parseId(id);
    if (parsed === undefined || parsed.keyPrefix !== table.codec.keyPrefix) {
      throw dmlError('MALFORMED_ID', `${table.schema.def.label} ID: id value of incorrect type: ${id}`, ['Id']);
    }
    const row = table.rowOf(parsed.id15);
    if (row < 0) throw dmlError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', []);
    return { table, row };
  }

  /** Live records whose external id (or other idLookup field) equals value. */
  findByExternalId(objectName: string, fieldName: string, value: string | number): string[] {
    const table = this.table(objectName);
    const f = table.schema.field(fieldName);
    if (f === undefined || !(f.externalId || f.idLookup)) throw notFound(`Provided external ID field does not exist or is not accessible: ${fieldName}`);
    return this.liveRowsByField(table, f, value).map((r) => table.idOf(r));
  }

  liveRowsByField(table: ObjectTable, f: FieldDef, value: string | number): number[] {
    if (f.type === 'id') {
      const parsed = parseId(String(value));
      const row = parsed === undefined ? -1 : table.rowOf(parsed.id15);
      return row >= 0 && table.stateOf(row) === ROW_LIVE ? [row] : [];
    }
    if (table.hasHashIndex(f.name)) return table.findByValue(f.name, value).filter((r) => table.stateOf(r) === ROW_LIVE);
    const lower = String(value).toLowerCase();
    const out: number[] = [];
    for (let r = 0; r < table.rowCount; r++) {
      if (table.stateOf(r) !== ROW_LIVE) continue;
      const v = table.getRaw(r, f.name);
      if (v !== null && String(v).toLowerCase() === lower) out.push(r);
    }
    return out;
  }

  /** A record's fields as the REST API shows them (all fields, or the given ones), undefined when absent. */
  get(objectName: string, id: string, fields?: readonly string[]): Record<string, FieldValue> | undefined {
    const table = this.registry.table(objectName);
    const parsed = parseId(id);
    if (table === undefined || parsed === undefined || parsed.keyPrefix !== table.codec.keyPrefix) return undefined;
    const row = table.rowOf(parsed.id15);
    if (row < 0) return undefined;
    return this.recordFields(table, row, fields);
  }

  /** Field values of a row (computed fields included), keyed by API name. */
  recordFields(table: ObjectTable, row: number, fields?: readonly string[]): Record<string, FieldValue> {
    const out: Record<string, FieldValue> = {};
    const defs = fields === undefined ? table.schema.fields : fields.map((name) => {
      const f = table.schema.field(name);
      if (f === undefined) throw new SalesforceApiError('INVALID_FIELD', `No such column '${name}' on entity '${table.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`);
      return f;
    });
    for (const f of defs) out[f.name] = externalValue(this.registry, f, readField(this.registry, table, row, f.name));
    return out;
  }

  isDeleted(objectName: string, id: string): boolean {
    const found = this.registry.locate(id);
    return found !== undefined && found.table.name.toLowerCase() === objectName.toLowerCase() && found.table.stateOf(found.row) === ROW_DELETED;
  }

  // ---- writes ------------------------------------------------------------------------------------------------

  /** Creates a record; returns its id. Throws SalesforceApiError in Salesforce's words. */
  insert(objectName: string, fields: RecordInput, ctx: WriteContext = {}): string {
    const table = this.table(objectName);
    return this.transaction(ctx, (tx) => table.idOf(this.writer.insert(tx, table, fields)));
  }

  /**
   * Creates many records of one object in one transaction (bulk seeding: pass `emitChanges: false`). With allOrNone
   * one failure undoes all; otherwise each record succeeds or fails on its own.
   */
  insertMany(objectName: string, records: readonly RecordInput[], ctx: WriteContext = {}, options: { allOrNone?: boolean } = {}): SaveResult[] {
    const table = this.table(objectName);
    return this.transaction(ctx, (tx) =>
      this.eachRecord(
        tx,
        records,
        options.allOrNone === true,
        (record) => ({ id: table.idOf(this.writer.insert(tx, table, record)), success: true, errors: [] }),
        true,
      ),
    );
  }

  update(objectName: string, id: string, fields: RecordInput, ctx: WriteContext = {}): void {
    this.transaction(ctx, (tx) => {
      const { table, row } = this.locateRecord(objectName, id);
      this.writer.update(tx, table, row, fields);
    });
  }

  /**
   * Upsert by external id: updates the one live record whose field equals value, else creates one with that value.
   * Several matches throw MULTIPLE_CHOICES (HTTP 300) carrying the matching ids.
   */
  upsert(objectName: string, externalIdField: string, value: string, fields: RecordInput, ctx: WriteContext = {}): { id: string; created: boolean } {
    return this.transaction(ctx, (tx) => this.upsertIn(tx, objectName, externalIdField, value, fields));
  }

  upsertIn(tx: Transaction, objectName: string, externalIdField: string, value: string, fields: RecordInput): { id: string; created: boolean } {
    const table = this.table(objectName);
    const f = table.schema.field(externalIdField);
    if (f === undefined || !(f.externalId || f.idLookup)) {
      throw notFound(`Provided external ID field does not exist or is not accessible: ${externalIdField}`);
    }
    const matches = value === '' ? [] : this.liveRowsByField(table, f, value);
    if (matches.length > 1) {
      throw new MultipleMatchesError(table.name, matches.map((r) => table.idOf(r)));
    }
    const body: RecordInput = { ...fields };
    for (const key of Object.keys(body)) if (key.toLowerCase() === f.name.toLowerCase()) delete body[key];
    const existing = matches[0];
    if (existing !== undefined) {
      this.writer.update(tx, table, existing, body);
      return { id: table.idOf(existing), created: false };
    }
    if (f.type === 'id') {
      if (value === '') return { id: table.idOf(this.writer.insert(tx, table, body)), created: true };
      throw notFound();
    }
    const row = this.writer.insert(tx, table, { ...body, [f.name]: value });
    return { id: table.idOf(row), created: true };
  }

  /** Moves a record to the recycle bin (cascading as Salesforce does). */
  delete(id: string, ctx: WriteContext = {}): void {
    this.transaction(ctx, (tx) => {
      const found = this.registry.locate(id);
      if (found === undefined) throw dmlError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', []);
      this.writer.delete(tx, found.table, found.row);
    });
  }

  undelete(id: string, ctx: WriteContext = {}): void {
    this.transaction(ctx, (tx) => {
      const found = this.registry.locate(id);
      if (found === undefined) throw dmlError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', []);
      this.writer.undelete(tx, found.table, found.row);
    });
  }

  /** Empties the recycle bin for these records (a hard delete; nothing is published, as in Salesforce). */
  purge(ids: readonly string[]): void {
    for (const id of ids) {
      const found = this.registry.locate(id);
      if (found !== undefined && found.table.stateOf(found.row) === ROW_DELETED) found.table.vacate(found.row);
    }
  }

  merge(objectName: string, masterId: string, mergedIds: readonly string[], ctx: WriteContext = {}, masterFields: RecordInput = {}): MergeResult {
    const table = this.table(objectName);
    return this.transaction(ctx, (tx) => mergeRecords({ registry: this.registry, schema: this.schema, writer: this.writer }, tx, table, masterId, mergedIds, masterFields));
  }

  /** Converts one lead (all its effects in one transaction). Validation problems come back in the result. */
  convertLead(request: LeadConvertRequest, ctx: WriteContext = {}): LeadConvertResult {
    const [result] = this.convertLeads([request], ctx);
    return result ?? failedConversion(request.leadId, new Error('no result'));
  }

  /** Converts several leads in one API call: one transaction; each conversion succeeds or fails on its own. */
  convertLeads(requests: readonly LeadConvertRequest[], ctx: WriteContext = {}): LeadConvertResult[] {
    return this.transaction(ctx, (tx) =>
      requests.map((request) => {
        const outcome = this.attempt(tx, () => convertLead({ registry: this.registry, schema: this.schema, writer: this.writer }, tx, request));
        return outcome.ok ? outcome.value : failedConversion(request.leadId, outcome.error);
      }),
    );
  }

  /** The record writer, for the HTTP layer's collection operations inside store.transaction. */
  get records(): RecordWriter {
    return this.writer;
  }

  /** Runs each record's write; allOrNone turns any failure into a rollback of all (ALL_OR_NONE_OPERATION_ROLLED_BACK). */
  eachRecord<T>(tx: Transaction, items: readonly T[], allOrNone: boolean, write: (item: T, index: number) => SaveResult, creates = false): SaveResult[] {
    const start = tx.savepoint();
    const results = items.map((item, i) => {
      const outcome = this.attempt(tx, () => write(item, i));
      return outcome.ok ? outcome.value : { id: null, success: false, errors: [outcome.error.toCollection()] };
    });
    if (allOrNone && results.some((r) => !r.success)) {
      tx.rollbackTo(start);
      return results.map((r) =>
        r.success
          ? {
              ...r,
              id: creates || r.created === true ? null : r.id,
              success: false,
              errors: [
                {
                  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
                  message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
                  fields: [],
                },
              ],
            }
          : r,
      );
    }
    return results;
  }

  // ---- schema ------------------------------------------------------------------------------------------------

  /** Adds a custom field (Setup > Object Manager > New Field); existing records read null. */
  addField(objectName: string, input: CustomFieldInput): FieldDef {
    const table = this.table(objectName);
    const def = customFieldDef(input);
    if (table.schema.field(def.name) !== undefined) {
      throw new SalesforceApiError('DUPLICATE_DEVELOPER_NAME', `There is already a field named ${def.name} on ${table.name}.`);
    }
    if (def.type === 'reference' && this.registry.table(def.referenceTo[0] ?? '') === undefined) {
      throw new SalesforceApiError('INVALID_FIELD', `referenceTo: unknown object ${def.referenceTo[0] ?? ''}`);
    }
    const target = def.referenceTo[0];
    if (target !== undefined) def.referenceTo = [this.registry.get(target).name];
    table.schema.addField(def);
    table.addColumn(def);
    return def;
  }

  /** Fields computed from others (formula-like): never stored, never on the change feed. */
  derivedFields(objectName: string): string[] {
    const object = this.schema.object(objectName);
    return object === undefined ? [] : object.fields.filter((f) => f.storage === 'computed').map((f) => f.name);
  }

  /** A short hash of an object's field names and types; it changes when a field is added. */
  schemaFingerprint(objectName: string): string {
    const object = this.schema.object(objectName);
    const text = object === undefined ? '' : object.fields.map((f) => `${f.name}:${f.type}`).join(',');
    return createHash('sha256').update(text).digest('base64url').slice(0, 22);
  }

  // ---- queries -----------------------------------------------------------------------------------------------

  compile(soql: string): CompiledQuery {
    return compileSoql(soql, { registry: this.registry, schema: this.schema, now: this.now() });
  }

  run(query: CompiledQuery, includeDeleted = false): QueryRun {
    return runQuery(query, { registry: this.registry, includeDeleted });
  }

  render(query: CompiledQuery, row: number, options: QueryOptions = {}): JsonRecord {
    return renderRecord({ registry: this.registry, includeDeleted: options.includeDeleted ?? false, version: options.version ?? this.version }, query, query.table, row);
  }

  /** Runs SOQL and returns every record (no paging), shaped as the REST API shapes them. */
  query(soql: string, options: QueryOptions = {}): QueryResultPage {
    const compiled = this.compile(soql);
    const run = this.run(compiled, options.includeDeleted ?? false);
    if (compiled.count.kind === 'count') return { totalSize: run.rows.length, done: true, records: [] };
    if (compiled.count.kind === 'aggregate') {
      return { totalSize: 1, done: true, records: [{ attributes: { type: 'AggregateResult' }, [compiled.count.alias]: run.aggregate ?? 0 }] };
    }
    return { totalSize: run.rows.length, done: true, records: Array.from(run.rows, (row) => this.render(compiled, row, options)) };
  }

  /** Number of live records of an object, optionally matching a SOQL condition ('Status = \'Open\''). */
  count(objectName: string, where?: string): number {
    const table = this.table(objectName);
    if (where === undefined) return table.liveCount;
    return this.run(this.compile(`SELECT COUNT() FROM ${table.name} WHERE ${where}`)).rows.length;
  }

  /** Users by username (JWT bearer `sub`, the authorize form). */
  userIdByUsername(username: string): string | undefined {
    const users = this.registry.get('User');
    const row = users.findByValue('Username', username).find((r) => users.stateOf(r) === ROW_LIVE);
    return row === undefined ? undefined : users.idOf(row);
  }
}
