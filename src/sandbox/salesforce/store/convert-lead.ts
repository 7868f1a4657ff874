/**
 * Lead conversion as Salesforce does it, in the caller's transaction: an Account (or the given one), a Contact (or the
 * given one, whose blank fields are filled), an Opportunity with a primary contact role unless doNotCreateOpportunity,
 * then the Lead becomes read-only with IsConverted, ConvertedDate, Converted*Id and the converted Status. The lead's
 * campaign memberships gain the contact and its open tasks move to the contact. Lead custom fields map onto
 * same-named custom fields of Account, Contact and Opportunity (the org's lead field mapping).
 */
import { addDays, formatDate, startOfDay } from '../datetime.js';
import { dmlError, SalesforceApiError, type CollectionError } from '../errors.js';
import { parseId } from '../ids.js';
import type { FieldValue } from '../schema/field-def.js';
import type { OrgSchema } from '../schema/org-schema.js';
import { ROW_DELETED, ROW_LIVE, type ObjectTable } from '../storage/object-table.js';
import type { RecordInput, RecordWriter } from './record-writer.js';
import type { TableRegistry } from './table-registry.js';
import type { Transaction } from './transaction.js';

export interface LeadConvertRequest {
  leadId: string;
  convertedStatus: string;
  accountId?: string | null;
  contactId?: string | null;
  ownerId?: string | null;
  doNotCreateOpportunity?: boolean;
  opportunityName?: string | null;
  overwriteLeadSource?: boolean;
  sendNotificationEmail?: boolean;
}

export interface LeadConvertResult {
  leadId: string | null;
  accountId: string | null;
  contactId: string | null;
  opportunityId: string | null;
  success: boolean;
  errors: CollectionError[];
}

export interface ConvertDeps {
  registry: TableRegistry;
  schema: OrgSchema;
  writer: RecordWriter;
}

const CONTACT_FROM_LEAD: Record<string, string> = {
  Salutation: 'Salutation',
  FirstName: 'FirstName',
  LastName: 'LastName',
  Title: 'Title',
  Email: 'Email',
  Phone: 'Phone',
  MobilePhone: 'MobilePhone',
  Fax: 'Fax',
  Street: 'MailingStreet',
  City: 'MailingCity',
  State: 'MailingState',
  PostalCode: 'MailingPostalCode',
  Country: 'MailingCountry',
  LeadSource: 'LeadSource',
  Description: 'Description',
  HasOptedOutOfEmail: 'HasOptedOutOfEmail',
  DoNotCall: 'DoNotCall',
};

const ACCOUNT_FROM_LEAD: Record<string, string> = {
  Company: 'Name',
  Street: 'BillingStreet',
  City: 'BillingCity',
  State: 'BillingState',
  PostalCode: 'BillingPostalCode',
  Country: 'BillingCountry',
  Phone: 'Phone',
  Fax: 'Fax',
  Website: 'Website',
  Industry: 'Industry',
  AnnualRevenue: 'AnnualRevenue',
  NumberOfEmployees: 'NumberOfEmployees',
  Rating: 'Rating',
  LeadSource: 'AccountSource',
};

function leadValue(deps: ConvertDeps, lead: ObjectTable, row: number, field: string): FieldValue {
  const f = lead.schema.field(field);
  return f === undefined ? null : deps.writer.external(f, lead.getRaw(row, field));
}

/** Lead fields copied onto a target object: the standard mapping plus same-named custom fields. */
function mapped(deps: ConvertDeps, lead: ObjectTable, row: number, target: ObjectTable, standard: Record<string, string>): RecordInput {
  // A person's external ids belong on the Contact, never on the company's Account.
  const keysAllowed = target.name !== 'Account';
  const out: RecordInput = {};
  for (const [from, to] of Object.entries(standard)) {
    const v = leadValue(deps, lead, row, from);
    if (v !== null && v !== false && target.schema.field(to)?.createable === true) out[to] = v;
  }
  for (const f of lead.schema.fields) {
    if (!f.custom) continue;
    const t = target.schema.field(f.name);
    if (t === undefined || !t.createable || t.type !== f.type || ((t.unique || t.externalId) && !keysAllowed)) continue;
    const v = leadValue(deps, lead, row, f.name);
    if (v !== null) out[f.name] = v;
  }
  return out;
}

