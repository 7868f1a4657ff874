/**
 * Every rate and distribution of the generated world, in one place (docs/sandbox-data.md explains each). Durations
 * are log-normal (median, sigma); rates are probabilities. The funnel rates sit inside PRODUCT.md's benchmark ranges:
 * Inquiry→MQL 10–25 %, MQL→SAL 40–60 %, SAL→SQL 50–70 %, SQL→Won 20–30 %.
 */
import type { DisqualifyReason, Level, LossReason, RecycleReason, Source } from './vocabulary.js';

export interface Duration {
  median: number;
  sigma: number;
}

export interface CompanyBand {
  id: string;
  minEmployees: number;
  maxEmployees: number;
  /** Share of companies in the band. */
  weight: number;
  /** Typical number of known people per company (log-normal median). */
  people: number;
  /** Probability that sales already had an Account for it before the history starts (a target account). */
  targetAccount: number;
  /** Opportunity amount (log-normal, currency units). */
  amount: Duration;
  /** Days from opportunity creation to close. */
  cycleDays: Duration;
  winRate: number;
}

export const COMPANY_BANDS: readonly CompanyBand[] = [
  { id: '1-10', minEmployees: 1, maxEmployees: 10, weight: 30, people: 1.3, targetAccount: 0.03, amount: { median: 6_000, sigma: 0.5 }, cycleDays: { median: 18, sigma: 0.45 }, winRate: 0.39 },
  { id: '11-50', minEmployees: 11, maxEmployees: 50, weight: 28, people: 2.2, targetAccount: 0.08, amount: { median: 12_000, sigma: 0.5 }, cycleDays: { median: 28, sigma: 0.45 }, winRate: 0.38 },
  { id: '51-200', minEmployees: 51, maxEmployees: 200, weight: 20, people: 4.5, targetAccount: 0.2, amount: { median: 24_000, sigma: 0.5 }, cycleDays: { median: 40, sigma: 0.45 }, winRate: 0.36 },
  { id: '201-1000', minEmployees: 201, maxEmployees: 1000, weight: 14, people: 9, targetAccount: 0.4, amount: { median: 48_000, sigma: 0.5 }, cycleDays: { median: 55, sigma: 0.45 }, winRate: 0.35 },
  { id: '1001-5000', minEmployees: 1001, maxEmployees: 5000, weight: 6, people: 18, targetAccount: 0.65, amount: { median: 90_000, sigma: 0.5 }, cycleDays: { median: 80, sigma: 0.45 }, winRate: 0.33 },
  { id: '5001+', minEmployees: 5001, maxEmployees: 50_000, weight: 2, people: 35, targetAccount: 0.85, amount: { median: 160_000, sigma: 0.5 }, cycleDays: { median: 110, sigma: 0.45 }, winRate: 0.31 },
];

