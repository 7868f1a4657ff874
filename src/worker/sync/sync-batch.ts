/**
 * One sync batch of an object pair: load both sides, plan with the pure core, write. Idempotent: run
 * twice, the second run finds both sides equal and writes nothing (writes are updates of known
 * records or upserts by external id / email).
 */
import { planBatch } from '../../core/sync/batch-plan.js';
import { RevloopError } from '../../platform/errors.js';
import { loadBatch, type BatchRequest } from './load-batch.js';
import type { SyncContext } from './sync-context.js';
import { writeBatch, type BatchResult } from './write-batch.js';

const DAY_MS = 86_400_000;

/** Throws CONNECTION_PAUSED when the connection is paused, so no call is made. */
export async function ensureRunning(ctx: SyncContext): Promise<void> {
  const paused = await ctx.state.paused(ctx.now());
  if (paused) {
    throw new RevloopError('CONNECTION_PAUSED', `connection ${ctx.connectionId} is paused: ${paused.reason}`, {
      ...(paused.until !== undefined ? { waitMs: Math.max(1000, paused.until - ctx.now()) } : {}),
      details: { ...paused },
    });
  }
}

/** A daily limit pauses the whole connection until it resets; the error is rethrown for the job. */
export async function pauseOnDailyLimit(ctx: SyncContext, err: unknown): Promise<void> {
  if (!(err instanceof RevloopError) || err.code !== 'DAILY_LIMIT_REACHED') return;
  const resetsIn = typeof err.details.resetsInMs === 'number' ? err.details.resetsInMs : undefined;
  const now = ctx.now();
  const until = resetsIn !== undefined ? now + resetsIn : nextUtcMidnight(now);
  await ctx.state.pause({ reason: err.message, code: err.code, since: now, until });
  ctx.logger.warn({ until: new Date(until).toISOString(), reason: err.message }, 'connection paused: daily API limit reached');
}

function nextUtcMidnight(now: number): number {
  return Math.floor(now / DAY_MS) * DAY_MS + DAY_MS;
}

/** How many times one job syncs people again (overwritten changes, records created meanwhile) before leaving them to their next signal. */
const MAX_PUT_BACK_ROUNDS = 3;

export async function syncBatch(ctx: SyncContext, request: BatchRequest, round = 0): Promise<BatchResult> {
  await ensureRunning(ctx);
  try {
    const input = await loadBatch(ctx, request);
    const plan = planBatch(input);
    for (const pair of plan.pairs) {
      if (pair.ambiguous) ctx.logger.warn({ hubspotId: pair.hubspotId, salesforce: pair.salesforce, others: pair.ambiguous }, 'several Salesforce records match one HubSpot record; linked the first, the others are left alone');
    }
    const result = await writeBatch(ctx, request.pair, plan, request.priority, { readAt: input.readAt });
    // Overwritten changes this batch put back are settled once their pair's writes landed; moot ones at once.
    const landed = new Set(result.landed.flatMap((l) => [`hubspot:${l.hubspotId}`, `salesforce:${l.salesforceId}`]));
    await ctx.provenance.settle([...input.clobbered.moot, ...input.clobbered.restored.filter((e) => landed.has(`${e.side}:${e.id}`))]);
    if (result.clobbered.length === 0 && result.existedInSalesforce.length === 0 && result.existed.length === 0) return result;
    // This batch's writes overwrote changes made while it was planned, or found records created meanwhile
    // by another job: those people are synced again now, from both sides as they are.
    if (round + 1 >= MAX_PUT_BACK_ROUNDS) {
      ctx.logger.warn({ records: [...result.clobbered.map((c) => `${c.side}:${c.id}`), ...result.existedInSalesforce.map((id) => `hubspot:${id}`), ...result.existed.map((r) => `salesforce:${r.id}`)] }, 'people left to their next sync');
      return result;
    }
    const again = await syncBatch(
      ctx,
      {
        pair: request.pair,
        hubspotIds: [...new Set([...result.clobbered.filter((c) => c.side === 'hubspot').map((c) => c.id), ...result.existedInSalesforce])],
        salesforceIds: [...new Set([...result.clobbered.filter((c) => c.side === 'salesforce').map((c) => c.id), ...result.existed.map((r) => r.id)])],
        priority: request.priority,
        ...(request.only ? { only: request.only } : {}),
      },
      round + 1,
    );
    return merge(result, again);
  } catch (err) {
    await pauseOnDailyLimit(ctx, err);
    throw err;
  }
}

function merge(a: BatchResult, b: BatchResult): BatchResult {
  const outcome = { ...a.outcome };
  for (const key of Object.keys(outcome) as Array<keyof typeof outcome>) outcome[key] += b.outcome[key];
  return {
    outcome,
    pairedSalesforce: [...a.pairedSalesforce, ...b.pairedSalesforce],
    converted: [...new Set([...a.converted, ...b.converted])],
    existed: b.existed,
    landed: [...a.landed, ...b.landed],
    clobbered: b.clobbered,
    existedInSalesforce: b.existedInSalesforce,
  };
}
