/**
 * The Salesforce fields revloop needs, checked against the org at install (one describe per object):
 * which are missing and how to add them, which exist but revloop's user cannot write, and whether the
 * identity field is an External ID. revloop never changes a Salesforce schema itself: an admin adds
 * fields through Setup (or a package), so the report says exactly what to create.
 */
import type { MappingSet } from '../../config/mapping/mapping-set.js';
import { salesforceFieldOf } from '../../core/sync/record-plan.js';
import { lifecycleFields } from '../../core/lifecycle/person-view.js';
import type { SalesforceApi } from '../../providers/salesforce/salesforce-api.js';
import { opportunityFields, salesforceFields } from '../../worker/sync/load-batch.js';

interface DescribeField {
  name: string;
  type?: string;
  updateable?: boolean;
  createable?: boolean;
  externalId?: boolean;
  unique?: boolean;
}

export interface FieldProblem {
  object: string;
  field: string;
  problem: 'missing' | 'not-writable' | 'not-external-id' | 'not-unique';
  /** Why revloop needs it. */
  why: string;
  /** What an admin does about it. */
  fix: string;
}

export interface SalesforceFieldReport {
  ok: boolean;
  checked: Record<string, number>;
  problems: FieldProblem[];
}

interface Need {
  why: string;
  write: boolean;
  externalId?: boolean;
}

function suggestType(field: string): string {
  if (/_Date__c$/i.test(field)) return 'Date/Time';
  if (/Reason__c$/i.test(field)) return 'Picklist (the reasons of mappings/lifecycle.yaml)';
  if (/HubSpot_Id__c$/i.test(field)) return 'Text(18), External ID, Unique';
  return 'the type its mapping declares (salesforce_type)';
}

/** Every field revloop reads or writes on each object, with why. */
export function requiredSalesforceFields(mappings: MappingSet): Map<string, Map<string, Need>> {
  const out = new Map<string, Map<string, Need>>();
  const need = (object: string, field: string, n: Need) => {
    if (field.includes('.')) return; // read through a relationship (Account.Name): the related object's own field
    const fields = out.get(object) ?? new Map<string, Need>();
    const prior = fields.get(field);
    // The strongest need explains it: being the identity field, then being written, then being read.
    const stronger = !prior || (n.externalId && !prior.externalId) || (n.write && !prior.write && !prior.externalId);
    fields.set(field, { why: stronger ? n.why : prior.why, write: (prior?.write ?? false) || n.write, externalId: (prior?.externalId ?? false) || (n.externalId ?? false) });
    out.set(object, fields);
  };
  for (const [mapping, label] of [[mappings.contacts, 'contacts'], [mappings.companies, 'companies']] as const) {
    const ext = mapping.identity.salesforce_external_id;
    for (const object of mapping.pair.salesforce as readonly string[]) {
      for (const f of salesforceFields(mapping, object, mappings)) need(object, f, { why: `read by the ${label} sync`, write: false });
      for (const f of mapping.fields) {
        const name = salesforceFieldOf(f, object);
        if (!name) continue;
        const writes = f.rule !== 'always-salesforce' && f.rule !== 'dont-sync';
        need(object, name, { why: `mapped to HubSpot ${f.hubspot} (${f.rule}) in mappings/${label}.yaml`, write: writes });
      }
      need(object, ext, { why: `links each ${object} to its HubSpot record (identity.salesforce_external_id in mappings/${label}.yaml)`, write: true, externalId: true });
    }
  }
  for (const [object, fields] of Object.entries(lifecycleFields(mappings).salesforce)) {
    for (const f of fields ?? []) need(object, f, { why: 'read by the lifecycle (mappings/lifecycle.yaml)', write: false });
  }
  // What the lifecycle writes: Lead Status, each stage's date field, each detour's reason (on Lead and Contact).
  const { stages, detours } = mappings.lifecycle;
  for (const s of [...stages, ...detours]) {
    const sf = s.salesforce;
    const objects = !sf || sf.object === 'any' ? ['Lead', 'Contact'] : [sf.object];
    if (sf?.lead_status) need('Lead', 'Status', { why: `the Lead Status of stage ${s.id} (mappings/lifecycle.yaml)`, write: true });
    for (const object of objects) if (sf?.date_field) need(object, sf.date_field, { why: `the date a person entered ${s.id} (mappings/lifecycle.yaml)`, write: true });
  }
  for (const d of detours) for (const object of ['Lead', 'Contact']) need(object, d.reason.salesforce_field, { why: `the ${d.id} reason (mappings/lifecycle.yaml)`, write: true });
  for (const f of opportunityFields(mappings)) need('Opportunity', f, { why: 'opportunity outcomes (mappings/opportunities.yaml)', write: false });
  for (const f of mappings.opportunities.attribution.fields) {
    for (const [object, field] of Object.entries(f.salesforce as Record<string, string | undefined>)) {
      if (field) need(object, field, { why: `attribution from HubSpot ${f.hubspot} (mappings/opportunities.yaml)`, write: true });
    }
  }
  return out;
}

export async function checkSalesforceFields(api: SalesforceApi, mappings: MappingSet): Promise<SalesforceFieldReport> {
  const problems: FieldProblem[] = [];
  const checked: Record<string, number> = {};
  for (const [object, needs] of requiredSalesforceFields(mappings)) {
    const describe = await api.call(`${object}.describe`, (conn) => conn.sobject(object).describe() as unknown as Promise<{ fields: DescribeField[] }>);
    const byName = new Map(describe.fields.map((f) => [f.name.toLowerCase(), f]));
    checked[object] = needs.size;
    for (const [field, n] of needs) {
      const found = byName.get(field.toLowerCase());
      const setup = `Setup → Object Manager → ${object} → Fields & Relationships`;
      if (!found) {
        problems.push({ object, field, problem: 'missing', why: n.why, fix: `create the field ${object}.${field} (${suggestType(field)}) in ${setup} → New, and give revloop's integration user edit access to it` });
        continue;
      }
      if (n.write && found.updateable === false && found.createable === false) {
        problems.push({ object, field, problem: 'not-writable', why: n.why, fix: `grant field access to ${object}.${field}: give revloop's integration user edit access (${setup} → ${field} → Set Field-Level Security)` });
      }
      if (n.externalId && found.externalId === false) {
        problems.push({ object, field, problem: 'not-external-id', why: n.why, fix: `edit ${object}.${field} in ${setup} and tick "External ID" (and "Unique"), so revloop can upsert by it` });
      } else if (n.externalId && found.unique === false) {
        // revloop creates records with inserts that carry the HubSpot id: only a unique field refuses a second
        // record for the same HubSpot record (two jobs creating one person at once).
        problems.push({ object, field, problem: 'not-unique', why: n.why, fix: `edit ${object}.${field} in ${setup} and tick "Unique", so a second ${object} for the same HubSpot record is refused` });
      }
    }
  }
  return { ok: problems.length === 0, checked, problems };
}
