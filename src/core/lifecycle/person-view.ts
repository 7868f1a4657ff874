/**
 * What the lifecycle reads of a person, assembled from both systems: the HubSpot contact, the linked
 * Lead or Contact (a Contact counts as a converted lead), its Account and its opportunities; and what
 * both systems show of the lifecycle now. Pure.
 */
import { stageDateProperty, STAGE_PROPERTY, type MappingSet } from '../../config/mapping/mapping-set.js';
import { fieldRefsOf, type Condition } from '../../config/mapping/schema/condition.js';
import type { ConditionView, RecordValues } from '../conditions.js';
import type { OpportunityRecord } from '../opportunities/people.js';
import type { Lifecycle } from './definition.js';
import type { LifecycleObserved, LifecycleState } from './evaluate.js';

export interface PersonRecords {
  hubspot: Readonly<Record<string, string | null | undefined>> | undefined;
  salesforce: { object: string; fields: RecordValues } | undefined;
  opportunities: readonly OpportunityRecord[];
}

/** What a Contact shows as its lead: a converted one. */
const CONVERTED: RecordValues = Object.freeze({ IsConverted: true });

export function personView(p: PersonRecords): ConditionView {
  const sf = p.salesforce;
  const isContact = sf?.object === 'Contact';
  // Built field by field: asked for every person of every batch, and spreads cost more than the rest.
  const view: ConditionView = {};
  if (p.hubspot) view.hubspot = p.hubspot as RecordValues;
  if (sf) view.salesforce = sf.fields;
  if (sf?.object === 'Lead') view.lead = sf.fields;
  else if (isContact) view.lead = CONVERTED;
  if (isContact) {
    view.contact = sf.fields;
    if (sf.fields.Account && typeof sf.fields.Account === 'object') view.account = sf.fields.Account as RecordValues;
  }
  view.opportunities = p.opportunities as readonly RecordValues[];
  return view;
}

export function observedOf(lifecycle: Lifecycle, p: PersonRecords): LifecycleObserved {
  const hs = p.hubspot ?? {};
  const sf = p.salesforce;
  const reasons: Record<string, string | null | undefined> = {};
  for (const d of lifecycle.detours) if (d.detour && sf) reasons[d.id] = (sf.fields[d.detour.reason.salesforce_field] as string | null | undefined) ?? null;
  const hubspotDates: Record<string, string | null | undefined> = {};
  for (const s of lifecycle.stages.values()) hubspotDates[stageDateProperty(s.id)] = hs[stageDateProperty(s.id)];
  return {
    hubspotLifecycleStage: hs.lifecyclestage ?? null,
    hubspotLeadStatus: hs.hs_lead_status ?? null,
    hubspotStage: hs[STAGE_PROPERTY] ?? null,
    ...(sf && (sf.object === 'Lead' || sf.object === 'Contact') ? { salesforceObject: sf.object } : {}),
    salesforceLeadStatus: sf?.object === 'Lead' ? ((sf.fields.Status as string | null | undefined) ?? null) : null,
    reasons,
    hubspotDates,
  };
}

/** The stored state, or, when revloop's own store lost it, the one the HubSpot contact carries. */
export function stateFromHubSpot(lifecycle: Lifecycle, hubspot: Readonly<Record<string, string | null | undefined>> | undefined): LifecycleState {
  const stage = hubspot?.[STAGE_PROPERTY] ?? undefined;
  const enteredAt: Record<string, number> = {};
  for (const s of lifecycle.stages.values()) {
    const raw = hubspot?.[stageDateProperty(s.id)];
    const ms = raw ? (/^\d+$/.test(raw) ? Number(raw) : Date.parse(raw)) : NaN;
    if (!Number.isNaN(ms)) enteredAt[s.id] = ms;
  }
  return { stage: stage && lifecycle.get(stage) ? stage : undefined, enteredAt, ...(stage && lifecycle.get(stage)?.detour ? { armed: false } : {}) };
}

/** HubSpot properties and Salesforce fields (per object) the lifecycle reads or shows. */
export function lifecycleFields(mappings: MappingSet): { hubspot: string[]; salesforce: Record<string, string[]> } {
  const lifecycle = mappings.lifecycle;
  const hubspot = new Set<string>(['lifecyclestage', 'hs_lead_status', STAGE_PROPERTY]);
  const lead = new Set<string>(['Status', 'OwnerId']);
  const contact = new Set<string>(['OwnerId', 'AccountId']);
  const conditions: Condition[] = [];
  for (const s of [...lifecycle.stages, ...lifecycle.detours]) {
    hubspot.add(stageDateProperty(s.id));
    if (s.entry) conditions.push(s.entry);
    if (s.salesforce?.date_field) {
      lead.add(s.salesforce.date_field);
      contact.add(s.salesforce.date_field);
    }
  }
  for (const d of lifecycle.detours) {
    hubspot.add(d.reason.hubspot_property);
    lead.add(d.reason.salesforce_field);
    contact.add(d.reason.salesforce_field);
  }
  for (const seg of lifecycle.sla?.segments ?? []) if (seg.when) conditions.push(seg.when);
  for (const c of conditions) {
    for (const { ref, relation } of fieldRefsOf(c)) {
      if (relation) continue;
      if (ref.scope === 'hubspot') hubspot.add(ref.name);
      else if (ref.scope === 'lead') lead.add(ref.name);
      else if (ref.scope === 'contact') contact.add(ref.name);
      else if (ref.scope === 'salesforce') {
        lead.add(ref.name);
        contact.add(ref.name);
      } else if (ref.scope === 'account') contact.add(`Account.${ref.name}`);
    }
  }
  lead.delete('IsConverted');
  return { hubspot: [...hubspot], salesforce: { Lead: [...lead, 'IsConverted'], Contact: [...contact] } };
}
