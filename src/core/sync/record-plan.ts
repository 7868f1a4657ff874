/**
 * Plans the field writes for one linked record pair (or for creating the missing side) under an
 * object mapping. Pure: values, change times and the ledger come in; writes, the ledger after the
 * writes and an explanation of every decision come out.
 */
import type { FieldMapping, ObjectMappingFile } from '../../config/mapping/schema/object-mapping.js';
import { planField, type FieldDecision, type FieldInput, type FieldLedgerEntry, type Side } from './field-plan.js';
import { applyTransforms, EMPTY_OWNERS, type OwnerDirectory, type TransformResult } from './transforms.js';
import { isBlank, type SalesforceValue } from './values.js';

export interface HubSpotRecordView {
  id: string;
  properties: Readonly<Record<string, string | null | undefined>>;
  /** When each property last changed (property history), epoch ms. */
  propertyChangedAt: Readonly<Record<string, number>>;
  /** hs_lastmodifieddate, the fallback change time. */
  modifiedAt: number | undefined;
  /**
   * Properties holding a change that revloop's own write overwrote unseen (planned before it): the view
   * holds that change again, with its time, and HubSpot gets the decided value back.
   */
  restored?: ReadonlySet<string>;
}

export interface SalesforceRecordView {
  object: string;
  id: string;
  /** Field values by API name; parent relationships nested (`Account: { Name }`). */
  fields: Readonly<Record<string, unknown>>;
  /** Per-field change times known from change events, epoch ms. */
  fieldChangedAt: Readonly<Record<string, number>>;
  /** LastModifiedDate, the fallback change time. */
  modifiedAt: number | undefined;
  /** Fields holding a change that revloop's own write overwrote unseen (see HubSpotRecordView.restored). */
  restored?: ReadonlySet<string>;
}

/**
 * The ledger of a field with an overwritten change put back: both sides count as changed, so the most
 * recent change decides, as it would have before the overwriting write (whose ledger says otherwise).
 */
const CONTESTED: FieldLedgerEntry = { hubspot: '(contested)', salesforce: '(contested)', at: 0 };

/** A record being created has no ledger. */
const NO_LEDGER: Readonly<Record<string, FieldLedgerEntry>> = Object.freeze({});

export interface RecordPlanInput {
  fields: readonly FieldMapping[];
  salesforceObject: string;
  hubspot: HubSpotRecordView | undefined;
  salesforce: SalesforceRecordView | undefined;
  /** Field ledger keyed by HubSpot property name. */
  ledger: Readonly<Record<string, FieldLedgerEntry>>;
  owners?: OwnerDirectory;
  /** Only these HubSpot properties (a backfill of selected fields). */
  only?: ReadonlySet<string>;
  now: number;
  /** Keep every field's decision in `outcomes` (to explain a plan); a sync leaves it empty. */
  explain?: boolean;
}

export interface FieldOutcome {
  hubspot: string;
  salesforce: string;
  decision: FieldDecision;
}

export interface RecordPlan {
  hubspot: Record<string, string>;
  salesforce: Record<string, string | number | boolean | null>;
  /** The ledger entries to store once the writes succeeded. */
  ledger: Record<string, FieldLedgerEntry>;
  /** Every field's decision, when the input asked to explain. */
  outcomes: FieldOutcome[];
  /** Values that cannot be written (a record-level validation problem), per target side. */
  invalid: Array<{ side: Side; hubspot: string; salesforce: string; message: string }>;
}

/** The Salesforce field a mapping uses on `object`, or undefined when it does not apply there. */
export function salesforceFieldOf(field: FieldMapping, object: string): string | undefined {
  if (typeof field.salesforce === 'string') return field.salesforce;
  return (field.salesforce as Readonly<Record<string, string | undefined>>)[object];
}

/** Reads `Account.Name` style paths from a record with nested parents. */
export function readPath(fields: Readonly<Record<string, unknown>>, path: string): SalesforceValue {
  if (!path.includes('.')) {
    const value = fields[path];
    return value === undefined || (typeof value === 'object' && value !== null) ? null : (value as SalesforceValue);
  }
  let current: unknown = fields;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return null;
    current = (current as Record<string, unknown>)[part];
  }
  if (current === undefined) return null;
  return typeof current === 'object' && current !== null ? null : (current as SalesforceValue);
}

