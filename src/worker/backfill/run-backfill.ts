/**
 * Backfill: every record of both sides through the mapping, streamed page by page with a checkpoint
 * after each page, so a crash resumes where it stopped.
 *
 * Pass 1 walks HubSpot (100 per page) and syncs each page as a batch with its counterparts.
 * Pass 2 walks Salesforce (2,000 per page) and syncs only what pass 1 did not reach: records with no
 * link yet, or modified since the run started. So each record costs its share of one read and one
 * write per side, close to the batch minimum. Pages are processed a few at a time; the checkpoint
 * only moves past a page once it and every page before it are done.
 */
import { createHash } from 'node:crypto';
import type { ObjectMappingFile } from '../config/mapping/schema/object-mapping.js';
import { select, where, type Condition } from '../providers/salesforce/soql.js';
import type { SalesforceRecord } from '../providers/salesforce/salesforce-records.js';
import type { HubSpotRecord } from '../providers/hubspot/hubspot-objects.js';
import type { PairObject } from '../state/link-store.js';
import { hubspotProperties, salesforceFields } from './sync/load-batch.js';
import { ensureRunning, pauseOnDailyLimit, syncBatch } from './sync/sync-batch.js';
import type { SyncContext } from './sync/sync-context.js';
import type { BatchOutcome } from './sync/write-batch.js';

export interface BackfillOptions {
  pair: PairObject;
  since?: number;
  fields?: readonly string[];
  /** Pages processed at once. */
  concurrency?: number;
  onProgress?: (progress: BackfillProgress) => void;
}

export interface BackfillProgress {
  pair: PairObject;
  phase: 'hubspot' | 'salesforce' | 'done';
  processed: number;
  /** Records this run has seen in the current phase, including the resumed part. */
  phaseProcessed: number;
  outcome: BatchOutcome;
}

export function backfillRunId(options: Pick<BackfillOptions, 'pair' | 'since' | 'fields'>): string {
  return createHash('sha256').update(JSON.stringify([options.pair, options.since ?? null, [...(options.fields ?? [])].sort()])).digest('hex').slice(0, 16);
}

function emptyOutcome(): BatchOutcome {
  return { linked: 0, createdInHubSpot: 0, createdInSalesforce: 0, updatedHubSpot: 0, updatedSalesforce: 0, parked: 0, skipped: 0 };
}

function add(total: BatchOutcome, part: BatchOutcome): void {
  for (const k of Object.keys(total) as Array<keyof BatchOutcome>) total[k] += part[k];
}

/**
 * Runs pages through `work` with up to `concurrency` at once, committing checkpoints in page order.
 * `next` returns the following page and the cursor after it (undefined cursor = last page).
 */
async function pipeline<P>(
  first: { cursor: string | undefined },
  next: (cursor: string | undefined) => Promise<{ page: P; cursor: string | undefined; size: number }>,
  work: (page: P) => Promise<void>,
  commit: (cursor: string | undefined, size: number, page: P) => Promise<void>,
  concurrency: number,
): Promise<void> {
  let cursor = first.cursor;
  let done = false;
  const inFlight: Array<{ promise: Promise<void>; cursor: string | undefined; size: number; page: P }> = [];
  while (!done || inFlight.length > 0) {
    while (!done && inFlight.length < concurrency) {
      const { page, cursor: after, size } = await next(cursor);
      cursor = after;
      done = after === undefined;
      inFlight.push({ promise: work(page), cursor: after, size, page });
    }
    const head = inFlight.shift();
    if (!head) break;
    try {
      await head.promise;
    } catch (err) {
      await Promise.allSettled(inFlight.map((f) => f.promise));
      throw err;
    }
    await commit(head.cursor, head.size, head.page);
  }
}

