/**
 * `revloop validate --live`: the mappings checked against the connection's portal and org. Every
 * HubSpot property a mapping names must exist (those revloop creates itself are listed as such),
 * the lifecycle's stages must be options of lifecyclestage and hs_lead_status, every Salesforce field
 * revloop reads or writes must exist, be writable where it writes, and the identity field must be an
 * External ID (the install's field check).
 */
import type { MappingSet } from '../config/mapping/mapping-set.js';
import { checkSalesforceFields, type FieldProblem } from '../admin/install/salesforce-fields.js';
import { HubSpotProperties } from '../providers/hubspot/hubspot-properties.js';
import { requiredHubSpotProperties } from '../worker/setup/hubspot-schema.js';
import type { SyncContext } from '../worker/sync/sync-context.js';

export interface LiveProblem {
  system: 'hubspot' | 'salesforce';
  object: string;
  field: string;
  severity: 'error' | 'info';
  message: string;
  fix?: string;
}

export async function liveCheck(ctx: SyncContext, mappings: MappingSet): Promise<LiveProblem[]> {
  const problems: LiveProblem[] = [];
  const properties = new HubSpotProperties(ctx.hubspotApi);
  for (const objectType of ['contacts', 'companies'] as const) {
    const have = await properties.list(objectType);
    const created = new Set(requiredHubSpotProperties(mappings, objectType).map((d) => d.name));
    const mapping = objectType === 'contacts' ? mappings.contacts : mappings.companies;
    const named = new Set(mapping.fields.map((f) => f.hubspot));
    if (objectType === 'contacts') for (const f of mappings.opportunities.attribution.fields) named.add(f.hubspot);
    for (const name of new Set([...named, ...created])) {
      if (have.has(name)) continue;
      if (created.has(name)) problems.push({ system: 'hubspot', object: objectType, field: name, severity: 'info', message: 'does not exist yet; revloop creates it on install or on the next backfill' });
      else problems.push({ system: 'hubspot', object: objectType, field: name, severity: 'error', message: `is mapped but the portal has no such ${objectType} property`, fix: 'correct the name in the mapping, or create the property in HubSpot (Settings → Properties)' });
    }
  }
  // The lifecycle's values must be options of HubSpot's lifecyclestage and hs_lead_status.
  const contacts = await properties.list('contacts');
  for (const s of [...mappings.lifecycle.stages, ...mappings.lifecycle.detours]) {
    for (const [property, value] of [['lifecyclestage', s.hubspot?.lifecyclestage], ['hs_lead_status', s.hubspot?.lead_status]] as const) {
      const options = contacts.get(property)?.options;
      if (value && options && !options.includes(value)) {
        problems.push({ system: 'hubspot', object: 'contacts', field: property, severity: 'error', message: `has no option "${value}" (stage "${s.id}" in lifecycle.yaml)`, fix: `add the option in HubSpot (Settings → Properties → ${property}) or use one of: ${options.join(', ')}` });
      }
    }
  }
  const sf = await checkSalesforceFields(ctx.salesforceApi, mappings);
  problems.push(...sf.problems.map((p: FieldProblem) => ({ system: 'salesforce' as const, object: p.object, field: p.field, severity: 'error' as const, message: `${p.problem.replace(/-/g, ' ')}: needed for ${p.why}`, fix: p.fix })));
  return problems;
}
