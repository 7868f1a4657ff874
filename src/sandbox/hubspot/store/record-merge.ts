/**
 * Merging two records as HubSpot does today: both originals are retired and a new record with a
 * new id holds the result. The primary's values win, the other record fills the gaps, the
 * furthest lifecycle stage is kept, a contact's other emails become `hs_additional_emails`, and
 * `hs_merged_object_ids` lists every id that went into it. Associations of both move over; reads
 * of either old id answer with the new record.
 */
import { OBJECT_TYPES, type ObjectTypeName } from './object-types.js';
import type { HistoryEntry } from './object-table.js';
import { decideLifecycleMove } from './lifecycle.js';
import { indexUnique, type WriteOptions } from './record-writer.js';
import type { StoreContext } from './store-context.js';
import { InvalidRequestError } from './store-errors.js';

const SYSTEM = new Set(['hs_merged_object_ids', 'hs_additional_emails']);

export function mergeRecords(
  ctx: StoreContext,
  type: ObjectTypeName,
  primaryRow: number,
  otherRow: number,
  options: WriteOptions,
): number {
  const table = ctx.tables[type];
  if (primaryRow === otherRow) {
    throw new InvalidRequestError(`Cannot merge ${type} ${table.idOf(primaryRow)} into itself.`);
  }
  const at = options.at ?? ctx.now();
  const primary = table.values(primaryRow);
  const other = table.values(otherRow);

  const merged = new Map<string, string>(other);
  for (const [name, value] of primary) merged.set(name, value);
  let moved = 0;
  for (const name of other.keys()) if (!primary.has(name) && !SYSTEM.has(name)) moved += 1;

  const stageA = primary.get('lifecyclestage');
  const stageB = other.get('lifecyclestage');
  if (stageA !== undefined && stageB !== undefined && decideLifecycleMove(ctx.registry, type, stageA, stageB, { source: 'API' }).apply) {
    merged.set('lifecyclestage', stageB);
  }

  const ids = new Set<string>();
  for (const source of [primary, other]) for (const id of (source.get('hs_merged_object_ids') ?? '').split(';')) if (id) ids.add(id);
  ids.add(table.idOf(primaryRow));
  ids.add(table.idOf(otherRow));
  merged.set('hs_merged_object_ids', [...ids].sort((a, b) => Number(a) - Number(b)).join(';'));

  if (type === 'contacts') {
    const email = merged.get('email');
    const extra = new Set<string>();
    for (const source of [primary, other]) {
      const own = source.get('email');
      if (own !== undefined && own !== email) extra.add(own);
      for (const e of (source.get('hs_additional_emails') ?? '').split(';')) if (e && e !== email) extra.add(e);
    }
    if (extra.size > 0) merged.set('hs_additional_emails', [...extra].join(';'));
  }

  indexUnique(ctx, type, primaryRow, false);
  indexUnique(ctx, type, otherRow, false);
  const createdAt = Math.min(table.createdAt(primaryRow), table.createdAt(otherRow));
  const newRow = table.addRow(createdAt, table.creator(primaryRow));
  for (const [name, value] of merged) table.set(newRow, name, value);

  const actor = ctx.actors.idOf(options.actor);
  table.replaceHistory(newRow, combinedHistory(ctx, type, [primaryRow, otherRow], merged, at, actor));
  table.touch(newRow, at);

  for (const row of [primaryRow, otherRow]) {
    ctx.associations.moveAll(type, row, newRow, OBJECT_TYPES);
    table.markMerged(row, newRow, at);
  }
  indexUnique(ctx, type, newRow, true);

  const newObjectId = table.idOf(newRow);
  if (!options.quiet) {
    ctx.emit([
      {
        kind: 'merge',
        objectType: type,
        objectId: newObjectId,
        occurredAt: at,
        actor: options.actor,
        primaryObjectId: table.idOf(primaryRow),
        mergedObjectIds: [table.idOf(otherRow)],
        newObjectId,
        numberOfPropertiesMoved: moved,
      },
    ]);
  }
  return newRow;
}

/** Both records' histories, plus an entry at merge time wherever the merged value is not the newest one. */
function combinedHistory(
  ctx: StoreContext,
  type: ObjectTypeName,
  rows: number[],
  merged: Map<string, string>,
  at: number,
  actor: number,
): HistoryEntry[] {
  const table = ctx.tables[type];
  const entries: HistoryEntry[] = [];
  for (const row of rows) {
    const explicit = table.historyOf(row);
    const withHistory = new Set(explicit.map((e) => e.property));
    entries.push(...explicit);
    for (const [property, value] of table.values(row)) {
      if (!withHistory.has(property)) {
        entries.push({ property, value, timestamp: table.createdAt(row), actor: table.creator(row) });
      }
    }
  }
  entries.sort((a, b) => a.timestamp - b.timestamp);
  const newest = new Map<string, HistoryEntry>();
  for (const entry of entries) newest.set(entry.property, entry);
  for (const [property, value] of merged) {
    if (newest.get(property)?.value !== value) entries.push({ property, value, timestamp: at, actor });
  }
  return entries;
}
