/**
 * OAuth scopes: what each API area needs, and every scope a private-app token holds. HubSpot
 * answers a call whose token lacks them with 403 MISSING_SCOPES.
 */
import type { ObjectTypeName } from '../store/object-types.js';

export const OBJECT_SCOPES: Readonly<Record<ObjectTypeName, { read: string; write: string; schemaRead: string; schemaWrite: string }>> = {
  contacts: {
    read: 'crm.objects.contacts.read',
    write: 'crm.objects.contacts.write',
    schemaRead: 'crm.schemas.contacts.read',
    schemaWrite: 'crm.schemas.contacts.write',
  },
  companies: {
    read: 'crm.objects.companies.read',
    write: 'crm.objects.companies.write',
    schemaRead: 'crm.schemas.companies.read',
    schemaWrite: 'crm.schemas.companies.write',
  },
  deals: {
    read: 'crm.objects.deals.read',
    write: 'crm.objects.deals.write',
    schemaRead: 'crm.schemas.deals.read',
    schemaWrite: 'crm.schemas.deals.write',
  },
};

export const OWNERS_SCOPE = 'crm.objects.owners.read';

/** Every scope the sandbox knows; the private-app token has all of them. */
export const ALL_SCOPES: readonly string[] = [
  'oauth',
  OWNERS_SCOPE,
  ...Object.values(OBJECT_SCOPES).flatMap((s) => [s.read, s.write, s.schemaRead, s.schemaWrite]),
];

/** Human descriptions shown on the authorize page. */
export function describeScope(scope: string): string {
  const match = /^crm\.(objects|schemas)\.([a-z_]+)\.(read|write)$/.exec(scope);
  if (match !== null) {
    const [, kind, object, access] = match;
    const what = kind === 'schemas' ? `${object} property settings` : `${object} records`;
    return `${access === 'read' ? 'View' : 'Create, change and delete'} ${what}`;
  }
  if (scope === 'oauth') return 'Basic OAuth functionality (verify identity)';
  return 'Access requested by the app';
}
