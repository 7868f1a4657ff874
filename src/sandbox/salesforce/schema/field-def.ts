/**
 * The metadata of one sObject field, close to Salesforce's describe `Field`. Standard objects are declared with the
 * small builders below; custom fields come from configuration (custom-field-input.ts).
 */

export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'email'
  | 'phone'
  | 'url'
  | 'picklist'
  | 'multipicklist'
  | 'combobox'
  | 'reference'
  | 'boolean'
  | 'currency'
  | 'double'
  | 'percent'
  | 'int'
  | 'date'
  | 'datetime';

/** How a field's values are stored in the compact tables. */
export type FieldStorage = 'id' | 'string' | 'number' | 'boolean' | 'reference' | 'computed';

export interface PicklistEntry {
  active: boolean;
  defaultValue: boolean;
  label: string;
  validFor: null;
  value: string;
}

export type FieldValue = string | number | boolean | null;

export interface FieldDef {
  name: string;
  label: string;
  type: FieldType;
  /** Characters for text types; 0 otherwise. */
  length: number;
  precision: number;
  scale: number;
  digits: number;
  nillable: boolean;
  createable: boolean;
  updateable: boolean;
  defaultedOnCreate: boolean;
  unique: boolean;
  externalId: boolean;
  idLookup: boolean;
  nameField: boolean;
  calculated: boolean;
  custom: boolean;
  caseSensitive: boolean;
  picklistValues: PicklistEntry[];
  restrictedPicklist: boolean;
  referenceTo: string[];
  relationshipName: string | null;
  /** For a reference: the name of the child relationship on the parent ('Contacts' on Account for Contact.AccountId). */
  childRelationshipName: string | null;
  cascadeDelete: boolean;
  defaultValue: FieldValue;
  storage: FieldStorage;
  /** Kept in an index so that selective filters and child lookups do not scan the table. */
  indexed: boolean;
  /** System-maintained audit fields (CreatedDate, CreatedById, LastModifiedDate, LastModifiedById, SystemModstamp). */
  audit: boolean;
}

export function storageOf(type: FieldType): FieldStorage {
  switch (type) {
    case 'id':
      return 'id';
    case 'reference':
      return 'reference';
    case 'boolean':
      return 'boolean';
    case 'currency':
    case 'double':
    case 'percent':
    case 'int':
    case 'date':
    case 'datetime':
      return 'number';
    default:
      return 'string';
  }
}

export function isTextType(type: FieldType): boolean {
  return storageOf(type) === 'string';
}

export function entries(values: readonly string[], defaultValue?: string): PicklistEntry[] {
  return values.map((value) => ({ active: true, defaultValue: value === defaultValue, label: value, validFor: null, value }));
}

export interface FieldOptions {
  required?: boolean;
  nillable?: boolean;
  createable?: boolean;
  updateable?: boolean;
  defaulted?: boolean;
  unique?: boolean;
  externalId?: boolean;
  idLookup?: boolean;
  nameField?: boolean;
  calculated?: boolean;
  custom?: boolean;
  restricted?: boolean;
  defaultValue?: FieldValue;
  precision?: number;
  scale?: number;
  digits?: number;
  childRelationshipName?: string;
  relationshipName?: string;
  cascadeDelete?: boolean;
  indexed?: boolean;
  audit?: boolean;
  computed?: boolean;
}

