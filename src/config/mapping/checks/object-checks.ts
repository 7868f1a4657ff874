/**
 * Checks of contacts.yaml and companies.yaml beyond their schema: fields mapped once, writable
 * targets, compatible types, transforms that fit their rule, identity and match keys that fit the pair.
 */
import { compatibility, compatibleSalesforceTypes, type HubSpotType, type SalesforceType } from '../schema/field-types.js';
import type { ContactsFile, FieldMapping, ObjectMappingFile } from '../schema/object-mapping.js';
import type { Transform } from '../schema/transform.js';
import type { KeyPath } from '../problems.js';
import type { CheckContext, Location } from './context.js';
import { checkConditionScopes } from './lifecycle-checks.js';
import { ruleWrites, type WriterRegistry } from './writers.js';

type ObjectFile = 'contacts' | 'companies';

const TEXT_TYPES: ReadonlySet<string> = new Set(['string', 'textarea', 'email', 'phone', 'url', 'combobox']);

/** The Salesforce field name a mapping uses on `object`, or undefined when it does not apply there. */
export function salesforceFieldFor(field: FieldMapping, object: string): string | undefined {
  if (typeof field.salesforce === 'string') return field.salesforce;
  return (field.salesforce as Record<string, string | undefined>)[object];
}

/** Pairs that only widen in the one direction they flow, so nothing is lost. */
function widens(hubspot: HubSpotType, salesforce: SalesforceType, direction: Direction): boolean {
  const sfText = TEXT_TYPES.has(salesforce);
  if (direction.toHubSpot && !direction.toSalesforce) {
    return (hubspot === 'datetime' && salesforce === 'date') || (hubspot === 'string' && !sfText);
  }
  if (direction.toSalesforce && !direction.toHubSpot) {
    return (salesforce === 'datetime' && hubspot === 'date') || (sfText && hubspot !== 'string') || (salesforce === 'picklist' && hubspot === 'bool');
  }
  return false;
}

/** Transforms that make a lossy pair explicit: the reviewer sees how values are converted. */
const CONVERTING = new Set(['number', 'date', 'picklist']);

export interface Direction {
  toSalesforce: boolean;
  toHubSpot: boolean;
}

export function checkTypes(
  ctx: CheckContext,
  at: Location,
  types: { hubspot: HubSpotType; salesforce: SalesforceType },
  label: string,
  direction: Direction,
  transforms: readonly Transform[] = [],
): void {
  const { hubspot, salesforce } = types;
  const fit = compatibility(hubspot, salesforce);
  if (fit === 'lossy' && (widens(hubspot, salesforce, direction) || transforms.some((t) => CONVERTING.has(t.kind)))) return;
  if (fit === undefined) {
    ctx.error(
      { ...at, path: [...at.path, 'salesforce_type'] },
      `${label}: HubSpot type "${hubspot}" cannot be synced with Salesforce type "${salesforce}"`,
      `HubSpot ${hubspot} fits Salesforce ${compatibleSalesforceTypes(hubspot).join(', ')}`,
    );
  } else if (fit === 'lossy') {
    ctx.warn({ ...at, path: [...at.path, 'salesforce_type'] }, `${label}: HubSpot "${hubspot}" ↔ Salesforce "${salesforce}" can lose information`, 'add a transform (number, date, picklist) or check the values fit');
  }
}

const NUMBER_HS = new Set(['number']);
const NUMBER_SF = new Set(['int', 'long', 'double', 'currency', 'percent']);

