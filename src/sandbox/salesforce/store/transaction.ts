/**
 * One transaction against the org: every write is recorded with how to undo it, so a failed all-or-none call, a
 * failed convertLead or a failed composite request leaves nothing behind; and with the change it will publish when
 * it commits. Savepoints let one API call keep its good records and drop its bad ones (allOrNone=false).
 */
import type { SalesforceChangeType } from '../change-feed.js';
import type { ObjectTable, RawValue } from '../storage/object-table.js';
import type { ResolvedContext } from './write-context.js';

type UndoEntry =
  | { kind: 'insert'; table: ObjectTable; row: number }
  | { kind: 'update'; table: ObjectTable; row: number; previous: Array<[string, RawValue]> }
  | { kind: 'delete'; table: ObjectTable; row: number }
  | { kind: 'undelete'; table: ObjectTable; row: number; deletedAt: number };

export interface PendingChange {
  entityName: string;
  changeType: SalesforceChangeType;
  recordId: string;
  changedFields: string[];
  fields: Record<string, unknown>;
}

export interface Savepoint {
  undo: number;
  changes: number;
}

export class Transaction {
  private readonly undoLog: UndoEntry[] = [];
  readonly changes: PendingChange[] = [];

  /** now: the transaction's timestamp, shared by every record it writes. */
  constructor(
    readonly ctx: ResolvedContext,
    readonly now: number,
  ) {}

  recordInsert(table: ObjectTable, row: number): void {
    this.undoLog.push({ kind: 'insert', table, row });
  }

  recordUpdate(table: ObjectTable, row: number, previous: Array<[string, RawValue]>): void {
    if (previous.length > 0) this.undoLog.push({ kind: 'update', table, row, previous });
  }

  recordDelete(table: ObjectTable, row: number): void {
    this.undoLog.push({ kind: 'delete', table, row });
  }

  recordUndelete(table: ObjectTable, row: number, deletedAt: number): void {
    this.undoLog.push({ kind: 'undelete', table, row, deletedAt });
  }

  addChange(change: PendingChange): void {
    if (this.ctx.emitChanges) this.changes.push(change);
  }

  savepoint(): Savepoint {
    return { undo: this.undoLog.length, changes: this.changes.length };
  }

  /** Undoes everything written after the savepoint, newest first. */
  rollbackTo(savepoint: Savepoint): void {
    while (this.undoLog.length > savepoint.undo) {
      const entry = this.undoLog.pop();
      if (entry === undefined) break;
      switch (entry.kind) {
        case 'insert':
          entry.table.vacate(entry.row);
          break;
        case 'update':
          for (const [name, value] of entry.previous) entry.table.setRaw(entry.row, name, value);
          break;
        case 'delete':
          entry.table.markLive(entry.row);
          break;
        case 'undelete':
          entry.table.markDeleted(entry.row, entry.deletedAt);
          break;
      }
    }
    this.changes.length = Math.min(this.changes.length, savepoint.changes);
  }

  rollbackAll(): void {
    this.rollbackTo({ undo: 0, changes: 0 });
  }
}