/** What planning needs to know of a field mapping's transforms, worked out once per mapping. */
interface FieldFacts {
  concat: Extract<FieldMapping['transform'][number], { kind: 'concat' }> | undefined;
  fromHubSpotConcat: boolean;
  fromSalesforceConcat: boolean;
}

const factsOf = new WeakMap<FieldMapping, FieldFacts>();

function facts(field: FieldMapping): FieldFacts {
  let f = factsOf.get(field);
  if (!f) {
    const concat = field.transform.find((t) => t.kind === 'concat');
    const c = concat?.kind === 'concat' ? concat : undefined;
    f = { concat: c, fromHubSpotConcat: c?.concat.hubspot !== undefined, fromSalesforceConcat: c !== undefined && c.concat.salesforce !== undefined };
    factsOf.set(field, f);
  }
  return f;
}

function concatSource(field: FieldMapping, hubspot: HubSpotRecordView | undefined, salesforce: SalesforceRecordView | undefined): SalesforceValue | undefined {
  const concat = facts(field).concat;
  if (!concat) return undefined;
  const parts = concat.concat.hubspot
    ? concat.concat.hubspot.map((p) => hubspot?.properties[p])
    : (concat.concat.salesforce ?? []).map((p) => (salesforce ? readPath(salesforce.fields, p) : null));
  const present = parts.filter((p) => !isBlank(p)).map(String);
  return present.length === 0 ? null : present.join(concat.concat.separator);
}

export function planRecord(input: RecordPlanInput): RecordPlan {
  const plan: RecordPlan = { hubspot: {}, salesforce: {}, ledger: {}, outcomes: [], invalid: [] };
  const owners = input.owners ?? EMPTY_OWNERS;
  // One input for every field of the record, filled in turn (planField keeps nothing of it), and one
  // result per direction for a field without transforms: a record of twenty fields made a hundred
  // short-lived objects here, the largest share of what a backfill allocates while planning.
  const hubspotSide: FieldInput['hubspot'] = { value: null, changedAt: undefined };
  const salesforceSide: FieldInput['salesforce'] = { value: null, changedAt: undefined };
  const asIsToSalesforce = { kind: 'value' as const, value: null as SalesforceValue };
  const asIsToHubSpot = { kind: 'value' as const, value: null as SalesforceValue };
  const fieldInput: FieldInput = {
    rule: 'dont-sync',
    blank: 'clear',
    hubspotType: 'string',
    salesforceType: 'string',
    salesforceWritable: false,
    hubspot: hubspotSide,
    salesforce: salesforceSide,
    towardSalesforce: asIsToSalesforce,
    towardHubSpot: asIsToHubSpot,
    ledger: undefined,
  };
  for (const field of input.fields) {
    if (input.only && !input.only.has(field.hubspot)) continue;
    const sfField = salesforceFieldOf(field, input.salesforceObject);
    if (sfField === undefined) continue;
    const { fromHubSpotConcat, fromSalesforceConcat } = facts(field);
    const concatted = fromHubSpotConcat || fromSalesforceConcat ? concatSource(field, input.hubspot, input.salesforce) : undefined;
    const hsValue: SalesforceValue = fromHubSpotConcat ? concatted : input.hubspot?.properties[field.hubspot];
    const sfValue: SalesforceValue = fromSalesforceConcat ? concatted : input.salesforce ? readPath(input.salesforce.fields, sfField) : null;
    const hsAt = input.hubspot ? (input.hubspot.propertyChangedAt[field.hubspot] ?? input.hubspot.modifiedAt) : undefined;
    const sfAt = input.salesforce ? (input.salesforce.fieldChangedAt[sfField] ?? input.salesforce.modifiedAt) : undefined;
    let towardSalesforce: TransformResult;
    let towardHubSpot: TransformResult;
    if (field.transform.length === 0) {
      asIsToSalesforce.value = hsValue;
      asIsToHubSpot.value = sfValue;
      towardSalesforce = asIsToSalesforce;
      towardHubSpot = asIsToHubSpot;
    } else {
      towardSalesforce = applyTransforms(field.transform, hsValue, 'toSalesforce', owners);
      towardHubSpot = applyTransforms(field.transform, sfValue, 'toHubSpot', owners);
    }
    const restoreHubSpot = input.hubspot?.restored?.has(field.hubspot) === true;
    const restoreSalesforce = input.salesforce?.restored?.has(sfField) === true;
    const ledger = restoreHubSpot || restoreSalesforce ? CONTESTED : input.ledger[field.hubspot];
    hubspotSide.value = hsValue;
    hubspotSide.changedAt = hsAt;
    salesforceSide.value = sfValue;
    salesforceSide.changedAt = sfAt;
    fieldInput.rule = field.rule;
    fieldInput.blank = field.blank;
    fieldInput.hubspotType = field.hubspot_type;
    fieldInput.salesforceType = field.salesforce_type;
    fieldInput.salesforceWritable = !sfField.includes('.') && !fromSalesforceConcat;
    fieldInput.towardSalesforce = towardSalesforce;
    fieldInput.towardHubSpot = towardHubSpot;
    fieldInput.ledger = ledger;
    const decision = planField(fieldInput, input.now);
    // A HubSpot property computed by concat is never written back.
    const effective: FieldDecision = decision.action === 'write' && decision.target === 'hubspot' && fromHubSpotConcat ? { action: 'none', reason: 'read-only', ledger: input.ledger[field.hubspot] } : decision;
    if (input.explain) plan.outcomes.push({ hubspot: field.hubspot, salesforce: sfField, decision: effective });
    if (effective.action === 'write') {
      if (effective.target === 'hubspot') plan.hubspot[field.hubspot] = String(effective.value ?? '');
      else plan.salesforce[sfField] = effective.value;
      plan.ledger[field.hubspot] = effective.ledger;
    } else if (effective.action === 'invalid') {
      plan.invalid.push({ side: effective.side, hubspot: field.hubspot, salesforce: sfField, message: effective.message });
    } else if (effective.ledger && effective.ledger !== ledger) {
      plan.ledger[field.hubspot] = effective.ledger;
    }
    // The side whose change is put back holds revloop's value, not the one in the view: unless the
    // decision writes it anyway, the view's value (the change) is written back.
    if (restoreSalesforce && !(sfField in plan.salesforce) && effective.action !== 'invalid') plan.salesforce[sfField] = sfValue ?? null;
    if (restoreHubSpot && !(field.hubspot in plan.hubspot) && effective.action !== 'invalid') plan.hubspot[field.hubspot] = String(hsValue ?? '');
  }
  return plan;
}

