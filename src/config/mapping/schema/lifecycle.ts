/**
 * mappings/lifecycle.yaml: the one lead lifecycle marketing and sales agreed on.
 * Stages in order with their owners, how each shows in HubSpot and Salesforce, and when a person
 * enters it; detours (recycle, disqualify) with reason picklists; the allowed transitions; the
 * acceptance SLA; and what to do with moves that break the definition.
 */
import { z } from 'zod';
import { conditionSchema } from './condition.js';
import { hubspotPropertyName, identifier, oneOf, salesforceFieldName, strict } from './helpers.js';

export const STAGE_OWNERS = ['marketing', 'sales', 'none'] as const;
export const DETOUR_KINDS = ['recycle', 'disqualify'] as const;
export const INVALID_MOVE_POLICIES = ['correct', 'report'] as const;
/** HubSpot's default contact lifecycle stages (portals may add custom ones). */
export const HUBSPOT_LIFECYCLE_STAGES = [
  'subscriber',
  'lead',
  'marketingqualifiedlead',
  'salesqualifiedlead',
  'opportunity',
  'customer',
  'evangelist',
  'other',
] as const;

const hubspotPresentation = strict({
  /** The `lifecyclestage` value for people in this stage. */
  lifecyclestage: z.string().min(1).max(100),
  /** Optional `hs_lead_status` value to set with it. */
  lead_status: z.string().min(1).max(100).optional(),
});

const salesforcePresentation = strict({
  /** Which record represents the person in this stage; "any" when it may be either. */
  object: oneOf(['Lead', 'Contact', 'any'] as const, 'Salesforce object').default('any'),
  /** The Lead Status value for people in this stage (Leads only). */
  lead_status: z.string().min(1).max(255).optional(),
  /** A datetime field that receives the time the person entered the stage. */
  date_field: salesforceFieldName.optional(),
});

const stageSchema = strict({
  id: identifier,
  label: z.string().min(1).max(80),
  owner: oneOf(STAGE_OWNERS, 'stage owner'),
  order: z.number().int().min(0).max(10_000),
  description: z.string().max(1000).optional(),
  hubspot: hubspotPresentation,
  salesforce: salesforcePresentation.optional(),
  /** When a person enters this stage. A stage without criteria is entered only through a transition event. */
  entry: conditionSchema.optional(),
});

const reasonSchema = strict({
  /** Reasons a rep may pick; the first is used when none is given. */
  values: z.array(z.string().min(1).max(255)).min(1).max(100),
  /** Salesforce field (on Lead and Contact) holding the reason. */
  salesforce_field: salesforceFieldName,
  /** HubSpot contact property receiving the reason, so marketing can nurture on it. */
  hubspot_property: hubspotPropertyName,
});

const detourSchema = strict({
  id: identifier,
  kind: oneOf(DETOUR_KINDS, 'detour kind'),
  label: z.string().min(1).max(80),
  owner: oneOf(STAGE_OWNERS, 'stage owner'),
  description: z.string().max(1000).optional(),
  hubspot: hubspotPresentation,
  salesforce: salesforcePresentation.optional(),
  /** When a person enters this detour (typically the Lead Status sales sets). */
  entry: conditionSchema.optional(),
  reason: reasonSchema,
  /** The stage a person leaves the detour to once they meet its criteria again (recycle → mql). */
  returns_to: identifier.optional(),
});

const transitionSchema = strict({
  from: identifier,
  to: z.array(identifier).min(1),
});

const slaSegmentSchema = strict({
  id: identifier,
  label: z.string().min(1).max(80).optional(),
  /** Who falls in this segment; the last segment has no `when` and catches everyone else. */
  when: conditionSchema.optional(),
  accept_within_hours: z.number().positive().max(24 * 90),
  escalate_after_hours: z.number().positive().max(24 * 90).optional(),
  auto_recycle_after_hours: z.number().positive().max(24 * 365).optional(),
});

const slaSchema = strict({
  /** Entering this stage starts the clock. */
  starts_at: identifier,
  /** Reaching this stage (or any later one, or a detour) stops it. */
  accepted_at: identifier,
  segments: z.array(slaSegmentSchema).min(1).max(50),
  on_breach: strict({
    /** Create a Salesforce Task for the owner. */
    task: strict({
      subject: z.string().min(1).max(255),
      priority: oneOf(['High', 'Normal', 'Low'] as const, 'task priority').default('High'),
    }).optional(),
    /** POST a JSON notice to REVLOOP_NOTIFY_URL. */
    notify: z.boolean().default(false),
  }).default({ notify: false }),
  /** The reason written when a person is auto-recycled; must be one of the recycle detour's reasons. */
  auto_recycle_reason: z.string().min(1).max(255).optional(),
});

const policySchema = strict({
  /** correct: put the record back to the stage the definition computes; report: leave it and record the violation. */
  invalid_manual_moves: oneOf(INVALID_MOVE_POLICIES, 'invalid move policy'),
});

export const lifecycleFileSchema = strict({
  version: z.literal(1, { error: 'version must be 1' }),
  stages: z.array(stageSchema).min(2).max(30),
  detours: z.array(detourSchema).max(10).default([]),
  transitions: z.array(transitionSchema).min(1),
  sla: slaSchema.optional(),
  policy: policySchema,
});

export type LifecycleFile = z.infer<typeof lifecycleFileSchema>;
export type StageDefinition = z.infer<typeof stageSchema>;
export type DetourDefinition = z.infer<typeof detourSchema>;
export type SlaDefinition = z.infer<typeof slaSchema>;
export type SlaSegment = z.infer<typeof slaSegmentSchema>;
