/** The API budget shared through Redis by every worker process. */
import { afterEach, describe, expect, it } from 'vitest';
import { RevloopError } from '../../src/platform/errors.js';
import { ApiBudget, backfillPerSecond, RESERVATION_FRESH_MS, tenSecondAllowance } from '../../src/providers/budget/api-budget.js';
import { SlidingWindow } from '../../src/providers/budget/sliding-window.js';
import { HubSpotApi, staticHubSpotAuth } from '../../src/providers/hubspot/hubspot-api.js';
import { useRedis, type RedisTestContext } from '../helpers/redis.js';

let ctx: RedisTestContext | undefined;
afterEach(async () => ctx?.cleanup());

describe('the rolling ten-second allowance', () => {
  it.each([
    [190, 186, 13],
    [110, 107, 7],
    [100, 98, 6],
    [44, 43, 3],
  ])('limit %i → %i calls per rolling ten seconds, backfill %i a second while live changes flow', (limit, allowance, backfill) => {
    expect(tenSecondAllowance(limit)).toBe(allowance);
    expect(backfillPerSecond(limit)).toBe(backfill);
  });
});

describe('ApiBudget', () => {
  it('never lets two processes exceed the rolling HubSpot window together, and uses most of it', async () => {
    ctx = await useRedis('budget');
    const limits = { hubspotTenSecond: 44, hubspotSearchPerSecond: 5, salesforceDailyShare: 100 };
    const a = new ApiBudget(ctx.redis, `${ctx.root}:{c}`, limits, 60_000);
    const b = new ApiBudget(ctx.redis, `${ctx.root}:{c}`, limits, 60_000);
    const stamps: number[] = [];
    const started = Date.now();
    const worker = async (budget: ApiBudget) => {
      while (Date.now() - started < 12_000) {
        await budget.take('hubspot', 'backfill');
        stamps.push(Date.now());
      }
    };
    await Promise.all([worker(a), worker(b), worker(a), worker(b)]);
    stamps.sort((x, y) => x - y);
    let worst = 0;
    for (let i = 0, j = 0; i < stamps.length; i++) {
      while ((stamps[i] as number) - (stamps[j] as number) >= 10_000) j++;
      worst = Math.max(worst, i - j + 1);
    }
    expect(worst).toBeLessThanOrEqual(43);
    // The whole allowance in the first ten seconds, and again as those calls leave the window.
    expect(stamps.length).toBeGreaterThanOrEqual(43 * 2);
  }, 30_000);

  it('holds backfill to its share while live changes flow', async () => {
    ctx = await useRedis('budget');
    const budget = new ApiBudget(ctx.redis, `${ctx.root}:{c}`, { hubspotTenSecond: 190, hubspotSearchPerSecond: 5, salesforceDailyShare: 100 }, 60_000);
    await budget.take('hubspot', 'live');
    const started = Date.now();
    let backfill = 0;
    while (Date.now() - started < 2_000) {
      await budget.take('hubspot', 'backfill');
      backfill += 1;
    }
    // 18.6 calls a second overall; backfill gets 70 % of it (13) while live calls are recent.
    expect(backfill).toBeLessThanOrEqual(13 * 3);
    expect(backfill).toBeGreaterThanOrEqual(13 * 2);
  });

  it('refuses with DAILY_LIMIT_REACHED past a daily limit (HubSpot private app, Salesforce share)', async () => {
    ctx = await useRedis('budget');
    const budget = new ApiBudget(ctx.redis, `${ctx.root}:{c}`, { hubspotTenSecond: 1000, hubspotSearchPerSecond: 5, hubspotDaily: 3, salesforceDailyShare: 10, salesforceDailyAllocation: 50 });
    for (let i = 0; i < 3; i++) await budget.take('hubspot');
    await expect(budget.take('hubspot')).rejects.toMatchObject({ code: 'DAILY_LIMIT_REACHED' });
    for (let i = 0; i < 5; i++) await budget.take('salesforce');
    const error = await budget.take('salesforce').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RevloopError);
    expect((error as RevloopError).message).toContain('10% share');
    expect(await budget.usage()).toMatchObject({ hubspot: { dailyUsed: 4, dailyLimit: 3 }, salesforce: { used: 6, budget: 5 } });
  });

  it('learns the HubSpot limits from its headers, never above the ceilings an admin configured', async () => {
    ctx = await useRedis('budget');
    const headers = (max: number, daily: number) => ({ 'x-hubspot-ratelimit-max': String(max), 'x-hubspot-ratelimit-interval-milliseconds': '10000', 'x-hubspot-ratelimit-daily': String(daily) });
    const free = new ApiBudget(ctx.redis, `${ctx.root}:{a}`, { hubspotTenSecond: 110, hubspotSearchPerSecond: 5, salesforceDailyShare: 100 });
    free.observeHubSpotHeaders(headers(190, 500_000));
    expect((await free.usage()).hubspot).toMatchObject({ tenSecondLimit: 190, dailyLimit: 500_000 });

    const capped = new ApiBudget(ctx.redis, `${ctx.root}:{b}`, { hubspotTenSecond: 100, hubspotTenSecondCap: 100, hubspotDaily: 20_000, hubspotDailyCap: 20_000, hubspotSearchPerSecond: 5, salesforceDailyShare: 100 });
    capped.observeHubSpotHeaders(headers(190, 500_000));
    expect((await capped.usage()).hubspot).toMatchObject({ tenSecondLimit: 100, dailyLimit: 20_000 });
    // A portal with less than the ceiling: HubSpot's figure holds.
    capped.observeHubSpotHeaders(headers(50, 10_000));
    expect((await capped.usage()).hubspot).toMatchObject({ tenSecondLimit: 50, dailyLimit: 10_000 });
  });

  it('stops before the org as a whole runs out (Sforce-Limit-Info)', async () => {
    ctx = await useRedis('budget');
    const budget = new ApiBudget(ctx.redis, `${ctx.root}:{c}`, { hubspotTenSecond: 1000, hubspotSearchPerSecond: 5, salesforceDailyShare: 100 });
    budget.observeSalesforceLimitInfo('api-usage=99000/100000');
    await expect(budget.take('salesforce')).rejects.toMatchObject({ code: 'DAILY_LIMIT_REACHED' });
  });
});

