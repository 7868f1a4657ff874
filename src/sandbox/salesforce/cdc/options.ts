/** Configuration of Change Data Capture in the sandbox, and of the control API's inputs. */
import { z } from 'zod';
import { DEFAULT_CDC_ENTITIES } from './channels.js';
import { GAP_CHANGE_TYPES } from './change-event.js';

const entityName = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'an sObject API name');

export const changeDataCaptureOptionsSchema = z.strictObject({
  /** Entities selected for Change Data Capture (Setup > Change Data Capture). */
  entities: z.array(entityName).min(1).default([...DEFAULT_CDC_ENTITIES]),
  /** How long the event bus keeps events (Salesforce: 72 hours). */
  retentionHours: z.number().positive().default(72),
  /** Keeps a long-running sandbox's memory bounded: beyond this many retained events the oldest are purged. */
  maxRetainedEvents: z.number().int().positive().default(250_000),
  /** Seconds a /meta/connect is held when no event comes (Salesforce: 110). */
  longPollSeconds: z.number().positive().max(110).default(110),
  /** Seconds a session survives without a /meta/connect after the last one ended (Salesforce: 40). */
  sessionTimeoutSeconds: z.number().positive().default(40),
  /** Changes per transaction before overflow events replace change events (Salesforce: 100,000). */
  overflowThreshold: z.number().int().positive().default(100_000),
  /** Merge identical updates and deletes of one transaction into one event with several recordIds. */
  mergeChanges: z.boolean().default(true),
});

export type ChangeDataCaptureOptions = z.input<typeof changeDataCaptureOptionsSchema>;
export type ResolvedChangeDataCaptureOptions = z.output<typeof changeDataCaptureOptionsSchema>;

const recordId = z.string().regex(/^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/, 'a 15- or 18-character record id');

export const gapInputSchema = z.strictObject({
  entityName,
  changeType: z.enum(GAP_CHANGE_TYPES),
  recordIds: z.array(recordId).min(1),
  /** '' as for changes made outside the application servers (archiving, database clean-up). */
  changeOrigin: z.string().default(''),
  commitUser: recordId.optional(),
  transactionKey: z.string().min(1).optional(),
});

export type GapInput = z.input<typeof gapInputSchema>;

export const overflowInputSchema = z.strictObject({
  entityName,
  changeOrigin: z.string().default(''),
  commitUser: recordId.optional(),
  transactionKey: z.string().min(1).optional(),
});

export type OverflowInput = z.input<typeof overflowInputSchema>;
