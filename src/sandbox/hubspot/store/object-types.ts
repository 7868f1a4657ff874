/**
 * The CRM object types the HubSpot simulator serves, and every name HubSpot accepts for them
 * in a path: the plural name (`contacts`), the singular (`contact`) and the object type id (`0-1`).
 */
export const OBJECT_TYPES = ['contacts', 'companies', 'deals'] as const;
export type ObjectTypeName = (typeof OBJECT_TYPES)[number];

export interface ObjectTypeInfo {
  name: ObjectTypeName;
  /** HubSpot's object type id: 0-1 contacts, 0-2 companies, 0-3 deals. */
  typeId: string;
  singular: string;
  /** Upper-case singular as used in association type names and messages ("CONTACT"). */
  upper: string;
  /** Record ids of this type start here, so ids of different types never collide. */
  idBase: number;
  /** Properties a read returns when the caller names none. */
  defaultProperties: readonly string[];
  /** Properties the free-text `query` of a search looks in. */
  queryProperties: readonly string[];
  /** Name of the "last modified" property a caller sees for this type. */
  modifiedProperty: string;
}

export const OBJECT_TYPE_INFO: Readonly<Record<ObjectTypeName, ObjectTypeInfo>> = {
  contacts: {
    name: 'contacts',
    typeId: '0-1',
    singular: 'contact',
    upper: 'CONTACT',
    idBase: 10_000_001,
    defaultProperties: ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'],
    queryProperties: ['firstname', 'lastname', 'email', 'phone', 'mobilephone', 'company', 'hs_additional_emails'],
    modifiedProperty: 'lastmodifieddate',
  },
  companies: {
    name: 'companies',
    typeId: '0-2',
    singular: 'company',
    upper: 'COMPANY',
    idBase: 20_000_001,
    defaultProperties: ['createdate', 'domain', 'hs_lastmodifieddate', 'hs_object_id', 'name'],
    queryProperties: ['name', 'domain', 'website', 'phone'],
    modifiedProperty: 'hs_lastmodifieddate',
  },
  deals: {
    name: 'deals',
    typeId: '0-3',
    singular: 'deal',
    upper: 'DEAL',
    idBase: 30_000_001,
    defaultProperties: [
      'amount',
      'closedate',
      'createdate',
      'dealname',
      'dealstage',
      'hs_lastmodifieddate',
      'hs_object_id',
      'pipeline',
    ],
    queryProperties: ['dealname'],
    modifiedProperty: 'hs_lastmodifieddate',
  },
};

/** Resolves any name HubSpot accepts for an object type (case-insensitive). */
export function resolveObjectType(input: string): ObjectTypeName | undefined {
  const wanted = input.trim().toLowerCase();
  for (const info of Object.values(OBJECT_TYPE_INFO)) {
    if (wanted === info.name || wanted === info.singular || wanted === info.typeId) return info.name;
  }
  return undefined;
}

/** Properties whose value the store derives from the record itself; they are never stored. */
export const DERIVED_PROPERTIES = new Set(['hs_object_id', 'createdate', 'lastmodifieddate', 'hs_lastmodifieddate']);
