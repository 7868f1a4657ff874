/**
 * Writes planned units into the Salesforce store without HTTP, each record at the time it was made: Accounts that
 * existed before anyone needed them, Leads in their state before conversion, reps' Contacts, campaign memberships,
 * the calls that accepted MQLs, then lead conversions (the store's convertLead, with the clock standing at the
 * conversion), each opportunity's last change, expansion deals on Accounts, colleagues' contact roles and the
 * Accounts that became customers. No change events: seeding is not user activity.
 */
import type { SaveResult, SalesforceStore } from '../salesforce/store/salesforce-store.js';
import type { RecordInput } from '../salesforce/store/record-writer.js';
import type { WriteContext } from '../salesforce/store/write-context.js';
import type { CampaignTruth } from './truth.js';
import { isoDate } from './campaigns.js';
import type { PersonPlan, UnitPlan } from './plan-types.js';
import { accountRecord, audit, callRecord, contactRecord, leadRecord, opportunityState } from './salesforce-records.js';
import type { SandboxClock } from './sandbox-clock.js';
import type { TeamMember } from './team.js';
import { LEAD_STATUS } from './vocabulary.js';

const CHUNK = 10_000;

export interface SalesforceWriteContext {
  store: SalesforceStore;
  clock: SandboxClock;
  campaigns: readonly CampaignTruth[];
}

function seeding(extra: Partial<WriteContext> = {}): WriteContext {
  return { emitChanges: false, auditFields: true, ...extra };
}

function asUser(member: TeamMember): WriteContext {
  return { userId: member.salesforceUserId, origin: 'ui', emitChanges: false };
}

/** insertMany in chunks; any failure stops generation with Salesforce's own message. */
function insertAll(store: SalesforceStore, object: string, records: readonly RecordInput[], ctx = seeding()): string[] {
  const ids: string[] = [];
  for (let i = 0; i < records.length; i += CHUNK) {
    const results: SaveResult[] = store.insertMany(object, records.slice(i, i + CHUNK), ctx, { allOrNone: true });
    for (const result of results) {
      if (!result.success || result.id === null) {
        const error = result.errors[0];
        throw new Error(`generator: ${object} insert failed: ${error?.statusCode ?? ''} ${error?.message ?? ''}`);
      }
      ids.push(result.id);
    }
  }
  return ids;
}

interface Membership {
  campaign: number;
  at: number;
  leadId: string | null;
  contactId: string | null;
}

/** One CampaignMember per distinct campaign a person touched, created when the touch happened (or just after the
 * person reached Salesforce, keeping the touches' order). */
function memberships(person: PersonPlan, leadId: string | null, contactId: string | null, since: number, now: number): Membership[] {
  const out: Membership[] = [];
  person.truth.campaigns.forEach((touch, i) => {
    out.push({ campaign: touch.campaign, at: Math.min(now - 1, Math.max(touch.at, since + (i + 1) * 1000)), leadId, contactId });
  });
  return out;
}

export function writeSalesforce(context: SalesforceWriteContext, units: readonly UnitPlan[]): void {
  const { store, clock } = context;

  // Accounts that existed before a conversion made one.
  const preAccounts = units.filter((u) => u.account?.mode === 'pre' && u.company !== null);
  const accountIds = insertAll(store, 'Account', preAccounts.map((u) => accountRecord(u.company ?? fail(), u.account?.createdAt ?? 0)));
  preAccounts.forEach((unit, i) => {
    if (unit.companyTruth !== null) unit.companyTruth.accountId = accountIds[i] ?? null;
  });

  // Leads, in their state just before any conversion.
  const leadPeople = units.flatMap((u) => u.people.filter((p) => p.lead !== null).map((p) => ({ person: p, company: u.company })));
  const leadIds = insertAll(store, 'Lead', leadPeople.map(({ person, company }) => leadRecord(person, company)));
  leadPeople.forEach(({ person }, i) => {
    if (person.truth.salesforce !== null) person.truth.salesforce.leadId = leadIds[i] ?? null;
  });

  // Contacts reps added to Accounts.
  const contactPeople = units.flatMap((u) => u.people.filter((p) => p.contact !== null).map((p) => ({ person: p, accountId: u.companyTruth?.accountId ?? fail() })));
  const contactIds = insertAll(store, 'Contact', contactPeople.map(({ person, accountId }) => contactRecord(person, accountId)));
  contactPeople.forEach(({ person, accountId }, i) => {
    if (person.truth.salesforce === null) return;
    person.truth.salesforce.contactId = contactIds[i] ?? null;
    person.truth.salesforce.accountId = accountId;
  });

  // Campaign memberships (FirstRespondedDate is the day the store's clock says, so each day is written on its day).
  const members: Membership[] = [];
  for (const unit of units) {
    for (const person of unit.people) {
      const sf = person.truth.salesforce;
      if (sf === null) continue;
      members.push(...memberships(person, sf.leadId, sf.leadId === null ? sf.contactId : null, sf.createdAt, clock.now()));
    }
  }
  members.sort((a, b) => a.at - b.at);
  const counts = new Map<number, number>();
  for (let i = 0; i < members.length; ) {
    const day = isoDate(members[i]?.at ?? 0);
    const sameDay: Membership[] = [];
    while (i < members.length && isoDate(members[i]?.at ?? 0) === day) sameDay.push(members[i++] as Membership);
    const records = sameDay.map((m) => ({
      CampaignId: context.campaigns[m.campaign]?.id ?? fail(),
      LeadId: m.leadId,
      ContactId: m.contactId,
      Status: 'Responded',
      CreatedDate: new Date(m.at).toISOString(),
      LastModifiedDate: new Date(m.at).toISOString(),
    }));
    clock.during(sameDay[0]?.at ?? 0, () => insertAll(store, 'CampaignMember', records));
    for (const m of sameDay) counts.set(m.campaign, (counts.get(m.campaign) ?? 0) + 1);
  }
  for (const [campaign, count] of counts) {
    const truth = context.campaigns[campaign];
    if (truth !== undefined) truth.members += count;
  }

  // The calls that accepted MQLs (CompletedDateTime is the store's clock).
  for (const { person } of leadPeople) {
    const leadId = person.truth.salesforce?.leadId;
    if (leadId == null || person.lead === null) continue;
    for (const at of person.lead.calls) {
      const sdr = person.lead?.owner ?? person.owner;
      clock.during(at, () => store.insert('Task', { ...callRecord(leadId, at, sdr.salesforceUserId), ...audit(at, sdr) }, seeding({ userId: sdr.salesforceUserId })));
    }
  }

  for (const unit of units) convertAndClose(context, unit);
}

