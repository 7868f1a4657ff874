/**
 * Retrying parked records (the admin API and `revloop dlq` share this): the records are queued again
 * as ordinary sync batches, by id (HubSpot ids up to 100 and Salesforce ids up to 200 per batch). A
 * record that syncs leaves the dead-letter set; one that fails again stays, with its attempts counted.
 */
import { createHash } from 'node:crypto';
import type { Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { RevloopError } from '../../platform/errors.js';
import { Keyspace } from '../../platform/redis.js';
import { DeadLetters, type ParkedRecord } from '../../state/dead-letters.js';
import { BATCH_LIMITS } from '../../worker/signals.js';
import { JOBS, type BatchJob } from '../../worker/queues.js';
import { explain, type ErrorCategory } from './explain.js';
import { chunks } from '../../platform/concurrency.js';

export type RetrySelection = { ids: readonly string[] } | { all: true } | { category: ErrorCategory };

export interface RetryResult {
  /** Parked entries queued again. */
  entries: number;
  /** The batch jobs queued (their ids, for waiting on them). */
  jobIds: string[];
}

const HUBSPOT_ID = /^\d+$/;
const SALESFORCE_ID = /^[A-Za-z0-9]{15,18}$/;
const PAGE = 1000;

async function select(dlq: DeadLetters, selection: RetrySelection): Promise<Array<ParkedRecord & { id: string }>> {
  if ('ids' in selection) {
    const out: Array<ParkedRecord & { id: string }> = [];
    for (const id of selection.ids) {
      const entry = await dlq.get(id);
      if (!entry) throw new RevloopError('NOT_FOUND', `no parked record "${id}" (it may have synced meanwhile); list them with revloop dlq list`);
      out.push({ ...entry, id });
    }
    return out;
  }
  const all: Array<ParkedRecord & { id: string }> = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await dlq.list(PAGE, offset);
    all.push(...page);
    if (page.length < PAGE) break;
  }
  return 'category' in selection ? all.filter((e) => explain(e).category === selection.category) : all;
}

export async function retryParked(deps: { redis: Redis; syncQueue: Queue; root: string }, connectionId: string, selection: RetrySelection, now = Date.now()): Promise<RetryResult> {
  const keys = new Keyspace(connectionId, deps.root);
  const entries = await select(new DeadLetters(deps.redis, keys), selection);
  const jobs: Job[] = [];
  for (const pair of ['contacts', 'companies'] as const) {
    const mine = entries.filter((e) => e.pair === pair);
    const hubspot = [...new Set(mine.map((e) => e.hubspotId).filter((id): id is string => id !== undefined && HUBSPOT_ID.test(id)))];
    const salesforce = [...new Set(mine.filter((e) => e.hubspotId === undefined).map((e) => e.salesforceId).filter((id): id is string => id !== undefined && SALESFORCE_ID.test(id)))];
    const hsChunks = chunks(hubspot, BATCH_LIMITS.hubspot);
    const sfChunks = chunks(salesforce, BATCH_LIMITS.salesforce);
    for (let i = 0; i < Math.max(hsChunks.length, sfChunks.length); i++) {
      const data: BatchJob = { connectionId, pair, hubspotIds: hsChunks[i] ?? [], salesforceIds: sfChunks[i] ?? [], priority: 'live' };
      const jobId = `retry-${createHash('sha256').update(JSON.stringify([connectionId, data.hubspotIds, data.salesforceIds, now])).digest('hex').slice(0, 24)}`;
      jobs.push(await deps.syncQueue.add(JOBS.batch, data, { jobId }));
    }
  }
  return { entries: entries.length, jobIds: jobs.map((j) => j.id).filter((id): id is string => id !== undefined) };
}
