/** Reads records out of the column store into plain objects (the store API's read shape). */
import { viewOfActor } from './actors.js';
import { OBJECT_TYPE_INFO, type ObjectTypeName } from './object-types.js';
import { RecordState, type HistoryEntry, type ObjectTable } from './object-table.js';
import type { StoreContext } from './store-context.js';
import { isoString } from '../../../platform/iso-time.js';

export interface ReadOptions {
  /** Which properties: the type's defaults (when omitted), every property with a value, or a list. */
  properties?: readonly string[] | 'default' | 'all';
  /** Properties to return with their full value history (newest first). */
  propertiesWithHistory?: readonly string[];
}

export interface PropertyHistoryEntry {
  value: string;
  timestamp: number;
  sourceType: string;
  sourceId: string;
  sourceLabel?: string;
  updatedByUserId?: number;
}

export interface StoredObject {
  id: string;
  objectType: ObjectTypeName;
  createdAt: number;
  updatedAt: number;
  archived: boolean;
  archivedAt?: number;
  /** Requested properties; null where the record has no value. */
  properties: Record<string, string | null>;
  propertiesWithHistory?: Record<string, PropertyHistoryEntry[]>;
}

/** Properties every read returns, whatever was asked for. */
function alwaysReturned(type: ObjectTypeName): string[] {
  return ['createdate', 'hs_object_id', OBJECT_TYPE_INFO[type].modifiedProperty];
}

export function readRecord(ctx: StoreContext, type: ObjectTypeName, row: number, options: ReadOptions = {}): StoredObject {
  const table = ctx.tables[type];
  const names = propertyNames(ctx, type, row, options.properties ?? 'default');
  const properties: Record<string, string | null> = {};
  for (const name of names) properties[name] = valueOf(table, row, name) ?? null;
  const state = table.state(row);
  const archivedAt = table.archivedAtOf(row);
  const record: StoredObject = {
    id: table.idOf(row),
    objectType: type,
    createdAt: table.createdAt(row),
    updatedAt: table.updatedAt(row),
    archived: state === RecordState.ARCHIVED,
    ...(archivedAt !== undefined ? { archivedAt } : {}),
    properties,
  };
  if (options.propertiesWithHistory !== undefined && options.propertiesWithHistory.length > 0) {
    const history: Record<string, PropertyHistoryEntry[]> = {};
    for (const name of options.propertiesWithHistory) {
      if (ctx.registry.get(type, name) === undefined) continue;
      history[name] = historyOf(ctx, table, row, name);
    }
    record.propertiesWithHistory = history;
  }
  return record;
}

function propertyNames(ctx: StoreContext, type: ObjectTypeName, row: number, wanted: ReadOptions['properties']): string[] {
  const table = ctx.tables[type];
  if (wanted === 'all') {
    const names = new Set([...alwaysReturned(type), ...table.values(row).keys()]);
    return [...names].sort();
  }
  const list = wanted === 'default' || wanted === undefined ? OBJECT_TYPE_INFO[type].defaultProperties : wanted;
  const names = new Set(alwaysReturned(type));
  for (const name of list) if (ctx.registry.get(type, name) !== undefined) names.add(name);
  return [...names];
}

/** The current value of a property, derived ones included. */
export function valueOf(table: ObjectTable, row: number, name: string): string | undefined {
  switch (name) {
    case 'hs_object_id':
      return table.idOf(row);
    case 'createdate':
      return isoString(table.createdAt(row));
    case 'lastmodifieddate':
    case 'hs_lastmodifieddate':
      return isoString(table.updatedAt(row));
    default:
      return table.get(row, name);
  }
}

/** Entries for one property, newest first, as `propertiesWithHistory` returns them. */
export function historyOf(ctx: StoreContext, table: ObjectTable, row: number, name: string): PropertyHistoryEntry[] {
  const toView = (entry: { value: string; timestamp: number; actor: number }): PropertyHistoryEntry => {
    const view = viewOfActor(ctx.actors.get(entry.actor));
    return {
      value: entry.value,
      timestamp: entry.timestamp,
      sourceType: view.changeSource,
      sourceId: view.sourceId,
      ...(view.sourceLabel !== undefined ? { sourceLabel: view.sourceLabel } : {}),
      ...(view.updatedByUserId !== undefined ? { updatedByUserId: view.updatedByUserId } : {}),
    };
  };
  const created = { timestamp: table.createdAt(row), actor: table.creator(row) };
  if (name === 'hs_object_id' || name === 'createdate') {
    return [toView({ ...created, value: valueOf(table, row, name) ?? '' })];
  }
  if (name === 'lastmodifieddate' || name === 'hs_lastmodifieddate') {
    return [toView({ value: valueOf(table, row, name) ?? '', timestamp: table.updatedAt(row), actor: lastActor(table, row) })];
  }
  const entries = table.historyOf(row).filter((e) => e.property === name);
  if (entries.length === 0) {
    const value = table.get(row, name);
    return value === undefined ? [] : [toView({ ...created, value })];
  }
  return entries
    .slice()
    .reverse()
    .sort((a, b) => b.timestamp - a.timestamp)
    .map(toView);
}

function lastActor(table: ObjectTable, row: number): number {
  const entries: readonly HistoryEntry[] = table.historyOf(row);
  return entries.length === 0 ? table.creator(row) : (entries[entries.length - 1]?.actor ?? table.creator(row));
}
