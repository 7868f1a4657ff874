/**
 * What sales did at one company: when its Account appeared (a target account, for a rep's contact, or from the first
 * lead conversion), the opportunities conversions opened (or joined, as a colleague's contact role), how each one
 * moved and closed (amount, cycle, won or lost with a reason), the expansion deal a happy customer signs on the Account
 * without any contact role, and the opportunity and customer stages the people reach through them.
 */
import { isoDate } from './campaigns.js';
import type { CompanyProfile } from './company-profile.js';
import { MODEL, type CompanyBand } from './model.js';
import { DAY } from './person-records.js';
import type { AccountPlan, OpportunityPlan, PersonPlan } from './plan-types.js';
import type { PlanContext } from './plan-context.js';
import { WeightedTable, type Rng } from './rng.js';
import type { OpportunityTruth } from './truth.js';
import { CLOSED_LOST, CLOSED_WON, EXTRA_ROLES, OPEN_STAGES } from './vocabulary.js';

const lossReasons = new WeightedTable(MODEL.conversion.lossReasons);

interface Outcome {
  amount: number;
  stage: string;
  isClosed: boolean;
  isWon: boolean;
  closeDate: string;
  closedAt: number | null;
  lossReason: OpportunityTruth['lossReason'];
  lastChangeAt: number;
}

/** How an opportunity created at `createdAt` turns out by `now`. */
export function simulateOutcome(rng: Rng, band: CompanyBand, createdAt: number, now: number, winRate: number, amountFactor = 1): Outcome {
  const cycleDays = rng.logNormal(band.cycleDays.median, band.cycleDays.sigma);
  const won = rng.chance(winRate);
  const [lostFrom, lostTo] = MODEL.conversion.lostAt;
  const closeAt = Math.round(createdAt + (won ? cycleDays : cycleDays * rng.between(lostFrom, lostTo)) * DAY);
  const amount = Math.max(1_000, Math.round((rng.logNormal(band.amount.median, band.amount.sigma) * amountFactor) / 100) * 100);
  const reason = rng.weighted(lossReasons);
  if (closeAt < now) {
    return {
      amount,
      stage: won ? CLOSED_WON : CLOSED_LOST,
      isClosed: true,
      isWon: won,
      closeDate: isoDate(closeAt),
      closedAt: closeAt,
      lossReason: won ? null : reason,
      lastChangeAt: closeAt,
    };
  }
  const progress = (now - createdAt) / (cycleDays * DAY);
  const stageIndex = Math.min(OPEN_STAGES.length - 1, Math.floor(progress * OPEN_STAGES.length));
  const expected = Math.max(Math.round(createdAt + cycleDays * DAY), now + 7 * DAY);
  return {
    amount,
    stage: OPEN_STAGES[stageIndex] ?? 'Prospecting',
    isClosed: false,
    isWon: false,
    closeDate: isoDate(expected),
    closedAt: null,
    lossReason: null,
    lastChangeAt: Math.round(createdAt + (stageIndex / OPEN_STAGES.length) * cycleDays * DAY),
  };
}

function quarterLabel(at: number): string {
  const d = new Date(at);
  return `Q${Math.floor(d.getUTCMonth() / 3) + 1} ${d.getUTCFullYear()}`;
}

function opportunity(company: CompanyProfile, createdAt: number, outcome: Outcome, type: OpportunityTruth['type']): OpportunityTruth {
  const kind = type === 'New Customer' ? 'New Business' : 'Expansion';
  return {
    id: '',
    name: `${company.accountName} – ${kind} (${quarterLabel(createdAt)})`,
    company: company.index,
    accountId: '',
    ownerId: company.owner.salesforceUserId,
    type,
    amount: outcome.amount,
    stage: outcome.stage,
    isClosed: outcome.isClosed,
    isWon: outcome.isWon,
    createdAt,
    closeDate: outcome.closeDate,
    closedAt: outcome.closedAt,
    lossReason: outcome.lossReason,
    via: 'contact_roles',
    roles: [],
    accountPrimary: null,
    attributedPerson: null,
  };
}

/** The time a person became a Contact on the Account (a rep's contact, or the conversion), if before now. */
function contactSince(person: PersonPlan): number | null {
  return person.contact?.createdAt ?? person.lead?.convertAt ?? null;
}

function enter(person: PersonPlan, stage: 'opportunity' | 'customer', at: number): void {
  person.truth.journey.push({ stage, at });
}

