/**
 * Plans one unit of the dataset: a company with the people known there (or one person with a free-mail address),
 * their journeys, the company's Account and opportunities, and the HubSpot company. Pure: the unit's random stream
 * (forked from the seed and the unit's index) decides everything, so a unit is the same whatever came before it.
 */
import { CALCULATED } from './actors.js';
import { drawCompany, type CompanyNamer, type CompanyProfile } from './company-profile.js';
import { planDeals } from './deals.js';
import { planMarketingPerson } from './marketing-journey.js';
import { MODEL } from './model.js';
import type { NamePools } from './name-pools.js';
import { describeSystems, iso } from './person-records.js';
import { drawPerson } from './person-profile.js';
import type { PersonPlan, UnitPlan } from './plan-types.js';
import type { PlanContext } from './plan-context.js';
import type { Rng } from './rng.js';
import { planSalesContact, planSalesLead } from './sales-people.js';
import type { CompanyTruth } from './truth.js';

export interface UnitContext extends Omit<PlanContext, 'rng'> {
  pools: NamePools;
  namer: CompanyNamer;
  freeMailTaken: Set<string>;
}

/** When a person first appeared: uniform over the window, fewer at weekends, a little more every month. */
export function arrival(rng: Rng, windowStart: number, now: number): number {
  for (;;) {
    const at = rng.between(windowStart, now);
    const day = new Date(at).getUTCDay();
    const growth = (1 + MODEL.growth * ((at - windowStart) / (now - windowStart))) / (1 + MODEL.growth);
    if (rng.float() < (day === 0 || day === 6 ? MODEL.weekendFactor : 1) * growth) return Math.floor(at);
  }
}

function companyTruth(company: CompanyProfile): CompanyTruth {
  return {
    index: company.index,
    name: company.name,
    domain: company.domain,
    industry: company.industry,
    industryLabel: company.industryLabel,
    employees: company.employees,
    annualRevenue: company.annualRevenue,
    country: company.country.name,
    hubspotId: null,
    accountId: null,
    accountName: null,
    owner: company.owner.key,
    primaryPerson: null,
  };
}

/**
 * Plans the unit with this random stream. `firstPerson` is the index of its first person; at most `maxPeople` are
 * planned (the last unit of a dataset is cut to size); `companyIndex` is used when the unit is a company.
 */
export function planUnit(rng: Rng, context: UnitContext, firstPerson: number, maxPeople: number, companyIndex: number): UnitPlan {
  const ctx: PlanContext = { ...context, rng };
  const company = rng.chance(MODEL.freeMailUnitShare) ? null : drawCompany(rng, companyIndex, context.namer, context.pools, context.team.aes);
  const count = Math.min(maxPeople, company?.people ?? 1);
  const locals = new Set<string>();
  const people: PersonPlan[] = [];
  for (let i = 0; i < count; i++) {
    const profile = drawPerson(rng, company, { pools: context.pools, companyLocals: locals, freeMailTaken: context.freeMailTaken });
    const t0 = arrival(rng, context.windowStart, context.now);
    const index = firstPerson + i;
    if (profile.kind === 'sales_contact' && company !== null) people.push(planSalesContact(ctx, profile, company, index, t0));
    else if (profile.kind === 'marketing') people.push(planMarketingPerson(ctx, profile, company, index, t0));
    else people.push(planSalesLead(ctx, { ...profile, kind: 'sales_lead' }, company, index, t0));
  }
  const deals = company === null ? { account: null, opportunities: [] } : planDeals(ctx, company, people);
  for (const person of people) describeSystems(person);

  let hubspotCompany: UnitPlan['hubspotCompany'] = null;
  let truth: CompanyTruth | null = null;
  if (company !== null) {
    truth = companyTruth(company);
    truth.accountName = deals.account === null ? null : company.accountName;
    truth.primaryPerson = firstContact(people);
    const inHubSpot = people.map((p) => p.hubspot?.createdAt).filter((t): t is number => t !== undefined);
    if (inHubSpot.length > 0) {
      const createdAt = Math.min(...inHubSpot) - 1_000;
      hubspotCompany = {
        createdAt,
        actor: CALCULATED,
        properties: {
          name: company.name,
          domain: company.domain,
          website: company.website,
          industry: company.industry,
          numberofemployees: String(company.employees),
          annualrevenue: String(company.annualRevenue),
          address: company.street,
          city: company.place.city,
          state: company.place.state,
          zip: company.place.zip,
          country: company.country.name,
          phone: company.phone,
          createdate: iso(createdAt),
          ...(rng.chance(0.6) ? { hubspot_owner_id: company.owner.hubspotOwnerId } : {}),
        },
      };
    }
  }
  return { company, companyTruth: truth, hubspotCompany, account: deals.account, people, opportunities: deals.opportunities };
}

/** The Account's first contact by the time it became one (null when nobody is a contact there yet). */
function firstContact(people: readonly PersonPlan[]): number | null {
  let best: { at: number; index: number } | null = null;
  for (const person of people) {
    const at = person.truth.salesforce?.object === 'Contact' ? (person.contact?.createdAt ?? person.lead?.convertAt ?? null) : null;
    if (at !== null && (best === null || at < best.at)) best = { at, index: person.truth.index };
  }
  return best?.index ?? null;
}
