/**
 * Picklist values of the Salesforce fields behind HubSpot enumeration properties revloop has to
 * create, so the new property offers the same options (one describe call per object).
 */
import type { MappingSet } from '../../config/mapping/mapping-set.js';
import { salesforceFieldOf } from '../../core/sync/record-plan.js';
import type { SalesforceApi } from '../../providers/salesforce/salesforce-api.js';

interface DescribeField {
  name: string;
  picklistValues?: Array<{ value: string; active: boolean }>;
}

/** HubSpot property name → the picklist values of its Salesforce field, for `properties` only. */
export async function picklistsFor(api: SalesforceApi, mappings: MappingSet, properties: ReadonlySet<string>): Promise<Map<string, string[]>> {
  const wanted = new Map<string, Array<{ property: string; field: string }>>();
  for (const mapping of [mappings.contacts, mappings.companies]) {
    for (const f of mapping.fields) {
      if (f.hubspot_type !== 'enumeration' || !properties.has(f.hubspot)) continue;
      for (const object of mapping.pair.salesforce as readonly string[]) {
        const field = salesforceFieldOf(f, object);
        if (!field || field.includes('.')) continue;
        const list = wanted.get(object) ?? [];
        list.push({ property: f.hubspot, field });
        wanted.set(object, list);
      }
    }
  }
  const out = new Map<string, string[]>();
  for (const [object, fields] of wanted) {
    const describe = await api.call(`${object}.describe`, (conn) => conn.sobject(object).describe() as unknown as Promise<{ fields: DescribeField[] }>);
    for (const { property, field } of fields) {
      const values = describe.fields.find((d) => d.name === field)?.picklistValues?.filter((v) => v.active).map((v) => v.value) ?? [];
      out.set(property, [...new Set([...(out.get(property) ?? []), ...values])]);
    }
  }
  return out;
}