export function planDeals(ctx: PlanContext, company: CompanyProfile, people: PersonPlan[]): { account: AccountPlan | null; opportunities: OpportunityPlan[] } {
  const { rng, now } = ctx;
  const conversions = people.filter((p) => p.lead?.convertAt != null).sort((a, b) => (a.lead?.convertAt ?? 0) - (b.lead?.convertAt ?? 0) || a.truth.index - b.truth.index);
  const firstConversion = conversions[0]?.lead?.convertAt ?? null;
  const contactsFrom = people.map((p) => p.contact?.createdAt).filter((t): t is number => t !== undefined);
  const preNeeded = [
    ...(company.targetAccount ? [ctx.windowStart - rng.int(30, 400) * DAY] : []),
    ...(contactsFrom.length > 0 ? [Math.round(Math.min(...contactsFrom) - rng.between(1, 30) * DAY)] : []),
  ];
  let account: AccountPlan | null = null;
  if (preNeeded.length > 0) account = { mode: 'pre', createdAt: Math.min(...preNeeded), customerAt: null };
  else if (firstConversion !== null) account = { mode: 'conversion', createdAt: firstConversion, customerAt: null };

  const opportunities: OpportunityPlan[] = [];
  for (const person of conversions) {
    const at = person.lead?.convertAt ?? 0;
    const open = opportunities
      .filter((o) => o.truth.type === 'New Customer' && o.truth.createdAt <= at && (o.truth.closedAt === null || at < o.truth.closedAt))
      .pop();
    if (open !== undefined && rng.chance(MODEL.conversion.joinOpenOpportunity)) {
      open.roles.push({ person, at, role: rng.pick(EXTRA_ROLES), isPrimary: false });
      enter(person, 'opportunity', at);
      if (open.truth.isWon && open.truth.closedAt !== null) enter(person, 'customer', open.truth.closedAt);
      continue;
    }
    if (rng.chance(MODEL.conversion.withoutOpportunity)) continue;
    const outcome = simulateOutcome(rng, company.band, at, now, company.band.winRate);
    const plan: OpportunityPlan = {
      truth: opportunity(company, at, outcome, 'New Customer'),
      origin: 'conversion',
      owner: company.owner,
      roles: [{ person, at, role: null, isPrimary: true }],
      lastChangeAt: outcome.lastChangeAt,
    };
    person.createsOpportunity = plan;
    opportunities.push(plan);
    enter(person, 'opportunity', at);
    if (outcome.isWon && outcome.closedAt !== null) enter(person, 'customer', outcome.closedAt);
  }

  const byContactTime = people
    .map((person) => ({ person, since: contactSince(person) }))
    .filter((c): c is { person: PersonPlan; since: number } => c.since !== null && c.since < now)
    .sort((a, b) => a.since - b.since || a.person.truth.index - b.person.truth.index);
  const primary = byContactTime[0]?.person ?? null;
  const wins = opportunities.map((o) => o.truth.closedAt ?? Infinity).filter((t, i) => opportunities[i]?.truth.isWon === true && t < now);
  const firstWin = wins.length > 0 ? Math.min(...wins) : null;
  if (account !== null) account.customerAt = firstWin;
  if (firstWin !== null && primary !== null && rng.chance(MODEL.conversion.upsell)) {
    const at = rng.after(firstWin, MODEL.conversion.upsellDays, DAY);
    const primaryIsCustomer = primary.truth.journey.some((e) => e.stage === 'customer' && e.at < at);
    if (at < now && primaryIsCustomer) {
      const outcome = simulateOutcome(rng, company.band, at, now, MODEL.conversion.upsellWinRate, MODEL.conversion.upsellAmountFactor);
      const truth = opportunity(company, at, outcome, 'Existing Customer - Upgrade');
      truth.via = 'account';
      truth.accountPrimary = primary.truth.index;
      truth.attributedPerson = primary.truth.index;
      opportunities.push({ truth, origin: 'account', owner: company.owner, roles: [], lastChangeAt: outcome.lastChangeAt });
    }
  }
  for (const plan of opportunities) {
    if (plan.origin === 'conversion') plan.truth.attributedPerson = plan.roles[0]?.person.truth.index ?? null;
    plan.truth.accountPrimary = primary?.truth.index ?? null;
  }
  for (const person of people) person.truth.journey.sort((a, b) => a.at - b.at);
  return { account, opportunities };
}
