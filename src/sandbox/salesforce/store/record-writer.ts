/**
 * Validates and applies single-record writes the way an org does (field access, types, required fields, unique
 * values, references), maintains the system fields, records undo information and the change to publish.
 * Inserting, updating, deleting (to the recycle bin, with cascades) and undeleting all go through here.
 */
import { dmlError, SalesforceApiError } from '../errors.js';
import { parseId } from '../ids.js';
import type { FieldDef, FieldValue } from '../schema/field-def.js';
import type { OrgSchema } from '../schema/org-schema.js';
import { ROW_DELETED, ROW_LIVE, type ObjectTable, type RawValue } from '../storage/object-table.js';
import { objectRule, type RuleContext } from './object-rules.js';
import type { TableRegistry } from './table-registry.js';
import type { Transaction } from './transaction.js';
import { coerceScalar, externalScalar, type InputValue } from './value-codec.js';

export type RecordInput = Record<string, unknown>;

export interface WriteOptions {
  /** Org-internal writes (lead conversion, metadata rows): read-only fields may be set, converted leads changed. */
  system?: boolean;
}

const AUDIT_SETTABLE = new Set(['CreatedDate', 'CreatedById', 'LastModifiedDate', 'LastModifiedById']);
/** Not published on the change feed. */
const UNPUBLISHED = new Set(['Id', 'SystemModstamp', 'IsDeleted']);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** Per object: the fields a write must look at (recomputed when a field is added). */
interface FieldPlan {
  fieldCount: number;
  required: FieldDef[];
  stringDefaults: FieldDef[];
  unique: FieldDef[];
}

export class RecordWriter {
  private readonly plans = new Map<ObjectTable, FieldPlan>();

  constructor(
    private readonly registry: TableRegistry,
    private readonly schema: OrgSchema,
    /** The encoded User reference of a user id (throws when unknown). */
    private readonly userRef: (userId: string) => number,
  ) {}

  private plan(table: ObjectTable): FieldPlan {
    const fields = table.schema.fields;
    let plan = this.plans.get(table);
    if (plan === undefined || plan.fieldCount !== fields.length) {
      plan = {
        fieldCount: fields.length,
        required: fields.filter((f) => !f.nillable && f.createable && !f.defaultedOnCreate && f.storage !== 'computed' && f.type !== 'boolean'),
        stringDefaults: fields.filter((f) => f.defaultValue !== null && f.storage === 'string'),
        unique: fields.filter((f) => f.unique),
      };
      this.plans.set(table, plan);
    }
    return plan;
  }

  // ---- values ------------------------------------------------------------------------------------------------

  /** A stored value as the API shows it. */
  external(f: FieldDef, raw: RawValue): FieldValue {
    if (f.type === 'reference') return typeof raw === 'number' ? this.registry.idOfRef(raw) : null;
    return externalScalar(f, raw);
  }

  /** Resolves an id written into a reference field. */
  resolveReference(f: FieldDef, value: unknown): RawValue {
    if (value === null || value === undefined || value === '') return null;
    if (typeof value !== 'string') {
      throw dmlError('INVALID_TYPE_ON_FIELD_IN_RECORD', `${f.label}: value not of required type: ${JSON.stringify(value)}`, [f.name]);
    }
    const parsed = parseId(value);
    if (parsed === undefined) throw dmlError('MALFORMED_ID', `${f.label}: id value of incorrect type: ${value}`, [f.name]);
    const targets = f.referenceTo
      .map((name) => this.registry.table(name))
      .filter((t): t is ObjectTable => t !== undefined && t.codec.keyPrefix === parsed.keyPrefix);
    if (targets.length === 0) {
      throw dmlError('FIELD_INTEGRITY_EXCEPTION', `${f.label}: id value of incorrect type: ${value}`, [f.name]);
    }
    for (const table of targets) {
      const row = table.rowOf(parsed.id15);
      if (row < 0) continue;
      if (table.stateOf(row) === ROW_DELETED) throw dmlError('ENTITY_IS_DELETED', 'entity is deleted', [f.name]);
      if (table.name === 'User' && f.name === 'OwnerId' && table.getRaw(row, 'IsActive') !== true) {
        throw dmlError('INACTIVE_OWNER_OR_USER', 'operation performed with inactive user as owner of this record', [f.name]);
      }
      return this.registry.ref(table, row);
    }
    throw dmlError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', [f.name]);
  }

