/**
 * Queue and job names, and the data each job carries. Jobs carry ids only (never record values,
 * tokens or secrets: BullMQ keeps job data in Redis in clear); the worker looks everything else up.
 */
import { Queue, type ConnectionOptions } from 'bullmq';
import { z } from 'zod';
import { queuePrefix } from '../platform/redis.js';

export const QUEUES = { sync: 'revloop-sync', backfill: 'revloop-backfill' } as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export const JOBS = { flush: 'flush', batch: 'batch', backfill: 'backfill' } as const;

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
