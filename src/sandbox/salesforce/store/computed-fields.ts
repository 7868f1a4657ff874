/**
 * Fields Salesforce computes on read: full names, Opportunity.ExpectedRevenue, the Lead/Contact details mirrored on
 * CampaignMember, and Campaign's roll-ups of its members and opportunities.
 */
import type { FieldValue } from '../schema/field-def.js';
import { ROW_LIVE, type ObjectTable } from '../storage/object-table.js';
import type { TableRegistry } from './table-registry.js';

export type ComputedField = (registry: TableRegistry, table: ObjectTable, row: number) => FieldValue;

function text(table: ObjectTable, row: number, field: string): string | null {
  const v = table.getRaw(row, field);
  return typeof v === 'string' ? v : null;
}

const fullName: ComputedField = (_registry, table, row) => {
  const parts = [text(table, row, 'FirstName'), text(table, row, 'LastName')].filter((p): p is string => p !== null);
  return parts.length === 0 ? null : parts.join(' ');
};

/** The Lead or Contact a CampaignMember designates (the Contact wins once the lead is converted). */
function memberPerson(registry: TableRegistry, table: ObjectTable, row: number): { table: ObjectTable; row: number } | undefined {
  const contact = table.getRaw(row, 'ContactId');
  if (typeof contact === 'number') return registry.deref(contact);
  const lead = table.getRaw(row, 'LeadId');
  if (typeof lead === 'number') return registry.deref(lead);
  return undefined;
}

function mirrored(field: string): ComputedField {
  return (registry, table, row) => {
    const person = memberPerson(registry, table, row);
    return person === undefined ? null : text(person.table, person.row, field);
  };
}

function liveChildren(registry: TableRegistry, childName: string, field: string, parent: ObjectTable, row: number): Array<[ObjectTable, number]> {
  const child = registry.get(childName);
  return child
    .findChildren(field, registry.ref(parent, row))
    .filter((r) => child.stateOf(r) === ROW_LIVE)
    .map((r) => [child, r]);
}

function campaignRollup(kind: 'leads' | 'converted' | 'contacts' | 'responses'): ComputedField {
  return (registry, table, row) => {
    let n = 0;
    for (const [members, m] of liveChildren(registry, 'CampaignMember', 'CampaignId', table, row)) {
      const lead = members.getRaw(m, 'LeadId');
      const contact = members.getRaw(m, 'ContactId');
      if (kind === 'leads' && lead !== null) n += 1;
      else if (kind === 'contacts' && contact !== null && lead === null) n += 1;
      else if (kind === 'responses' && members.getRaw(m, 'HasResponded') === true) n += 1;
      else if (kind === 'converted' && typeof lead === 'number') {
        const l = registry.deref(lead);
        if (l.table.getRaw(l.row, 'IsConverted') === true) n += 1;
      }
    }
    return n;
  };
}

function opportunityRollup(kind: 'count' | 'won' | 'amount' | 'wonAmount'): ComputedField {
  return (registry, table, row) => {
    let n = 0;
    for (const [opps, o] of liveChildren(registry, 'Opportunity', 'CampaignId', table, row)) {
      const won = opps.getRaw(o, 'IsWon') === true;
      const amount = opps.getRaw(o, 'Amount');
      if (kind === 'count') n += 1;
      else if (kind === 'won' && won) n += 1;
      else if (kind === 'amount' && typeof amount === 'number') n += amount;
      else if (kind === 'wonAmount' && won && typeof amount === 'number') n += amount;
    }
    return n;
  };
}

const COMPUTED: Record<string, Record<string, ComputedField>> = {
  lead: { Name: fullName },
  contact: { Name: fullName },
  user: { Name: fullName },
  opportunity: {
    ExpectedRevenue: (_registry, table, row) => {
      const amount = table.getRaw(row, 'Amount');
      const probability = table.getRaw(row, 'Probability');
      if (typeof amount !== 'number') return null;
      return Math.round(amount * (typeof probability === 'number' ? probability : 0)) / 100;
    },
  },
  campaignmember: {
    Type: (_registry, table, row) => (table.getRaw(row, 'ContactId') !== null ? 'Contact' : table.getRaw(row, 'LeadId') !== null ? 'Lead' : null),
    FirstName: mirrored('FirstName'),
    LastName: mirrored('LastName'),
    Title: mirrored('Title'),
    Email: mirrored('Email'),
    CompanyOrAccount: (registry, table, row) => {
      const person = memberPerson(registry, table, row);
      if (person === undefined) return null;
      if (person.table.name === 'Lead') return text(person.table, person.row, 'Company');
      const account = person.table.getRaw(person.row, 'AccountId');
      if (typeof account !== 'number') return null;
      const a = registry.deref(account);
      return text(a.table, a.row, 'Name');
    },
  },
  campaign: {
    NumberOfLeads: campaignRollup('leads'),
    NumberOfConvertedLeads: campaignRollup('converted'),
    NumberOfContacts: campaignRollup('contacts'),
    NumberOfResponses: campaignRollup('responses'),
    NumberOfOpportunities: opportunityRollup('count'),
    NumberOfWonOpportunities: opportunityRollup('won'),
    AmountAllOpportunities: opportunityRollup('amount'),
    AmountWonOpportunities: opportunityRollup('wonAmount'),
  },
};

export function computedField(objectName: string, fieldName: string): ComputedField | undefined {
  return COMPUTED[objectName.toLowerCase()]?.[fieldName];
}