  /** `"Account": {"Ext__c": "123"}`: a lookup set through the parent's external id. */
  private resolveByExternalId(rel: FieldDef, value: Record<string, unknown>): RawValue {
    const keys = Object.keys(value).filter((k) => k !== 'attributes');
    const target = this.registry.table(rel.referenceTo[0] ?? '');
    const key = keys[0];
    const extField = key === undefined ? undefined : target?.schema.field(key);
    if (target === undefined || keys.length !== 1 || extField === undefined || !(extField.externalId || extField.idLookup)) {
      throw dmlError('INVALID_FIELD', `Invalid foreign key relationship name ${rel.relationshipName ?? rel.name}`, []);
    }
    const raw = value[extField.name] ?? value[key ?? ''];
    if (typeof raw !== 'string' && typeof raw !== 'number') {
      throw dmlError('INVALID_FIELD', `Foreign key external ID: ${String(raw)} not found for field ${extField.name} in entity ${target.name}`, []);
    }
    const rows =
      extField.type === 'id'
        ? [target.rowOf(parseId(String(raw))?.id15 ?? '')].filter((r) => r >= 0)
        : target.findByValue(extField.name, raw);
    const live = rows.filter((r) => target.stateOf(r) === ROW_LIVE);
    if (live.length === 0) {
      throw dmlError('INVALID_FIELD', `Foreign key external ID: ${String(raw)} not found for field ${extField.name} in entity ${target.name}`, []);
    }
    if (live.length > 1) {
      throw dmlError('INVALID_FIELD', `Foreign key external ID: ${String(raw)} matches more than one record for field ${extField.name} in entity ${target.name}`, []);
    }
    return this.registry.ref(target, live[0] ?? 0);
  }

