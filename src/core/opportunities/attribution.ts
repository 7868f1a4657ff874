/**
 * Marketing attribution carried to Salesforce: the HubSpot properties that say where a person came
 * from (original source, latest source, first and last campaign) written onto their Lead or Contact
 * and onto the opportunities they are the attributed person of, as opportunities.yaml maps them.
 * A blank HubSpot value never blanks Salesforce, and `only_when_blank` fields keep the first value
 * they got (a first touch stays first). Pure.
 */
import type { AttributionField } from '../../config/mapping/schema/opportunities.js';
import { applyTransforms } from '../sync/transforms.js';
import type { SalesforceValue } from '../sync/values.js';

export type AttributionObject = 'Lead' | 'Contact' | 'Opportunity';

export interface AttributionPlan {
  writes: Record<string, string | number | boolean | null>;
  invalid: Array<{ field: string; message: string }>;
}

function blank(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === 'string' && v.trim() === '');
}

/** Salesforce fields of `object` the attribution writes (to read them first). */
export function attributionTargets(fields: readonly AttributionField[], object: AttributionObject): string[] {
  return [...new Set(fields.map((f) => f.salesforce[object]).filter((t): t is string => typeof t === 'string'))];
}

/** HubSpot's drill-down for a contact an integration created (revloop itself, from a Salesforce record). */
export const SOURCE_DRILL_DOWN = 'hs_analytics_source_data_1';

/**
 * Whether HubSpot only knows the person because an integration brought them in: their origin is
 * the CRM record itself, so HubSpot's "Offline Sources" must not overwrite what Salesforce says.
 */
export function cameFromIntegration(hubspot: Readonly<Record<string, string | null | undefined>>): boolean {
  return hubspot.hs_analytics_source === 'OFFLINE' && (hubspot[SOURCE_DRILL_DOWN] === 'INTEGRATION' || hubspot[SOURCE_DRILL_DOWN] === 'API');
}

export function planAttribution(fields: readonly AttributionField[], object: AttributionObject, hubspot: Readonly<Record<string, string | null | undefined>>, current: Readonly<Record<string, unknown>>): AttributionPlan {
  const plan: AttributionPlan = { writes: {}, invalid: [] };
  if (cameFromIntegration(hubspot)) return plan;
  for (const f of fields) {
    const target = f.salesforce[object];
    if (!target || target in plan.writes) continue;
    const raw = hubspot[f.hubspot];
    if (blank(raw)) continue;
    if (f.only_when_blank && !blank(current[target])) continue;
    const result = applyTransforms(f.transform, raw as SalesforceValue, 'toSalesforce');
    if (result.kind === 'invalid') {
      plan.invalid.push({ field: target, message: result.message });
      continue;
    }
    if (result.kind !== 'value' || blank(result.value)) continue;
    const value = result.value as string | number | boolean;
    if (String(current[target] ?? '') === String(value)) continue;
    plan.writes[target] = value;
  }
  return plan;
}
