/**
 * The mirror of Salesforce opportunities as HubSpot deals (opportunities.yaml `deals`): each
 * opportunity's deal properties (mapped fields, pipeline, the stage mapped from StageName, the
 * opportunity id as the deal's unique key) and its associations (the people with a contact role,
 * the account's company), with a fingerprint so an unchanged deal is not written again. Pure.
 */
import { createHash } from 'node:crypto';
import type { OpportunitiesFile } from '../../config/mapping/schema/opportunities.js';
import { applyTransforms } from '../sync/transforms.js';
import { toHubSpotValue, type SalesforceValue } from '../sync/values.js';

/** The deal property holding the Salesforce opportunity id (unique: deals are upserted by it). */
export const DEAL_KEY_PROPERTY = 'revloop_salesforce_opportunity_id';

export interface DealState {
  /** Fingerprint of the properties last written. */
  h: string;
  /** HubSpot contacts and company the deal was last associated with. */
  contacts: string[];
  company?: string | undefined;
  dealId?: string | undefined;
}

export interface DealPlan {
  opportunityId: string;
  properties: Record<string, string>;
  contacts: string[];
  company?: string | undefined;
  /** Properties changed (or the deal is new): upsert it. */
  write: boolean;
  associate: { contacts: string[]; company?: string | undefined };
  dissociate: { contacts: string[]; company?: string | undefined };
  fingerprint: string;
}

export interface DealProblem {
  opportunityId: string;
  field: string;
  message: string;
}

export function dealProperties(deals: OpportunitiesFile['deals'], opportunity: Readonly<Record<string, unknown>>): { properties: Record<string, string>; problems: Array<{ field: string; message: string }> } {
  const properties: Record<string, string> = { [DEAL_KEY_PROPERTY]: String(opportunity.Id), pipeline: deals.pipeline };
  const problems: Array<{ field: string; message: string }> = [];
  const stage = typeof opportunity.StageName === 'string' ? opportunity.StageName : '';
  const mapped = deals.stages[stage];
  if (mapped) properties.dealstage = mapped;
  else problems.push({ field: 'StageName', message: `the stage "${stage}" has no HubSpot deal stage in opportunities.yaml deals.stages` });
  for (const f of deals.fields) {
    const t = applyTransforms(f.transform, opportunity[f.salesforce] as SalesforceValue, 'toHubSpot');
    if (t.kind === 'invalid') {
      problems.push({ field: f.salesforce, message: t.message });
      continue;
    }
    if (t.kind !== 'value') continue;
    const v = toHubSpotValue(t.value, f.hubspot_type);
    if (!v.ok) problems.push({ field: f.salesforce, message: v.message });
    else properties[f.hubspot] = v.value;
  }
  return { properties, problems };
}

function fingerprint(properties: Readonly<Record<string, string>>): string {
  return createHash('sha256').update(JSON.stringify(Object.entries(properties).sort(([a], [b]) => a.localeCompare(b)))).digest('base64url').slice(0, 22);
}

export function planDeal(opportunityId: string, properties: Record<string, string>, contacts: readonly string[], company: string | undefined, before: DealState | undefined): DealPlan {
  const print = fingerprint(properties);
  const wanted = [...new Set(contacts)].sort();
  const had = new Set(before?.contacts ?? []);
  const now = new Set(wanted);
  return {
    opportunityId,
    properties,
    contacts: wanted,
    company,
    fingerprint: print,
    write: before?.h !== print || before.dealId === undefined,
    associate: { contacts: wanted.filter((c) => !had.has(c)), ...(company && company !== before?.company ? { company } : {}) },
    dissociate: { contacts: [...had].filter((c) => !now.has(c)), ...(before?.company && before.company !== company ? { company: before.company } : {}) },
  };
}
