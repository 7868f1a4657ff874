/** Simulated marketing and sales activity for the sandboxes (see ActivityDriver and docs/sandbox-data.md). */
export { ActivityDriver, type ActivityDriverOptions, type ActivityStats } from './activity-driver.js';
export { ACTIVITY_KINDS, DEFAULT_WEIGHTS, type ActivityEvent, type ActivityKind } from './activity-kinds.js';
export { activityOptionsSchema, type ActivityOptionsInput } from './options.js';
export { SCORING_WORKFLOW } from './marketing-actions.js';
