/**
 * Create, update, archive, restore and purge, with everything HubSpot does around a write:
 * validation, unique emails, the lifecycle rule, property history, modified stamps and events.
 */
import type { Actor } from './actors.js';
import { decideLifecycleMove, stageDateProperty } from './lifecycle.js';
import { RecordState, type ObjectTable } from './object-table.js';
import { OBJECT_TYPE_INFO, type ObjectTypeName } from './object-types.js';
import type { StoreContext } from './store-context.js';
import { ConflictError, InvalidRequestError, PropertyValuesError } from './store-errors.js';
import type { StoreEvent } from './store-events.js';
import { normalizeValues, parseTimestamp, type PropertyInputValue } from './value-validation.js';
import { isoString } from '../../../platform/iso-time.js';

export interface WriteOptions {
  actor: Actor;
  /** When the change happened (epoch ms); defaults to the store clock. For back-filled history. */
  at?: number;
  /** Refuse read-only properties (HTTP writes); the store's own actors may set them. */
  enforceReadOnly?: boolean;
  /** Produce no events (bulk seeding only). */
  quiet?: boolean;
}

const CALCULATED: Actor = { source: 'CALCULATED' };

/** Properties whose values identify one record: `hasUniqueValue` ones, and a contact's email. */
function uniqueProperties(ctx: StoreContext, type: ObjectTypeName): readonly string[] {
  const names = type === 'contacts' ? ['email', ...ctx.registry.uniqueProperties(type)] : ctx.registry.uniqueProperties(type);
  for (const name of names) ctx.unique.track(type, name);
  return names;
}

/** Throws ConflictError when another live record already holds one of the unique values. */
function checkUnique(ctx: StoreContext, type: ObjectTypeName, values: Map<string, string | undefined>, self?: number): void {
  for (const name of uniqueProperties(ctx, type)) {
    const value = values.get(name);
    if (value === undefined) continue;
    const holder = ctx.unique.lookup(type, name, value);
    if (holder !== undefined && holder !== self && ctx.tables[type].isLive(holder)) {
      const id = ctx.tables[type].idOf(holder);
      const singular = OBJECT_TYPE_INFO[type].singular;
      throw new ConflictError(`${singular.charAt(0).toUpperCase()}${singular.slice(1)} already exists. Existing ID: ${id}`, id);
    }
  }
}

/** Claims (or releases) a record's unique values in the index. */
export function indexUnique(ctx: StoreContext, type: ObjectTypeName, row: number, claim: boolean): void {
  const table = ctx.tables[type];
  for (const name of uniqueProperties(ctx, type)) {
    const value = table.get(row, name);
    if (value !== undefined) {
      if (claim) ctx.unique.claim(type, name, value, row);
      else ctx.unique.release(type, name, value, row);
    }
  }
  if (type === 'contacts') {
    for (const extra of (table.get(row, 'hs_additional_emails') ?? '').split(';').filter(Boolean)) {
      if (claim) ctx.unique.claim(type, 'email', extra, row);
      else ctx.unique.release(type, 'email', extra, row);
    }
  }
}

function normalizeOrThrow(
  ctx: StoreContext,
  type: ObjectTypeName,
  properties: Record<string, PropertyInputValue>,
  options: WriteOptions,
  current: (name: string) => string | undefined,
): Map<string, string | undefined> {
  const result = normalizeValues(
    {
      registry: ctx.registry,
      owners: ctx.owners,
      pipelines: ctx.pipelines,
      type,
      enforceReadOnly: options.enforceReadOnly ?? false,
      current,
    },
    properties,
  );
  if (result.errors.length > 0) throw new PropertyValuesError(result.errors);
  return result.values;
}

