/**
 * mappings/contacts.yaml and mappings/companies.yaml: which records pair up, how they are matched,
 * which are in scope, where a new person goes in Salesforce, what a delete does, and one rule per field.
 */
import { z } from 'zod';
import { conditionSchema } from './condition.js';
import { HUBSPOT_TYPES, SALESFORCE_TYPES } from './field-types.js';
import { hubspotPropertyName, oneOf, salesforceFieldName, strict } from './helpers.js';
import { transformSchema } from './transform.js';

export const FIELD_RULES = [
  'two-way',
  'prefer-salesforce-unless-blank',
  'prefer-hubspot-unless-blank',
  'always-salesforce',
  'always-hubspot',
  'dont-sync',
] as const;
export type FieldRule = (typeof FIELD_RULES)[number];

export const DELETE_POLICIES = ['propagate', 'unlink', 'ignore'] as const;
export type DeletePolicy = (typeof DELETE_POLICIES)[number];

export const PERSON_OBJECTS = ['Lead', 'Contact'] as const;
export type PersonObject = (typeof PERSON_OBJECTS)[number];

export const MATCH_KEYS = ['email', 'external_id', 'domain', 'name'] as const;
export type MatchKey = (typeof MATCH_KEYS)[number];

/** A Salesforce field: the same name on every object of the pair, or one name per object. */
const salesforceTarget = z.union([
  salesforceFieldName,
  strict({ Lead: salesforceFieldName.optional(), Contact: salesforceFieldName.optional(), Account: salesforceFieldName.optional() }),
]);

const fieldMappingSchema = strict({
  hubspot: hubspotPropertyName,
  salesforce: salesforceTarget,
  rule: oneOf(FIELD_RULES, 'rule'),
  hubspot_type: oneOf(HUBSPOT_TYPES, 'HubSpot type'),
  salesforce_type: oneOf(SALESFORCE_TYPES, 'Salesforce type'),
  transform: z.array(transformSchema).max(10).default([]),
  /** When the winning side is blank: clear the other side, or leave it as it is. */
  blank: oneOf(['clear', 'keep'] as const, 'blank policy').default('keep'),
  label: z.string().max(120).optional(),
});

const identitySchema = strict({
  /** External-id field on the Salesforce objects that holds the HubSpot record id. */
  salesforce_external_id: salesforceFieldName,
  /** HubSpot properties holding the Salesforce ids, one per Salesforce object. */
  hubspot_properties: strict({
    Lead: hubspotPropertyName.optional(),
    Contact: hubspotPropertyName.optional(),
    Account: hubspotPropertyName.optional(),
  }),
});

const scopeSchema = strict({
  /** Which HubSpot records are synced; all when absent. */
  hubspot: conditionSchema.optional(),
  /** Which Salesforce records are synced; all when absent. */
  salesforce: conditionSchema.optional(),
});

const routingSchema = strict({
  /** A new person from HubSpot becomes a Contact under an Account matched this way, else a Lead. */
  contact_when_account_matches: oneOf(['domain', 'name', 'never'] as const, 'account match'),
  /** The HubSpot property with the company domain or name used for the match. */
  match_property: hubspotPropertyName.optional(),
  /** The Salesforce object created when no Account matches. */
  otherwise: oneOf(PERSON_OBJECTS, 'Salesforce object').default('Lead'),
  /** Value for Lead.Company when HubSpot has none (Company is required on Leads). */
  lead_company_fallback: z.string().min(1).max(255).default('[not provided]'),
});

const deleteSchema = strict({
  /** When the HubSpot record is deleted. */
  hubspot: oneOf(DELETE_POLICIES, 'delete policy'),
  /** When the Salesforce record is deleted. */
  salesforce: oneOf(DELETE_POLICIES, 'delete policy'),
});

/** The object pair: `pair: { hubspot: contacts, salesforce: [Lead, Contact] }`. */
const pairSchema = <T extends readonly [string, ...string[]]>(hubspot: string, salesforce: T) =>
  strict({
    hubspot: z.literal(hubspot, { error: `the HubSpot object of this file is "${hubspot}"` }),
    salesforce: z.array(oneOf(salesforce, 'Salesforce object')).min(1).max(salesforce.length),
  });

const common = {
  version: z.literal(1, { error: 'version must be 1' }),
  identity: identitySchema,
  match: z.array(oneOf(MATCH_KEYS, 'match key')).min(1).max(4),
  scope: scopeSchema.default({}),
  delete: deleteSchema,
  fields: z.array(fieldMappingSchema).min(1).max(500),
};

export const contactsFileSchema = strict({
  pair: pairSchema('contacts', PERSON_OBJECTS),
  routing: routingSchema,
  ...common,
});

export const companiesFileSchema = strict({
  pair: pairSchema('companies', ['Account'] as const),
  ...common,
});

export type ContactsFile = z.infer<typeof contactsFileSchema>;
export type CompaniesFile = z.infer<typeof companiesFileSchema>;
export type FieldMapping = z.infer<typeof fieldMappingSchema>;
export type ObjectMappingFile = ContactsFile | CompaniesFile;
