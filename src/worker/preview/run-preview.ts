/**
 * Preview: what a changed lifecycle or mapping would do, before it is applied. Every record of a pair
 * is read the way a backfill reads it (Salesforce staged once in Redis, HubSpot page by page, then
 * what only Salesforce has) and each batch is planned twice, under the mappings in force and under
 * the changed ones; the differences are tallied (see core/preview/impact). Nothing is written to
 * HubSpot or Salesforce, and nothing of revloop's state changes: the staging is private to the run
 * and removed at the end. Reads go at backfill priority, so live sync keeps its share of the budget.
 * A first report comes after a sample of people; then the whole base is streamed.
 */
import { randomUUID } from 'node:crypto';
import type { MappingSet } from '../../config/mapping/mapping-set.js';
import { Lifecycle } from '../../core/lifecycle/definition.js';
import { ImpactTally, type ImpactReport } from '../../core/preview/impact.js';
import { planBatch, type BatchInput } from '../../core/sync/batch-plan.js';
import type { HubSpotRecord } from '../../providers/hubspot/hubspot-objects.js';
import type { SalesforceRecord } from '../../providers/salesforce/salesforce-records.js';
import { select } from '../../providers/salesforce/soql.js';
import type { PairObject } from '../../state/link-store.js';
import { pipeline } from '../backfill/pipeline.js';
import { Staging } from '../backfill/staging.js';
import { accountFields, hubspotProperties, liveSource, loadBatch, salesforceFields, type BatchRequest } from '../sync/load-batch.js';
import type { SyncContext } from '../sync/sync-context.js';

export interface PreviewOptions {
  /** The changed mappings (a directory loaded and validated by the caller). */
  changed: MappingSet;
  /** Pairs to preview; contacts (the lifecycle) and companies by default. */
  pairs?: readonly PairObject[];
  /** People after which a first report is made (0: none). */
  sample?: number;
  /** Stop after the sample. */
  sampleOnly?: boolean;
  /** HubSpot pages (100 records) planned together. */
  unitPages?: number;
  concurrency?: number;
  /** Each report as it comes: the sample, progress after each unit, the final one per pair. */
  onReport?: (report: PreviewReport) => void;
}

export interface PreviewReport {
  kind: 'sample' | 'progress' | 'final';
  pair: PairObject;
  /** Records read so far in this pair (HubSpot, then Salesforce-only). */
  scanned: number;
  seconds: number;
  impact: ImpactReport;
}

export interface PreviewResult {
  seconds: number;
  /** True when it stopped after the sample. */
  sampled: boolean;
  pairs: Partial<Record<PairObject, ImpactReport>>;
}

const DEFAULT_SAMPLE = 1000;
const DEFAULT_UNIT_PAGES = 20;
const LEFTOVER_CHUNK = 2000;

/** The same batch input, seen through the mappings in force. */
function asCurrent(input: BatchInput, current: MappingSet): BatchInput {
  const mapping = input.pair === 'contacts' ? current.contacts : current.companies;
  return { ...input, mapping, ...(input.lifecycle ? { lifecycle: { ...input.lifecycle, definition: new Lifecycle(current.lifecycle) } } : {}) };
}

export async function preview(ctx: SyncContext, options: PreviewOptions): Promise<PreviewResult> {
  const started = Date.now();
  const changedCtx: SyncContext = { ...ctx, mappings: options.changed };
  const sample = options.sample ?? DEFAULT_SAMPLE;
  const result: PreviewResult = { seconds: 0, sampled: false, pairs: {} };
  for (const pair of options.pairs ?? (['contacts', 'companies'] as const)) {
    const impact = await previewPair(ctx, changedCtx, pair, options, sample, started);
    result.pairs[pair] = impact.report;
    if (impact.stopped) {
      result.sampled = true;
      break;
    }
  }
  result.seconds = (Date.now() - started) / 1000;
  return result;
}

