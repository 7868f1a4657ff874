/**
 * mappings/opportunities.yaml: Salesforce opportunity outcomes flowing back to marketing.
 * Who the people of an opportunity are, which roll-ups land on their HubSpot contacts, the
 * optional mirror of opportunities as HubSpot deals, attribution carried to Salesforce, and
 * campaign costs for ROI.
 */
import { z } from 'zod';
import { HUBSPOT_TYPES, SALESFORCE_TYPES } from './field-types.js';
import { hubspotPropertyName, identifier, oneOf, salesforceFieldName, strict } from './helpers.js';
import { transformSchema } from './transform.js';

export const ROLLUP_METRICS = [
  'open_pipeline_amount',
  'opportunity_count',
  'open_opportunity_count',
  'last_opportunity_stage',
  'won_revenue',
  'won_count',
  'first_won_date',
  'last_won_date',
  'last_loss_reason',
  'last_lost_date',
  'days_to_won',
] as const;
export type RollupMetric = (typeof ROLLUP_METRICS)[number];

export const PEOPLE_FALLBACKS = ['account_primary', 'account_all', 'none'] as const;
export const INFLUENCE_MODELS = ['first_touch', 'last_touch', 'even_split'] as const;

const rollupSchema = strict({
  metric: oneOf(ROLLUP_METRICS, 'roll-up metric'),
  /** The HubSpot contact property that receives the value (created on install when missing). */
  hubspot: hubspotPropertyName,
  label: z.string().min(1).max(120).optional(),
});

const dealFieldSchema = strict({
  salesforce: salesforceFieldName,
  hubspot: hubspotPropertyName,
  hubspot_type: oneOf(HUBSPOT_TYPES, 'HubSpot type'),
  salesforce_type: oneOf(SALESFORCE_TYPES, 'Salesforce type'),
  transform: z.array(transformSchema).max(10).default([]),
});

const dealsSchema = strict({
  mirror: z.boolean(),
  /** HubSpot deal pipeline id. */
  pipeline: z.string().min(1).max(100).default('default'),
  /** Salesforce StageName → HubSpot deal stage id. */
  stages: z.record(z.string().min(1), z.string().min(1)).default({}),
  fields: z.array(dealFieldSchema).max(100).default([]),
});

const attributionFieldSchema = strict({
  /** The HubSpot contact property carried over (original source, latest source, campaigns). */
  hubspot: hubspotPropertyName,
  hubspot_type: oneOf(HUBSPOT_TYPES, 'HubSpot type'),
  salesforce_type: oneOf(SALESFORCE_TYPES, 'Salesforce type'),
  /** The Salesforce fields that receive it, per object. */
  salesforce: strict({
    Lead: salesforceFieldName.optional(),
    Contact: salesforceFieldName.optional(),
    Opportunity: salesforceFieldName.optional(),
  }),
  /** Write only while the Salesforce field is blank (first touch stays first). */
  only_when_blank: z.boolean().default(false),
  transform: z.array(transformSchema).max(10).default([]),
});

const attributionSchema = strict({
  fields: z.array(attributionFieldSchema).max(50).default([]),
  /** Where a person's campaigns come from for influence. */
  campaigns_from: oneOf(['salesforce', 'hubspot'] as const, 'campaign source').default('salesforce'),
  influence_models: z.array(oneOf(INFLUENCE_MODELS, 'influence model')).min(1).default(['first_touch', 'last_touch', 'even_split']),
});

const roiSchema = strict({
  /** Campaign cost from Salesforce Campaign.ActualCost, or from `costs` below. */
  cost_source: oneOf(['salesforce', 'config'] as const, 'cost source').default('salesforce'),
  /** Campaign name → cost, used when cost_source is config (or the Campaign has none). */
  costs: z.record(z.string().min(1), z.number().min(0)).default({}),
  /** Planned campaigns: name → the leads it should bring; the report forecasts its revenue, then shows the actual. */
  forecasts: z.record(z.string().min(1), strict({ leads: z.number().int().min(1).max(10_000_000) })).default({}),
});

export const opportunitiesFileSchema = strict({
  version: z.literal(1, { error: 'version must be 1' }),
  salesforce: strict({
    /** Picklist or text field holding why an opportunity was lost. */
    loss_reason_field: salesforceFieldName.optional(),
  }).default({}),
  people: strict({
    /** Opportunity contact roles decide who an opportunity belongs to. */
    via: z.literal('contact_roles').default('contact_roles'),
    /** When an opportunity has no contact role: the account's primary contact, all its contacts, or nobody. */
    fallback: oneOf(PEOPLE_FALLBACKS, 'people fallback'),
  }),
  rollups: z.array(rollupSchema).max(30).default([]),
  /** The lifecycle stage `days_to_won` counts from. */
  days_to_won_from: identifier.default('mql'),
  deals: dealsSchema.default({ mirror: false, pipeline: 'default', stages: {}, fields: [] }),
  attribution: attributionSchema.default({ fields: [], campaigns_from: 'salesforce', influence_models: ['first_touch', 'last_touch', 'even_split'] }),
  roi: roiSchema.default({ cost_source: 'salesforce', costs: {}, forecasts: {} }),
});

export type OpportunitiesFile = z.infer<typeof opportunitiesFileSchema>;
export type RollupDefinition = z.infer<typeof rollupSchema>;
export type AttributionField = z.infer<typeof attributionFieldSchema>;
