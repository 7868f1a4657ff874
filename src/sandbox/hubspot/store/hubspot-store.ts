/**
 * The HubSpot portal's state in memory, with a typed API that needs no HTTP. The API routes, the
 * data generator, the activity driver and tests all write through it, as a named actor; every
 * change keeps property history and produces the events HubSpot would send for it.
 */
import { ActorTable, type Actor } from './actors.js';
import { AssociationStore, type AssociationChange } from './association-store.js';
import { associationType, defaultTypeBetween } from './association-types.js';
import { ObjectTable, RecordState } from './object-table.js';
import { OBJECT_TYPE_INFO, OBJECT_TYPES, type ObjectTypeName } from './object-types.js';
import { OwnerDirectory, type OwnerInput } from './owners.js';
import { PipelineRegistry } from './pipelines.js';
import { PropertyRegistry } from './property-registry.js';
import { readRecord, type ReadOptions, type StoredObject } from './record-reader.js';
import { mergeRecords } from './record-merge.js';
import {
  archiveRecord,
  insertRecord,
  prepareCreate,
  prepareUpdate,
  purgeRecord,
  restoreRecord,
  updateRecord,
  type WriteOptions,
} from './record-writer.js';
import type { StoreContext } from './store-context.js';
import { InvalidRequestError, NotFoundError } from './store-errors.js';
import { executeSearch } from '../search/search-engine.js';
import { searchRequestSchema, type SearchRequest } from '../search/search-request.js';
import type { z } from 'zod';
import type { StoreEvent, StoreEventListener } from './store-events.js';
import { UniqueIndex } from './unique-index.js';
import type { PropertyInputValue } from './value-validation.js';

export interface HubSpotStoreOptions {
  /** The clock every stamp is taken from (epoch ms). */
  now?: () => number;
  /** Owners to seed instead of the default team. */
  owners?: readonly OwnerInput[];
}

export interface AssociationInput {
  toType: ObjectTypeName;
  toId: string;
  /** HubSpot-defined association type ids; the default (unlabeled) type when omitted. */
  typeIds?: number[];
}

export interface CreateInput {
  properties: Record<string, PropertyInputValue>;
  associations?: AssociationInput[];
}

export interface ListOptions extends ReadOptions {
  /** Cursor from a previous page (`nextAfter`). */
  after?: string;
  limit?: number;
  archived?: boolean;
}

export interface ListPage {
  results: StoredObject[];
  nextAfter?: string;
}

export type SearchInput = z.input<typeof searchRequestSchema>;

export interface SearchResult {
  total: number;
  results: StoredObject[];
  /** Offset for the next page (`after`), when there is one. */
  nextAfter?: string;
}

export interface Associated {
  toId: string;
  typeIds: number[];
}

export class HubSpotStore {
  readonly properties: PropertyRegistry;
  readonly owners: OwnerDirectory;
  readonly pipelines: PipelineRegistry;
  readonly now: () => number;
  private readonly ctx: StoreContext;
  private readonly listeners = new Set<StoreEventListener>();

  constructor(options: HubSpotStoreOptions = {}) {
    this.now = options.now ?? Date.now;
    this.properties = new PropertyRegistry(this.now);
    this.owners = new OwnerDirectory(this.now, options.owners);
    this.pipelines = new PipelineRegistry(this.now);
    const tables = {} as Record<ObjectTypeName, ObjectTable>;
    for (const type of OBJECT_TYPES) {
      tables[type] = new ObjectTable(OBJECT_TYPE_INFO[type], (property) => {
        const kind = this.properties.getAny(type, property)?.type;
        return kind === 'date' || kind === 'datetime' ? kind : 'text';
      });
    }
    this.ctx = {
      now: this.now,
      tables,
      registry: this.properties,
      owners: this.owners,
      pipelines: this.pipelines,
      associations: new AssociationStore(),
      actors: new ActorTable(),
      unique: new UniqueIndex(),
      emit: (events) => this.emit(events),
    };
  }

