/**
 * The ground truth of a generated dataset: what really happened to every person, opportunity and campaign, and the
 * KPI figures that follow from it. Times are epoch milliseconds (UTC); ids are the ones the stores gave. The format
 * is documented in docs/sandbox-data.md; `GROUND_TRUTH_FORMAT` changes when it does.
 */
import type { Aggregates } from './aggregates.js';
import type { DisqualifyReason, HubSpotIndustry, LossReason, RecycleReason, Source, Stage } from './vocabulary.js';

export const GROUND_TRUTH_FORMAT = 'revloop-sandbox-truth/1';

export type PersonKind = 'marketing' | 'sales_lead' | 'sales_contact';
export type SlaSegment = 'demo_request' | 'standard';
export type TeamRole = 'marketing' | 'sdr' | 'ae' | 'manager';

export interface StageEntry {
  stage: Stage;
  at: number;
  /** Recycle or disqualify reason (lifecycle.yaml values) on detour entries. */
  reason?: RecycleReason | DisqualifyReason;
}

/** One MQL entry and how sales answered it. */
export interface SlaRecord {
  mqlAt: number;
  segment: SlaSegment;
  /** mqlAt + the segment's accept_within_hours. */
  dueAt: number;
  acceptedAt: number | null;
  /** met: accepted in time; breached: accepted late, or unanswered past dueAt; closed: recycled or disqualified before
   * dueAt without acceptance; pending: unanswered and dueAt still ahead. */
  outcome: 'met' | 'breached' | 'closed' | 'pending';
  /** Hours from MQL to acceptance, when accepted. */
  hoursToAccept: number | null;
}

export interface CampaignTouch {
  /** Index into GroundTruth.campaigns. */
  campaign: number;
  at: number;
}

export interface PersonTruth {
  index: number;
  kind: PersonKind;
  /** The email, lower-cased (HubSpot's form; Salesforce may hold other casing, see salesforce.email). */
  email: string;
  firstName: string | null;
  lastName: string | null;
  title: string | null;
  /** Index into GroundTruth.companies; null for people on free-mail domains. */
  company: number | null;
  /** HubSpot original source (hs_analytics_source); OFFLINE for people sales found. */
  source: Source;
  /** SLA segment of the person's MQL entries (demo_request when the MQL came from a demo request). */
  segment: SlaSegment | null;
  /** HubSpot score at `now`. */
  score: number;
  /** First time the person appears in either system. */
  createdAt: number;
  hubspot: { id: string; email: string; createdAt: number; ownerId: string | null; lifecyclestage: string } | null;
  salesforce: {
    /** The record the person is now: a Lead, or a Contact (directly, or from a converted Lead). */
    object: 'Lead' | 'Contact';
    leadId: string | null;
    contactId: string | null;
    accountId: string | null;
    email: string;
    createdAt: number;
    ownerId: string;
    /** Lead Status at `now` (Closed - Converted once converted; null for a contact a rep created directly). */
    leadStatus: string | null;
    convertedAt: number | null;
  } | null;
  /** The current canonical stage (the last journey entry). */
  stage: Stage;
  /** Every stage entry, in time order (re-entries included). */
  journey: StageEntry[];
  sla: SlaRecord[];
  /** Campaign touches in time order (Salesforce CampaignMember rows for people in Salesforce). */
  campaigns: CampaignTouch[];
  /** Opportunities the person has a contact role on. */
  opportunities: string[];
  /** Values that differ between the two systems (a few people on purpose). */
  conflicts: Array<{ field: string; hubspot: string; salesforce: string }>;
}

export interface OpportunityRoleTruth {
  person: number;
  contactId: string;
  role: string | null;
  isPrimary: boolean;
  at: number;
}

export interface OpportunityTruth {
  id: string;
  name: string;
  company: number;
  accountId: string;
  ownerId: string;
  type: 'New Customer' | 'Existing Customer - Upgrade';
  amount: number;
  stage: string;
  isClosed: boolean;
  isWon: boolean;
  createdAt: number;
  /** CloseDate as Salesforce holds it (YYYY-MM-DD): the actual close, or the expected one while open. */
  closeDate: string;
  closedAt: number | null;
  lossReason: LossReason | null;
  /** contact_roles: the people are the roles; account: no role, the Account's primary person stands for it. */
  via: 'contact_roles' | 'account';
  roles: OpportunityRoleTruth[];
  /** The Account's first contact (earliest created), used when the opportunity has no contact role. */
  accountPrimary: number | null;
  /** The person the revenue is attributed to: the primary role, else the Account's primary person. */
  attributedPerson: number | null;
}

export interface CampaignTruth {
  index: number;
  id: string;
  name: string;
  type: string;
  channel: Source;
  status: 'Planned' | 'In Progress' | 'Completed';
  startDate: string;
  endDate: string;
  budgetedCost: number;
  actualCost: number;
  members: number;
}

export interface CompanyTruth {
  index: number;
  name: string;
  domain: string;
  industry: HubSpotIndustry;
  industryLabel: string;
  employees: number;
  annualRevenue: number;
  country: string;
  hubspotId: string | null;
  accountId: string | null;
  /** The Account's name in Salesforce (sometimes with a legal suffix the HubSpot name lacks). */
  accountName: string | null;
  owner: string;
  /** The Account's first contact (the person standing for opportunities without roles). */
  primaryPerson: number | null;
}

export interface OwnerTruth {
  key: string;
  role: TeamRole;
  firstName: string;
  lastName: string;
  email: string;
  hubspotOwnerId: string;
  salesforceUserId: string;
  manager: string | null;
}

export interface GroundTruth {
  format: typeof GROUND_TRUTH_FORMAT;
  seed: number;
  people: number;
  now: number;
  windowStart: number;
  /** False when the per-person and per-company lists were not kept in memory (large runs; see truthFile). */
  detailed: boolean;
  owners: OwnerTruth[];
  campaigns: CampaignTruth[];
  companies: CompanyTruth[];
  persons: PersonTruth[];
  opportunities: OpportunityTruth[];
  aggregates: Aggregates;
}