/** Checks a create without writing anything: values, unique values. Returns the normalized values. */
export function prepareCreate(
  ctx: StoreContext,
  type: ObjectTypeName,
  properties: Record<string, PropertyInputValue>,
  options: WriteOptions,
): Map<string, string | undefined> {
  const values = normalizeOrThrow(ctx, type, properties, options, () => undefined);
  if (type === 'deals' && values.get('pipeline') === undefined) values.set('pipeline', 'default');
  checkUnique(ctx, type, values);
  return values;
}

/** Writes a new record from values prepared by prepareCreate. Returns its row. */
export function insertRecord(
  ctx: StoreContext,
  type: ObjectTypeName,
  values: Map<string, string | undefined>,
  options: WriteOptions,
): number {
  const table = ctx.tables[type];
  const at = options.at ?? ctx.now();
  const createdStamp = values.get('createdate');
  values.delete('createdate');
  const createdAt = createdStamp === undefined ? at : (parseTimestamp(createdStamp) ?? at);
  const row = table.addRow(createdAt, ctx.actors.idOf(options.actor));
  const events: StoreEvent[] | undefined = options.quiet ? undefined : [];
  const objectId = table.idOf(row);
  const actorOf = options.actor;
  // Events are written out in full: spreading a shared base into each was most of a create's time.
  events?.push({ objectType: type, objectId, occurredAt: createdAt, actor: actorOf, kind: 'creation' });
  for (const [name, value] of values) {
    if (value === undefined) continue;
    table.set(row, name, value);
    events?.push({ objectType: type, objectId, occurredAt: createdAt, actor: actorOf, kind: 'propertyChange', propertyName: name, propertyValue: value });
  }
  const stage = values.get('lifecyclestage');
  if (stage !== undefined) stampStage(ctx, type, table, row, stage, createdAt, events, true);
  // HubSpot's analytics give a contact created through the API (an integration or an import) the
  // original source "Offline Sources", drill-down INTEGRATION or IMPORT; forms and visits set their own.
  if (type === 'contacts' && (options.actor.source === 'INTEGRATION' || options.actor.source === 'IMPORT') && values.get('hs_analytics_source') === undefined && ctx.registry.get(type, 'hs_analytics_source') !== undefined) {
    table.set(row, 'hs_analytics_source', 'OFFLINE');
    if (ctx.registry.get(type, 'hs_analytics_source_data_1') !== undefined) table.set(row, 'hs_analytics_source_data_1', options.actor.source);
  }
  indexUnique(ctx, type, row, true);
  if (events !== undefined) ctx.emit(events);
  return row;
}

function stampStage(
  ctx: StoreContext,
  type: ObjectTypeName,
  table: ObjectTable,
  row: number,
  stage: string,
  at: number,
  events: StoreEvent[] | undefined,
  creating: boolean,
): void {
  const name = stageDateProperty(stage);
  if (ctx.registry.get(type, name) === undefined || table.get(row, name) !== undefined) return;
  const value = isoString(at);
  table.set(row, name, value);
  if (!creating) table.appendHistory(row, { property: name, value, timestamp: at, actor: ctx.actors.idOf(CALCULATED) });
  events?.push({
    objectType: type,
    objectId: table.idOf(row),
    occurredAt: at,
    actor: CALCULATED,
    kind: 'propertyChange',
    propertyName: name,
    propertyValue: value,
  });
}

/** Checks an update without writing anything. Returns the normalized values. */
export function prepareUpdate(
  ctx: StoreContext,
  type: ObjectTypeName,
  row: number,
  properties: Record<string, PropertyInputValue>,
  options: WriteOptions,
): Map<string, string | undefined> {
  const table = ctx.tables[type];
  const values = normalizeOrThrow(ctx, type, properties, options, (name) => table.get(row, name));
  checkUnique(ctx, type, values, row);
  return values;
}