export const MODEL = {
  /** Share of units that are one person with a free-mail address (about 15 % of people). */
  freeMailUnitShare: 0.5,
  /** Spread of the people-per-company draw around the band's median. */
  peopleSigma: 0.55,
  /** Annual revenue per employee (log-normal). */
  revenuePerEmployee: { median: 150_000, sigma: 0.5 },
  /** Who a person at a company is: found by marketing, a lead a rep entered, a contact a rep added to an Account. */
  companyKinds: { marketing: 0.75, sales_lead: 0.15, sales_contact: 0.1 },
  freeMailKinds: { marketing: 0.9, sales_lead: 0.1 },
  /** Weekend days get this share of a weekday's arrivals; the last day of the window gets (1 + growth) times the first's. */
  weekendFactor: 0.35,
  growth: 0.4,

  marketing: {
    /** Signed up for the newsletter only (email, maybe a first name): subscriber stage. */
    subscriberShare: 0.12,
    sources: {
      ORGANIC_SEARCH: 26, PAID_SEARCH: 15, DIRECT_TRAFFIC: 12, REFERRALS: 9, EMAIL_MARKETING: 9, PAID_SOCIAL: 9, SOCIAL_MEDIA: 7,
      OTHER_CAMPAIGNS: 8, OFFLINE: 5,
    } satisfies Record<Source, number>,
    /** Probability that an inquiry (lead stage) becomes an MQL, by original source. */
    mqlRate: {
      ORGANIC_SEARCH: 0.2, PAID_SEARCH: 0.24, DIRECT_TRAFFIC: 0.22, REFERRALS: 0.3, EMAIL_MARKETING: 0.26, PAID_SOCIAL: 0.16,
      SOCIAL_MEDIA: 0.15, OTHER_CAMPAIGNS: 0.21, OFFLINE: 0.28,
    } satisfies Record<Source, number>,
    /** Multiplier of the MQL rate for titles in buying departments at manager level or above, and for the others. */
    fitBoost: 1.25,
    misfitFactor: 0.7,
    /** Share of MQLs triggered by the very form that created them; the others convert again later. */
    immediateMql: 0.3,
    mqlDelayDays: { median: 12, sigma: 1.0 },
    /** Share of MQL-triggering conversions that are demo requests (SLA segment demo_request). */
    demoShare: 0.3,
    /** Non-MQL inquiries that sales also has as a Lead (an old list upload), and when it was uploaded. */
    alsoInSalesforce: 0.25,
    uploadDelayDays: { median: 20, sigma: 0.8 },
    /** Share of non-MQL inquiries with a marketing owner. */
    marketingOwned: 0.3,
    /** Minutes between the MQL and the Lead landing in Salesforce (the old hand-off). */
    handoffMinutes: { median: 4, sigma: 0.6 },
  },

  /** Probability that a channel's conversion is attributed to a campaign active at that moment. */
  campaignProbability: {
    PAID_SEARCH: 0.95, PAID_SOCIAL: 0.95, EMAIL_MARKETING: 0.85, OTHER_CAMPAIGNS: 0.9, OFFLINE: 0.8, REFERRALS: 0.7,
    ORGANIC_SEARCH: 0.08, SOCIAL_MEDIA: 0.25, DIRECT_TRAFFIC: 0.05,
  } satisfies Record<Source, number>,

  acceptance: {
    /** MQL→SAL by SLA segment. */
    rate: { demo_request: 0.58, standard: 0.47 },
    /** Hours from MQL to acceptance (about a quarter of demo requests and a fifth of the rest breach their SLA). */
    hours: { demo_request: { median: 2.2, sigma: 0.9 }, standard: { median: 11, sigma: 0.9 } } satisfies Record<string, Duration>,
    /** Acceptance never comes later than this share of the segment's auto-recycle threshold. */
    capOfAutoRecycle: 0.9,
    /** What happens to an MQL nobody accepts. */
    unaccepted: { recycled: 0.45, disqualified: 0.3, untouched: 0.25 },
    unacceptedHours: { median: 30, sigma: 1.0 },
    recycleReasons: { 'Bad timing': 25, 'No budget': 20, 'Not the decision maker': 25, 'Using a competitor': 15, 'No response': 15 } satisfies Partial<Record<RecycleReason, number>>,
    disqualifyReasons: { 'Not a fit': 40, 'Student or job seeker': 15, Competitor: 10, 'Spam or fake': 20, Duplicate: 15 } satisfies Partial<Record<DisqualifyReason, number>>,
  },

  qualification: {
    /** SAL→SQL. */
    rate: 0.6,
    days: { median: 6, sigma: 0.8 },
    /** What happens to an SAL that is not qualified. */
    unqualified: { recycled: 0.6, disqualified: 0.2, working: 0.2 },
    unqualifiedDays: { median: 12, sigma: 0.8 },
    recycleReasons: { 'No response': 35, 'Bad timing': 25, 'No budget': 20, 'Not the decision maker': 12, 'Using a competitor': 8 } satisfies Partial<Record<RecycleReason, number>>,
    disqualifyReasons: { 'Not a fit': 70, Competitor: 10, Duplicate: 20 } satisfies Partial<Record<DisqualifyReason, number>>,
    /** An SQL is first marked Qualified then converted, converted at once, or left Qualified. */
    path: { qualifiedThenConverted: 0.62, convertedAtOnce: 0.33, qualifiedOnly: 0.05 },
    convertDays: { median: 2, sigma: 0.8 },
  },

  recycling: {
    /** A recycled person becomes an MQL again (at most once). */
    reMql: 0.2,
    reMqlDays: { median: 60, sigma: 0.6 },
    /** The score decays below the threshold a day after a recycle. */
    decayDays: 1,
  },

  conversion: {
    /** A conversion while the company has an open opportunity joins it as a contact role. */
    joinOpenOpportunity: 0.7,
    /** Otherwise a conversion creates no opportunity. */
    withoutOpportunity: 0.05,
    /** A closed-won company buys again (an opportunity on the Account, with no contact role). */
    upsell: 0.35,
    upsellDays: { median: 90, sigma: 0.5 },
    upsellAmountFactor: 0.4,
    upsellWinRate: 0.55,
    /** Lost opportunities close after this share of their cycle (uniform between the bounds). */
    lostAt: [0.2, 1.0] as const,
    lossReasons: { Price: 22, Competitor: 20, 'No Budget': 16, 'No Decision': 18, Timing: 12, 'Product Fit': 8, Other: 4 } satisfies Record<LossReason, number>,
  },

  sales: {
    leadSources: { 'Phone Inquiry': 30, 'Partner Referral': 30, 'Purchased List': 25, Other: 15 },
    leadDisqualified: 0.2,
    leadDisqualifyDays: { median: 10, sigma: 0.8 },
    leadDisqualifyReasons: { 'Not a fit': 50, Duplicate: 30, 'Spam or fake': 20 } satisfies Partial<Record<DisqualifyReason, number>>,
    /** Sales-found people that marketing also has (imported), and how long after. */
    leadsInHubSpot: 0.2,
    contactsInHubSpot: 0.3,
    importDelayDays: { median: 15, sigma: 0.8 },
  },

  people: {
    levels: { Chief: 3, VP: 6, Director: 12, Head: 6, Manager: 22, Senior: 16, Specialist: 18, Coordinator: 12, Intern: 5 } satisfies Record<Level, number>,
    jobTitle: { company: 0.95, freeMail: 0.6 },
    freeMailCompany: 0.4,
    phone: { company: 0.7, freeMail: 0.4 },
    mobile: 0.25,
    salutation: 0.3,
    optOut: 0.03,
    contactIndustry: 0.4,
    scores: { subscriber: [0, 15] as const, lead: [3, 47] as const, mql: [50, 98] as const, decayed: [20, 45] as const },
  },

  /** Differences between the two systems for people and companies present in both. */
  drift: { emailCase: 0.05, title: 0.03, phone: 0.015, nickname: 0.01, ownerMismatch: 0.04, accountSuffix: 0.1, accountIndustry: 0.02 },

  team: { peoplePerSdr: 25_000, peoplePerAe: 40_000, sdr: [2, 24] as const, ae: [3, 16] as const, marketing: 2 },
} as const;
