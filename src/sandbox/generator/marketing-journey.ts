/**
 * The life of a person marketing found: created in HubSpot by a form (or a list import), maybe an MQL when the
 * score crosses the threshold after a conversion, handed to Salesforce as a Lead, accepted by an SDR (or not, in time
 * or late), qualified, converted, recycled with a reason (and maybe an MQL again), or disqualified. Everything after
 * `now` is cut off, so recent people are caught mid-way, as in a live portal.
 */
import { CALCULATED, MQL_WORKFLOW, formActor, importActor } from './actors.js';
import type { CampaignPlan } from './campaigns.js';
import type { CompanyProfile } from './company-profile.js';
import { MODEL } from './model.js';
import { DAY, HOUR, MINUTE, contactDetails, formOf, iso, newTruth, salesforceSide, slaRecord } from './person-records.js';
import type { PersonProfile } from './person-profile.js';
import type { HubSpotUpdate, HubSpotValues, PersonPlan, SalesforceLeadPlan } from './plan-types.js';
import type { PlanContext } from './plan-context.js';
import { WeightedTable } from './rng.js';
import type { SlaSegment } from './truth.js';
import { DEMO_REQUEST, LEAD_STATUS, NEWSLETTER_SIGNUP, SLA_HOURS, type DisqualifyReason, type RecycleReason, type Source } from './vocabulary.js';

const sourceTable = new WeightedTable(MODEL.marketing.sources);
const unacceptedTable = new WeightedTable(MODEL.acceptance.unaccepted);
const unqualifiedTable = new WeightedTable(MODEL.qualification.unqualified);
const pathTable = new WeightedTable(MODEL.qualification.path);
const acceptRecycle = new WeightedTable(MODEL.acceptance.recycleReasons);
const acceptDisqualify = new WeightedTable(MODEL.acceptance.disqualifyReasons);
const qualifyRecycle = new WeightedTable(MODEL.qualification.recycleReasons);
const qualifyDisqualify = new WeightedTable(MODEL.qualification.disqualifyReasons);

function leadSourceOf(source: Source): string {
  if (source === 'REFERRALS') return 'Partner Referral';
  if (source === 'OFFLINE' || source === 'OTHER_CAMPAIGNS') return 'Other';
  return 'Web';
}

