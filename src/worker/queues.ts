/**
 * Queue and job names, and the data each job carries. Jobs carry ids only (never record values,
 * tokens or secrets: BullMQ keeps job data in Redis in clear); the worker looks everything else up.
 */
import { Queue, type ConnectionOptions } from 'bullmq';
import { z } from 'zod';
import { queuePrefix } from '../platform/redis.js';

export const QUEUES = { sync: 'revloop-sync', backfill: 'revloop-backfill', listen: 'revloop-listen' } as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export const JOBS = {
  flush: 'flush',
  batch: 'batch',
  backfill: 'backfill',
  hubspotEvent: 'hubspot-event',
  salesforceDelete: 'salesforce-delete',
  sweep: 'sweep',
  listen: 'listen',
  ensureConnectionJobs: 'ensure-connection-jobs',
  sla: 'sla',
  digest: 'digest',
  deals: 'deals',
  opportunityChanges: 'opportunity-changes',
} as const;

const connectionId = z.string().regex(/^[A-Za-z0-9_.@-]+$/);
const pair = z.enum(['contacts', 'companies']);

export const flushJobSchema = z.object({ connectionId, pair });
export type FlushJob = z.infer<typeof flushJobSchema>;

export const batchJobSchema = z.object({
  connectionId,
  pair,
  hubspotIds: z.array(z.string().regex(/^\d+$/)).max(100),
  salesforceIds: z.array(z.string().regex(/^[A-Za-z0-9]{15,18}$/)).max(200),
  priority: z.enum(['live', 'backfill']).default('live'),
  /** When the oldest change of the batch was seen (epoch ms), for lag. */
  seenAt: z.number().optional(),
});
export type BatchJob = z.infer<typeof batchJobSchema>;

/** A HubSpot deletion or merge, applied under the mapping's delete policy. */
export const hubspotEventJobSchema = z.object({
  connectionId,
  event: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('delete'), pair, id: z.string().regex(/^\d+$/), at: z.number() }),
    z.object({ kind: z.literal('merge'), pair, newId: z.string().regex(/^\d+$/), mergedIds: z.array(z.string().regex(/^\d+$/)).max(100), primaryId: z.string().optional(), at: z.number() }),
  ]),
});
export type HubSpotEventJob = z.infer<typeof hubspotEventJobSchema>;

/** Salesforce records deleted (a change event): a merge loser or a delete, applied under the policy. */
export const salesforceDeleteJobSchema = z.object({
  connectionId,
  object: z.string().regex(/^[A-Za-z]+$/),
  ids: z.array(z.string().regex(/^[A-Za-z0-9]{15,18}$/)).min(1).max(200),
  at: z.number(),
});
export type SalesforceDeleteJob = z.infer<typeof salesforceDeleteJobSchema>;

export const sweepJobSchema = z.object({ connectionId });

/** Works through the due SLA timers of a connection. */
export const slaJobSchema = z.object({ connectionId });
export const digestJobSchema = z.object({ connectionId });
export const dealsJobSchema = z.object({ connectionId });
export type DealsFlushJob = z.infer<typeof dealsJobSchema>;
export const opportunityChangesJobSchema = z.object({ connectionId });
export type OpportunityChangesJob = z.infer<typeof opportunityChangesJobSchema>;

/** The long-running Salesforce change listener of a connection. */
export const listenJobSchema = z.object({ connectionId });

export const backfillJobSchema = z.object({
  connectionId,
  pair,
  /** Only records modified since (epoch ms). */
  since: z.number().optional(),
  /** Only these HubSpot properties. */
  fields: z.array(z.string()).optional(),
  /** Identifies this backfill run; its checkpoints carry it. */
  run: z.string(),
});
export type BackfillJob = z.infer<typeof backfillJobSchema>;

export function createQueue(name: QueueName, connection: ConnectionOptions, root?: string): Queue {
  return new Queue(name, {
    connection,
    prefix: queuePrefix(root),
    defaultJobOptions: {
      attempts: 8,
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: { count: 1000, age: 3600 },
      removeOnFail: { count: 5000 },
    },
  });
}