describe('HubSpot slots taken ahead of their calls', () => {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('a slot moved to a later time still counts once, outlives its first time, and is not moved once gone', async () => {
    ctx = await useRedis('budget');
    const window = new SlidingWindow(ctx.redis, `${ctx.root}:window`, 2, 300);
    expect(await window.take('a')).toBe(0);
    expect(await window.take('b')).toBe(0);
    expect(await window.take('c')).toBeGreaterThan(0);
    await sleep(150);
    expect(await window.restamp('a')).toBe(true);
    expect(await window.take('c')).toBeGreaterThan(0); // moved, not added: the window is still full
    await sleep(200);
    // b left at its first time; a, moved, is still in.
    expect(await window.restamp('b')).toBe(false);
    expect(await window.take('c')).toBe(0);
    expect(await window.take('d')).toBeGreaterThan(0);
    expect(await ctx.redis.zrange(`${ctx.root}:window`, 0, -1)).toEqual(['a', 'c']);
  });

  it('a reservation used late is moved to its call, not paid twice; one lost with Redis is taken anew', async () => {
    ctx = await useRedis('budget');
    const prefix = `${ctx.root}:{c}`;
    const rolling = `${prefix}:budget:hs-rolling`;
    const budget = new ApiBudget(ctx.redis, prefix, { hubspotTenSecond: 190, hubspotSearchPerSecond: 5, hubspotDaily: 1000, salesforceDailyShare: 100 });
    const api = new HubSpotApi('http://127.0.0.1:1', staticHubSpotAuth('token'), budget);
    const call = (name: string, reserved: ReturnType<HubSpotApi['reserve']>) => api.call(name, async () => name, 'backfill', 'standard', true, reserved);

    expect(await call('fresh', api.reserve())).toBe('fresh');
    expect(await ctx.redis.zcard(rolling)).toBe(1);

    const late = api.reserve();
    const slot = await late.taken;
    if (!slot) throw new Error('a backfill take answers with its slot');
    const first = Number(await ctx.redis.zscore(rolling, slot.member));
    await sleep(RESERVATION_FRESH_MS + 50);
    expect(await call('late', late)).toBe('late');
    expect(await ctx.redis.zcard(rolling)).toBe(2);
    expect(Number(await ctx.redis.zscore(rolling, slot.member)) - first).toBeGreaterThanOrEqual(RESERVATION_FRESH_MS);

    const lost = api.reserve();
    await lost.taken;
    await ctx.redis.del(rolling);
    await sleep(RESERVATION_FRESH_MS + 50);
    expect(await call('lost', lost)).toBe('lost');
    expect(await ctx.redis.zcard(rolling)).toBe(1);
    // The daily count: one per call, and one more for the slot Redis lost.
    expect((await budget.usage()).hubspot.dailyUsed).toBe(4);
  });
});

describe('HubSpot calls that may not be repeated (creations)', () => {
  const vendorError = (status: number, body: Record<string, unknown>) => Object.assign(new Error(`HTTP ${status}`), { code: status, body: JSON.stringify(body), headers: {} });

  it('are sent again after a 429 (refused unprocessed), never after a 5xx (which may hide a record made)', async () => {
    ctx = await useRedis('budget');
    const budget = new ApiBudget(ctx.redis, `${ctx.root}:{c}`, { hubspotTenSecond: 190, hubspotSearchPerSecond: 5, salesforceDailyShare: 100 });
    const api = new HubSpotApi('http://127.0.0.1:1', staticHubSpotAuth('token'), budget);
    let attempts = 0;
    const limited = await api.call(
      'create',
      async () => {
        attempts += 1;
        if (attempts === 1) throw vendorError(429, { status: 'error', message: 'You have reached your secondly limit.', errorType: 'RATE_LIMIT', policyName: 'SECONDLY' });
        return 'created';
      },
      'live',
      'standard',
      false,
    );
    expect(limited).toBe('created');
    expect(attempts).toBe(2);

    attempts = 0;
    const unavailable = await api
      .call(
        'create',
        async () => {
          attempts += 1;
          throw vendorError(503, { status: 'error', message: 'Service Unavailable' });
        },
        'live',
        'standard',
        false,
      )
      .catch((e: unknown) => e);
    expect(unavailable).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    expect(attempts).toBe(1);
  });
});
