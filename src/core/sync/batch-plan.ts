/**
 * Plans one batch of an object pair (contacts ↔ Leads/Contacts, companies ↔ Accounts): pairs every
 * record with its counterpart (link, then the match keys), decides creations (with Lead-vs-Contact
 * routing) and computes the field writes of each pair. Pure: the worker loads everything first.
 */
import { fieldRefsOf, type Condition } from '../../config/mapping/schema/condition.js';
import type { ObjectMappingFile } from '../../config/mapping/schema/object-mapping.js';
import { evaluate, type ConditionView, type RecordValues } from '../conditions.js';
import type { FieldLedgerEntry, Side } from './field-plan.js';
import { CandidateIndex, matchHubSpotRecord, normaliseEmail, routeNewPerson, type SalesforceCandidate } from './identity.js';
import { planCreate, planRecord, salesforceFieldOf, type HubSpotRecordView, type SalesforceRecordView } from './record-plan.js';
import type { OwnerDirectory } from './transforms.js';
import type { Lifecycle } from '../lifecycle/definition.js';
import { evaluateLifecycle, type LifecycleDecision, type LifecycleState } from '../lifecycle/evaluate.js';
import { observedOf, personView, stateFromHubSpot, type PersonRecords } from '../lifecycle/person-view.js';
import type { OpportunityRecord } from '../opportunities/people.js';
import { computeRollups, rollupWrites } from '../opportunities/rollups.js';
import type { AttributionField, RollupDefinition } from '../../config/mapping/schema/opportunities.js';
import { planAttribution } from '../opportunities/attribution.js';

export interface SalesforceRef {
  object: string;
  id: string;
}

export interface LoadedSalesforceRecord extends SalesforceRecordView {
  createdAt?: number;
  /** A converted Lead: where its person went. */
  convertedContactId?: string | null;
  converted?: boolean;
  deleted?: boolean;
}

export interface BatchInput {
  pair: 'contacts' | 'companies';
  mapping: ObjectMappingFile;
  /** HubSpot records of the batch (by id). */
  hubspot: ReadonlyMap<string, HubSpotRecordView>;
  /** Salesforce records of the batch and every candidate loaded for matching (by id). */
  salesforce: ReadonlyMap<string, LoadedSalesforceRecord>;
  /** HubSpot records found by email for Salesforce records without a link. */
  hubspotByEmail: ReadonlyMap<string, HubSpotRecordView>;
  /** Stored links of the batch's HubSpot records. */
  links: ReadonlyMap<string, SalesforceRef>;
  /** Stored links of the batch's Salesforce records (Salesforce id → HubSpot id). */
  reverseLinks: ReadonlyMap<string, string>;
  /** Which ids the batch is about (the signals); candidates loaded only for matching are not synced on their own. */
  hubspotIds: readonly string[];
  salesforceIds: readonly string[];
  /** Accounts for routing new people (domain/name). */
  accounts: readonly SalesforceCandidate[];
  ledgers: ReadonlyMap<string, Readonly<Record<string, FieldLedgerEntry>>>;
  owners?: OwnerDirectory;
  only?: ReadonlySet<string>;
  now: number;
  /** The lifecycle to evaluate for every person of the batch (contacts only). */
  lifecycle?: {
    definition: Lifecycle;
    states: ReadonlyMap<string, LifecycleState>;
    /** Opportunities of each Salesforce person (by Contact id). */
    opportunities: ReadonlyMap<string, readonly OpportunityRecord[]>;
    /** Outcome roll-ups written onto the HubSpot contact (opportunities.yaml). */
    rollups?: { definitions: readonly RollupDefinition[]; lossReasonField?: string | undefined; daysFrom: string };
    /** The person (Contact id) each opportunity is attributed to. */
    attributedTo?: ReadonlyMap<string, string>;
    /** Marketing attribution carried to the Lead, Contact and attributed opportunities. */
    attribution?: readonly AttributionField[];
  };
}

export interface PersonLifecycle {
  /** The HubSpot id, or undefined for a person being created in HubSpot (then `salesforce` names it). */
  hubspotId: string | undefined;
  salesforce: SalesforceRef | undefined;
  decision: LifecycleDecision;
  records: PersonRecords;
}

export interface PairPlan {
  hubspotId: string;
  salesforce: SalesforceRef;
  /** How the pair was found: a stored link, or a match key (the link is new). */
  via: string;
  hubspotWrites: Record<string, string>;
  salesforceWrites: Record<string, string | number | boolean | null>;
  ledger: Record<string, FieldLedgerEntry>;
  ambiguous?: string[];
  /** Clear HubSpot's lifecyclestage before setting it (a move back). */
  hubspotClearFirst?: boolean;
}

