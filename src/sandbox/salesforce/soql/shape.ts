/**
 * Renders query rows as the REST API does: `attributes` first, fields under their API names in SELECT order, parent
 * relationships nested (null when empty), child subqueries as {totalSize, done, records} (null when there are none).
 */
import type { FieldDef, FieldValue } from '../schema/field-def.js';
import { formatDate, formatDateTime } from '../datetime.js';
import type { ObjectTable, RawValue } from '../storage/object-table.js';
import type { TableRegistry } from '../store/table-registry.js';
import type { CompiledQuery, FieldPath } from './compiled-query.js';
import { followPath, readPath } from './evaluate.js';
import { runQuery } from './execute.js';
import { POLYMORPHIC_TYPE_FIELD } from './compile-path.js';

export interface ShapeEnv {
  registry: TableRegistry;
  includeDeleted: boolean;
  /** '62.0', for attribute urls. */
  version: string;
}

export type JsonRecord = Record<string, unknown>;

export function attributesOf(table: ObjectTable, row: number, version: string): { type: string; url: string } {
  return { type: table.name, url: `/services/data/v${version}/sobjects/${table.name}/${table.idOf(row)}` };
}

/** A raw or computed value as the API writes it. */
export function externalValue(registry: TableRegistry, f: FieldDef, value: RawValue | FieldValue): FieldValue {
  if (value === null) return f.type === 'boolean' ? false : null;
  if ((f.type === 'id' || f.type === 'reference') && typeof value === 'number') return registry.idOfRef(value);
  if (f.type === 'date' && typeof value === 'number') return formatDate(value);
  if (f.type === 'datetime' && typeof value === 'number') return formatDateTime(value);
  return value;
}

/** The API value of a path on a row (used by bulk CSV, which flattens parents into 'Account.Name' columns). */
export function pathValue(env: ShapeEnv, path: FieldPath, table: ObjectTable, row: number): FieldValue {
  const target = followPath(env, path, table, row);
  if (target === undefined) return null;
  const f = path.field === POLYMORPHIC_TYPE_FIELD ? path.field : (target.table.schema.field(path.fieldName) ?? path.field);
  return externalValue(env.registry, f, readPath(env, path, table, row));
}

function setPath(env: ShapeEnv, out: JsonRecord, path: FieldPath, table: ObjectTable, row: number): void {
  let cursor = out;
  for (let depth = 0; depth < path.steps.length; depth++) {
    const name = path.relationshipNames[depth] ?? '';
    const existing = cursor[name];
    if (existing === null) return;
    if (existing === undefined) {
      const parent = followPath(env, path, table, row, depth + 1);
      if (parent === undefined) {
        cursor[name] = null;
        return;
      }
      const nested: JsonRecord = { attributes: attributesOf(parent.table, parent.row, env.version) };
      cursor[name] = nested;
      cursor = nested;
    } else {
      cursor = existing as JsonRecord;
    }
  }
  cursor[path.fieldName] = pathValue(env, path, table, row);
}

export function renderRecord(env: ShapeEnv, query: CompiledQuery, table: ObjectTable, row: number): JsonRecord {
  const out: JsonRecord = { attributes: attributesOf(table, row, env.version) };
  for (const item of query.select) {
    if (item.kind === 'field') {
      setPath(env, out, item.path, table, row);
      continue;
    }
    const child = item.query.table;
    const ref = env.registry.ref(table, row);
    const children = child.hasChildIndex(item.childField) ? child.findChildren(item.childField, ref) : [];
    const run = runQuery(item.query, { registry: env.registry, includeDeleted: env.includeDeleted }, Int32Array.from(children));
    out[item.relationshipName] =
      run.rows.length === 0
        ? null
        : { totalSize: run.rows.length, done: true, records: Array.from(run.rows, (r) => renderRecord(env, item.query, child, r)) };
  }
  return out;
}
