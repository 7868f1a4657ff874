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

export async function syncBatch(ctx: SyncContext, request: BatchRequest): Promise<BatchResult> {
  await ensureRunning(ctx);
  try {
    const input = await loadBatch(ctx, request);
    const plan = planBatch(input);
    for (const pair of plan.pairs) {
      if (pair.ambiguous) ctx.logger.warn({ hubspotId: pair.hubspotId, salesforce: pair.salesforce, others: pair.ambiguous }, 'several Salesforce records match one HubSpot record; linked the first, the others are left alone');
    }
    return await writeBatch(ctx, request.pair, plan, request.priority, { createOnly: request.noHubSpotLookup === true });
  } catch (err) {
    await pauseOnDailyLimit(ctx, err);
    throw err;
  }
}