/** Transform rules shared by field, deal and attribution mappings. */
export function checkTransforms(
  ctx: CheckContext,
  at: Location,
  transforms: readonly Transform[],
  types: { hubspot: string; salesforce: string },
  direction: Direction,
): void {
  transforms.forEach((t, i) => {
    const path: KeyPath = [...at.path, 'transform', i];
    const here: Location = { file: at.file, path };
    switch (t.kind) {
      case 'concat': {
        const fromHubSpot = t.concat.hubspot !== undefined;
        const ok = fromHubSpot ? direction.toSalesforce && !direction.toHubSpot : direction.toHubSpot && !direction.toSalesforce;
        if (!ok) {
          ctx.error(here, `concat of ${fromHubSpot ? 'HubSpot' : 'Salesforce'} fields only works one way`, `use always-${fromHubSpot ? 'hubspot' : 'salesforce'} as the rule`);
        }
        break;
      }
      case 'picklist': {
        if (t.picklist.unmapped === 'default' && t.picklist.default === undefined) {
          ctx.error(here, 'picklist with `unmapped: default` needs a `default` value');
        }
        // Values flowing back to HubSpot need the map reversed, so each Salesforce value must come from one HubSpot value.
        if (direction.toHubSpot) {
          const seen = new Map<string, string>();
          for (const [hs, sf] of Object.entries(t.picklist.map)) {
            const other = seen.get(sf);
            if (other !== undefined) {
              ctx.error(here, `picklist map sends both "${other}" and "${hs}" to "${sf}", so "${sf}" cannot be mapped back to HubSpot`, 'give each value its own target, or use always-hubspot');
            }
            seen.set(sf, hs);
          }
        }
        break;
      }
      case 'number':
        if (!NUMBER_HS.has(types.hubspot) && !NUMBER_SF.has(types.salesforce)) {
          ctx.error(here, 'number transform on a field that is numeric on neither side');
        }
        break;
      case 'date':
        if (!TEXT_TYPES.has(types.salesforce) && types.hubspot !== 'string') {
          ctx.warn(here, 'date transform on a field that is a date on both sides; revloop converts dates between the two already');
        }
        break;
      default:
        break;
    }
  });
}

function checkFields(ctx: CheckContext, file: ObjectFile, mapping: ObjectMappingFile, writers: WriterRegistry): void {
  const objects = mapping.pair.salesforce as readonly string[];
  const hubspotObject = file;
  const seenHubSpot = new Map<string, KeyPath>();
  mapping.fields.forEach((field, i) => {
    const base: KeyPath = ['fields', i];
    const at: Location = { file, path: base };
    const label = `${field.hubspot} ↔ ${typeof field.salesforce === 'string' ? field.salesforce : Object.values(field.salesforce).filter(Boolean).join('/')}`;
    const first = seenHubSpot.get(field.hubspot);
    if (first && field.rule !== 'dont-sync') {
      ctx.error({ file, path: [...base, 'hubspot'] }, `HubSpot property "${field.hubspot}" is mapped twice (first at ${ctx.where({ file, path: first })})`, 'map each property once');
      return;
    }
    if (!first) seenHubSpot.set(field.hubspot, [...base, 'hubspot']);
    if (typeof field.salesforce !== 'string') {
      const extra = Object.keys(field.salesforce).filter((o) => !objects.includes(o));
      for (const o of extra) ctx.error({ file, path: [...base, 'salesforce', o] }, `"${o}" is not one of this file's Salesforce objects (${objects.join(', ')})`);
      if (objects.every((o) => salesforceFieldFor(field, o) === undefined)) {
        ctx.error({ file, path: [...base, 'salesforce'] }, 'the field names no Salesforce field for any object of the pair');
      }
    }
    const writes = ruleWrites(field.rule);
    if (writes.hubspot) writers.claim(`hubspot:${hubspotObject}:${field.hubspot}`, { file, path: [...base, 'hubspot'], what: `${file}.yaml fields[${i}]` });
    for (const object of objects) {
      const sfField = salesforceFieldFor(field, object);
      if (sfField === undefined) continue;
      // A field read through a relationship (Account.Name) only flows to HubSpot: on that object the rule acts as always-salesforce.
      if (sfField.includes('.')) {
        if (!writes.hubspot) {
          ctx.error(
            { file, path: [...base, 'rule'] },
            `${object}.${sfField} is read through a relationship and cannot be written, and rule "${field.rule}" only writes to Salesforce`,
            'use always-salesforce or prefer-salesforce-unless-blank so the value flows to HubSpot',
          );
        }
      } else if (writes.salesforce) {
        writers.claim(`salesforce:${object}:${sfField}`, { file, path: [...base, 'salesforce'], what: `${file}.yaml fields[${i}]` });
      }
    }
    const direction = { toSalesforce: writes.salesforce, toHubSpot: writes.hubspot };
    const types = { hubspot: field.hubspot_type, salesforce: field.salesforce_type };
    checkTypes(ctx, at, types, label, direction, field.transform);
    checkTransforms(ctx, at, field.transform, types, direction);
  });
}

