/** The org's tables, found by object name, key prefix or ordinal, and the mapping between ids and (table, row). */
import { parseId } from '../ids.js';
import type { OrgSchema } from '../schema/org-schema.js';
import { encodeRef, refRow, refTable } from '../storage/columns.js';
import { ObjectTable, ROW_LIVE } from '../storage/object-table.js';

export interface Located {
  table: ObjectTable;
  row: number;
}

export class TableRegistry {
  private readonly tables: ObjectTable[] = [];
  private readonly byName = new Map<string, ObjectTable>();

  constructor(
    readonly schema: OrgSchema,
    readonly pod: string,
  ) {
    for (const object of schema.all()) this.add(new ObjectTable(object, this.tables.length, pod));
  }

  private add(table: ObjectTable): void {
    this.tables.push(table);
    this.byName.set(table.name.toLowerCase(), table);
  }

  table(name: string): ObjectTable | undefined {
    return this.byName.get(name.toLowerCase());
  }

  /** The table of a known object name (throws on a programming error). */
  get(name: string): ObjectTable {
    const t = this.table(name);
    if (t === undefined) throw new Error(`unknown object ${name}`);
    return t;
  }

  all(): readonly ObjectTable[] {
    return this.tables;
  }

  ordinal(i: number): ObjectTable {
    const t = this.tables[i];
    if (t === undefined) throw new Error(`unknown table ordinal ${i}`);
    return t;
  }

  /** The record (live or deleted) an id designates, or undefined. */
  locate(id: string): Located | undefined {
    const parsed = parseId(id);
    if (parsed === undefined) return undefined;
    for (const table of this.tables) {
      if (table.codec.keyPrefix !== parsed.keyPrefix) continue;
      const row = table.rowOf(parsed.id15);
      if (row >= 0) return { table, row };
    }
    return undefined;
  }

  locateLive(id: string): Located | undefined {
    const found = this.locate(id);
    return found !== undefined && found.table.stateOf(found.row) === ROW_LIVE ? found : undefined;
  }

  /** Tables whose ids start with this key prefix. */
  byPrefix(prefix: string): ObjectTable[] {
    return this.tables.filter((t) => t.codec.keyPrefix === prefix);
  }

  ref(table: ObjectTable, row: number): number {
    return encodeRef(table.ordinal, row);
  }

  deref(ref: number): Located {
    return { table: this.ordinal(refTable(ref)), row: refRow(ref) };
  }

  idOfRef(ref: number): string {
    const { table, row } = this.deref(ref);
    return table.idOf(row);
  }
}
