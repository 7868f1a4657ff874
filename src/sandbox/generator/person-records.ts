/**
 * The pieces every kind of person shares: the HubSpot properties a person's details fill, the differences between
 * the systems for people in both, the SLA outcome of an MQL entry, and a fresh truth record.
 */
import type { CampaignPlan } from './campaigns.js';
import type { CompanyProfile } from './company-profile.js';
import { phoneNumber } from './company-profile.js';
import { MODEL } from './model.js';
import type { HubSpotValues, PersonPlan } from './plan-types.js';
import type { PersonProfile } from './person-profile.js';
import type { Rng } from './rng.js';
import type { PersonTruth, SlaRecord, SlaSegment } from './truth.js';
import { CONVERSION_FORMS, SLA_HOURS } from './vocabulary.js';

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

export function iso(at: number): string {
  return new Date(at).toISOString();
}

/** The HubSpot contact properties a person's own details fill (no lifecycle, score or source). */
export function contactDetails(profile: PersonProfile, company: CompanyProfile | null): HubSpotValues {
  const values: HubSpotValues = { email: profile.email, firstname: profile.firstName };
  if (profile.subscriber) return values;
  values.lastname = profile.lastName;
  const companyName = company?.name ?? profile.companyText;
  if (companyName != null) values.company = companyName;
  if (profile.title !== null) values.jobtitle = profile.title;
  if (profile.phone !== null) values.phone = profile.phone;
  if (profile.mobile !== null) values.mobilephone = profile.mobile;
  if (profile.salutation !== null) values.salutation = profile.salutation;
  if (profile.street !== null) values.address = profile.street;
  if (profile.place !== null) {
    values.city = profile.place.city;
    values.state = profile.place.state;
    values.zip = profile.place.zip;
  }
  if (profile.country !== null) values.country = profile.country.name;
  if (company !== null) values.website = company.website;
  if (profile.industryText !== null) values.industry = profile.industryText;
  if (profile.optOut) values.hs_email_optout = 'true';
  return values;
}

/** The form a conversion came through, given its campaign. */
export function formOf(rng: Rng, campaign: CampaignPlan | undefined): string {
  if (campaign?.kind === 'webinar') return 'Webinar registration';
  if (campaign?.kind === 'ebook') return 'Ebook download';
  return rng.pick(CONVERSION_FORMS.slice(0, 3));
}

export interface SalesforceSide {
  email: string;
  firstName: string;
  title: string | null;
  phone: string | null;
}

function caseVariant(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  const cap = (part: string) => part.charAt(0).toUpperCase() + part.slice(1);
  return `${local.split('.').map(cap).join('.')}@${cap(domain)}`;
}

/** What Salesforce holds for a person who is in both systems: mostly the same, sometimes not (recorded as conflicts). */
export function salesforceSide(rng: Rng, profile: PersonProfile, inBoth: boolean, truth: PersonTruth): SalesforceSide {
  const side: SalesforceSide = { email: profile.email, firstName: profile.firstName, title: profile.title, phone: profile.phone };
  if (!inBoth) return side;
  const drift = MODEL.drift;
  if (rng.chance(drift.emailCase)) side.email = caseVariant(profile.email);
  if (profile.title !== null && rng.chance(drift.title)) {
    side.title = profile.title.startsWith('Senior ') ? profile.title.slice(7) : `Senior ${profile.title}`;
    truth.conflicts.push({ field: 'jobtitle/Title', hubspot: profile.title, salesforce: side.title });
  }
  if (profile.phone !== null && profile.country !== null && rng.chance(drift.phone)) {
    side.phone = phoneNumber(rng, profile.country);
    truth.conflicts.push({ field: 'phone/Phone', hubspot: profile.phone, salesforce: side.phone });
  }
  if (profile.firstName.length >= 6 && rng.chance(drift.nickname)) {
    side.firstName = profile.firstName.slice(0, 4);
    truth.conflicts.push({ field: 'firstname/FirstName', hubspot: profile.firstName, salesforce: side.firstName });
  }
  return side;
}

/** How one MQL entry was answered (see SlaRecord). */
export function slaRecord(mqlAt: number, segment: SlaSegment, acceptedAt: number | null, exitAt: number | null, now: number): SlaRecord {
  const dueAt = mqlAt + SLA_HOURS[segment].acceptWithinHours * HOUR;
  if (acceptedAt !== null) {
    return { mqlAt, segment, dueAt, acceptedAt, outcome: acceptedAt <= dueAt ? 'met' : 'breached', hoursToAccept: (acceptedAt - mqlAt) / HOUR };
  }
  const outcome = exitAt !== null && exitAt < dueAt ? 'closed' : now >= dueAt ? 'breached' : 'pending';
  return { mqlAt, segment, dueAt, acceptedAt: null, outcome, hoursToAccept: null };
}

export function newTruth(index: number, profile: PersonProfile, company: CompanyProfile | null, createdAt: number): PersonTruth {
  return {
    index,
    kind: profile.kind,
    email: profile.email,
    firstName: profile.firstName,
    lastName: profile.subscriber ? null : profile.lastName,
    title: profile.title,
    company: company?.index ?? null,
    source: profile.source,
    segment: null,
    score: 0,
    createdAt,
    hubspot: null,
    salesforce: null,
    stage: 'lead',
    journey: [],
    sla: [],
    campaigns: [],
    opportunities: [],
    conflicts: [],
  };
}

/** Fills the truth's system views from the plan (ids come later from the writers). */
export function describeSystems(plan: PersonPlan): void {
  const { truth } = plan;
  if (plan.hubspot !== null) {
    truth.hubspot = {
      id: '',
      email: plan.profile.email,
      createdAt: plan.hubspot.createdAt,
      ownerId: null,
      lifecyclestage: plan.hubspot.properties.lifecyclestage ?? '',
    };
    for (const update of plan.hubspot.updates) {
      if (update.properties.lifecyclestage !== undefined) truth.hubspot.lifecyclestage = update.properties.lifecyclestage;
    }
    const owner = [plan.hubspot.properties, ...plan.hubspot.updates.map((u) => u.properties)]
      .map((p) => p.hubspot_owner_id)
      .filter((v): v is string => v !== undefined)
      .pop();
    truth.hubspot.ownerId = owner ?? null;
    const score = [plan.hubspot.properties, ...plan.hubspot.updates.map((u) => u.properties)]
      .map((p) => p.hubspotscore)
      .filter((v): v is string => v !== undefined)
      .pop();
    truth.score = Number(score ?? 0);
  }
  const sf = plan.lead ?? plan.contact;
  if (sf !== null) {
    truth.salesforce = {
      object: plan.lead === null ? 'Contact' : plan.lead.convertAt === null ? 'Lead' : 'Contact',
      leadId: null,
      contactId: null,
      accountId: null,
      email: sf.email,
      createdAt: sf.createdAt,
      ownerId: plan.owner.salesforceUserId,
      leadStatus: plan.lead === null ? null : plan.lead.convertAt === null ? plan.lead.status : 'Closed - Converted',
      convertedAt: plan.lead?.convertAt ?? null,
    };
  }
  truth.createdAt = Math.min(plan.hubspot?.createdAt ?? Infinity, sf?.createdAt ?? Infinity);
  const last = truth.journey[truth.journey.length - 1];
  if (last !== undefined) truth.stage = last.stage;
}
