/**
 * The Salesforce org's daily API allocation runs out mid-backfill: the connection pauses with a
 * visible reason, makes no further call, and resumes after the reset.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RevloopError } from '../../../src/platform/errors.js';
import { deleteByPrefix } from '../../../src/platform/redis.js';
import { backfill } from '../../../src/worker/backfill/run-backfill.js';
import { syncBatch } from '../../../src/worker/sync/sync-batch.js';
import { startSyncHarness, type SyncHarness } from '../../helpers/sync-harness.js';

const DAY = 86_400_000;
let clock = Date.parse('2026-11-29T15:00:00Z');
const now = () => clock;
let h: SyncHarness;

beforeAll(async () => {
  h = await startSyncHarness({ salesforce: { now, dailyApiLimit: 10 }, hubspot: { now }, now });
  h.hubspot.store.createMany('contacts', Array.from({ length: 3000 }, (_, i) => ({ properties: { email: `d${i}@example.com`, lastname: `L${i}` } })), { actor: { source: 'CRM_UI' }, quiet: true });
  h.salesforce.store.insertMany('Lead', Array.from({ length: 500 }, (_, i) => ({ Email: `s${i}@example.com`, LastName: `S${i}`, Company: 'X' })));
}, 60_000);
afterAll(async () => h?.close());

describe('the daily API limit', () => {
  it('pauses the connection with its reason, makes no further call, resumes after the reset', async () => {
    const error = await backfill(h.ctx, { pair: 'contacts' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RevloopError);
    expect((error as RevloopError).code).toBe('DAILY_LIMIT_REACHED');
    const pause = await h.ctx.state.paused(now());
    expect(pause?.reason).toMatch(/Salesforce/);
    // Until the budget resets: revloop's own day window, or midnight UTC when only the org knows.
    expect(pause?.until).toBeGreaterThan(now());
    expect(pause?.until).toBeLessThanOrEqual(now() + DAY);

    const calls = h.salesforce.counter.total + h.hubspot.counter.total;
    const again = await syncBatch(h.ctx, { pair: 'contacts', hubspotIds: ['1'], salesforceIds: [], priority: 'live' }).catch((e: unknown) => e);
    expect((again as RevloopError).code).toBe('CONNECTION_PAUSED');
    const resumed = await backfill(h.ctx, { pair: 'contacts' }).catch((e: unknown) => e);
    expect((resumed as RevloopError).code).toBe('CONNECTION_PAUSED');
    expect(h.salesforce.counter.total + h.hubspot.counter.total).toBe(calls);

    // A day later the org's allocation has rolled over and the pause has ended. (revloop's own day
    // windows expire in Redis on real time, so the test expires them by hand.)
    clock += DAY;
    h.salesforce.limits.setLimit(1_000_000);
    await deleteByPrefix(h.redis.redis, `${h.ctx.keys.prefix}:budget`);
    expect(await h.ctx.state.paused(now())).toBeUndefined();
    const done = await backfill(h.ctx, { pair: 'contacts' });
    expect(done.phase).toBe('done');
    expect(h.salesforce.store.count('Lead')).toBe(3500);
    expect(h.hubspot.store.count('contacts')).toBe(3500);
  }, 120_000);
});
