/** The Salesforce field values of planned Accounts, Leads, Contacts, Tasks and opportunities (audit fields included). */
import type { RecordInput } from '../salesforce/store/record-writer.js';
import { isoDate } from './campaigns.js';
import type { CompanyProfile } from './company-profile.js';
import { iso } from './person-records.js';
import type { OpportunityPlan, PersonPlan } from './plan-types.js';
import type { TeamMember } from './team.js';

/** Lead.Company when a free-mail person gave none (contacts.yaml's lead_company_fallback). */
export const NO_COMPANY = '[not provided]';

export function audit(createdAt: number, createdBy: TeamMember, modifiedAt = createdAt, modifiedBy = createdBy): RecordInput {
  return {
    CreatedDate: iso(createdAt),
    CreatedById: createdBy.salesforceUserId,
    LastModifiedDate: iso(modifiedAt),
    LastModifiedById: modifiedBy.salesforceUserId,
  };
}

export function accountRecord(company: CompanyProfile, createdAt: number): RecordInput {
  return {
    Name: company.accountName,
    Website: company.website,
    Industry: company.accountIndustryLabel,
    NumberOfEmployees: company.employees,
    AnnualRevenue: company.annualRevenue,
    BillingStreet: company.street,
    BillingCity: company.place.city,
    BillingState: company.place.state,
    BillingPostalCode: company.place.zip,
    BillingCountry: company.country.name,
    Phone: company.phone,
    Type: 'Prospect',
    OwnerId: company.owner.salesforceUserId,
    ...audit(createdAt, company.owner),
  };
}

function address(person: PersonPlan, prefix: '' | 'Mailing'): RecordInput {
  const { profile } = person;
  return {
    [`${prefix}Street`]: profile.street,
    [`${prefix}City`]: profile.place?.city ?? null,
    [`${prefix}State`]: profile.place?.state ?? null,
    [`${prefix}PostalCode`]: profile.place?.zip ?? null,
    [`${prefix}Country`]: profile.country?.name ?? null,
  };
}

export function leadRecord(person: PersonPlan, company: CompanyProfile | null): RecordInput {
  const lead = person.lead;
  if (lead === null) throw new Error(`person ${person.truth.index} has no lead`);
  const { profile } = person;
  return {
    FirstName: lead.firstName,
    LastName: profile.lastName,
    Salutation: profile.salutation,
    Email: lead.email,
    Company: company?.name ?? profile.companyText ?? NO_COMPANY,
    Title: lead.title,
    Phone: lead.phone,
    MobilePhone: profile.mobile,
    ...address(person, ''),
    Website: company?.website ?? null,
    Industry: company?.industryLabel ?? null,
    AnnualRevenue: company?.annualRevenue ?? null,
    NumberOfEmployees: company?.employees ?? null,
    LeadSource: lead.leadSource,
    Status: lead.status,
    OwnerId: lead.owner.salesforceUserId,
    HasOptedOutOfEmail: profile.optOut,
    Revloop_Recycle_Reason__c: lead.recycleReason,
    Revloop_Disqualify_Reason__c: lead.disqualifyReason,
    ...audit(lead.createdAt, lead.createdBy, lead.lastModifiedAt, lead.lastModifiedBy),
  };
}

export function contactRecord(person: PersonPlan, accountId: string): RecordInput {
  const contact = person.contact;
  if (contact === null) throw new Error(`person ${person.truth.index} has no contact`);
  const { profile } = person;
  return {
    AccountId: accountId,
    FirstName: contact.firstName,
    LastName: profile.lastName,
    Salutation: profile.salutation,
    Email: contact.email,
    Title: contact.title,
    Phone: contact.phone,
    MobilePhone: profile.mobile,
    ...address(person, 'Mailing'),
    LeadSource: 'Other',
    HasOptedOutOfEmail: profile.optOut,
    OwnerId: contact.owner.salesforceUserId,
    ...audit(contact.createdAt, contact.owner),
  };
}

/** The completed first call an SDR logs when accepting an MQL (without audit fields). */
export function callRecord(leadId: string, at: number, ownerUserId: string): RecordInput {
  return {
    WhoId: leadId,
    OwnerId: ownerUserId,
    Subject: 'Call',
    Type: 'Call',
    TaskSubtype: 'Call',
    Status: 'Completed',
    Priority: 'Normal',
    ActivityDate: isoDate(at),
    Description: 'First call: MQL accepted.',
  };
}

/** An opportunity's state after its last change. */
export function opportunityState(plan: OpportunityPlan): RecordInput {
  const t = plan.truth;
  return {
    Name: t.name,
    StageName: t.stage,
    Amount: t.amount,
    CloseDate: t.closeDate,
    Type: t.type,
    Loss_Reason__c: t.lossReason,
  };
}