/** Applies property values to an existing live record. Returns true when anything changed. */
export function updateRecord(
  ctx: StoreContext,
  type: ObjectTypeName,
  row: number,
  properties: Record<string, PropertyInputValue>,
  options: WriteOptions,
): boolean {
  const table = ctx.tables[type];
  const values = prepareUpdate(ctx, type, row, properties, options);
  const at = options.at ?? ctx.now();
  const actor = ctx.actors.idOf(options.actor);
  const events: StoreEvent[] = [];
  const objectId = table.idOf(row);
  const createdStamp = values.get('createdate');
  values.delete('createdate');
  let changed = false;
  if (createdStamp !== undefined) {
    table.setCreatedAt(row, parseTimestamp(createdStamp) ?? table.createdAt(row));
    changed = true;
  }
  indexUnique(ctx, type, row, false);
  for (const [name, value] of values) {
    const before = table.get(row, name);
    if (before === value) continue;
    if (name === 'lifecyclestage' && !decideLifecycleMove(ctx.registry, type, before, value, options.actor).apply) continue;
    recordChange(table, row, name, before, value, at, actor);
    events.push({ objectType: type, objectId, occurredAt: at, actor: options.actor, kind: 'propertyChange', propertyName: name, propertyValue: value ?? '' });
    if (name === 'lifecyclestage' && value !== undefined) stampStage(ctx, type, table, row, value, at, events, false);
    changed = true;
  }
  indexUnique(ctx, type, row, true);
  if (changed) table.touch(row, at);
  if (!options.quiet) ctx.emit(events);
  return changed;
}

/** Sets a value and records history; the creation value is written to history the first time it changes. */
export function recordChange(
  table: ObjectTable,
  row: number,
  name: string,
  before: string | undefined,
  value: string | undefined,
  at: number,
  actor: number,
): void {
  const hasHistory = table.historyOf(row).some((e) => e.property === name);
  if (!hasHistory && before !== undefined) {
    table.appendHistory(row, { property: name, value: before, timestamp: table.createdAt(row), actor: table.creator(row) });
  }
  table.appendHistory(row, { property: name, value: value ?? '', timestamp: at, actor });
  table.set(row, name, value);
}

export function archiveRecord(ctx: StoreContext, type: ObjectTypeName, row: number, options: WriteOptions): boolean {
  const table = ctx.tables[type];
  if (!table.isLive(row)) return false;
  const at = options.at ?? ctx.now();
  indexUnique(ctx, type, row, false);
  table.setState(row, RecordState.ARCHIVED, at);
  if (!options.quiet) ctx.emit([{ objectType: type, objectId: table.idOf(row), occurredAt: at, actor: options.actor, kind: 'deletion' }]);
  return true;
}

export function restoreRecord(ctx: StoreContext, type: ObjectTypeName, row: number, options: WriteOptions): void {
  const table = ctx.tables[type];
  if (table.state(row) !== RecordState.ARCHIVED) {
    throw new InvalidRequestError(`${OBJECT_TYPE_INFO[type].singular} ${table.idOf(row)} is not archived, so it cannot be restored.`);
  }
  const current = new Map<string, string | undefined>(table.values(row));
  checkUnique(ctx, type, current, row);
  const at = options.at ?? ctx.now();
  table.setState(row, RecordState.LIVE, at);
  table.touch(row, at);
  indexUnique(ctx, type, row, true);
  if (!options.quiet) ctx.emit([{ objectType: type, objectId: table.idOf(row), occurredAt: at, actor: options.actor, kind: 'restore' }]);
}

/** GDPR delete: the record and its history are gone for good. */
export function purgeRecord(ctx: StoreContext, type: ObjectTypeName, row: number, options: WriteOptions): void {
  const table = ctx.tables[type];
  const at = options.at ?? ctx.now();
  indexUnique(ctx, type, row, false);
  table.purge(row, at);
  const kind = type === 'contacts' ? 'privacyDeletion' : 'deletion';
  if (!options.quiet) ctx.emit([{ objectType: type, objectId: table.idOf(row), occurredAt: at, actor: options.actor, kind }]);
}
