/**
 * What the planner decides for one unit (a company with its people, or one person on a free-mail domain) before
 * anything is written: the records each system gets, when, by whom, and the truth they add up to. The writers fill
 * in the ids the stores hand out.
 */
import type { Actor } from '../hubspot/store/actors.js';
import type { CompanyProfile } from './company-profile.js';
import type { PersonProfile } from './person-profile.js';
import type { TeamMember } from './team.js';
import type { CompanyTruth, OpportunityTruth, PersonTruth } from './truth.js';
import type { DisqualifyReason, RecycleReason } from './vocabulary.js';

export type HubSpotValues = Record<string, string>;

export interface HubSpotUpdate {
  at: number;
  actor: Actor;
  properties: HubSpotValues;
}

export interface HubSpotContactPlan {
  createdAt: number;
  actor: Actor;
  properties: HubSpotValues;
  /** Later changes, in time order. */
  updates: HubSpotUpdate[];
}

export interface SalesforceLeadPlan {
  createdAt: number;
  createdBy: TeamMember;
  owner: TeamMember;
  status: string;
  lastModifiedAt: number;
  lastModifiedBy: TeamMember;
  recycleReason: RecycleReason | null;
  disqualifyReason: DisqualifyReason | null;
  leadSource: string;
  email: string;
  firstName: string;
  title: string | null;
  phone: string | null;
  /** Acceptance calls (one completed Task each). */
  calls: number[];
  /** When a rep converts the lead (before `now`). */
  convertAt: number | null;
}

export interface SalesforceContactPlan {
  createdAt: number;
  owner: TeamMember;
  email: string;
  firstName: string;
  title: string | null;
  phone: string | null;
}

export interface PersonPlan {
  profile: PersonProfile;
  truth: PersonTruth;
  hubspot: HubSpotContactPlan | null;
  lead: SalesforceLeadPlan | null;
  contact: SalesforceContactPlan | null;
  /** The SDR or AE working the person (Salesforce owner). */
  owner: TeamMember;
  /** Filled by the writer: the conversion's opportunity when it creates one. */
  createsOpportunity: OpportunityPlan | null;
}

export interface OpportunityRolePlan {
  person: PersonPlan;
  at: number;
  role: string | null;
  isPrimary: boolean;
}

export interface OpportunityPlan {
  truth: OpportunityTruth;
  /** conversion: created by converting `roles[0].person`'s lead; account: created on the Account by the AE. */
  origin: 'conversion' | 'account';
  owner: TeamMember;
  roles: OpportunityRolePlan[];
  /** The last change (stage move or close) and its fields. */
  lastChangeAt: number;
}

export interface AccountPlan {
  /** pre: inserted before anyone needed it (target account, or for a rep's contact); conversion: made by the first conversion. */
  mode: 'pre' | 'conversion';
  createdAt: number;
  /** First win: the AE marks the Account as a customer. */
  customerAt: number | null;
}

export interface UnitPlan {
  company: CompanyProfile | null;
  companyTruth: CompanyTruth | null;
  hubspotCompany: { createdAt: number; actor: Actor; properties: HubSpotValues } | null;
  account: AccountPlan | null;
  people: PersonPlan[];
  opportunities: OpportunityPlan[];
}
