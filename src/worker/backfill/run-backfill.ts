/**
 * Backfill: every record of both sides through the mapping, streamed page by page with a checkpoint
 * after each page, so a crash resumes where it stopped. Three phases, each read once:
 *  1. stage: the Salesforce objects of the pair (and Accounts, for routing new people) are read in
 *     full pages into Redis staging;
 *  2. hubspot: HubSpot is read page by page; units of four pages (400 records, so Salesforce's
 *     200-record calls run full) are paired against the staging, planned and written;
 *  3. leftovers: Salesforce records nobody paired exist only there and are created in HubSpot.
 * Pages run a few at a time; the checkpoint only moves past a page when it and every page before it
 * are done. A finished backfill starts over next time; an unfinished one with the same parameters
 * resumes.
 */
import { createHash } from 'node:crypto';
import type { ObjectMappingFile } from '../../config/mapping/schema/object-mapping.js';
import type { BudgetReservation } from '../../providers/hubspot/hubspot-api.js';
import type { HubSpotRecord } from '../../providers/hubspot/hubspot-objects.js';
import type { SalesforceRecord } from '../../providers/salesforce/salesforce-records.js';
import { select, where, type Condition } from '../../providers/salesforce/soql.js';
import type { Checkpoint } from '../../state/checkpoints.js';
import type { PairObject } from '../../state/link-store.js';
import { accountFields, hubspotProperties, liveSource, salesforceFields } from '../sync/load-batch.js';
import { ensureRunning, pauseOnDailyLimit, syncBatch } from '../sync/sync-batch.js';
import type { SyncContext } from '../sync/sync-context.js';
import type { BatchOutcome } from '../sync/write-batch.js';
import { ensureHubSpotSchema } from '../setup/hubspot-schema.js';
import { picklistsFor } from '../setup/salesforce-picklists.js';
import { eachLimit } from '../../platform/concurrency.js';
import { pipeline } from './pipeline.js';
import { stageFromBothEnds } from './two-ends.js';
import { Staging } from './staging.js';

export interface BackfillOptions {
  pair: PairObject;
  since?: number;
  fields?: readonly string[];
  /** Units of work processed at once. */
  concurrency?: number;
  /** HubSpot pages (100 records) per unit of work: larger units fill Salesforce's 200-record calls better. */
  unitPages?: number;
  onProgress?: (progress: BackfillProgress) => void;
}

export type BackfillPhase = `stage:${string}` | 'hubspot' | `leftovers:${string}` | 'done';

export interface BackfillProgress {
  pair: PairObject;
  phase: BackfillPhase;
  /** Records read in this run so far (staging counts Salesforce records, then HubSpot, then leftovers). */
  processed: number;
  outcome: BatchOutcome;
}

interface State extends Checkpoint {
  phase: BackfillPhase;
}

/**
 * HubSpot pages per unit of work: 400 people, two full Salesforce collections. Small units commit often, so a worker
 * that dies (or waits out a rate limit) holds back little work: the checkpoint moves every second or two. (200 cost
 * 5 % more CPU per person and left more half-empty Salesforce calls.)
 */
const DEFAULT_UNIT_PAGES = 4;
/** Salesforce-only people per unit: four HubSpot batches, two full Salesforce collections. */
const LEFTOVER_CHUNK = 400;
/** Leftover chunks written at once. */
const LEFTOVER_IN_FLIGHT = 4;

export function backfillRunId(options: Pick<BackfillOptions, 'pair' | 'since' | 'fields'>): string {
  return createHash('sha256').update(JSON.stringify([options.pair, options.since ?? null, [...(options.fields ?? [])].sort()])).digest('hex').slice(0, 16);
}

function emptyOutcome(): BatchOutcome {
  return { linked: 0, createdInHubSpot: 0, createdInSalesforce: 0, updatedHubSpot: 0, updatedSalesforce: 0, parked: 0, skipped: 0 };
}

function add(total: BatchOutcome, part: BatchOutcome): void {
  for (const k of Object.keys(total) as Array<keyof BatchOutcome>) total[k] += part[k];
}