export interface CreateInSalesforce {
  hubspotId: string;
  object: string;
  values: Record<string, string | number | boolean | null>;
  /** Values flowing back to the HubSpot record at once (a new Contact's Account name, industry, ...). */
  hubspotValues: Record<string, string>;
  ledger: Record<string, FieldLedgerEntry>;
}

export interface CreateInHubSpot {
  salesforce: SalesforceRef;
  /** The unique value HubSpot upserts on (email for contacts), or undefined to create. */
  email: string | undefined;
  values: Record<string, string>;
  /** Values the Salesforce record gets once linked (the lifecycle's dates and status). */
  salesforceValues?: Record<string, string | null>;
  ledger: Record<string, FieldLedgerEntry>;
}

export interface InvalidValue {
  side: Side;
  hubspotId?: string;
  salesforceId?: string;
  /** The Salesforce object of the record (its parked entry is keyed by it, as its clearing is). */
  salesforceObject?: string;
  field: string;
  message: string;
}

export interface BatchPlan {
  lifecycle: PersonLifecycle[];
  /** Attribution written onto opportunities (their attributed person's source and campaigns). */
  opportunityWrites: Array<{ id: string; hubspotId: string; fields: Record<string, string | number | boolean | null> }>;
  pairs: PairPlan[];
  createInSalesforce: CreateInSalesforce[];
  createInHubSpot: CreateInHubSpot[];
  invalid: InvalidValue[];
  /** Records left alone, with why (out of scope, no key to match or create by). */
  skipped: Array<{ record: string; reason: string }>;
}

function hubspotIdProperty(mapping: ObjectMappingFile, object: string): string | undefined {
  return (mapping.identity.hubspot_properties as Readonly<Record<string, string | undefined>>)[object];
}

/** The records a Salesforce-side condition reads, by scope. */
export function salesforceView(record: LoadedSalesforceRecord): ConditionView {
  const fields = record.fields as RecordValues;
  const account = (fields.Account ?? undefined) as RecordValues | undefined;
  return {
    salesforce: fields,
    ...(record.object === 'Lead' ? { lead: fields } : {}),
    ...(record.object === 'Contact' ? { contact: fields } : {}),
    ...(record.object === 'Account' ? { account: fields } : account ? { account } : {}),
  };
}

function inScope(condition: Condition | undefined, view: ConditionView, now: number): boolean {
  return condition === undefined || evaluate(condition, view, now);
}

/** Salesforce fields a condition reads on `object` (scope conditions name salesforce./lead./contact./account.). */
export function salesforceFieldsOf(condition: Condition | undefined, object: string): string[] {
  if (!condition) return [];
  const out: string[] = [];
  for (const { ref } of fieldRefsOf(condition)) {
    if (ref.scope === 'salesforce' || ref.scope.toLowerCase() === object.toLowerCase()) out.push(ref.name);
    else if (ref.scope === 'account' && object === 'Contact') out.push(`Account.${ref.name}`);
  }
  return out;
}

export function hubspotPropertiesOf(condition: Condition | undefined): string[] {
  if (!condition) return [];
  return fieldRefsOf(condition)
    .filter((r) => r.ref.scope === 'hubspot')
    .map((r) => r.ref.name);
}

