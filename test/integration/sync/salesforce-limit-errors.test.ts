/**
 * Salesforce says REQUEST_LIMIT_EXCEEDED both when the org's daily allocation is spent ("TotalRequests
 * Limit exceeded.") and when too many long requests run at once ("ConcurrentPerOrgLongTxn Limit
 * exceeded."). Only the first pauses the connection until the allocation resets; the second is a
 * momentary limit, waited out and retried. Real calls through jsforce against the simulator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RevloopError } from '../../../src/platform/errors.js';
import { startSyncHarness, type SyncHarness } from '../../helpers/sync-harness.js';
import { pauseOnDailyLimit } from '../../../src/worker/sync/sync-batch.js';

let h: SyncHarness;

beforeAll(async () => {
  h = await startSyncHarness({ connectionId: 'limits' });
}, 60_000);

afterAll(async () => h?.close());

async function failure(): Promise<RevloopError> {
  try {
    await h.ctx.salesforce.queryPage({ soql: 'SELECT Id FROM Lead LIMIT 1' });
  } catch (err) {
    return err as RevloopError;
  }
  throw new Error('the call did not fail');
}

describe('REQUEST_LIMIT_EXCEEDED', () => {
  it('is a momentary rate limit when too many long requests run at once: waited out, the connection keeps running', async () => {
    h.salesforce.faults.configure({ errorRates: { '429': 1 } });
    const err = await failure();
    h.salesforce.faults.configure({});
    expect(err).toBeInstanceOf(RevloopError);
    expect(err.code).toBe('RATE_LIMITED');
    expect(err.recovery).toBe('rate-limited');
    expect(err.waitMs).toBeGreaterThan(0);
    await pauseOnDailyLimit(h.ctx, err);
    expect(await h.ctx.state.paused(Date.now())).toBeUndefined();
  });

  it('is the daily limit when the org has spent its allocation: the connection is paused', async () => {
    h.salesforce.limits.setLimit(1);
    await h.ctx.salesforce.queryPage({ soql: 'SELECT Id FROM Lead LIMIT 1' }).catch(() => undefined);
    const err = await failure();
    h.salesforce.limits.setLimit(10_000_000);
    expect(err.code).toBe('DAILY_LIMIT_REACHED');
    await pauseOnDailyLimit(h.ctx, err);
    expect((await h.ctx.state.paused(Date.now()))?.code).toBe('DAILY_LIMIT_REACHED');
  });
});
