/**
 * The reconciliation sweep: a low-frequency pass that finds changes no webhook or change event
 * reported (a dropped delivery, an outage) and signals them. HubSpot is searched on the modified
 * date in windows small enough to stay under search's 10,000-result cap; Salesforce is queried on
 * SystemModstamp. Each side keeps a watermark; windows overlap a little because search indexing lags.
 */
import type { Queue } from 'bullmq';
import { HUBSPOT_SEARCH_CAP } from '../providers/hubspot/hubspot-objects.js';
import type { HubSpotObjects } from '../providers/hubspot/hubspot-objects.js';
import { select, where } from '../providers/salesforce/soql.js';
import type { PairObject } from '../state/link-store.js';
import { signal } from '../worker/signals.js';
import type { SyncContext } from '../worker/sync/sync-context.js';

/** Search indexing lags writes by a few seconds; each window starts this much before the last one ended. */
export const OVERLAP_MS = 2 * 60_000;

export interface SweepResult {
  hubspot: number;
  salesforce: number;
  windows: number;
}

function watermarkKey(ctx: SyncContext, side: string, object: string): string {
  return ctx.keys.key('sweep', side, object);
}

/** Every id modified in [from, to), splitting the window while it holds more than search can page through. */
async function hubspotModified(objects: HubSpotObjects, from: number, to: number, result: SweepResult): Promise<string[]> {
  result.windows += 1;
  const first = await objects.searchModifiedPage({ from, to }, [], undefined, 'live');
  if (first.total >= HUBSPOT_SEARCH_CAP && to - from > 1000) {
    const middle = Math.floor((from + to) / 2);
    return [...(await hubspotModified(objects, from, middle, result)), ...(await hubspotModified(objects, middle, to, result))];
  }
  const ids = first.records.map((r) => r.id);
  let after = first.after;
  while (after) {
    const page = await objects.searchModifiedPage({ from, to }, [], after, 'live');
    ids.push(...page.records.map((r) => r.id));
    after = page.after;
  }
  return ids;
}

export async function sweep(ctx: SyncContext, queue: Queue, windowMs: number): Promise<SweepResult> {
  const now = ctx.now();
  const result: SweepResult = { hubspot: 0, salesforce: 0, windows: 0 };
  for (const pair of ['contacts', 'companies'] as const satisfies readonly PairObject[]) {
    const mapping = pair === 'contacts' ? ctx.mappings.contacts : ctx.mappings.companies;
    const objects = pair === 'contacts' ? ctx.contacts : ctx.companies;
    const hsKey = watermarkKey(ctx, 'hubspot', pair);
    const hsMark = await ctx.redis.get(hsKey);
    if (hsMark !== null) {
      const ids = await hubspotModified(objects, Number(hsMark) - OVERLAP_MS, now, result);
      for (let i = 0; i < ids.length; i += 1000) await signal(ctx.redis, queue, ctx.keys, pair, 'hubspot', ids.slice(i, i + 1000), { windowMs }, now);
      result.hubspot += ids.length;
    }
    await ctx.redis.set(hsKey, String(now));
    for (const object of mapping.pair.salesforce as readonly string[]) {
      const sfKey = watermarkKey(ctx, 'salesforce', object);
      const sfMark = await ctx.redis.get(sfKey);
      if (sfMark !== null) {
        const soql = select(['Id'], object, { where: where.and(where.gte('SystemModstamp', new Date(Number(sfMark) - OVERLAP_MS)), where.lt('SystemModstamp', new Date(now))) });
        for await (const page of ctx.salesforce.query(soql, 'live')) {
          await signal(ctx.redis, queue, ctx.keys, pair, 'salesforce', page.map((r) => r.Id), { windowMs }, now);
          result.salesforce += page.length;
        }
      }
      await ctx.redis.set(sfKey, String(now));
    }
  }
  return result;
}