function locateOf(deps: ConvertDeps, objectName: string, id: string, label: string): { table: ObjectTable; row: number } {
  const parsed = parseId(id);
  const table = deps.registry.get(objectName);
  if (parsed === undefined || parsed.keyPrefix !== table.codec.keyPrefix) {
    throw dmlError('MALFORMED_ID', `${label}: id value of incorrect type: ${id}`, [label]);
  }
  const row = table.rowOf(parsed.id15);
  if (row < 0) throw dmlError('INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id`, [label]);
  if (table.stateOf(row) === ROW_DELETED) throw dmlError('ENTITY_IS_DELETED', 'entity is deleted', [label]);
  return { table, row };
}

function endOfQuarter(now: number): number {
  const d = new Date(now);
  const q = Math.floor(d.getUTCMonth() / 3);
  return addDays(Date.UTC(d.getUTCFullYear(), q * 3 + 3, 1), -1);
}

/** Converts one lead in the transaction; throws a DML error (the caller turns it into the result's errors). */
export function convertLead(deps: ConvertDeps, tx: Transaction, request: LeadConvertRequest): LeadConvertResult {
  const { registry, writer, schema } = deps;
  if (request.leadId === undefined || request.leadId === '') throw dmlError('REQUIRED_FIELD_MISSING', 'Required fields are missing: [leadId]', ['leadId']);
  const { table: leads, row: leadRow } = locateOf(deps, 'Lead', request.leadId, 'leadId');
  if (leads.getRaw(leadRow, 'IsConverted') === true) {
    throw dmlError('CANNOT_UPDATE_CONVERTED_LEAD', 'This lead was already converted to the contact, account and opportunity.', []);
  }
  const status = schema.leadStatus(request.convertedStatus ?? '');
  if (status === undefined || !status.isConverted) {
    throw dmlError('INVALID_STATUS', `invalid convertedStatus: ${request.convertedStatus ?? ''}`, ['convertedStatus']);
  }
  const accounts = registry.get('Account');
  const contacts = registry.get('Contact');
  const opportunities = registry.get('Opportunity');
  const owner = request.ownerId ?? leadValue(deps, leads, leadRow, 'OwnerId');
  const ownerInput: RecordInput = typeof owner === 'string' ? { OwnerId: owner } : {};

  // 1. Account
  let accountRow: number;
  if (request.accountId !== undefined && request.accountId !== null && request.accountId !== '') {
    accountRow = locateOf(deps, 'Account', request.accountId, 'accountId').row;
  } else {
    accountRow = writer.insert(tx, accounts, { ...mapped(deps, leads, leadRow, accounts, ACCOUNT_FROM_LEAD), ...ownerInput });
  }
  const accountId = accounts.idOf(accountRow);

  // 2. Contact
  let contactRow: number;
  if (request.contactId !== undefined && request.contactId !== null && request.contactId !== '') {
    contactRow = locateOf(deps, 'Contact', request.contactId, 'contactId').row;
    const contactAccount = contacts.getRaw(contactRow, 'AccountId');
    if (contactAccount !== null && contactAccount !== registry.ref(accounts, accountRow)) {
      throw dmlError('INVALID_CROSS_REFERENCE_KEY', 'The contact is not associated with the specified account.', ['contactId']);
    }
    const fill: RecordInput = {};
    for (const [field, value] of Object.entries(mapped(deps, leads, leadRow, contacts, CONTACT_FROM_LEAD))) {
      const current = contacts.getRaw(contactRow, field);
      const overwrite = field === 'LeadSource' && request.overwriteLeadSource === true;
      if (current === null || overwrite) fill[field] = value;
    }
    if (contactAccount === null) fill.AccountId = accountId;
    if (Object.keys(fill).length > 0) writer.update(tx, contacts, contactRow, fill);
  } else {
    contactRow = writer.insert(tx, contacts, { ...mapped(deps, leads, leadRow, contacts, CONTACT_FROM_LEAD), AccountId: accountId, ...ownerInput });
  }
  const contactId = contacts.idOf(contactRow);

  // 3. Opportunity and its primary contact role
  let opportunityId: string | null = null;
  if (request.doNotCreateOpportunity !== true) {
    const company = leadValue(deps, leads, leadRow, 'Company');
    const firstStage = schema.stages.find((s) => !s.isClosed)?.apiName ?? 'Prospecting';
    const oppRow = writer.insert(tx, opportunities, {
      ...mapped(deps, leads, leadRow, opportunities, { LeadSource: 'LeadSource' }),
      Name: request.opportunityName ?? `${String(company ?? '')}-`,
      StageName: firstStage,
      CloseDate: formatDate(endOfQuarter(tx.now)),
      AccountId: accountId,
      ContactId: contactId,
      ...ownerInput,
    });
    opportunityId = opportunities.idOf(oppRow);
    writer.insert(tx, registry.get('OpportunityContactRole'), { OpportunityId: opportunityId, ContactId: contactId, IsPrimary: true });
  }

  // 4. The lead itself
  writer.update(
    tx,
    leads,
    leadRow,
    {
      IsConverted: true,
      ConvertedDate: formatDate(startOfDay(tx.now)),
      ConvertedAccountId: accountId,
      ConvertedContactId: contactId,
      ConvertedOpportunityId: opportunityId,
      Status: status.apiName,
    },
    { system: true },
  );

  // 5. Campaign memberships and open activities follow the person.
  const leadRef = registry.ref(leads, leadRow);
  const members = registry.get('CampaignMember');
  for (const m of members.findChildren('LeadId', leadRef)) {
    if (members.stateOf(m) === ROW_LIVE && members.getRaw(m, 'ContactId') === null) writer.update(tx, members, m, { ContactId: contactId });
  }
  const tasks = registry.get('Task');
  for (const t of tasks.findChildren('WhoId', leadRef)) {
    if (tasks.stateOf(t) !== ROW_LIVE) continue;
    const move: RecordInput = { WhoId: contactId };
    if (tasks.getRaw(t, 'WhatId') === null) move.WhatId = opportunityId ?? accountId;
    writer.update(tx, tasks, t, move, { system: true });
  }
  return { leadId: leads.idOf(leadRow), accountId, contactId, opportunityId, success: true, errors: [] };
}

export function failedConversion(leadId: string | undefined, err: unknown): LeadConvertResult {
  const error = err instanceof SalesforceApiError ? err.toCollection() : { statusCode: 'UNKNOWN_EXCEPTION', message: String(err), fields: [] };
  return { leadId: leadId ?? null, accountId: null, contactId: null, opportunityId: null, success: false, errors: [error] };
}
