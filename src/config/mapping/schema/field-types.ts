/**
 * Field types on each side and which pairs can be synced. The table is revloop's own, built from the
 * HubSpot property types (bool, date, datetime, enumeration, number, phone_number, string) and the
 * Salesforce describe types; docs/field-types.md explains each pair.
 */
export const HUBSPOT_TYPES = ['string', 'number', 'bool', 'date', 'datetime', 'enumeration', 'phone_number'] as const;
export type HubSpotType = (typeof HUBSPOT_TYPES)[number];

export const SALESFORCE_TYPES = [
  'string',
  'textarea',
  'email',
  'phone',
  'url',
  'picklist',
  'multipicklist',
  'combobox',
  'boolean',
  'int',
  'long',
  'double',
  'currency',
  'percent',
  'date',
  'datetime',
  'id',
  'reference',
] as const;
export type SalesforceType = (typeof SALESFORCE_TYPES)[number];

/** How well two types fit: `ok` syncs as is; `lossy` works but can lose information (a warning); absent = refused. */
export type Compatibility = 'ok' | 'lossy';

const TEXT: readonly SalesforceType[] = ['string', 'textarea', 'email', 'phone', 'url', 'picklist', 'combobox', 'id', 'reference'];
const NUMERIC: readonly SalesforceType[] = ['int', 'long', 'double', 'currency', 'percent'];

function row(ok: readonly SalesforceType[], lossy: readonly SalesforceType[] = []): Partial<Record<SalesforceType, Compatibility>> {
  const out: Partial<Record<SalesforceType, Compatibility>> = {};
  for (const t of ok) out[t] = 'ok';
  for (const t of lossy) out[t] = 'lossy';
  return out;
}

export const TYPE_COMPATIBILITY: Readonly<Record<HubSpotType, Partial<Record<SalesforceType, Compatibility>>>> = {
  string: row([...TEXT, 'multipicklist'], [...NUMERIC, 'boolean', 'date', 'datetime']),
  number: row(NUMERIC, ['string', 'textarea']),
  bool: row(['boolean'], ['string', 'picklist']),
  date: row(['date'], ['datetime', 'string']),
  datetime: row(['datetime'], ['date', 'string']),
  enumeration: row(['picklist', 'multipicklist', 'combobox', 'boolean', 'string', 'reference', 'id'], ['textarea']),
  phone_number: row(['phone', 'string'], ['textarea']),
};

export function compatibility(hubspot: HubSpotType, salesforce: SalesforceType): Compatibility | undefined {
  return TYPE_COMPATIBILITY[hubspot][salesforce];
}

export function compatibleSalesforceTypes(hubspot: HubSpotType): SalesforceType[] {
  return Object.keys(TYPE_COMPATIBILITY[hubspot]) as SalesforceType[];
}