  /** Field access and value checks for one write; returns the assignments in field order of the input. */
  private prepare(tx: Transaction, table: ObjectTable, input: RecordInput, mode: 'insert' | 'update', options: WriteOptions): Map<string, RawValue> {
    const unknown: string[] = [];
    const readOnly: string[] = [];
    const pending: Array<[FieldDef, unknown]> = [];
    const relationships: Array<[FieldDef, Record<string, unknown>]> = [];
    for (const [key, value] of Object.entries(input)) {
      if (value === undefined || key === 'attributes') continue;
      const f = table.schema.field(key);
      if (f === undefined) {
        const rel = table.schema.parentRelationship(key);
        if (rel !== undefined && isPlainObject(value)) relationships.push([rel, value]);
        else unknown.push(key);
        continue;
      }
      if (f.type === 'id') continue;
      const auditWrite = mode === 'insert' && tx.ctx.auditFields && AUDIT_SETTABLE.has(f.name);
      const writable = f.storage !== 'computed' && (options.system === true || auditWrite || (mode === 'insert' ? f.createable : f.updateable));
      if (!writable) readOnly.push(f.name);
      else pending.push([f, value]);
    }
    if (unknown.length > 0) {
      throw new SalesforceApiError('INVALID_FIELD', `No such column '${unknown[0] ?? ''}' on sobject of type ${table.name}`, { fields: [] });
    }
    if (readOnly.length > 0) {
      throw dmlError(
        'INVALID_FIELD_FOR_INSERT_UPDATE',
        `Unable to create/update fields: ${readOnly.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
        readOnly,
      );
    }
    const assignments = new Map<string, RawValue>();
    for (const [f, value] of pending) {
      assignments.set(f.name, f.type === 'reference' ? this.resolveReference(f, value) : coerceScalar(f, value as InputValue));
    }
    for (const [rel, value] of relationships) assignments.set(rel.name, this.resolveByExternalId(rel, value));
    return assignments;
  }

  private applyRules(tx: Transaction, table: ObjectTable, row: number | undefined, assignments: Map<string, RawValue>, mode: 'insert' | 'update'): void {
    const rule = objectRule(table.name);
    if (rule === undefined) return;
    const ctx: RuleContext = {
      mode,
      table,
      row,
      registry: this.registry,
      schema: this.schema,
      now: tx.now,
      get: (field) => (assignments.has(field) ? (assignments.get(field) ?? null) : row === undefined ? null : table.getRaw(row, field)),
      assigns: (field) => assignments.has(field),
      set: (field, value) => {
        assignments.set(field, value);
      },
    };
    rule(ctx);
  }

  private checkRequired(table: ObjectTable, row: number | undefined, assignments: Map<string, RawValue>): void {
    const missing: string[] = [];
    for (const f of this.plan(table).required) {
      const value = assignments.has(f.name) ? (assignments.get(f.name) ?? null) : row === undefined ? null : table.getRaw(row, f.name);
      if (value === null && (row === undefined || assignments.has(f.name))) missing.push(f.name);
    }
    if (missing.length > 0) throw dmlError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, missing);
  }

  private checkUnique(table: ObjectTable, row: number | undefined, assignments: Map<string, RawValue>): void {
    for (const [name, value] of assignments) {
      if (value === null || (typeof value !== 'string' && typeof value !== 'number')) continue;
      const f = table.schema.field(name);
      if (f === undefined || !f.unique) continue;
      const other = table.findByValue(name, value).find((r) => r !== row && table.stateOf(r) === ROW_LIVE);
      if (other !== undefined) {
        throw dmlError('DUPLICATE_VALUE', `duplicate value found: ${f.name} duplicates value on record with id: ${table.idOf(other).slice(0, 15)}`, []);
      }
    }
  }

  // ---- operations --------------------------------------------------------------------------------------------

  insert(tx: Transaction, table: ObjectTable, input: RecordInput, options: WriteOptions = {}): number {
    if (!table.schema.def.createable && options.system !== true) {
      throw dmlError('CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY', `entity type ${table.name} does not support create`, []);
    }
    const idKey = Object.keys(input).find((k) => k.toLowerCase() === 'id' && input[k] !== undefined && input[k] !== null);
    if (idKey !== undefined) {
      throw dmlError('INVALID_FIELD_FOR_INSERT_UPDATE', 'cannot specify Id in an insert call', ['Id']);
    }
    const assignments = this.prepare(tx, table, input, 'insert', options);
    for (const f of this.plan(table).stringDefaults) {
      if (!assignments.has(f.name)) assignments.set(f.name, f.defaultValue);
    }
    const user = this.userRef(tx.ctx.userId);
    if (table.schema.field('OwnerId') !== undefined && (assignments.get('OwnerId') ?? null) === null) assignments.set('OwnerId', user);
    this.applyRules(tx, table, undefined, assignments, 'insert');
    this.checkRequired(table, undefined, assignments);
    this.checkUnique(table, undefined, assignments);

    const row = table.allocate();
    tx.recordInsert(table, row);
    for (const [name, value] of assignments) table.setRaw(row, name, value);
    const created = assignments.get('CreatedDate');
    table.setRaw(row, 'CreatedDate', typeof created === 'number' ? created : tx.now);
    table.setRaw(row, 'CreatedById', assignments.get('CreatedById') ?? user);
    const modified = assignments.get('LastModifiedDate');
    table.setRaw(row, 'LastModifiedDate', typeof modified === 'number' ? modified : (table.getRaw(row, 'CreatedDate') ?? tx.now));
    table.setRaw(row, 'LastModifiedById', assignments.get('LastModifiedById') ?? table.getRaw(row, 'CreatedById'));
    table.setRaw(row, 'SystemModstamp', tx.now);
    this.publishFull(tx, table, row, 'CREATE');
    this.afterWrite(tx, table, row, assignments);
    return row;
  }

  update(tx: Transaction, table: ObjectTable, row: number, input: RecordInput, options: WriteOptions = {}): void {
    if (table.stateOf(row) !== ROW_LIVE) throw dmlError('ENTITY_IS_DELETED', 'entity is deleted', []);
    if (!table.schema.def.updateable && options.system !== true) {
      throw dmlError('CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY', `entity type ${table.name} does not support update`, []);
    }
    if (table.name === 'Lead' && options.system !== true && table.getRaw(row, 'IsConverted') === true) {
      throw dmlError('CANNOT_UPDATE_CONVERTED_LEAD', 'cannot reference converted lead', []);
    }
    const idKey = Object.keys(input).find((k) => k.toLowerCase() === 'id');
    const { [idKey ?? '']: givenId, ...rest } = input;
    if (idKey !== undefined && givenId !== undefined && givenId !== null && parseId(String(givenId))?.id15 !== table.idOf(row).slice(0, 15)) {
      throw dmlError('INVALID_FIELD_FOR_INSERT_UPDATE', 'Unable to create/update fields: Id. Please check the security settings of this field and verify that it is read/write for your profile or permission set.', ['Id']);
    }
    const assignments = this.prepare(tx, table, idKey === undefined ? input : rest, 'update', options);
    this.applyRules(tx, table, row, assignments, 'update');
    this.checkRequired(table, row, assignments);
    this.checkUnique(table, row, assignments);

    const previous: Array<[string, RawValue]> = [];
    const changed: string[] = [];
    const set = (name: string, value: RawValue): void => {
      const old = table.getRaw(row, name);
      if (old === value) return;
      previous.push([name, old]);
      table.setRaw(row, name, value);
      changed.push(name);
    };
    for (const [name, value] of assignments) set(name, value);
    set('LastModifiedDate', tx.now);
    set('LastModifiedById', this.userRef(tx.ctx.userId));
    set('SystemModstamp', tx.now);
    tx.recordUpdate(table, row, previous);
    const published = changed.filter((name) => !UNPUBLISHED.has(name));
    if (!published.includes('LastModifiedDate')) published.push('LastModifiedDate');
    tx.addChange({
      entityName: table.name,
      changeType: 'UPDATE',
      recordId: table.idOf(row),
      changedFields: published,
      fields: this.externalFields(table, row, published),
    });
    this.afterWrite(tx, table, row, assignments);
  }

  /** Moves a record (and its cascade-delete children) to the recycle bin. */
  delete(tx: Transaction, table: ObjectTable, row: number): void {
    if (table.stateOf(row) !== ROW_LIVE) throw dmlError('ENTITY_IS_DELETED', 'entity is deleted', []);
    if (!table.schema.def.deletable) {
      throw dmlError('CANNOT_DELETE_ENTITY', `entity type ${table.name} cannot be deleted`, []);
    }
    table.markDeleted(row, tx.now);
    tx.recordDelete(table, row);
    tx.addChange({ entityName: table.name, changeType: 'DELETE', recordId: table.idOf(row), changedFields: [], fields: {} });
    const ref = this.registry.ref(table, row);
    for (const rel of this.schema.childRelationships(table.name)) {
      if (!rel.cascadeDelete) continue;
      const child = this.registry.get(rel.childSObject);
      for (const c of this.childrenOf(child, rel.field, ref)) if (child.stateOf(c) === ROW_LIVE) this.delete(tx, child, c);
    }
  }

  /** Restores a record from the recycle bin, with the children its deletion took along. */
  undelete(tx: Transaction, table: ObjectTable, row: number): void {
    if (table.stateOf(row) !== ROW_DELETED) throw dmlError('UNDELETE_FAILED', 'Entity is not in the recycle bin', []);
    const deletedAt = table.deletedAtOf(row) ?? tx.now;
    const uniques = new Map<string, RawValue>();
    for (const f of this.plan(table).unique) uniques.set(f.name, table.getRaw(row, f.name));
    this.checkUnique(table, row, uniques);
    table.markLive(row);
    tx.recordUndelete(table, row, deletedAt);
    const previous: Array<[string, RawValue]> = [['SystemModstamp', table.getRaw(row, 'SystemModstamp')]];
    table.setRaw(row, 'SystemModstamp', tx.now);
    tx.recordUpdate(table, row, previous);
    this.publishFull(tx, table, row, 'UNDELETE');
    const ref = this.registry.ref(table, row);
    for (const rel of this.schema.childRelationships(table.name)) {
      if (!rel.cascadeDelete) continue;
      const child = this.registry.get(rel.childSObject);
      for (const c of this.childrenOf(child, rel.field, ref)) {
        if (child.stateOf(c) === ROW_DELETED && child.deletedAtOf(c) === deletedAt) this.undelete(tx, child, c);
      }
    }
  }

  childrenOf(child: ObjectTable, field: string, ref: number): number[] {
    if (child.hasChildIndex(field)) return child.findChildren(field, ref);
    const out: number[] = [];
    for (let r = 0; r < child.rowCount; r++) if (child.getRaw(r, field) === ref) out.push(r);
    return out;
  }

  /** The non-null stored fields of a row, as the API shows them (CREATE / UNDELETE changes). */
  externalFields(table: ObjectTable, row: number, names?: readonly string[]): Record<string, FieldValue> {
    const out: Record<string, FieldValue> = {};
    const fields = names === undefined ? table.schema.fields : names.map((n) => table.schema.field(n)).filter((f): f is FieldDef => f !== undefined);
    for (const f of fields) {
      if (f.storage === 'computed' || f.storage === 'id') continue;
      const raw = table.getRaw(row, f.name);
      if (names === undefined && (raw === null || UNPUBLISHED.has(f.name))) continue;
      out[f.name] = this.external(f, raw);
    }
    return out;
  }

  private publishFull(tx: Transaction, table: ObjectTable, row: number, changeType: 'CREATE' | 'UNDELETE'): void {
    if (!tx.ctx.emitChanges) return;
    const fields = this.externalFields(table, row);
    tx.addChange({ entityName: table.name, changeType, recordId: table.idOf(row), changedFields: Object.keys(fields), fields });
  }

  /** Side effects on other records: one primary contact role per opportunity. */
  private afterWrite(tx: Transaction, table: ObjectTable, row: number, assignments: Map<string, RawValue>): void {
    if (table.name !== 'OpportunityContactRole' || assignments.get('IsPrimary') !== true) return;
    const opportunity = table.getRaw(row, 'OpportunityId');
    if (typeof opportunity !== 'number') return;
    for (const other of table.findChildren('OpportunityId', opportunity)) {
      if (other !== row && table.stateOf(other) === ROW_LIVE && table.getRaw(other, 'IsPrimary') === true) {
        this.update(tx, table, other, { IsPrimary: false }, { system: true });
      }
    }
  }
}
