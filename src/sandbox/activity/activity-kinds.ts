/** The kinds of change the activity driver makes, how often each is drawn by default, and what one step reports. */

export const ACTIVITY_KINDS = [
  'new-marketing-person',
  'marketing-engagement',
  'new-sales-lead',
  'accept-mql',
  'qualify',
  'convert',
  'recycle',
  'disqualify',
  'advance-opportunity',
  'close-opportunity',
] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

/** Relative weights: marketing activity is most frequent, then reps working leads and deals. */
export const DEFAULT_WEIGHTS: Readonly<Record<ActivityKind, number>> = {
  'new-marketing-person': 18,
  'marketing-engagement': 30,
  'new-sales-lead': 5,
  'accept-mql': 10,
  qualify: 6,
  convert: 4,
  recycle: 5,
  disqualify: 3,
  'advance-opportunity': 12,
  'close-opportunity': 7,
};

/** One change the driver made, as the system that took it sees it. */
export interface ActivityEvent {
  /** 1, 2, ... in the driver's life. */
  step: number;
  kind: ActivityKind;
  /** Store clock at the change (epoch ms). */
  at: number;
  system: 'hubspot' | 'salesforce';
  /** contacts | Lead | Opportunity ... */
  object: string;
  recordId: string;
  /** Who did it: a HubSpot actor source, or the Salesforce user id. */
  by: string;
  /** What changed, for people reading the log. */
  summary: string;
}

export type ActionResult = Omit<ActivityEvent, 'step' | 'kind' | 'at'>;
