/**
 * Merge of Leads, Contacts or Accounts (a master and up to two others), in one transaction: the master takes the
 * given field values, every child of a merged record is reparented to the master, and the merged records go to the
 * recycle bin with MasterRecordId set, as Salesforce does.
 */
import { dmlError } from '../errors.js';
import { parseId } from '../ids.js';
import type { OrgSchema } from '../schema/org-schema.js';
import { ROW_LIVE, type ObjectTable } from '../storage/object-table.js';
import type { RecordInput, RecordWriter } from './record-writer.js';
import type { TableRegistry } from './table-registry.js';
import type { Transaction } from './transaction.js';

export interface MergeDeps {
  registry: TableRegistry;
  schema: OrgSchema;
  writer: RecordWriter;
}

export interface MergeResult {
  id: string;
  mergedRecordIds: string[];
  updatedRelatedIds: string[];
}

function liveRow(table: ObjectTable, id: string): number {
  const parsed = parseId(id);
  if (parsed === undefined || parsed.keyPrefix !== table.codec.keyPrefix) {
    throw dmlError('MALFORMED_ID', `${table.name} ID: id value of incorrect type: ${id}`, ['Id']);
  }
  const row = table.rowOf(parsed.id15);
  if (row < 0) throw dmlError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', []);
  if (table.stateOf(row) !== ROW_LIVE) throw dmlError('ENTITY_IS_DELETED', 'entity is deleted', []);
  return row;
}

export function mergeRecords(
  deps: MergeDeps,
  tx: Transaction,
  table: ObjectTable,
  masterId: string,
  mergedIds: readonly string[],
  masterFields: RecordInput = {},
): MergeResult {
  if (!table.schema.def.mergeable) throw dmlError('INVALID_TYPE', `merge is not supported on ${table.name}`, []);
  if (mergedIds.length < 1 || mergedIds.length > 2) {
    throw dmlError('INVALID_ARGUMENT', 'a merge takes a master record and one or two records to merge into it', []);
  }
  const master = liveRow(table, masterId);
  const losers = mergedIds.map((id) => liveRow(table, id));
  if (losers.includes(master) || new Set(losers).size !== losers.length) {
    throw dmlError('INVALID_ID_FIELD', 'Invalid merge: the same record appears twice', []);
  }
  if (table.name === 'Lead') {
    for (const row of [master, ...losers]) {
      if (table.getRaw(row, 'IsConverted') === true) throw dmlError('CANNOT_UPDATE_CONVERTED_LEAD', 'cannot reference converted lead', []);
    }
  }
  if (Object.keys(masterFields).length > 0) deps.writer.update(tx, table, master, masterFields);
  const masterRef = deps.registry.ref(table, master);
  const updatedRelatedIds: string[] = [];
  for (const rel of deps.schema.childRelationships(table.name)) {
    const child = deps.registry.get(rel.childSObject);
    const writable = child.schema.field(rel.field);
    for (const loser of losers) {
      for (const c of deps.writer.childrenOf(child, rel.field, deps.registry.ref(table, loser))) {
        if (child.stateOf(c) !== ROW_LIVE) continue;
        if (child.name === 'CampaignMember' && duplicateMembership(child, c, rel.field, masterRef)) {
          deps.writer.delete(tx, child, c);
          continue;
        }
        deps.writer.update(tx, child, c, { [rel.field]: table.idOf(master) }, { system: writable?.updateable !== true });
        updatedRelatedIds.push(child.idOf(c));
      }
    }
  }
  for (const loser of losers) {
    deps.writer.update(tx, table, loser, { MasterRecordId: table.idOf(master) }, { system: true });
    deps.writer.delete(tx, table, loser);
  }
  return { id: table.idOf(master), mergedRecordIds: losers.map((r) => table.idOf(r)), updatedRelatedIds };
}

/** The master is already a member of the same campaign: the merged record's membership is dropped. */
function duplicateMembership(members: ObjectTable, row: number, field: string, masterRef: number): boolean {
  const campaign = members.getRaw(row, 'CampaignId');
  if (typeof campaign !== 'number') return false;
  return members
    .findChildren(field, masterRef)
    .some((other) => members.stateOf(other) === ROW_LIVE && members.getRaw(other, 'CampaignId') === campaign);
}
