/** Options of the activity driver, checked at the boundary. */
import { z } from 'zod';
import { ACTIVITY_KINDS } from './activity-kinds.js';

export const activityOptionsSchema = z.strictObject({
  seed: z.number().int().min(0).max(0xffffffff).default(1),
  /** Changes per second while started. */
  rate: z.number().positive().max(1000).default(2),
  /** Relative weights per kind (missing kinds keep their default; 0 turns a kind off). */
  weights: z.partialRecord(z.enum(ACTIVITY_KINDS), z.number().min(0)).default({}),
  /** How many recent events `recent()` keeps. */
  keepEvents: z.number().int().min(0).max(100_000).default(200),
});

export type ActivityOptionsInput = z.input<typeof activityOptionsSchema>;
