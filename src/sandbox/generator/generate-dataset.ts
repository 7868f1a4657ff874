/**
 * Fills a HubSpot store and a Salesforce store with a deterministic, realistic history of a B2B revenue team
 * (docs/sandbox-data.md), without HTTP, and returns its ground truth. The same seed, people, now and stores in the
 * same starting state give the same records, ids and truth.
 *
 *   const clock = new SandboxClock();
 *   const hubspot = new HubSpotStore({ now: clock.now });
 *   const salesforce = new SalesforceStore({ now: clock.now });
 *   const truth = await generateDataset({ seed: 7, people: 10_000, now: Date.parse('2026-03-01T00:00:00Z'), hubspot, salesforce, clock });
 */
import { z } from 'zod';
import { RevloopError } from '../../platform/errors.js';
import type { HubSpotStore } from '../hubspot/store/hubspot-store.js';
import type { SalesforceStore } from '../salesforce/store/salesforce-store.js';
import { AggregateBuilder } from './aggregates.js';
import { CampaignCalendar, isoDate, planCampaigns } from './campaigns.js';
import { CompanyNamer } from './company-profile.js';
import { writeHubSpot } from './hubspot-writer.js';
import { buildNamePools } from './name-pools.js';
import { DAY } from './person-records.js';
import type { UnitPlan } from './plan-types.js';
import { Rng } from './rng.js';
import { writeSalesforce } from './salesforce-writer.js';
import type { SandboxClock } from './sandbox-clock.js';
import { buildTeam, type TeamMember } from './team.js';
import { TruthFile } from './truth-file.js';
import { GROUND_TRUTH_FORMAT, type CampaignTruth, type GroundTruth, type OwnerTruth, type PersonTruth } from './truth.js';
import { planUnit, type UnitContext } from './unit-planner.js';

export const generateOptionsSchema = z.strictObject({
  seed: z.number().int().min(0).max(0xffffffff),
  people: z.number().int().min(0).max(5_000_000),
  /** The present of the generated world (epoch ms); history lies before it. Default: the clock's time. */
  now: z.number().int().positive().optional(),
  /** Days of history before `now`. */
  historyDays: z.number().int().min(7).max(3650).default(365),
  /** Keep every person and company in the returned truth (default: up to 200,000 people). */
  keepDetails: z.boolean().optional(),
  /** Also write the ground truth as JSON to this file. */
  truthFile: z.string().min(1).optional(),
  /** People planned and written per step (the event loop runs between steps). */
  batchPeople: z.number().int().min(1).max(100_000).default(10_000),
});

export type GenerateOptions = z.input<typeof generateOptionsSchema> & {
  hubspot: HubSpotStore;
  salesforce: SalesforceStore;
  /** The clock both stores read (`now: clock.now`); generation moves it to each write's moment. */
  clock: SandboxClock;
  onProgress?: (people: number, total: number) => void;
};

function parse(options: GenerateOptions): z.output<typeof generateOptionsSchema> {
  const { hubspot: _h, salesforce: _s, clock: _c, onProgress: _p, ...plain } = options;
  const parsed = generateOptionsSchema.safeParse(plain);
  if (!parsed.success) {
    throw new RevloopError('BAD_REQUEST', `Invalid dataset options:\n  ${parsed.error.issues.map((i) => `${i.path.join('.') || '(options)'}: ${i.message}`).join('\n  ')}`);
  }
  if (options.salesforce.now !== options.clock.now || options.hubspot.now !== options.clock.now) {
    throw new RevloopError('BAD_REQUEST', 'Invalid dataset options: both stores must read the generator clock (new SalesforceStore({ now: clock.now }), new HubSpotStore({ now: clock.now }), or the sandboxes\' now option)');
  }
  return parsed.data;
}

function ownerTruth(member: TeamMember): OwnerTruth {
  const { hubspotUserId: _user, ...truth } = member;
  return truth;
}

