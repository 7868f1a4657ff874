/**
 * Explains parked records: each vendor error becomes a category an admin recognises and a fix they
 * can act on ("add the picklist value X to Lead.Industry", "grant field access to Y"). Pure: a
 * table from error code to category, and a few patterns that pull the value or field out of the
 * vendor's message.
 */
import type { ParkedRecord } from '../../state/dead-letters.js';

export const ERROR_CATEGORIES = ['picklist', 'required-field', 'field-access', 'duplicate', 'invalid-value', 'validation-rule', 'record-gone', 'permissions', 'other'] as const;
export type ErrorCategory = (typeof ERROR_CATEGORIES)[number];

export const CATEGORY_TITLES: Readonly<Record<ErrorCategory, string>> = {
  picklist: 'Value not in a picklist',
  'required-field': 'Required field missing',
  'field-access': 'Field not writable by revloop',
  duplicate: 'Duplicate record',
  'invalid-value': 'Value the field cannot hold',
  'validation-rule': 'Refused by a validation rule',
  'record-gone': 'Record deleted, merged or converted',
  permissions: 'Missing permission',
  other: 'Other errors',
};

const CODE_CATEGORY: Readonly<Record<string, ErrorCategory>> = {
  INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: 'picklist',
  INVALID_OPTION: 'picklist',
  REQUIRED_FIELD_MISSING: 'required-field',
  INVALID_FIELD_FOR_INSERT_UPDATE: 'field-access',
  INVALID_FIELD: 'field-access',
  READ_ONLY_VALUE: 'field-access',
  DUPLICATE_VALUE: 'duplicate',
  DUPLICATES_DETECTED: 'duplicate',
  CONFLICT: 'duplicate',
  INVALID_VALUE: 'invalid-value',
  STRING_TOO_LONG: 'invalid-value',
  INVALID_EMAIL_ADDRESS: 'invalid-value',
  INVALID_EMAIL: 'invalid-value',
  NUMBER_OUTSIDE_VALID_RANGE: 'invalid-value',
  INVALID_TYPE_ON_FIELD_IN_RECORD: 'invalid-value',
  FIELD_INTEGRITY_EXCEPTION: 'invalid-value',
  FIELD_CUSTOM_VALIDATION_EXCEPTION: 'validation-rule',
  ENTITY_IS_DELETED: 'record-gone',
  OBJECT_NOT_FOUND: 'record-gone',
  INVALID_CROSS_REFERENCE_KEY: 'record-gone',
  MALFORMED_ID: 'record-gone',
  CANNOT_UPDATE_CONVERTED_LEAD: 'record-gone',
  MERGED: 'record-gone',
  MISSING_SCOPES: 'permissions',
  INSUFFICIENT_ACCESS: 'permissions',
  INSUFFICIENT_ACCESS_OR_READONLY: 'permissions',
  INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY: 'permissions',
  FORBIDDEN: 'permissions',
};

export interface Explanation {
  category: ErrorCategory;
  /** What to do about it, in the admin's words. */
  fix: string;
}

/** The Salesforce object or HubSpot object type a parked record names ("salesforce:Lead:00Q…"). */
function objectOf(entry: Pick<ParkedRecord, 'record' | 'side' | 'pair'>): string {
  const [, object] = entry.record.split(':');
  return object && object !== '' ? object : entry.side === 'hubspot' ? entry.pair : 'the object';
}

function fieldList(entry: Pick<ParkedRecord, 'fields' | 'message'>): string[] {
  if (entry.fields.length > 0) return entry.fields;
  const listed = /\[([^\]]+)\]/.exec(entry.message)?.[1];
  if (listed) return listed.split(',').map((f) => f.trim()).filter(Boolean);
  const prefix = /^([A-Za-z_][A-Za-z0-9_.]*):/.exec(entry.message)?.[1];
  return prefix ? [prefix] : [];
}

function categoryOf(entry: Pick<ParkedRecord, 'code' | 'message'>): ErrorCategory {
  const known = CODE_CATEGORY[entry.code];
  if (known) return known;
  if (/not one of the allowed options|restricted picklist/i.test(entry.message)) return 'picklist';
  if (/required field/i.test(entry.message)) return 'required-field';
  if (/duplicate|already exists/i.test(entry.message)) return 'duplicate';
  if (entry.code === 'VALIDATION_ERROR') return 'invalid-value';
  return 'other';
}