export function planBatch(input: BatchInput): BatchPlan {
  const { mapping, now } = input;
  const plan: BatchPlan = { lifecycle: [], opportunityWrites: [], pairs: [], createInSalesforce: [], createInHubSpot: [], invalid: [], skipped: [] };
  const objects = mapping.pair.salesforce as readonly string[];
  const candidates = new CandidateIndex(
    [...input.salesforce.values()]
      .filter((r) => !r.deleted && objects.includes(r.object))
      .map((r) => ({
        object: r.object,
        id: r.id,
        email: (r.fields.Email as string | null | undefined) ?? null,
        externalId: (r.fields[mapping.identity.salesforce_external_id] as string | null | undefined) ?? null,
        domain: (r.fields.Website as string | null | undefined) ?? null,
        name: (r.fields.Name as string | null | undefined) ?? null,
        ...(r.createdAt !== undefined ? { createdAt: r.createdAt } : {}),
        converted: r.converted === true,
      })),
  );
  const accounts = new CandidateIndex(input.accounts);
  const pairedSalesforce = new Set<string>();
  const planned = new Set<string>();

  const addPair = (hubspot: HubSpotRecordView, sf: LoadedSalesforceRecord, via: string, ambiguous?: string[]) => {
    if (planned.has(hubspot.id) || pairedSalesforce.has(sf.id)) return;
    planned.add(hubspot.id);
    pairedSalesforce.add(sf.id);
    const record = planRecord({
      fields: mapping.fields,
      salesforceObject: sf.object,
      hubspot,
      salesforce: sf,
      ledger: input.ledgers.get(hubspot.id) ?? {},
      ...(input.owners ? { owners: input.owners } : {}),
      ...(input.only ? { only: input.only } : {}),
      now,
    });
    // The plan's own objects (fresh for this pair) take the link writes too.
    const hubspotWrites = record.hubspot;
    const salesforceWrites = record.salesforce;
    const idProperty = hubspotIdProperty(mapping, sf.object);
    if (idProperty && hubspot.properties[idProperty] !== sf.id) hubspotWrites[idProperty] = sf.id;
    const ext = mapping.identity.salesforce_external_id;
    if (sf.fields[ext] !== hubspot.id) salesforceWrites[ext] = hubspot.id;
    for (const bad of record.invalid) {
      plan.invalid.push({ side: bad.side, hubspotId: hubspot.id, salesforceId: sf.id, salesforceObject: sf.object, field: bad.side === 'hubspot' ? bad.hubspot : bad.salesforce, message: bad.message });
    }
    plan.pairs.push({ hubspotId: hubspot.id, salesforce: { object: sf.object, id: sf.id }, via, hubspotWrites, salesforceWrites, ledger: record.ledger, ...(ambiguous ? { ambiguous } : {}) });
  };

  // HubSpot side of the batch.
  for (const hsId of input.hubspotIds) {
    const hubspot = input.hubspot.get(hsId);
    if (!hubspot) continue;
    if (!inScope(mapping.scope.hubspot, { hubspot: hubspot.properties }, now)) {
      plan.skipped.push({ record: `hubspot:${input.pair}:${hsId}`, reason: 'out of the HubSpot scope' });
      continue;
    }
    const stored = input.links.get(hsId);
    const linkedIds: Record<string, string | null | undefined> = {};
    for (const object of objects) {
      const prop = hubspotIdProperty(mapping, object);
      if (prop) linkedIds[object] = hubspot.properties[prop];
    }
    // A converted Lead hands its person over to the Contact it became.
    const leadId = stored?.object === 'Lead' ? stored.id : linkedIds.Lead;
    const lead = leadId ? input.salesforce.get(leadId) : undefined;
    if (lead?.converted && lead.convertedContactId) linkedIds.Contact = lead.convertedContactId;
    const storedLink = stored && input.salesforce.get(stored.id)?.converted ? undefined : stored;
    const match = matchHubSpotRecord(
      { id: hsId, email: hubspot.properties.email ?? null, domain: hubspot.properties.domain ?? hubspot.properties.website ?? null, name: hubspot.properties.name ?? null, linkedIds },
      candidates,
      mapping.match,
      storedLink,
    );
    if (match.kind === 'linked') {
      const sf = input.salesforce.get(match.id) as LoadedSalesforceRecord;
      if (!inScope(mapping.scope.salesforce, salesforceView(sf), now)) {
        plan.skipped.push({ record: `salesforce:${sf.object}:${sf.id}`, reason: 'out of the Salesforce scope' });
        continue;
      }
      addPair(hubspot, sf, match.via, match.ambiguous);
      continue;
    }
    // No counterpart: create one in Salesforce.
    let object = objects[0] as string;
    let accountId: string | undefined;
    let account: SalesforceCandidate | undefined;
    if (input.pair === 'contacts' && 'routing' in mapping) {
      const route = routeNewPerson(
        mapping.routing.contact_when_account_matches,
        { email: hubspot.properties.email ?? null, matchValue: mapping.routing.match_property ? (hubspot.properties[mapping.routing.match_property] ?? null) : null, company: hubspot.properties.company ?? null },
        accounts,
        mapping.routing.otherwise,
      );
      object = route.object;
      if ('accountId' in route && route.accountId !== undefined) {
        accountId = route.accountId;
        account = 'account' in route ? route.account : undefined;
      }
    }
    const created = planCreate({ fields: mapping.fields, salesforceObject: object, target: 'salesforce', hubspot, salesforce: undefined, ...(input.owners ? { owners: input.owners } : {}), now });
    const values = created.salesforce;
    values[mapping.identity.salesforce_external_id] = hsId;
    if (accountId) values.AccountId = accountId;
    if (object === 'Lead' && 'routing' in mapping) {
      if (values.LastName === undefined || values.LastName === null) values.LastName = mapping.routing.lead_company_fallback;
      if (values.Company === undefined || values.Company === null) values.Company = mapping.routing.lead_company_fallback;
    }
    if (object === 'Contact' && 'routing' in mapping && (values.LastName === undefined || values.LastName === null)) values.LastName = mapping.routing.lead_company_fallback;
    for (const bad of created.invalid) plan.invalid.push({ side: 'salesforce', hubspotId: hsId, salesforceObject: object, field: bad.salesforce, message: bad.message });
    // Fields a Contact reads through its Account are known now: they flow to HubSpot with the link.
    let hubspotValues: Record<string, string> = {};
    if (account?.fields) {
      const throughAccount = mapping.fields.filter((f) => salesforceFieldOf(f, object)?.startsWith('Account.')).map((f) => f.hubspot);
      if (throughAccount.length > 0) {
        const back = planRecord({
          fields: mapping.fields,
          salesforceObject: object,
          hubspot,
          salesforce: { object, id: '', fields: { Account: account.fields }, fieldChangedAt: {}, modifiedAt: now },
          ledger: {},
          only: new Set(throughAccount),
          ...(input.owners ? { owners: input.owners } : {}),
          now,
        });
        hubspotValues = back.hubspot;
        Object.assign(created.ledger, back.ledger);
      }
    }
    plan.createInSalesforce.push({ hubspotId: hsId, object, values, hubspotValues, ledger: created.ledger });
    planned.add(hsId);
  }

  // Salesforce side of the batch.
  for (const sfId of input.salesforceIds) {
    const sf = input.salesforce.get(sfId);
    if (!sf || sf.deleted || pairedSalesforce.has(sfId)) continue;
    if (sf.converted) {
      plan.skipped.push({ record: `salesforce:${sf.object}:${sfId}`, reason: 'converted lead (its Contact carries the person)' });
      continue;
    }
    if (!inScope(mapping.scope.salesforce, salesforceView(sf), now)) {
      plan.skipped.push({ record: `salesforce:${sf.object}:${sfId}`, reason: 'out of the Salesforce scope' });
      continue;
    }
    const linkedHs = input.reverseLinks.get(sfId) ?? (sf.fields[mapping.identity.salesforce_external_id] as string | null | undefined) ?? undefined;
    const email = normaliseEmail(sf.fields.Email as string | null | undefined);
    const hubspot = (linkedHs ? input.hubspot.get(linkedHs) : undefined) ?? (email ? input.hubspotByEmail.get(email) : undefined);
    if (hubspot) {
      if (!inScope(mapping.scope.hubspot, { hubspot: hubspot.properties }, now)) {
        plan.skipped.push({ record: `hubspot:${input.pair}:${hubspot.id}`, reason: 'out of the HubSpot scope' });
        continue;
      }
      addPair(hubspot, sf, linkedHs && hubspot.id === linkedHs ? 'link' : 'email');
      continue;
    }
    if (input.pair === 'contacts' && !email) {
      plan.skipped.push({ record: `salesforce:${sf.object}:${sfId}`, reason: 'no email to create the HubSpot contact with' });
      continue;
    }
    const created = planCreate({ fields: mapping.fields, salesforceObject: sf.object, target: 'hubspot', hubspot: undefined, salesforce: sf, ...(input.owners ? { owners: input.owners } : {}), now });
    const values = created.hubspot;
    const idProperty = hubspotIdProperty(mapping, sf.object);
    if (idProperty) values[idProperty] = sfId;
    for (const bad of created.invalid) plan.invalid.push({ side: 'hubspot', salesforceId: sfId, field: bad.hubspot, message: bad.message });
    plan.createInHubSpot.push({ salesforce: { object: sf.object, id: sfId }, email: input.pair === 'contacts' ? email : undefined, values, ledger: created.ledger });
    pairedSalesforce.add(sfId);
  }
  if (input.lifecycle) planLifecycle(input, plan, input.lifecycle);
  return plan;
}

