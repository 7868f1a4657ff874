/**
 * Who an opportunity belongs to: its contact roles; without any role, the account's people as the
 * mapping says (the primary contact, i.e. the account's first contact, or all of them, or nobody).
 * Shared by the lifecycle (an open opportunity makes a person an "opportunity") and the outcome
 * roll-ups. Pure.
 */
export type PeopleFallback = 'account_primary' | 'account_all' | 'none';

export interface OpportunityRecord {
  Id: string;
  AccountId?: string | null;
  [field: string]: unknown;
}

export interface ContactRole {
  opportunityId: string;
  contactId: string;
  isPrimary?: boolean;
  role?: string | null;
}

export function opportunitiesByPerson(
  opportunities: Iterable<OpportunityRecord>,
  roles: Iterable<ContactRole>,
  /** The contacts of each account, the primary (first) one first. */
  accountContacts: ReadonlyMap<string, readonly string[]>,
  fallback: PeopleFallback,
): Map<string, OpportunityRecord[]> {
  const byOpportunity = new Map<string, string[]>();
  for (const r of roles) byOpportunity.set(r.opportunityId, [...(byOpportunity.get(r.opportunityId) ?? []), r.contactId]);
  const out = new Map<string, OpportunityRecord[]>();
  const give = (contactId: string, opportunity: OpportunityRecord) => {
    const list = out.get(contactId) ?? [];
    if (!list.some((o) => o.Id === opportunity.Id)) list.push(opportunity);
    out.set(contactId, list);
  };
  for (const opportunity of opportunities) {
    const people = byOpportunity.get(opportunity.Id);
    if (people && people.length > 0) {
      for (const contactId of people) give(contactId, opportunity);
      continue;
    }
    const contacts = opportunity.AccountId ? (accountContacts.get(opportunity.AccountId) ?? []) : [];
    if (fallback === 'account_primary' && contacts[0]) give(contacts[0], opportunity);
    else if (fallback === 'account_all') for (const c of contacts) give(c, opportunity);
  }
  return out;
}

/**
 * The one person each opportunity's revenue and attribution belong to: its primary contact role,
 * else its first role, else (without roles) the account's primary contact when the fallback uses one.
 */
export function attributedPeople(
  opportunities: Iterable<OpportunityRecord>,
  roles: Iterable<ContactRole>,
  accountContacts: ReadonlyMap<string, readonly string[]>,
  fallback: PeopleFallback,
): Map<string, string> {
  const byOpportunity = new Map<string, ContactRole[]>();
  for (const r of roles) byOpportunity.set(r.opportunityId, [...(byOpportunity.get(r.opportunityId) ?? []), r]);
  const out = new Map<string, string>();
  for (const o of opportunities) {
    const list = byOpportunity.get(o.Id) ?? [];
    const chosen = list.find((r) => r.isPrimary) ?? list[0];
    if (chosen) out.set(o.Id, chosen.contactId);
    else if (fallback !== 'none' && o.AccountId) {
      const primary = accountContacts.get(o.AccountId)?.[0];
      if (primary) out.set(o.Id, primary);
    }
  }
  return out;
}