function convertAndClose(context: SalesforceWriteContext, unit: UnitPlan): void {
  const { store, clock } = context;
  const company = unit.company;
  const truth = unit.companyTruth;
  if (company === null || truth === null) return;
  const ae = company.owner;
  const converting = unit.people
    .filter((p) => p.lead?.convertAt != null)
    .sort((a, b) => (a.lead?.convertAt ?? 0) - (b.lead?.convertAt ?? 0) || a.truth.index - b.truth.index);
  for (const person of converting) {
    const sf = person.truth.salesforce;
    const at = person.lead?.convertAt ?? fail();
    if (sf === null || sf.leadId === null) fail();
    const opportunity = person.createsOpportunity;
    const result = clock.during(at, () =>
      store.convertLead(
        {
          leadId: sf.leadId ?? '',
          convertedStatus: LEAD_STATUS.converted,
          accountId: truth.accountId,
          ownerId: ae.salesforceUserId,
          doNotCreateOpportunity: opportunity === null,
          opportunityName: opportunity?.truth.name ?? null,
        },
        asUser(ae),
      ),
    );
    if (!result.success || result.contactId === null || result.accountId === null) {
      throw new Error(`generator: converting lead ${sf.leadId ?? ''} failed: ${result.errors.map((e) => `${e.statusCode} ${e.message}`).join('; ')}`);
    }
    truth.accountId ??= result.accountId;
    Object.assign(sf, { contactId: result.contactId, accountId: result.accountId, ownerId: ae.salesforceUserId });
    if (opportunity !== null) opportunity.truth.id = result.opportunityId ?? fail();
  }

  const extraRoles: RecordInput[] = [];
  const expansion = unit.opportunities.filter((o) => o.origin === 'account');
  const expansionIds = insertAll(
    store,
    'Opportunity',
    expansion.map((o) => ({
      AccountId: truth.accountId ?? fail(),
      OwnerId: ae.salesforceUserId,
      ...opportunityState(o),
      ...audit(o.truth.createdAt, ae, o.lastChangeAt, ae),
    })),
  );
  expansion.forEach((o, i) => (o.truth.id = expansionIds[i] ?? fail()));

  for (const plan of unit.opportunities) {
    const t = plan.truth;
    Object.assign(t, { accountId: truth.accountId ?? fail(), ownerId: ae.salesforceUserId });
    if (plan.origin === 'conversion') {
      clock.during(plan.lastChangeAt, () => store.update('Opportunity', t.id, opportunityState(plan), asUser(ae)));
    }
    for (const role of plan.roles) {
      const contactId = role.person.truth.salesforce?.contactId ?? fail();
      t.roles.push({ person: role.person.truth.index, contactId, role: role.role, isPrimary: role.isPrimary, at: role.at });
      role.person.truth.opportunities.push(t.id);
      if (!role.isPrimary) {
        extraRoles.push({ OpportunityId: t.id, ContactId: contactId, Role: role.role, IsPrimary: false, CreatedDate: new Date(role.at).toISOString(), CreatedById: ae.salesforceUserId, LastModifiedDate: new Date(role.at).toISOString(), LastModifiedById: ae.salesforceUserId });
      }
    }
  }
  insertAll(store, 'OpportunityContactRole', extraRoles);

  const customerAt = unit.account?.customerAt ?? null;
  if (customerAt !== null && truth.accountId !== null) {
    const accountId = truth.accountId;
    clock.during(customerAt, () => store.update('Account', accountId, { Type: 'Customer - Direct' }, asUser(ae)));
  }
}

function fail(): never {
  throw new Error('generator: a planned record is missing its parent (a bug in the planner)');
}
