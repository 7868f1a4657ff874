/**
 * HubSpot-defined association types between contacts, companies and deals (type ids from the
 * official client's AssociationTypes enum), with the v3 names (`contact_to_company`) and the
 * inverse type that HubSpot keeps in step on the other side.
 */
import type { ObjectTypeName } from './object-types.js';

export interface AssociationType {
  typeId: number;
  from: ObjectTypeName;
  to: ObjectTypeName;
  /** Name used by the v3 `associations` of a read and in webhook `associationType` (upper-cased). */
  name: string;
  inverse: number;
  /** The "Primary" label: at most one per record on the side that owns it (contact → company, deal → company). */
  primary: boolean;
  label: string | null;
  /** The type a default (unlabeled) association between the two types uses. */
  isDefault: boolean;
}

function pair(
  typeId: number,
  from: ObjectTypeName,
  to: ObjectTypeName,
  name: string,
  inverse: number,
  kind: 'default' | 'primary' | 'inverse-primary',
): AssociationType {
  return {
    typeId,
    from,
    to,
    name,
    inverse,
    primary: kind === 'primary',
    label: kind === 'default' ? null : 'Primary',
    isDefault: kind === 'default',
  };
}

export const ASSOCIATION_TYPES: readonly AssociationType[] = [
  pair(1, 'contacts', 'companies', 'contact_to_company', 2, 'primary'),
  pair(2, 'companies', 'contacts', 'company_to_contact', 1, 'inverse-primary'),
  pair(279, 'contacts', 'companies', 'contact_to_company_unlabeled', 280, 'default'),
  pair(280, 'companies', 'contacts', 'company_to_contact_unlabeled', 279, 'default'),
  pair(3, 'deals', 'contacts', 'deal_to_contact', 4, 'default'),
  pair(4, 'contacts', 'deals', 'contact_to_deal', 3, 'default'),
  pair(5, 'deals', 'companies', 'deal_to_company', 6, 'primary'),
  pair(6, 'companies', 'deals', 'company_to_deal', 5, 'inverse-primary'),
  pair(341, 'deals', 'companies', 'deal_to_company_unlabeled', 342, 'default'),
  pair(342, 'companies', 'deals', 'company_to_deal_unlabeled', 341, 'default'),
  pair(449, 'contacts', 'contacts', 'contact_to_contact', 449, 'default'),
  pair(450, 'companies', 'companies', 'company_to_company', 450, 'default'),
];

const BY_ID = new Map(ASSOCIATION_TYPES.map((t) => [t.typeId, t]));

export function associationType(typeId: number): AssociationType | undefined {
  return BY_ID.get(typeId);
}

/** The types defined from one object type to another, in a fixed order (bit positions of a mask). */
export function typesBetween(from: ObjectTypeName, to: ObjectTypeName): AssociationType[] {
  return ASSOCIATION_TYPES.filter((t) => t.from === from && t.to === to);
}

export function defaultTypeBetween(from: ObjectTypeName, to: ObjectTypeName): AssociationType | undefined {
  return ASSOCIATION_TYPES.find((t) => t.from === from && t.to === to && t.isDefault);
}

/** "CONTACT_TO_COMPANY": the `associationType` of webhook events. */
export function webhookAssociationName(from: ObjectTypeName, to: ObjectTypeName): string {
  const singular = { contacts: 'CONTACT', companies: 'COMPANY', deals: 'DEAL' } as const;
  return `${singular[from]}_TO_${singular[to]}`;
}

/** The one object type a list of association type ids points to, or undefined when they disagree or are unknown. */
export function targetOfTypes(typeIds: readonly number[]): ObjectTypeName | undefined {
  const targets = new Set(typeIds.map((id) => associationType(id)?.to));
  const [target] = [...targets];
  return targets.size === 1 ? target : undefined;
}
