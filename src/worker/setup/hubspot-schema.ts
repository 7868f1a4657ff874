/**
 * The HubSpot properties revloop writes, derived from the mappings: identity links, the canonical
 * stage and stage dates, recycle/disqualify reasons, outcome roll-ups, and mapped properties a portal
 * does not have yet. `ensureHubSpotSchema` creates what is missing (install, and before a backfill).
 */
import { DEAL_KEY_PROPERTY } from '../../core/opportunities/deal-plan.js';
import { stageDateProperty, STAGE_PROPERTY, type MappingSet } from '../../config/mapping/mapping-set.js';
import type { HubSpotType } from '../../config/mapping/schema/field-types.js';
import type { RollupMetric } from '../../config/mapping/schema/opportunities.js';
import { HubSpotProperties, type PropertyDefinition } from '../../providers/hubspot/hubspot-properties.js';
import type { HubSpotApi } from '../../providers/hubspot/hubspot-api.js';
import type { Priority } from '../../providers/budget/api-budget.js';
import type { HubSpotObjectType } from '../../providers/hubspot/hubspot-objects.js';

const ROLLUP_TYPES: Readonly<Record<RollupMetric, Pick<PropertyDefinition, 'type' | 'fieldType'>>> = {
  open_pipeline_amount: { type: 'number', fieldType: 'number' },
  opportunity_count: { type: 'number', fieldType: 'number' },
  open_opportunity_count: { type: 'number', fieldType: 'number' },
  last_opportunity_stage: { type: 'string', fieldType: 'text' },
  won_revenue: { type: 'number', fieldType: 'number' },
  won_count: { type: 'number', fieldType: 'number' },
  first_won_date: { type: 'date', fieldType: 'date' },
  last_won_date: { type: 'date', fieldType: 'date' },
  last_loss_reason: { type: 'string', fieldType: 'text' },
  last_lost_date: { type: 'date', fieldType: 'date' },
  days_to_won: { type: 'number', fieldType: 'number' },
};

function fromDeclared(type: HubSpotType): Pick<PropertyDefinition, 'type' | 'fieldType'> {
  switch (type) {
    case 'number':
      return { type: 'number', fieldType: 'number' };
    case 'bool':
      return { type: 'enumeration', fieldType: 'booleancheckbox' };
    case 'date':
      return { type: 'date', fieldType: 'date' };
    case 'datetime':
      return { type: 'datetime', fieldType: 'date' };
    case 'enumeration':
      return { type: 'enumeration', fieldType: 'select' };
    default:
      return { type: 'string', fieldType: 'text' };
  }
}

function label(name: string): string {
  return name.replace(/^revloop_/, 'revloop ').replace(/_/g, ' ');
}

/** Every property revloop needs on `objectType`, with its definition. */
export function requiredHubSpotProperties(mappings: MappingSet, objectType: HubSpotObjectType, picklists: ReadonlyMap<string, string[]> = new Map()): PropertyDefinition[] {
  const out = new Map<string, PropertyDefinition>();
  const add = (d: PropertyDefinition) => {
    if (!out.has(d.name)) out.set(d.name, d);
  };
  const mapping = objectType === 'contacts' ? mappings.contacts : objectType === 'companies' ? mappings.companies : undefined;
  if (mapping) {
    for (const [object, prop] of Object.entries(mapping.identity.hubspot_properties)) {
      if (prop) add({ name: prop, label: `Salesforce ${object} id`, type: 'string', fieldType: 'text', description: `The linked Salesforce ${object}, kept by revloop.` });
    }
    for (const f of mapping.fields) {
      if (f.rule === 'dont-sync' || f.rule === 'always-hubspot') continue;
      const options = picklists.get(f.hubspot);
      add({ name: f.hubspot, label: f.label ?? label(f.hubspot), ...fromDeclared(f.hubspot_type), ...(options && f.hubspot_type === 'enumeration' ? { options: options.map((v) => ({ label: v, value: v })) } : {}) });
    }
  }
  if (objectType === 'contacts') {
    const { stages, detours } = mappings.lifecycle;
    add({
      name: STAGE_PROPERTY,
      label: 'revloop stage',
      type: 'enumeration',
      fieldType: 'select',
      description: 'The lifecycle stage both teams agreed on, kept by revloop.',
      options: [...stages, ...detours].map((s, i) => ({ label: s.label, value: s.id, displayOrder: i })),
    });
    for (const s of [...stages, ...detours]) add({ name: stageDateProperty(s.id), label: `revloop ${s.label} date`, type: 'datetime', fieldType: 'date', description: `When the person last entered "${s.label}".` });
    for (const d of detours) {
      add({ name: d.reason.hubspot_property, label: `${d.label} reason`, type: 'enumeration', fieldType: 'select', options: d.reason.values.map((v, i) => ({ label: v, value: v, displayOrder: i })) });
    }
    for (const r of mappings.opportunities.rollups) add({ name: r.hubspot, label: r.label ?? label(r.hubspot), ...ROLLUP_TYPES[r.metric] });
  }
  if (objectType === 'deals' && mappings.opportunities.deals.mirror) {
    add({ name: DEAL_KEY_PROPERTY, label: 'Salesforce opportunity id', type: 'string', fieldType: 'text', hasUniqueValue: true, description: 'The Salesforce opportunity this deal mirrors, kept by revloop.' });
    for (const f of mappings.opportunities.deals.fields) add({ name: f.hubspot, label: label(f.hubspot), ...fromDeclared(f.hubspot_type) });
  }
  return [...out.values()];
}

export interface SchemaReport {
  created: Record<string, string[]>;
  existing: number;
}

/**
 * Creates the properties revloop needs and the portal lacks. Enumerations mapped from a Salesforce
 * picklist get its values as options (`picklists` looks them up for the missing ones).
 */
export async function ensureHubSpotSchema(
  api: HubSpotApi,
  mappings: MappingSet,
  picklists: (missing: ReadonlySet<string>) => Promise<ReadonlyMap<string, string[]>> = async () => new Map(),
  /** 'backfill' when a backfill sets the schema up: its calls then leave live changes' share alone. */
  priority: Priority = 'live',
): Promise<SchemaReport> {
  const properties = new HubSpotProperties(api);
  const report: SchemaReport = { created: {}, existing: 0 };
  for (const objectType of ['contacts', 'companies', ...(mappings.opportunities.deals.mirror ? (['deals'] as const) : [])] as const) {
    const have = await properties.list(objectType, priority);
    const absent = new Set(requiredHubSpotProperties(mappings, objectType).filter((d) => !have.has(d.name)).map((d) => d.name));
    const options = absent.size > 0 ? await picklists(absent) : new Map<string, string[]>();
    const missing = requiredHubSpotProperties(mappings, objectType, options).filter((d) => !have.has(d.name));
    report.existing += have.size;
    if (missing.length === 0) continue;
    await properties.ensureGroup(objectType, priority);
    await properties.create(objectType, missing, priority);
    report.created[objectType] = missing.map((d) => d.name);
  }
  return report;
}
