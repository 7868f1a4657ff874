/**
 * The Salesforce org's daily allocation runs out during the backfill's leftovers, with chunks in
 * flight: the backfill fails with the limit, nothing it started runs on after it returns, the
 * connection pauses, and after the reset the backfill finishes with every person once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RevloopError } from '../../../src/platform/errors.js';
import { deleteByPrefix } from '../../../src/platform/redis.js';
import { backfill } from '../../../src/worker/backfill/run-backfill.js';
import { startSyncHarness, type SyncHarness } from '../../helpers/sync-harness.js';

const DAY = 86_400_000;
const PEOPLE = 2400;
let clock = Date.parse('2026-11-29T15:00:00Z');
const now = () => clock;
let h: SyncHarness;

beforeAll(async () => {
  // Staging takes a handful of calls; each leftovers chunk of 400 two more (two collections of 200).
  h = await startSyncHarness({ salesforce: { now, dailyApiLimit: 12 }, hubspot: { now }, now });
  h.salesforce.store.insertMany('Lead', Array.from({ length: PEOPLE }, (_, i) => ({ Email: `left${i}@example.com`, LastName: `L${i}`, Company: 'X' })));
}, 60_000);
afterAll(async () => h?.close());

describe('the daily limit reached during the leftovers', () => {
  it('is passed on with nothing left running, pauses the connection, and the resumed run finishes', async () => {
    const phases: string[] = [];
    const error = await backfill(h.ctx, { pair: 'contacts', onProgress: (p) => phases.push(p.phase) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RevloopError);
    expect((error as RevloopError).code).toBe('DAILY_LIMIT_REACHED');
    // It happened during the leftovers, with chunks written before it.
    expect(phases.at(-1)).toBe('leftovers:Lead');
    expect(h.hubspot.store.count('contacts')).toBeGreaterThan(0);
    expect(h.hubspot.store.count('contacts')).toBeLessThan(PEOPLE);

    // Nothing the failed run started is still at work once it has returned.
    const calls = h.salesforce.counter.total + h.hubspot.counter.total;
    const contacts = h.hubspot.store.count('contacts');
    await new Promise((r) => setTimeout(r, 500));
    expect(h.salesforce.counter.total + h.hubspot.counter.total).toBe(calls);
    expect(h.hubspot.store.count('contacts')).toBe(contacts);
    expect((await h.ctx.state.paused(now()))?.reason).toMatch(/Salesforce/);

    clock += DAY;
    h.salesforce.limits.setLimit(1_000_000);
    await deleteByPrefix(h.redis.redis, `${h.ctx.keys.prefix}:budget`);
    const done = await backfill(h.ctx, { pair: 'contacts' });
    expect(done.phase).toBe('done');
    expect(done.outcome.parked).toBe(0);
    expect(h.hubspot.store.count('contacts')).toBe(PEOPLE);
    expect(h.salesforce.store.count('Lead')).toBe(PEOPLE);
    expect(await h.ctx.links.count('contacts')).toBe(PEOPLE);
  }, 120_000);
});