export async function generateDataset(options: GenerateOptions): Promise<GroundTruth> {
  const settings = parse(options);
  const { hubspot, salesforce, clock } = options;
  const now = settings.now ?? clock.now();
  const windowStart = now - settings.historyDays * DAY;
  const keep = settings.keepDetails ?? settings.people <= 200_000;
  const root = new Rng(settings.seed);
  const pools = buildNamePools(settings.seed);

  const { team, campaigns } = clock.during(now, () => {
    const members = buildTeam({ rng: root.fork('team'), pools, people: settings.people, hubspot, salesforce, at: windowStart - 400 * DAY });
    const plans = planCampaigns(root.fork('campaigns'), windowStart, now);
    const marketingLead = members.members.find((m) => m.role === 'manager') ?? members.marketing[0];
    const ids = salesforce.insertMany(
      'Campaign',
      plans.map((c) => ({
        Name: c.name,
        Type: c.type,
        Status: c.status,
        StartDate: isoDate(c.start),
        EndDate: isoDate(c.end),
        BudgetedCost: c.budgetedCost,
        ActualCost: c.actualCost,
        IsActive: c.status !== 'Completed',
        OwnerId: marketingLead?.salesforceUserId ?? null,
        CreatedDate: new Date(c.start - 14 * DAY).toISOString(),
        LastModifiedDate: new Date(Math.min(c.end, now)).toISOString(),
      })),
      { emitChanges: false, auditFields: true },
      { allOrNone: true },
    );
    const truths: CampaignTruth[] = plans.map((c, i) => ({
      index: c.index,
      id: ids[i]?.id ?? '',
      name: c.name,
      type: c.type,
      channel: c.channel,
      status: c.status,
      startDate: isoDate(c.start),
      endDate: isoDate(c.end),
      budgetedCost: c.budgetedCost,
      actualCost: c.actualCost,
      members: 0,
    }));
    return { team: members, campaigns: { plans, truths } };
  });

  const context: UnitContext = {
    now,
    windowStart,
    calendar: new CampaignCalendar(campaigns.plans),
    team,
    pools,
    namer: new CompanyNamer(pools),
    freeMailTaken: new Set(),
  };
  const aggregates = new AggregateBuilder();
  const file = settings.truthFile === undefined ? undefined : new TruthFile(settings.truthFile);
  const persons: PersonTruth[] = [];
  const companies: GroundTruth['companies'] = [];
  const opportunities: GroundTruth['opportunities'] = [];
  const campaignNames = campaigns.truths.map((c) => c.name);

  try {
    let person = 0;
    let unit = 0;
    let companyIndex = 0;
    while (person < settings.people) {
      const batch: UnitPlan[] = [];
      let planned = 0;
      while (planned < settings.batchPeople && person < settings.people) {
        const plan = planUnit(root.fork(`unit:${unit}`), context, person, settings.people - person, companyIndex);
        if (plan.company !== null) companyIndex += 1;
        person += plan.people.length;
        planned += plan.people.length;
        unit += 1;
        batch.push(plan);
      }
      clock.during(now, () => {
        writeHubSpot(hubspot, batch);
        writeSalesforce({ store: salesforce, clock, campaigns: campaigns.truths }, batch);
      });
      for (const plan of batch) {
        if (plan.companyTruth !== null) {
          aggregates.addCompany(plan.companyTruth.hubspotId !== null, plan.companyTruth.accountId !== null);
          if (keep) companies.push(plan.companyTruth);
          file?.addCompany(plan.companyTruth);
        }
        for (const p of plan.people) {
          aggregates.addPerson(p.truth);
          if (keep) persons.push(p.truth);
          file?.addPerson(p.truth);
        }
        for (const o of plan.opportunities) {
          const attributed = plan.people.find((p) => p.truth.index === o.truth.attributedPerson)?.truth;
          aggregates.addOpportunity(o.truth, attributed, campaignNames);
          opportunities.push(o.truth);
        }
      }
      options.onProgress?.(person, settings.people);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    const summary: Omit<GroundTruth, 'persons' | 'companies'> = {
      format: GROUND_TRUTH_FORMAT,
      seed: settings.seed,
      people: settings.people,
      now,
      windowStart,
      detailed: keep,
      owners: team.members.map(ownerTruth),
      campaigns: campaigns.truths,
      opportunities,
      aggregates: aggregates.finish(campaigns.truths),
    };
    file?.finish({ ...summary, detailed: true });
    return { ...summary, companies, persons };
  } catch (err) {
    file?.abort();
    throw err;
  }
}
