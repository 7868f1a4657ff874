/**
 * The sandbox's deterministic data generator: a realistic, seeded history of a B2B revenue team written straight
 * into the HubSpot and Salesforce stores, with its ground truth. See docs/sandbox-data.md.
 */
export { generateDataset, generateOptionsSchema, type GenerateOptions } from './generate-dataset.js';
export { SandboxClock } from './sandbox-clock.js';
export {
  GROUND_TRUTH_FORMAT,
  type CampaignTouch,
  type CampaignTruth,
  type CompanyTruth,
  type GroundTruth,
  type OpportunityRoleTruth,
  type OpportunityTruth,
  type OwnerTruth,
  type PersonKind,
  type PersonTruth,
  type SlaRecord,
  type SlaSegment,
  type StageEntry,
  type TeamRole,
} from './truth.js';
export { isoWeekKey, monthKey, nearestRank, NO_CAMPAIGN, type Aggregates, type CampaignReturn, type PeriodCounts, type RevenueFigures, type SlaFigures, type VelocityFigure } from './aggregates.js';
export { TEAM_DOMAIN } from './team.js';