/**
 * Values for creating the record on `target` from the other side alone: every field whose rule
 * lets the source side's value flow to `target`.
 */
export function planCreate(input: Omit<RecordPlanInput, 'ledger'> & { target: Side }): RecordPlan {
  const from: RecordPlanInput = {
    fields: input.fields,
    salesforceObject: input.salesforceObject,
    hubspot: input.target === 'hubspot' ? undefined : input.hubspot,
    salesforce: input.target === 'salesforce' ? undefined : input.salesforce,
    ledger: NO_LEDGER,
    now: input.now,
  };
  if (input.owners) from.owners = input.owners;
  if (input.only) from.only = input.only;
  if (input.explain) from.explain = true;
  const plan = planRecord(from);
  if (input.target === 'salesforce') plan.hubspot = {};
  else plan.salesforce = {};
  return plan;
}

/** For a mapping file: the HubSpot properties and Salesforce fields to read for `object`. */
export function fieldsToRead(mapping: Pick<ObjectMappingFile, 'fields' | 'identity'>, object: string): { hubspot: string[]; salesforce: string[] } {
  const hubspot = new Set<string>();
  const salesforce = new Set<string>(['Id', 'LastModifiedDate', 'SystemModstamp', mapping.identity.salesforce_external_id]);
  for (const f of mapping.fields) {
    if (f.rule === 'dont-sync') continue;
    const sf = salesforceFieldOf(f, object);
    if (sf === undefined) continue;
    hubspot.add(f.hubspot);
    salesforce.add(sf);
    for (const t of f.transform) {
      if (t.kind === 'concat') {
        for (const p of t.concat.hubspot ?? []) hubspot.add(p);
        for (const p of t.concat.salesforce ?? []) salesforce.add(p);
      }
    }
  }
  const idProp = (mapping.identity.hubspot_properties as Readonly<Record<string, string | undefined>>)[object];
  if (idProp) hubspot.add(idProp);
  return { hubspot: [...hubspot].sort(), salesforce: [...salesforce].sort() };
}