/** Evaluates the lifecycle of every person of the batch on the values they will hold after the sync. */
function planLifecycle(input: BatchInput, plan: BatchPlan, lifecycle: NonNullable<BatchInput['lifecycle']>): void {
  const opportunitiesOf = (sf: SalesforceRef | undefined) => (sf && sf.object === 'Contact' ? (lifecycle.opportunities.get(sf.id) ?? []) : []);
  // Attribution: onto the person's Lead or Contact, and onto the opportunities they are the attributed person of.
  const written = new Set<string>();
  const attribute = (hubspotId: string, sf: SalesforceRef, records: PersonRecords, into: Record<string, string | number | boolean | null>) => {
    const fields = lifecycle.attribution;
    if (!fields || fields.length === 0 || !records.hubspot || (sf.object !== 'Lead' && sf.object !== 'Contact')) return;
    const own = planAttribution(fields, sf.object, records.hubspot, records.salesforce?.fields ?? {});
    for (const [field, value] of Object.entries(own.writes)) if (!(field in into)) into[field] = value;
    for (const bad of own.invalid) plan.invalid.push({ side: 'salesforce', hubspotId, ...(sf.id ? { salesforceId: sf.id } : {}), salesforceObject: sf.object, field: bad.field, message: bad.message });
    if (sf.object !== 'Contact' || !sf.id) return;
    for (const o of records.opportunities) {
      if (written.has(o.Id) || lifecycle.attributedTo?.get(o.Id) !== sf.id) continue;
      const opp = planAttribution(fields, 'Opportunity', records.hubspot, o);
      if (Object.keys(opp.writes).length > 0) {
        plan.opportunityWrites.push({ id: o.Id, hubspotId, fields: opp.writes });
        written.add(o.Id);
      }
    }
  };
  // Outcome roll-ups from all of the person's opportunities, only where they differ from the contact.
  const rollupsOf = (records: PersonRecords, d: LifecycleDecision): Record<string, string> => {
    const r = lifecycle.rollups;
    if (!r || r.definitions.length === 0) return {};
    const values = computeRollups(records.opportunities, r.definitions, { lossReasonField: r.lossReasonField, daysFrom: d.state.enteredAt[r.daysFrom] });
    return rollupWrites(values, records.hubspot ?? {});
  };
  const decide = (hubspotId: string | undefined, sf: SalesforceRef | undefined, records: PersonRecords): LifecycleDecision => {
    const stored = hubspotId ? lifecycle.states.get(hubspotId) : undefined;
    const state = stored ?? stateFromHubSpot(lifecycle.definition, records.hubspot);
    const decision = evaluateLifecycle(lifecycle.definition, { view: personView(records), state, observed: observedOf(lifecycle.definition, records), now: input.now });
    plan.lifecycle.push({ hubspotId, salesforce: sf, decision, records });
    return decision;
  };
  for (const pair of plan.pairs) {
    const hs = input.hubspot.get(pair.hubspotId);
    const sf = input.salesforce.get(pair.salesforce.id);
    const records: PersonRecords = {
      hubspot: { ...(hs?.properties ?? {}), ...pair.hubspotWrites },
      salesforce: { object: pair.salesforce.object, fields: { ...(sf?.fields ?? {}), ...pair.salesforceWrites } },
      opportunities: opportunitiesOf(pair.salesforce),
    };
    const d = decide(pair.hubspotId, pair.salesforce, records);
    Object.assign(pair.hubspotWrites, d.hubspot);
    Object.assign(pair.salesforceWrites, d.salesforce);
    if (d.hubspotClearFirst) pair.hubspotClearFirst = true;
    Object.assign(pair.hubspotWrites, rollupsOf(records, d));
    attribute(pair.hubspotId, pair.salesforce, records, pair.salesforceWrites);
  }
  for (const c of plan.createInSalesforce) {
    const hs = input.hubspot.get(c.hubspotId);
    const records: PersonRecords = { hubspot: { ...(hs?.properties ?? {}), ...c.hubspotValues }, salesforce: { object: c.object, fields: c.values }, opportunities: [] };
    const d = decide(c.hubspotId, undefined, records);
    Object.assign(c.values, c.object === 'Lead' ? d.salesforce : Object.fromEntries(Object.entries(d.salesforce).filter(([k]) => k !== 'Status')));
    Object.assign(c.hubspotValues, d.hubspot);
    attribute(c.hubspotId, { object: c.object, id: '' }, records, c.values);
  }
  for (const c of plan.createInHubSpot) {
    const sf = input.salesforce.get(c.salesforce.id);
    const records: PersonRecords = { hubspot: c.values, salesforce: sf ? { object: sf.object, fields: sf.fields } : undefined, opportunities: opportunitiesOf(c.salesforce) };
    const d = decide(undefined, c.salesforce, records);
    Object.assign(c.values, d.hubspot);
    c.salesforceValues = d.salesforce;
    Object.assign(c.values, rollupsOf(records, d));
  }
}