  /** Calls `listener` after every change; returns a function that stops it. */
  onEvent(listener: StoreEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The column table of a type (read access for search and serializers). */
  table(type: ObjectTypeName): ObjectTable {
    return this.ctx.tables[type];
  }

  /** The shared state, for the store's own modules (search). */
  get context(): StoreContext {
    return this.ctx;
  }

  // ---- reads -------------------------------------------------------------------------------

  /** A record by id; a merged-away id answers with the record it was merged into. */
  get(type: ObjectTypeName, id: string, options: ReadOptions & { archived?: boolean } = {}): StoredObject | undefined {
    const row = this.findRow(type, id, options.archived ?? false);
    return row === undefined ? undefined : readRecord(this.ctx, type, row, options);
  }

  /** A record by a unique property (`email`, `hs_object_id`, or one defined with hasUniqueValue). */
  getBy(type: ObjectTypeName, property: string, value: string, options: ReadOptions = {}): StoredObject | undefined {
    const row = this.rowByProperty(type, property, value);
    return row === undefined ? undefined : readRecord(this.ctx, type, row, options);
  }

  /** Reads a row (no state check). */
  read(type: ObjectTypeName, row: number, options: ReadOptions = {}): StoredObject {
    return readRecord(this.ctx, type, row, options);
  }

  /** Pages through live (or archived) records by id. */
  list(type: ObjectTypeName, options: ListOptions = {}): ListPage {
    const table = this.ctx.tables[type];
    const limit = options.limit ?? 10;
    const wanted = options.archived === true ? RecordState.ARCHIVED : RecordState.LIVE;
    let row = 0;
    if (options.after !== undefined && options.after !== '') {
      const from = table.rowOf(options.after);
      if (from === undefined) {
        if (/^\d+$/.test(options.after) && Number(options.after) >= table.info.idBase) row = table.rows;
        else throw new InvalidRequestError(`after must be a cursor from a previous page, got "${options.after}"`);
      } else row = from;
    }
    const results: StoredObject[] = [];
    for (; row < table.rows; row += 1) {
      if (table.state(row) !== wanted) continue;
      if (results.length === limit) return { results, nextAfter: table.idOf(row) };
      results.push(readRecord(this.ctx, type, row, options));
    }
    return { results };
  }

  count(type: ObjectTypeName, options: { archived?: boolean } = {}): number {
    const table = this.ctx.tables[type];
    return options.archived === true ? table.archivedCount : table.liveCount;
  }

  /**
   * A CRM search, as `POST /crm/v3/objects/{type}/search` runs it (filter groups, query, one sort,
   * offset paging, 10,000-result ceiling). Throws InvalidRequestError for a bad request.
   */
  search(type: ObjectTypeName, input: SearchInput): SearchResult {
    const parsed = searchRequestSchema.safeParse(input);
    if (!parsed.success) throw new InvalidRequestError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    return this.runSearch(type, parsed.data);
  }

  /** `search` for a request already checked against searchRequestSchema. */
  runSearch(type: ObjectTypeName, request: SearchRequest): SearchResult {
    const page = executeSearch(this.ctx, type, request);
    const properties = request.properties !== undefined && request.properties.length > 0 ? request.properties : 'default';
    const results = page.rows.map((row) => readRecord(this.ctx, type, row, { properties }));
    return page.nextAfter === undefined ? { total: page.total, results } : { total: page.total, results, nextAfter: page.nextAfter };
  }

  /** Records associated with one record, with the association types. */
  associationsOf(fromType: ObjectTypeName, fromId: string, toType: ObjectTypeName): Associated[] {
    const row = this.requireRow(fromType, fromId);
    const target = this.ctx.tables[toType];
    return this.ctx.associations
      .list(fromType, row, toType)
      .filter(({ toRow }) => target.isLive(toRow))
      .map(({ toRow, typeIds }) => ({ toId: target.idOf(toRow), typeIds }));
  }

  // ---- writes ------------------------------------------------------------------------------

  create(type: ObjectTypeName, input: CreateInput, options: WriteOptions): StoredObject {
    const row = this.createRow(type, input, options);
    return readRecord(this.ctx, type, row, { properties: 'all' });
  }

  /** Bulk load: creates each input in order and returns the new ids (stops at the first error). */
  createMany(type: ObjectTypeName, inputs: Iterable<CreateInput>, options: WriteOptions): string[] {
    const table = this.ctx.tables[type];
    const ids: string[] = [];
    for (const input of inputs) ids.push(table.idOf(this.createRow(type, input, options)));
    return ids;
  }

  update(
    type: ObjectTypeName,
    id: string,
    properties: Record<string, PropertyInputValue>,
    options: WriteOptions & { idProperty?: string },
  ): StoredObject {
    const row = this.requireRow(type, id, options.idProperty);
    updateRecord(this.ctx, type, row, properties, options);
    return readRecord(this.ctx, type, row, { properties: 'all' });
  }

  /**
   * Checks a create without writing: values, unique values, association targets. Returns the
   * normalized values (what the record would hold), or throws what `create` would throw.
   */
  checkCreate(type: ObjectTypeName, input: CreateInput, options: WriteOptions): Map<string, string | undefined> {
    const values = prepareCreate(this.ctx, type, input.properties, options);
    for (const link of input.associations ?? []) {
      this.requireRow(link.toType, link.toId);
      this.checkTypes(type, link.toType, link.typeIds);
    }
    return values;
  }

  /** Checks an update without writing; throws what `update` would throw. Returns the normalized values. */
  checkUpdate(
    type: ObjectTypeName,
    id: string,
    properties: Record<string, PropertyInputValue>,
    options: WriteOptions & { idProperty?: string },
  ): Map<string, string | undefined> {
    const row = this.requireRow(type, id, options.idProperty);
    return prepareUpdate(this.ctx, type, row, properties, options);
  }

  /** Moves a record to the recycle bin. Returns false when there was no live record. */
  archive(type: ObjectTypeName, id: string, options: WriteOptions): boolean {
    const row = this.findRow(type, id, false);
    return row === undefined ? false : archiveRecord(this.ctx, type, row, options);
  }

  restore(type: ObjectTypeName, id: string, options: WriteOptions): StoredObject {
    const row = this.findRow(type, id, true);
    if (row === undefined) throw this.notFound(type, [id]);
    restoreRecord(this.ctx, type, row, options);
    return readRecord(this.ctx, type, row, { properties: 'all' });
  }

  /** Merges `mergeId` into `primaryId`; returns the new record that replaces both. */
  merge(type: ObjectTypeName, primaryId: string, mergeId: string, options: WriteOptions): StoredObject {
    const primary = this.requireRow(type, primaryId);
    const other = this.requireRow(type, mergeId);
    const row = mergeRecords(this.ctx, type, primary, other, options);
    return readRecord(this.ctx, type, row, { properties: 'all' });
  }

  /** Permanently deletes a record (GDPR delete). */
  purge(type: ObjectTypeName, id: string, options: WriteOptions & { idProperty?: string }): void {
    const row = this.requireRow(type, id, options.idProperty, true);
    purgeRecord(this.ctx, type, row, options);
  }

  /** Associates two records; returns the association types the pair now has (from the `from` side). */
  associate(
    fromType: ObjectTypeName,
    fromId: string,
    toType: ObjectTypeName,
    toId: string,
    typeIds: number[] | undefined,
    options: WriteOptions,
  ): number[] {
    const from = this.requireRow(fromType, fromId);
    const to = this.requireRow(toType, toId);
    const types = this.checkTypes(fromType, toType, typeIds);
    this.emitAssociations(this.ctx.associations.add(fromType, from, toType, to, types), options);
    return this.ctx.associations.typesOf(fromType, from, toType, to);
  }

  /** Removes given association types, or the whole association when `typeIds` is omitted. */
  dissociate(
    fromType: ObjectTypeName,
    fromId: string,
    toType: ObjectTypeName,
    toId: string,
    typeIds: number[] | undefined,
    options: WriteOptions,
  ): void {
    const from = this.requireRow(fromType, fromId);
    const to = this.requireRow(toType, toId);
    if (typeIds !== undefined) this.checkTypes(fromType, toType, typeIds);
    this.emitAssociations(this.ctx.associations.remove(fromType, from, toType, to, typeIds), options);
  }

  // ---- helpers -----------------------------------------------------------------------------

  /** The row that answers for an id (merges followed), in the wanted state; undefined otherwise. */
  findRow(type: ObjectTypeName, id: string, archived: boolean): number | undefined {
    const table = this.ctx.tables[type];
    const row = table.rowOf(id);
    if (row === undefined) return undefined;
    const resolved = table.resolve(row);
    return table.state(resolved) === (archived ? RecordState.ARCHIVED : RecordState.LIVE) ? resolved : undefined;
  }

  /** The live row named by an id or a unique property value; NotFoundError otherwise. */
  requireRow(type: ObjectTypeName, id: string, idProperty?: string, includeArchived = false): number {
    const row =
      idProperty === undefined || idProperty === 'hs_object_id'
        ? (this.findRow(type, id, false) ?? (includeArchived ? this.findRow(type, id, true) : undefined))
        : this.rowByProperty(type, idProperty, id);
    if (row === undefined) throw this.notFound(type, [id]);
    return row;
  }

  /** Looks a live record up by a unique property value. */
  rowByProperty(type: ObjectTypeName, property: string, value: string): number | undefined {
    if (property === 'hs_object_id') return this.findRow(type, value, false);
    const def = this.properties.get(type, property);
    const unique = (type === 'contacts' && property === 'email') || def?.hasUniqueValue === true;
    if (!unique) throw new InvalidRequestError(`${property} is not a unique property of ${type}, so it cannot identify a record.`);
    this.ctx.unique.track(type, property);
    const row = this.ctx.unique.lookup(type, property, value);
    return row !== undefined && this.ctx.tables[type].isLive(row) ? row : undefined;
  }

  notFound(type: ObjectTypeName, ids: string[]): NotFoundError {
    return new NotFoundError(
      `Could not get some ${OBJECT_TYPE_INFO[type].upper} objects, they may be deleted or not exist. Check that ids are valid.`,
      ids,
    );
  }

  private createRow(type: ObjectTypeName, input: CreateInput, options: WriteOptions): number {
    const values = prepareCreate(this.ctx, type, input.properties, options);
    const links = (input.associations ?? []).map((link) => ({
      toType: link.toType,
      toRow: this.requireRow(link.toType, link.toId),
      typeIds: this.checkTypes(type, link.toType, link.typeIds),
    }));
    const row = insertRecord(this.ctx, type, values, options);
    for (const link of links) {
      this.emitAssociations(this.ctx.associations.add(type, row, link.toType, link.toRow, link.typeIds), options);
    }
    return row;
  }

  private checkTypes(fromType: ObjectTypeName, toType: ObjectTypeName, typeIds: number[] | undefined): number[] {
    if (typeIds === undefined || typeIds.length === 0) {
      const fallback = defaultTypeBetween(fromType, toType);
      if (fallback === undefined) throw new InvalidRequestError(`${fromType} cannot be associated with ${toType}.`);
      return [fallback.typeId];
    }
    for (const typeId of typeIds) {
      const def = associationType(typeId);
      if (def === undefined || def.from !== fromType || def.to !== toType) {
        throw new InvalidRequestError(`${typeId} is not a valid association type id between ${fromType} and ${toType}.`);
      }
    }
    return typeIds;
  }

  private emitAssociations(changes: AssociationChange[], options: WriteOptions): void {
    if (options.quiet || changes.length === 0) return;
    const at = options.at ?? this.now();
    const events: StoreEvent[] = [];
    for (const change of changes) {
      const isPrimary = (ids: number[]) => ids.some((t) => associationType(t)?.label === 'Primary');
      const existed = change.before.length > 0;
      const exists = change.after.length > 0;
      if (existed === exists && isPrimary(change.before) === isPrimary(change.after)) continue;
      events.push({
        kind: 'associationChange',
        objectType: change.from,
        objectId: this.ctx.tables[change.from].idOf(change.fromRow),
        toObjectType: change.to,
        toObjectId: this.ctx.tables[change.to].idOf(change.toRow),
        associationTypeIds: exists ? change.after : change.before,
        associationRemoved: !exists,
        isPrimaryAssociation: isPrimary(change.after),
        occurredAt: at,
        actor: options.actor,
      });
    }
    this.emit(events);
  }

  private emit(events: StoreEvent[]): void {
    if (events.length === 0) return;
    for (const listener of this.listeners) {
      for (const event of events) listener(event);
    }
  }
}

export type { Actor, WriteOptions, StoredObject, ReadOptions };