export function explain(entry: Pick<ParkedRecord, 'code' | 'message' | 'fields' | 'record' | 'side' | 'pair'>): Explanation {
  const category = categoryOf(entry);
  const object = objectOf(entry);
  const fields = fieldList(entry);
  const where = (f: string) => (entry.side === 'salesforce' ? `${object}.${f}` : `the HubSpot ${entry.pair} property ${f}`);
  const named = fields.length > 0 ? fields.map(where).join(', ') : entry.side === 'salesforce' ? `the ${object} field named in the message` : 'the property named in the message';
  const mappingFile = `mappings/${entry.pair}.yaml`;
  switch (category) {
    case 'picklist': {
      const value = /restricted picklist field:\s*(.+)$/i.exec(entry.message)?.[1] ?? /^"?([^"]+?)"? was not one of the allowed options/i.exec(entry.message.replace(/^.*?:\s*/, ''))?.[1];
      const add = value ? `add the picklist value "${value.trim()}" to ${named}` : `add the missing value to the picklist of ${named}`;
      return { category, fix: `${entry.side === 'salesforce' ? add : add.replace('picklist value', 'option')}, or map it to an existing value with a picklist transform in ${mappingFile}; then retry.` };
    }
    case 'required-field':
      return { category, fix: `give ${named} a value on the other side, or set one with a default transform in ${mappingFile}; then retry.` };
    case 'field-access':
      return {
        category,
        fix: entry.side === 'salesforce'
          ? `grant field access to ${named}: give revloop's integration user edit access in its profile or permission set (Setup → Object Manager → ${object} → Fields & Relationships → Set Field-Level Security); then retry.`
          : `${named} is read-only in HubSpot: choose another property in ${mappingFile}, or make the rule one-way towards Salesforce; then retry.`,
      };
    case 'duplicate':
      return { category, fix: `another record already holds this unique value: merge the duplicates in ${entry.side === 'salesforce' ? 'Salesforce' : 'HubSpot'}, then retry (revloop relinks merged records).` };
    case 'invalid-value':
      return { category, fix: `the value does not fit ${named}: correct it at the source, or add a transform (truncate, number, date, lowercase) in ${mappingFile}; then retry.` };
    case 'validation-rule':
      return { category, fix: `a Salesforce validation rule on ${object} refused the write ("${entry.message}"): fix the data, or exempt revloop's integration user from the rule; then retry.` };
    case 'record-gone':
      return { category, fix: 'the record was deleted, merged or converted since it was read: retry, and revloop relinks it to the record that replaced it (or unlinks it under the delete policy).' };
    case 'permissions':
      return {
        category,
        fix: entry.side === 'salesforce'
          ? `revloop's integration user may not do this on ${object}: grant it the object permission in its profile or permission set; then retry.`
          : 'the HubSpot app lacks a scope: reinstall revloop in the portal (Set-up → Connect HubSpot) so it is granted every scope; then retry.',
      };
    default:
      return { category, fix: 'read the vendor message; when the cause is fixed, retry. If it keeps failing, the record timeline shows what revloop saw.' };
  }
}

export interface ErrorGroup {
  category: ErrorCategory;
  title: string;
  count: number;
  /** The fix of the group's most recent error (each entry carries its own). */
  fix: string;
  entries: Array<ParkedRecord & { id: string; fix: string }>;
}

/** Groups parked records by category, the biggest group first; entries newest first. */
export function groupErrors(entries: ReadonlyArray<ParkedRecord & { id: string }>): ErrorGroup[] {
  const groups = new Map<ErrorCategory, ErrorGroup>();
  for (const entry of entries) {
    const { category, fix } = explain(entry);
    const group = groups.get(category) ?? { category, title: CATEGORY_TITLES[category], count: 0, fix, entries: [] };
    group.count += 1;
    group.entries.push({ ...entry, fix });
    groups.set(category, group);
  }
  for (const g of groups.values()) {
    g.entries.sort((a, b) => b.lastAt - a.lastAt);
    g.fix = g.entries[0]?.fix ?? g.fix;
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || a.category.localeCompare(b.category));
}