export async function backfill(ctx: SyncContext, options: BackfillOptions): Promise<BackfillProgress> {
  const { pair } = options;
  const run = backfillRunId(options);
  const mapping: ObjectMappingFile = pair === 'contacts' ? ctx.mappings.contacts : ctx.mappings.companies;
  const hsObjects = pair === 'contacts' ? ctx.contacts : ctx.companies;
  const concurrency = options.concurrency ?? 4;
  const outcome = emptyOutcome();
  const progress: BackfillProgress = { pair, phase: 'hubspot', processed: 0, phaseProcessed: 0, outcome };
  const report = () => options.onProgress?.({ ...progress, outcome: { ...outcome } });
  const only = options.fields ? { only: options.fields } : {};
  await ensureRunning(ctx);

  try {
    // Pass 1: HubSpot.
    const hsStream = `backfill:${pair}:hubspot`;
    let hsCheckpoint = await ctx.checkpoints.get(hsStream);
    if (hsCheckpoint?.run !== run) hsCheckpoint = undefined;
    const startedAt = hsCheckpoint?.startedAt ?? ctx.now();
    progress.phaseProcessed = hsCheckpoint?.processed ?? 0;
    if (!hsCheckpoint?.done) {
      const props = hubspotProperties(mapping, pair);
      let processed = hsCheckpoint?.processed ?? 0;
      await pipeline<HubSpotRecord[]>(
        { cursor: hsCheckpoint?.cursor },
        async (cursor) => {
          const page = await hsObjects.listPage(props, cursor, 'backfill');
          return { page: page.records, cursor: page.after, size: page.records.length };
        },
        async (records) => {
          const selected = options.since === undefined ? records : records.filter((r) => r.updatedAt >= (options.since as number));
          if (selected.length === 0) return;
          const result = await syncBatch(ctx, { pair, hubspotIds: selected.map((r) => r.id), salesforceIds: [], priority: 'backfill', preloaded: { hubspot: selected }, ...only });
          add(outcome, result);
        },
        async (cursor, size) => {
          processed += size;
          progress.processed += size;
          progress.phaseProcessed = processed;
          await ctx.checkpoints.save(hsStream, { ...(cursor !== undefined ? { cursor } : {}), processed, done: cursor === undefined, startedAt, updatedAt: ctx.now(), run });
          report();
        },
        concurrency,
      );
    }

    // Pass 2: Salesforce, only what pass 1 did not reach.
    progress.phase = 'salesforce';
    for (const object of mapping.pair.salesforce as readonly string[]) {
      const sfStream = `backfill:${pair}:salesforce:${object}`;
      let sfCheckpoint = await ctx.checkpoints.get(sfStream);
      if (sfCheckpoint?.run !== run) sfCheckpoint = undefined;
      if (sfCheckpoint?.done) continue;
      let processed = sfCheckpoint?.processed ?? 0;
      progress.phaseProcessed = processed;
      const conditions: Condition[] = [];
      if (object === 'Lead') conditions.push(where.eq('IsConverted', false));
      if (options.since !== undefined) conditions.push(where.gte('SystemModstamp', new Date(options.since)));
      const fields = [...new Set([...salesforceFields(mapping, object), 'SystemModstamp'])];
      const soql = select(fields, object, { ...(conditions.length > 0 ? { where: where.and(...conditions) } : {}), orderBy: [{ field: 'Id' }] });
      // Resuming: the cursor is the last Id done; ids are ordered, so the query restarts after it.
      const resumeSoql = (lastId: string) => select(fields, object, { where: where.and(...conditions, where.gt('Id', lastId)), orderBy: [{ field: 'Id' }] });
      await pipeline<SalesforceRecord[]>(
        { cursor: sfCheckpoint?.cursor ? `id:${sfCheckpoint.cursor}` : 'start' },
        async (cursor) => {
          const page =
            cursor === 'start' ? await ctx.salesforce.queryPage({ soql }, 'backfill') : cursor?.startsWith('id:') ? await ctx.salesforce.queryPage({ soql: resumeSoql(cursor.slice(3)) }, 'backfill') : await ctx.salesforce.queryPage({ next: cursor as string }, 'backfill');
          return { page: page.records, cursor: page.next, size: page.records.length };
        },
        async (records) => {
          const links = await ctx.links.bySalesforce(pair, records.map((r) => r.Id));
          const todo = records.filter((r) => {
            if (!links.has(r.Id)) return true;
            const modified = typeof r.SystemModstamp === 'string' ? Date.parse(r.SystemModstamp.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) : 0;
            return modified > startedAt;
          });
          for (let i = 0; i < todo.length; i += 100) {
            const chunk = todo.slice(i, i + 100);
            const result = await syncBatch(ctx, { pair, hubspotIds: [], salesforceIds: chunk.map((r) => r.Id), priority: 'backfill', preloaded: { salesforce: chunk }, ...only });
            add(outcome, result);
          }
        },
        async (cursor, size, records) => {
          processed += size;
          progress.processed += size;
          progress.phaseProcessed = processed;
          const lastId = records[records.length - 1]?.Id;
          const done = cursor === undefined;
          await ctx.checkpoints.save(sfStream, { ...(lastId ? { cursor: lastId } : {}), processed, done, startedAt, updatedAt: ctx.now(), run });
          report();
        },
        1,
      );
    }
    progress.phase = 'done';
    report();
    return { ...progress, outcome: { ...outcome } };
  } catch (err) {
    await pauseOnDailyLimit(ctx, err);
    throw err;
  }
}