/** Builds a field with Salesforce's usual defaults for its type. */
export function field(name: string, label: string, type: FieldType, length: number, options: FieldOptions = {}): FieldDef {
  const readOnly = options.calculated === true || options.computed === true;
  const required = options.required === true;
  const storage = options.computed === true ? 'computed' : storageOf(type);
  return {
    name,
    label,
    type,
    length: isTextType(type) ? length : 0,
    precision: options.precision ?? (type === 'currency' || type === 'double' || type === 'percent' ? 18 : 0),
    scale: options.scale ?? (type === 'currency' ? 2 : 0),
    digits: options.digits ?? (type === 'int' ? 9 : 0),
    nillable: options.nillable ?? (!required && type !== 'boolean' && type !== 'id'),
    createable: options.createable ?? !readOnly,
    updateable: options.updateable ?? !readOnly,
    defaultedOnCreate: options.defaulted ?? type === 'boolean',
    unique: options.unique ?? false,
    externalId: options.externalId ?? false,
    idLookup: options.idLookup ?? (type === 'id' || options.externalId === true || options.unique === true),
    nameField: options.nameField ?? false,
    calculated: options.calculated ?? false,
    custom: options.custom ?? name.endsWith('__c'),
    caseSensitive: false,
    picklistValues: [],
    restrictedPicklist: options.restricted ?? false,
    referenceTo: [],
    relationshipName: options.relationshipName ?? null,
    childRelationshipName: options.childRelationshipName ?? null,
    cascadeDelete: options.cascadeDelete ?? false,
    defaultValue: options.defaultValue ?? (type === 'boolean' ? false : null),
    storage,
    indexed: options.indexed ?? false,
    audit: options.audit ?? false,
  };
}

export const text = (name: string, label: string, length: number, options?: FieldOptions): FieldDef =>
  field(name, label, 'string', length, options);
export const textarea = (name: string, label: string, length: number, options?: FieldOptions): FieldDef =>
  field(name, label, 'textarea', length, options);
export const email = (name: string, label: string, options?: FieldOptions): FieldDef => field(name, label, 'email', 80, options);
export const phone = (name: string, label: string, options?: FieldOptions): FieldDef => field(name, label, 'phone', 40, options);
export const url = (name: string, label: string, options?: FieldOptions): FieldDef => field(name, label, 'url', 255, options);
export const bool = (name: string, label: string, options?: FieldOptions): FieldDef => field(name, label, 'boolean', 0, options);
export const date = (name: string, label: string, options?: FieldOptions): FieldDef => field(name, label, 'date', 0, options);
export const datetime = (name: string, label: string, options?: FieldOptions): FieldDef =>
  field(name, label, 'datetime', 0, options);
export const currency = (name: string, label: string, options?: FieldOptions): FieldDef =>
  field(name, label, 'currency', 0, options);
export const double = (name: string, label: string, options?: FieldOptions): FieldDef => field(name, label, 'double', 0, options);
export const percent = (name: string, label: string, options?: FieldOptions): FieldDef =>
  field(name, label, 'percent', 0, { precision: 3, scale: 0, ...options });
export const int = (name: string, label: string, options?: FieldOptions): FieldDef => field(name, label, 'int', 0, options);

export function picklist(name: string, label: string, values: readonly string[], options: FieldOptions & { default?: string } = {}): FieldDef {
  const f = field(name, label, 'picklist', 255, { ...options, defaulted: options.defaulted ?? options.default !== undefined });
  f.picklistValues = entries(values, options.default);
  if (options.default !== undefined) f.defaultValue = options.default;
  return f;
}

export function multipicklist(name: string, label: string, values: readonly string[], options: FieldOptions = {}): FieldDef {
  const f = field(name, label, 'multipicklist', 4099, options);
  f.picklistValues = entries(values);
  return f;
}

/** A lookup. relationshipName defaults to the field name without 'Id' ('AccountId' → 'Account'). */
export function ref(name: string, label: string, referenceTo: string[], options: FieldOptions = {}): FieldDef {
  const f = field(name, label, 'reference', 18, options);
  f.referenceTo = referenceTo;
  f.relationshipName = options.relationshipName ?? (name.endsWith('Id') ? name.slice(0, -2) : name.replace(/__c$/, '__r'));
  f.length = 18;
  return f;
}

export function idField(): FieldDef {
  const f = field('Id', 'Record ID', 'id', 18, { createable: false, updateable: false, nillable: false, defaulted: true });
  f.length = 18;
  return f;
}