function checkIdentity(ctx: CheckContext, file: ObjectFile, mapping: ObjectMappingFile, writers: WriterRegistry): void {
  const objects = mapping.pair.salesforce as readonly string[];
  const props = mapping.identity.hubspot_properties as Record<string, string | undefined>;
  for (const object of objects) {
    const prop = props[object];
    if (prop === undefined) {
      ctx.error({ file, path: ['identity', 'hubspot_properties'] }, `no HubSpot property holds the ${object} id`, `add ${object}: revloop_salesforce_${object.toLowerCase()}_id`);
    } else {
      writers.claim(`hubspot:${file}:${prop}`, { file, path: ['identity', 'hubspot_properties', object], what: `the ${object} link` });
    }
    writers.claim(`salesforce:${object}:${mapping.identity.salesforce_external_id}`, { file, path: ['identity', 'salesforce_external_id'], what: `the HubSpot id link on ${object}` });
  }
  for (const object of Object.keys(props)) {
    if (props[object] !== undefined && !objects.includes(object)) {
      ctx.error({ file, path: ['identity', 'hubspot_properties', object] }, `"${object}" is not one of this file's Salesforce objects (${objects.join(', ')})`);
    }
  }
  const validKeys = file === 'contacts' ? ['email', 'external_id'] : ['domain', 'name', 'external_id'];
  const seen = new Set<string>();
  mapping.match.forEach((key, i) => {
    if (!validKeys.includes(key)) ctx.error({ file, path: ['match', i] }, `"${key}" cannot match ${file}`, `match ${file} by ${validKeys.join(', ')}`);
    if (seen.has(key)) ctx.error({ file, path: ['match', i] }, `match key "${key}" is listed twice`);
    seen.add(key);
  });
}

function checkScope(ctx: CheckContext, file: ObjectFile, mapping: ObjectMappingFile): void {
  const hubspotScopes = file === 'contacts' ? ['hubspot', 'company'] : ['hubspot'];
  const salesforceScopes = file === 'contacts' ? ['salesforce', 'lead', 'contact', 'account'] : ['salesforce', 'account'];
  if (mapping.scope.hubspot) checkConditionScopes(ctx, file, ['scope', 'hubspot'], mapping.scope.hubspot, hubspotScopes);
  if (mapping.scope.salesforce) checkConditionScopes(ctx, file, ['scope', 'salesforce'], mapping.scope.salesforce, salesforceScopes);
}

function checkRouting(ctx: CheckContext, contacts: ContactsFile): void {
  const objects = contacts.pair.salesforce as readonly string[];
  const { routing } = contacts;
  if (routing.contact_when_account_matches !== 'never' && !objects.includes('Contact')) {
    ctx.error({ file: 'contacts', path: ['routing', 'contact_when_account_matches'] }, 'routing to Contacts needs Contact in pair.salesforce');
  }
  if (!objects.includes(routing.otherwise)) {
    ctx.error({ file: 'contacts', path: ['routing', 'otherwise'] }, `"${routing.otherwise}" is not in pair.salesforce (${objects.join(', ')})`);
  }
  if (objects.includes('Lead')) {
    const writesLastName = contacts.fields.some((f) => ruleWrites(f.rule).salesforce && salesforceFieldFor(f, 'Lead') === 'LastName');
    if (!writesLastName) {
      ctx.warn({ file: 'contacts', path: ['fields'] }, 'no field writes Lead.LastName, which Salesforce requires', 'map lastname → LastName (revloop writes "[not provided]" when HubSpot has none)');
    }
  }
}

export function checkObjectMappings(ctx: CheckContext, writers: WriterRegistry): void {
  for (const file of ['contacts', 'companies'] as const) {
    const mapping = ctx.set[file];
    if (!mapping) continue;
    checkIdentity(ctx, file, mapping, writers);
    checkFields(ctx, file, mapping, writers);
    checkScope(ctx, file, mapping);
  }
  if (ctx.set.contacts) checkRouting(ctx, ctx.set.contacts);
}