export async function backfill(ctx: SyncContext, options: BackfillOptions): Promise<BackfillProgress> {
  const { pair } = options;
  const run = backfillRunId(options);
  const mapping: ObjectMappingFile = pair === 'contacts' ? ctx.mappings.contacts : ctx.mappings.companies;
  const hsObjects = pair === 'contacts' ? ctx.contacts : ctx.companies;
  const ext = mapping.identity.salesforce_external_id;
  const objects = mapping.pair.salesforce as readonly string[];
  const routingAccounts = pair === 'contacts' && 'routing' in mapping && mapping.routing.contact_when_account_matches !== 'never';
  const stageObjects = [...(routingAccounts ? ['Account'] : []), ...objects];
  const concurrency = options.concurrency ?? 4;
  const unitPages = options.unitPages ?? DEFAULT_UNIT_PAGES;
  const stream = `backfill:${pair}`;
  const outcome = emptyOutcome();
  const only = options.fields ? { only: options.fields } : {};
  await ensureRunning(ctx);

  const saved = (await ctx.checkpoints.get(stream)) as State | undefined;
  const resume = saved !== undefined && saved.run === run && !saved.done;
  const now = ctx.now();
  const state: State = resume ? saved : { phase: `stage:${stageObjects[0] ?? 'Lead'}`, processed: 0, done: false, startedAt: now, updatedAt: now, run };
  const staging = new Staging(ctx.redis, ctx.keys, `${run}-${state.startedAt.toString(36)}`, state.startedAt);
  if (!resume) {
    await staging.clear(stageObjects);
    // The HubSpot properties revloop writes (links, stages, roll-ups) must exist before the first write.
    await ensureHubSpotSchema(ctx.hubspotApi, ctx.mappings, (missing) => picklistsFor(ctx.salesforceApi, ctx.mappings, missing), 'backfill');
  }
  const progress = (): BackfillProgress => ({ pair, phase: state.phase, processed: state.processed, outcome: { ...outcome } });
  const save = async (patch: Partial<State>) => {
    Object.assign(state, patch, { updatedAt: ctx.now() });
    await ctx.checkpoints.save(stream, state);
    options.onProgress?.(progress());
  };
  const phaseIndex = (phase: BackfillPhase) => {
    const order: BackfillPhase[] = [...stageObjects.map((o) => `stage:${o}` as const), 'hubspot', ...objects.map((o) => `leftovers:${o}` as const), 'done'];
    return order.indexOf(phase);
  };
  const source = staging.source(liveSource(ctx));

  try {
    // 1. Stage Salesforce, object by object, from both ends of its Id order at once (a second query
    // sorted the other way), so two pages are read at a time; each end checkpoints the last Id it staged
    // and a resume goes on from both. The ends stop where they meet.
    for (const object of stageObjects) {
      if (phaseIndex(state.phase) > phaseIndex(`stage:${object}`)) continue;
      if (state.phase !== `stage:${object}`) await save({ phase: `stage:${object}`, cursor: undefined, cursorDown: undefined } as Partial<State>);
      const fields = object === 'Account' && !objects.includes('Account') ? [...new Set(['Id', 'Name', 'Website', 'CreatedDate', ...accountFields(mapping)])] : salesforceFields(mapping, object, ctx.mappings);
      const conditions: Condition[] = [];
      if (options.since !== undefined && object !== 'Account') conditions.push(where.gte('SystemModstamp', new Date(options.since)));
      await stageFromBothEnds({
        resumeUp: state.cursor,
        resumeDown: state.cursorDown,
        readPage: (request) => {
          if ('next' in request) return ctx.salesforce.queryPage({ next: request.next }, 'backfill');
          const all = request.after === undefined ? conditions : [...conditions, request.up ? where.gt('Id', request.after) : where.lt('Id', request.after)];
          return ctx.salesforce.queryPage({ soql: select(fields, object, { ...(all.length > 0 ? { where: where.and(...all) } : {}), orderBy: [{ field: 'Id', direction: request.up ? 'ASC' : 'DESC' }] }) }, 'backfill');
        },
        anyBetween: async (low, high) => {
          const soql = select(['Id'], object, { where: where.and(...conditions, where.gt('Id', low), where.lt('Id', high)), limit: 1 });
          return (await ctx.salesforce.queryPage({ soql }, 'backfill')).records.length > 0;
        },
        stage: (records) => staging.add(object, records, ext),
        commit: (up, last, size) => save({ processed: state.processed + size, ...(up ? { cursor: last } : { cursorDown: last }) } as Partial<State>),
      });
    }

    // 2. HubSpot pages against the staging.
    if (phaseIndex(state.phase) <= phaseIndex('hubspot')) {
      if (state.phase !== 'hubspot') await save({ phase: 'hubspot', cursor: undefined, cursorDown: undefined } as Partial<State>);
      const props = hubspotProperties(mapping, pair, ctx.mappings);
      // The pages are read one after another (each needs the cursor of the one before), and that chain
      // is what the units wait for: the budget slot of the next page is taken while a page is on its
      // way, so a page waits for its predecessor only, not also for Redis's answer to the take, which
      // queues behind the units' batched writes. A slot held longer than a moment (a slow page, a wait
      // for a free unit) is moved to its page's call, not paid twice; the last page leaves one unused.
      let reserved: BudgetReservation | undefined;
      await pipeline<{ records: HubSpotRecord[]; readAt: number }>(
        state.cursor,
        async (cursor) => {
          const records: HubSpotRecord[] = [];
          const readAt = ctx.now();
          let after = cursor;
          for (let i = 0; i < unitPages; i++) {
            const current = reserved ?? hsObjects.reservePage('backfill');
            reserved = hsObjects.reservePage('backfill');
            const page = await hsObjects.listPage(props, after, 'backfill', current);
            records.push(...page.records);
            after = page.after;
            if (after === undefined) break;
          }
          return { unit: { records, readAt }, cursor: after, size: records.length };
        },
        async ({ records, readAt }) => {
          const selected = options.since === undefined ? records : records.filter((r) => r.updatedAt >= (options.since as number));
          if (selected.length === 0) return;
          const result = await syncBatch(ctx, { pair, hubspotIds: selected.map((r) => r.id), salesforceIds: [], priority: 'backfill', preloaded: { hubspot: selected, readAt }, source, ...only });
          add(outcome, result.outcome);
          for (const object of objects) await staging.consume(object, result.pairedSalesforce.filter((p) => p.object === object).map((p) => p.id));
        },
        async (cursor, size) => {
          await save({ processed: state.processed + size, ...(cursor !== undefined ? { cursor } : { cursor: undefined }) } as Partial<State>);
        },
        concurrency,
      );
    }

    // 3. What only Salesforce has.
    for (const object of objects) {
      if (phaseIndex(state.phase) > phaseIndex(`leftovers:${object}`)) continue;
      if (state.phase !== `leftovers:${object}`) await save({ phase: `leftovers:${object}`, cursor: undefined } as Partial<State>);
      // Four chunks at a time; each removes its records from the staging once written, so a resume
      // (rescanning what is left) never creates a person twice. Nobody's HubSpot counterpart is looked
      // up (the pages found none) and contacts are only created, never upserted over: one that exists
      // after all (live sync created it meanwhile) is synced again from both sides as they are now. The
      // chunks a resumed run may be doing again are looked up first: a chunk cut off after creating its
      // HubSpot records, before linking them, would otherwise meet its own contacts.
      let redo = resume && saved?.phase === `leftovers:${object}` ? LEFTOVER_IN_FLIGHT : 0;
      // Every record of a chunk is synced, linked ones too: a link says the two records exist, not that
      // every write of the pair landed (a chunk cut off after creating and linking a contact, before its
      // id reached Salesforce, leaves one), and a pair whose writes all landed is planned with nothing to do.
      const work = async (chunk: SalesforceRecord[], lookup: boolean) => {
        const result = await syncBatch(ctx, { pair, hubspotIds: [], salesforceIds: chunk.map((r) => r.Id), priority: 'backfill', preloaded: { salesforce: chunk }, source, noHubSpotLookup: !lookup, ...only });
        // Contacts created meanwhile (live sync got there first) were synced again by syncBatch, from what both sides hold now.
        add(outcome, result.outcome);
        await staging.consume(object, chunk.map((r) => r.Id));
        await save({ processed: state.processed + chunk.length } as Partial<State>);
      };
      // The next chunk is scanned while the others are worked on, so a freed slot is filled at once. A
      // failed chunk or scan stops the loop; the chunks already started finish (or fail) before the
      // first failure is passed on, so nothing runs on unseen (and none of it is lost: a chunk's
      // records leave the staging only once written, and a resume takes up what is left).
      await eachLimit(staging.leftovers(object, LEFTOVER_CHUNK), LEFTOVER_IN_FLIGHT, (chunk) => work(chunk, redo-- > 0));
    }

    await staging.clear(stageObjects);
    await save({ phase: 'done', done: true, cursor: undefined } as Partial<State>);
    return progress();
  } catch (err) {
    await pauseOnDailyLimit(ctx, err);
    throw err;
  }
}