async function previewPair(ctx: SyncContext, changedCtx: SyncContext, pair: PairObject, options: PreviewOptions, sample: number, started: number): Promise<{ report: ImpactReport; stopped: boolean }> {
  const current = ctx.mappings;
  const changed = options.changed;
  const mapping = pair === 'contacts' ? changed.contacts : changed.companies;
  const currentMapping = pair === 'contacts' ? current.contacts : current.companies;
  const objects = [...new Set([...mapping.pair.salesforce, ...currentMapping.pair.salesforce])] as string[];
  const routing = pair === 'contacts' && [mapping, currentMapping].some((m) => 'routing' in m && m.routing.contact_when_account_matches !== 'never');
  const ext = mapping.identity.salesforce_external_id;
  const staging = new Staging(ctx.redis, ctx.keys, `preview-${randomUUID()}`);
  const stageObjects = [...(routing && !objects.includes('Account') ? ['Account'] : []), ...objects];
  const tally = new ImpactTally();
  let scanned = 0;
  let sampled = sample <= 0;
  let stop = false;
  const emit = (kind: PreviewReport['kind']) => options.onReport?.({ kind, pair, scanned, seconds: (Date.now() - started) / 1000, impact: tally.report() });
  const plan = async (request: Omit<BatchRequest, 'pair' | 'priority' | 'alsoRead'>) => {
    const input = await loadBatch(changedCtx, { ...request, pair, priority: 'backfill', alsoRead: current });
    const changedPlan = planBatch(input);
    const currentPlan = planBatch(asCurrent(input, current));
    tally.add(input, currentPlan, changedPlan);
    return [...changedPlan.pairs, ...currentPlan.pairs].map((p) => p.salesforce);
  };
  const afterUnit = (size: number) => {
    scanned += size;
    if (!sampled && scanned >= sample) {
      sampled = true;
      emit('sample');
      if (options.sampleOnly) stop = true;
    }
    emit('progress');
  };

  try {
    // 1. Stage Salesforce (what both mappings read).
    for (const object of stageObjects) {
      const fields =
        object === 'Account' && !objects.includes('Account')
          ? [...new Set(['Id', 'Name', 'Website', 'CreatedDate', ...accountFields(mapping), ...accountFields(currentMapping)])]
          : [...new Set([...salesforceFields(mapping, object, changed), ...salesforceFields(currentMapping, object, current)])];
      let page = await ctx.salesforce.queryPage({ soql: select(fields, object, { orderBy: [{ field: 'Id' }] }) }, 'backfill');
      await staging.add(object, page.records, ext);
      while (page.next) {
        page = await ctx.salesforce.queryPage({ next: page.next }, 'backfill');
        await staging.add(object, page.records, ext);
      }
    }
    const source = staging.source(liveSource(ctx));

    // 2. HubSpot, unit by unit, against the staging.
    const hsObjects = pair === 'contacts' ? ctx.contacts : ctx.companies;
    const props = [...new Set([...hubspotProperties(mapping, pair, changed), ...hubspotProperties(currentMapping, pair, current)])];
    const unitPages = options.unitPages ?? DEFAULT_UNIT_PAGES;
    await pipeline<HubSpotRecord[]>(
      undefined,
      async (cursor) => {
        const records: HubSpotRecord[] = [];
        let after = cursor;
        for (let i = 0; i < unitPages; i++) {
          const page = await hsObjects.listPage(props, after, 'backfill');
          records.push(...page.records);
          after = page.after;
          if (after === undefined || (!sampled && scanned + records.length >= sample)) break;
        }
        return { unit: records, cursor: stop ? undefined : after, size: records.length };
      },
      async (records) => {
        if (records.length === 0) return;
        const paired = await plan({ hubspotIds: records.map((r) => r.id), salesforceIds: [], preloaded: { hubspot: records }, source });
        for (const object of objects) await staging.consume(object, paired.filter((p) => p.object === object).map((p) => p.id));
      },
      async (_cursor, size) => afterUnit(size),
      options.concurrency ?? 2,
    );

    // 3. What only Salesforce has (people or Accounts nobody paired).
    for (const object of objects) {
      if (stop) break;
      for await (const chunk of staging.leftovers(object, LEFTOVER_CHUNK)) {
        const links = await ctx.links.bySalesforce(pair, chunk.map((r) => r.Id));
        const todo: SalesforceRecord[] = chunk.filter((r) => !links.has(r.Id));
        if (todo.length > 0) await plan({ hubspotIds: [], salesforceIds: todo.map((r) => r.Id), preloaded: { salesforce: todo }, source, noHubSpotLookup: true });
        await staging.consume(object, chunk.map((r) => r.Id));
        afterUnit(chunk.length);
        if (stop) break;
      }
    }
  } finally {
    await staging.clear(stageObjects);
  }
  if (!stop) emit('final');
  return { report: tally.report(), stopped: stop };
}