export function planMarketingPerson(ctx: PlanContext, profile: PersonProfile, company: CompanyProfile | null, index: number, t0: number): PersonPlan {
  const { rng, now } = ctx;
  const truth = newTruth(index, profile, company, t0);
  const updates: HubSpotUpdate[] = [];
  const touched = new Set<number>();
  const touch = (channel: Source, at: number): CampaignPlan | undefined => {
    const attributed = rng.chance(MODEL.campaignProbability[channel]);
    const campaign = attributed ? ctx.calendar.pick(rng, channel, at, touched) : undefined;
    if (campaign !== undefined) {
      touched.add(campaign.index);
      truth.campaigns.push({ campaign: campaign.index, at });
    }
    return campaign;
  };
  const marketer = rng.pick(ctx.team.marketing);
  const sdr = rng.pick(ctx.team.sdrs);

  // Decided up front so the creating form can already be the one that makes the person an MQL.
  const eligible = !profile.subscriber && (profile.title !== null || company !== null || profile.companyText !== null);
  const rate = MODEL.marketing.mqlRate[profile.source] * (profile.fit ? MODEL.marketing.fitBoost : MODEL.marketing.misfitFactor);
  const willMql = eligible && rng.chance(rate);
  const segment: SlaSegment = rng.chance(MODEL.marketing.demoShare) ? 'demo_request' : 'standard';
  const immediate = rng.chance(MODEL.marketing.immediateMql);

  const firstCampaign = touch(profile.source, t0);
  const firstForm = profile.subscriber ? NEWSLETTER_SIGNUP : willMql && immediate && segment === 'demo_request' ? DEMO_REQUEST : formOf(rng, firstCampaign);
  const [low, high] = profile.subscriber ? MODEL.people.scores.subscriber : MODEL.people.scores.lead;
  let score = rng.int(low, high);
  const properties: HubSpotValues = {
    ...contactDetails(profile, company),
    createdate: iso(t0),
    lifecyclestage: profile.subscriber ? 'subscriber' : 'lead',
    hubspotscore: String(score),
    hs_analytics_source: profile.source,
    hs_latest_source: profile.source,
    first_conversion_event_name: firstForm,
    first_conversion_date: iso(t0),
    recent_conversion_event_name: firstForm,
    recent_conversion_date: iso(t0),
    num_conversion_events: '1',
  };
  if (firstCampaign !== undefined) {
    properties.hs_analytics_first_touch_converting_campaign = firstCampaign.name;
    properties.hs_analytics_last_touch_converting_campaign = firstCampaign.name;
  }
  if (!willMql && rng.chance(MODEL.marketing.marketingOwned)) properties.hubspot_owner_id = marketer.hubspotOwnerId;
  const actor = profile.source === 'OFFLINE' ? importActor(marketer.hubspotUserId) : formActor(firstForm);
  truth.journey.push({ stage: profile.subscriber ? 'subscriber' : 'lead', at: t0 });

  const plan: PersonPlan = {
    profile,
    truth,
    hubspot: { createdAt: t0, actor, properties, updates },
    lead: null,
    contact: null,
    owner: sdr,
    createsOpportunity: null,
  };
  if (profile.subscriber) return plan;

  let lead: SalesforceLeadPlan | null = null;
  const newLead = (createdAt: number, owner = sdr): SalesforceLeadPlan => {
    const side = salesforceSide(rng, profile, true, truth);
    return {
      createdAt,
      createdBy: marketer,
      owner,
      status: LEAD_STATUS.open,
      lastModifiedAt: createdAt,
      lastModifiedBy: marketer,
      recycleReason: null,
      disqualifyReason: null,
      leadSource: leadSourceOf(profile.source),
      ...side,
      calls: [],
      convertAt: null,
    };
  };

  if (!willMql) {
    if (rng.chance(MODEL.marketing.alsoInSalesforce)) {
      const uploadedAt = rng.after(t0, MODEL.marketing.uploadDelayDays, DAY);
      if (uploadedAt < now) {
        lead = newLead(uploadedAt, marketer);
        plan.owner = marketer;
      }
    }
    plan.lead = lead;
    return plan;
  }

  truth.segment = segment;
  let conversions = 1;
  let reenterAfter = t0;
  const recycle = (at: number, reason: RecycleReason, by = sdr): void => {
    truth.journey.push({ stage: 'recycled', at, reason });
    if (lead !== null) Object.assign(lead, { status: LEAD_STATUS.recycled, recycleReason: reason, lastModifiedAt: at, lastModifiedBy: by });
    const decayAt = at + MODEL.recycling.decayDays * DAY;
    if (decayAt < now) {
      score = rng.int(...MODEL.people.scores.decayed);
      updates.push({ at: decayAt, actor: CALCULATED, properties: { hubspotscore: String(score) } });
    }
    reenterAfter = decayAt + HOUR;
  };
  const disqualify = (at: number, reason: DisqualifyReason): void => {
    truth.journey.push({ stage: 'disqualified', at, reason });
    if (lead !== null) Object.assign(lead, { status: LEAD_STATUS.disqualified, disqualifyReason: reason, lastModifiedAt: at, lastModifiedBy: sdr });
  };

  for (let pass = 0; pass < 2; pass++) {
    const delay = pass === 0 ? MODEL.marketing.mqlDelayDays : MODEL.recycling.reMqlDays;
    const mqlAt = pass === 0 && immediate ? t0 + MINUTE : rng.after(reenterAfter, delay, DAY);
    if (mqlAt >= now) break;
    if (!(pass === 0 && immediate)) {
      const channel = rng.weighted(sourceTable);
      const triggerAt = mqlAt - MINUTE;
      const campaign = touch(channel, triggerAt);
      const form = segment === 'demo_request' ? DEMO_REQUEST : formOf(rng, campaign);
      conversions += 1;
      updates.push({
        at: triggerAt,
        actor: formActor(form),
        properties: {
          recent_conversion_event_name: form,
          recent_conversion_date: iso(triggerAt),
          num_conversion_events: String(conversions),
          hs_latest_source: channel,
          ...(campaign === undefined ? {} : { hs_analytics_last_touch_converting_campaign: campaign.name }),
        },
      });
    }
    score = rng.int(...MODEL.people.scores.mql);
    updates.push({ at: mqlAt - 30_000, actor: CALCULATED, properties: { hubspotscore: String(score) } });
    if (pass === 0) updates.push({ at: mqlAt, actor: MQL_WORKFLOW, properties: { lifecyclestage: 'marketingqualifiedlead', hubspot_owner_id: sdr.hubspotOwnerId } });
    truth.journey.push({ stage: 'mql', at: mqlAt });

    const handedAt = rng.after(mqlAt, MODEL.marketing.handoffMinutes, MINUTE);
    if (lead === null) {
      if (handedAt >= now) {
        truth.sla.push(slaRecord(mqlAt, segment, null, null, now));
        break;
      }
      lead = newLead(handedAt);
    } else {
      Object.assign(lead, { status: LEAD_STATUS.open, lastModifiedAt: Math.min(handedAt, now - 1), lastModifiedBy: marketer });
    }
    const leadReadyAt = Math.max(handedAt, lead.createdAt);
    const sla = SLA_HOURS[segment];

    if (!rng.chance(MODEL.acceptance.rate[segment])) {
      const outcome = rng.weighted(unacceptedTable);
      const at = Math.max(rng.after(mqlAt, MODEL.acceptance.unacceptedHours, HOUR), leadReadyAt + MINUTE);
      if (at >= now || outcome === 'untouched') {
        truth.sla.push(slaRecord(mqlAt, segment, null, null, now));
        break;
      }
      truth.sla.push(slaRecord(mqlAt, segment, null, at, now));
      if (outcome === 'disqualified') {
        disqualify(at, rng.weighted(acceptDisqualify));
        break;
      }
      recycle(at, rng.weighted(acceptRecycle));
      if (pass === 0 && rng.chance(MODEL.recycling.reMql)) continue;
      break;
    }

    const hours = Math.min(rng.logNormal(MODEL.acceptance.hours[segment].median, MODEL.acceptance.hours[segment].sigma), MODEL.acceptance.capOfAutoRecycle * sla.autoRecycleAfterHours);
    const salAt = Math.max(Math.round(mqlAt + hours * HOUR), leadReadyAt + MINUTE);
    if (salAt >= now) {
      truth.sla.push(slaRecord(mqlAt, segment, null, null, now));
      break;
    }
    truth.sla.push(slaRecord(mqlAt, segment, salAt, null, now));
    truth.journey.push({ stage: 'sal', at: salAt });
    Object.assign(lead, { status: LEAD_STATUS.working, lastModifiedAt: salAt, lastModifiedBy: sdr });
    lead.calls.push(salAt);

    if (rng.chance(MODEL.qualification.rate)) {
      const sqlAt = rng.after(salAt, MODEL.qualification.days, DAY);
      if (sqlAt >= now) break;
      truth.journey.push({ stage: 'sql', at: sqlAt });
      const path = company === null ? 'qualifiedOnly' : rng.weighted(pathTable);
      if (path === 'convertedAtOnce') {
        lead.convertAt = sqlAt;
      } else {
        Object.assign(lead, { status: LEAD_STATUS.qualified, lastModifiedAt: sqlAt, lastModifiedBy: sdr });
        const convertAt = rng.after(sqlAt, MODEL.qualification.convertDays, DAY);
        if (path === 'qualifiedThenConverted' && convertAt < now) lead.convertAt = convertAt;
      }
      break;
    }
    const outcome = rng.weighted(unqualifiedTable);
    const at = rng.after(salAt, MODEL.qualification.unqualifiedDays, DAY);
    if (at >= now || outcome === 'working') break;
    if (outcome === 'disqualified') {
      disqualify(at, rng.weighted(qualifyDisqualify));
      break;
    }
    recycle(at, rng.weighted(qualifyRecycle));
    if (!(pass === 0 && rng.chance(MODEL.recycling.reMql))) break;
  }
  plan.lead = lead;
  keepLifecycleHistoryOnly(plan);
  return plan;
}

/**
 * HubSpot keeps property history for every change after creation, at about 250 bytes an entry in the simulator; a
 * million people with every conversion and score change replayed would not fit the sandbox's memory budget. So the
 * record is created with the latest conversion, source, campaign and score values, and only the lifecycle move to
 * MQL (with its owner) is replayed as a change at its moment: the stage history and stage dates stay exact.
 */
function keepLifecycleHistoryOnly(plan: PersonPlan): void {
  if (plan.hubspot === null) return;
  const kept: HubSpotUpdate[] = [];
  for (const update of plan.hubspot.updates) {
    if (update.actor === MQL_WORKFLOW) kept.push(update);
    else Object.assign(plan.hubspot.properties, update.properties);
  }
  plan.hubspot.updates = kept;
}
