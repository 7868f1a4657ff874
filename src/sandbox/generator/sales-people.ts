/**
 * People sales found themselves: Leads a rep entered (a call, a partner's referral, a bought list), some of them
 * disqualified later, and Contacts an AE added straight to an Account. Marketing imports some of them into HubSpot
 * afterwards (original source OFFLINE). They stay at the lead stage: the lifecycle has no path from lead to SAL
 * that skips MQL.
 */
import { importActor } from './actors.js';
import type { CompanyProfile } from './company-profile.js';
import { MODEL } from './model.js';
import { DAY, contactDetails, iso, newTruth, salesforceSide } from './person-records.js';
import type { PersonProfile } from './person-profile.js';
import type { HubSpotContactPlan, PersonPlan } from './plan-types.js';
import type { PlanContext } from './plan-context.js';
import { WeightedTable } from './rng.js';
import type { TeamMember } from './team.js';
import { LEAD_STATUS } from './vocabulary.js';

const leadSources = new WeightedTable(MODEL.sales.leadSources);
const disqualifyReasons = new WeightedTable(MODEL.sales.leadDisqualifyReasons);

/** The HubSpot contact marketing imports some time after sales created the person (undefined when not yet). */
function imported(ctx: PlanContext, profile: PersonProfile, company: CompanyProfile | null, t0: number, owner: TeamMember, share: number): HubSpotContactPlan | null {
  const { rng, now } = ctx;
  if (!rng.chance(share)) return null;
  const at = rng.after(t0, MODEL.sales.importDelayDays, DAY);
  if (at >= now) return null;
  const marketer = rng.pick(ctx.team.marketing);
  const ownerId = rng.chance(MODEL.drift.ownerMismatch) ? rng.pick(ctx.team.sdrs).hubspotOwnerId : owner.hubspotOwnerId;
  return {
    createdAt: at,
    actor: importActor(marketer.hubspotUserId),
    properties: {
      ...contactDetails({ ...profile, subscriber: false }, company),
      createdate: iso(at),
      lifecyclestage: 'lead',
      hubspotscore: String(rng.int(3, 30)),
      hs_analytics_source: 'OFFLINE',
      hs_latest_source: 'OFFLINE',
      hubspot_owner_id: ownerId,
    },
    updates: [],
  };
}

export function planSalesLead(ctx: PlanContext, profile: PersonProfile, company: CompanyProfile | null, index: number, t0: number): PersonPlan {
  const { rng, now } = ctx;
  const truth = newTruth(index, profile, company, t0);
  const owner = company !== null && rng.chance(0.4) ? company.owner : rng.pick(ctx.team.sdrs);
  truth.journey.push({ stage: 'lead', at: t0 });
  const hubspot = imported(ctx, profile, company, t0, owner, MODEL.sales.leadsInHubSpot);
  const side = salesforceSide(rng, profile, hubspot !== null, truth);
  const plan: PersonPlan = {
    profile,
    truth,
    hubspot,
    lead: {
      createdAt: t0,
      createdBy: owner,
      owner,
      status: LEAD_STATUS.open,
      lastModifiedAt: t0,
      lastModifiedBy: owner,
      recycleReason: null,
      disqualifyReason: null,
      leadSource: rng.weighted(leadSources),
      ...side,
      calls: [],
      convertAt: null,
    },
    contact: null,
    owner,
    createsOpportunity: null,
  };
  if (rng.chance(MODEL.sales.leadDisqualified)) {
    const at = rng.after(t0, MODEL.sales.leadDisqualifyDays, DAY);
    if (at < now && plan.lead !== null) {
      const reason = rng.weighted(disqualifyReasons);
      truth.journey.push({ stage: 'disqualified', at, reason });
      Object.assign(plan.lead, { status: LEAD_STATUS.disqualified, disqualifyReason: reason, lastModifiedAt: at });
    }
  }
  return plan;
}

export function planSalesContact(ctx: PlanContext, profile: PersonProfile, company: CompanyProfile, index: number, t0: number): PersonPlan {
  const { rng } = ctx;
  const truth = newTruth(index, profile, company, t0);
  truth.journey.push({ stage: 'lead', at: t0 });
  const hubspot = imported(ctx, profile, company, t0, company.owner, MODEL.sales.contactsInHubSpot);
  const side = salesforceSide(rng, profile, hubspot !== null, truth);
  return {
    profile,
    truth,
    hubspot,
    lead: null,
    contact: { createdAt: t0, owner: company.owner, ...side },
    owner: company.owner,
    createsOpportunity: null,
  };
}
