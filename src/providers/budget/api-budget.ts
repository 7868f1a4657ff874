/**
 * The API budget of one connection, shared by every worker process through Redis
 * (rate-limiter-flexible's RateLimiterRedis).
 *
 * HubSpot: the rolling ten-second window is enforced as one-second windows of limit/11 calls, so no
 * rolling ten seconds can hold more than the limit (see tenSecondWindows); searches get their own per-second window; private apps
 * also count against a daily limit. Salesforce: revloop may use a configured share of the org's daily
 * allocation (learned from Sforce-Limit-Info), and stops before the org as a whole runs out.
 * Priorities: while live changes are flowing (any live call in the last ten seconds), backfill may
 * take at most BACKFILL_SHARE of each HubSpot window, so live changes always find room; alone, a
 * backfill uses the whole window.
 *
 * A daily limit reached is never waited out inside a job: it raises DAILY_LIMIT_REACHED, and the
 * caller pauses the connection until the reset.
 */
import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { RevloopError } from '../../platform/errors.js';

export type System = 'hubspot' | 'salesforce';
export type Priority = 'live' | 'backfill';
export type CallKind = 'standard' | 'search';

export const BACKFILL_SHARE = 0.7;
const DAY_S = 86_400;

/**
 * Points per one-second window for a rolling ten-second limit. Windows start at their first call and
 * never overlap, so any rolling ten seconds touches at most eleven of them: 11 · p ≤ limit guarantees
 * revloop never causes a 429, at the price of using 10/11 of the limit at most.
 * (rate-limiter-flexible keeps whole-second expiries, so shorter windows are not available.)
 */
export function tenSecondWindows(limit: number): { seconds: number; points: number } {
  return { seconds: 1, points: Math.max(1, Math.floor(limit / 11)) };
}

const ORG_USAGE_TTL_MS = 15 * 60_000;

export interface BudgetLimits {
  hubspotTenSecond: number;
  hubspotSearchPerSecond: number;
  /** Private apps only; undefined when the app has no daily limit (OAuth apps). */
  hubspotDaily?: number | undefined;
  /** Percent of the Salesforce org's daily allocation revloop may use. */
  salesforceDailyShare: number;
  /** The org's allocation when known before the first call (else learned from Sforce-Limit-Info). */
  salesforceDailyAllocation?: number | undefined;
}

export interface BudgetUsage {
  hubspot: { tenSecondLimit: number; dailyUsed: number; dailyLimit: number | undefined };
  salesforce: { used: number; budget: number | undefined; orgUsed: number | undefined; orgLimit: number | undefined };
}

interface Limiters {
  hubspotSecond: RateLimiterRedis;
  hubspotBackfill: RateLimiterRedis;
  /** Counts live HubSpot calls over ten seconds: while it is non-zero, backfill yields. */
  hubspotLive: RateLimiterRedis;
  hubspotSearch: RateLimiterRedis;
  hubspotDaily: RateLimiterRedis | undefined;
  salesforceDaily: RateLimiterRedis | undefined;
}

function isRes(err: unknown): err is RateLimiterRes {
  return err instanceof RateLimiterRes;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class ApiBudget {
  private limiters: Limiters;
  /** The org-wide usage from the last Sforce-Limit-Info header; trusted for ORG_USAGE_TTL_MS. */
  private salesforceOrg: { used: number; limit: number; at: number } | undefined;
  private readonly keyPrefix: string;

  constructor(
    private readonly redis: Redis,
    /** The connection's key prefix (Keyspace.prefix). */
    prefix: string,
    private limits: BudgetLimits,
    /** Longest wait for a window inside one call before giving the job back as RATE_LIMITED. */
    private readonly maxWaitMs = 15_000,
    private readonly now: () => number = Date.now,
  ) {
    this.keyPrefix = `${prefix}:budget`;
    this.limiters = this.build();
  }

  private build(): Limiters {
    const window = tenSecondWindows(this.limits.hubspotTenSecond);
    const make = (name: string, points: number, duration: number) =>
      new RateLimiterRedis({ storeClient: this.redis, keyPrefix: `${this.keyPrefix}:${name}`, points, duration });
    const allocation = this.limits.salesforceDailyAllocation ?? this.salesforceOrg?.limit;
    return {
      hubspotSecond: make('hs-window', window.points, window.seconds),
      hubspotBackfill: make('hs-window-backfill', Math.max(1, Math.floor(window.points * BACKFILL_SHARE)), window.seconds),
      hubspotLive: make('hs-live', 1_000_000, 10),
      hubspotSearch: make('hs-search', Math.max(1, Math.floor(this.limits.hubspotSearchPerSecond / 2)), 1),
      hubspotDaily: this.limits.hubspotDaily ? make('hs-day', this.limits.hubspotDaily, DAY_S) : undefined,
      salesforceDaily: allocation ? make('sf-day', Math.max(1, Math.floor((allocation * this.limits.salesforceDailyShare) / 100)), DAY_S) : undefined,
    };
  }

  /** Waits for room in the windows of `system`, or throws RATE_LIMITED / DAILY_LIMIT_REACHED. */
  async take(system: System, priority: Priority = 'live', kind: CallKind = 'standard'): Promise<void> {
    if (system === 'salesforce') return this.takeSalesforce();
    const daily = this.limiters.hubspotDaily;
    if (daily) {
      try {
        await daily.consume('calls');
      } catch (err) {
        if (isRes(err)) throw new RevloopError('DAILY_LIMIT_REACHED', 'revloop used its whole HubSpot daily budget', { waitMs: err.msBeforeNext, details: { system, resetsInMs: err.msBeforeNext } });
        throw err;
      }
    }
    if (kind === 'search') return this.waitFor(this.limiters.hubspotSearch, system);
    if (priority === 'live') {
      await this.limiters.hubspotLive.consume('calls');
      return this.waitFor(this.limiters.hubspotSecond, system);
    }
    const live = await this.limiters.hubspotLive.get('calls');
    if (live && live.consumedPoints > 0) await this.waitFor(this.limiters.hubspotBackfill, system);
    await this.waitFor(this.limiters.hubspotSecond, system);
  }

  private async waitFor(limiter: RateLimiterRedis, system: System): Promise<void> {
    const deadline = Date.now() + this.maxWaitMs;
    for (;;) {
      try {
        await limiter.consume('calls');
        return;
      } catch (err) {
        if (!isRes(err)) throw err;
        const wait = Math.max(5, err.msBeforeNext);
        if (Date.now() + wait > deadline) {
          throw new RevloopError('RATE_LIMITED', `the ${system} window is full`, { waitMs: wait, details: { system } });
        }
        await sleep(wait);
      }
    }
  }

  private async takeSalesforce(): Promise<void> {
    const org = this.salesforceOrg && this.now() - this.salesforceOrg.at < ORG_USAGE_TTL_MS ? this.salesforceOrg : undefined;
    if (org && org.used >= org.limit * 0.98) {
      throw new RevloopError('DAILY_LIMIT_REACHED', `the Salesforce org has used ${org.used} of its ${org.limit} daily API requests`, { details: { system: 'salesforce' } });
    }
    const daily = this.limiters.salesforceDaily;
    if (!daily) return;
    try {
      await daily.consume('calls');
    } catch (err) {
      if (isRes(err)) {
        throw new RevloopError('DAILY_LIMIT_REACHED', `revloop used its ${this.limits.salesforceDailyShare}% share of the Salesforce daily API allocation`, { waitMs: err.msBeforeNext, details: { system: 'salesforce', resetsInMs: err.msBeforeNext } });
      }
      throw err;
    }
  }

  /** Learns the org's allocation from a `Sforce-Limit-Info: api-usage=used/limit` header. */
  observeSalesforceLimitInfo(header: string | undefined | null): void {
    const m = header ? /api-usage=(\d+)\/(\d+)/.exec(header) : null;
    if (!m) return;
    const used = Number(m[1]);
    const limit = Number(m[2]);
    const known = this.salesforceOrg?.limit;
    this.salesforceOrg = { used, limit, at: this.now() };
    if (known !== limit && this.limits.salesforceDailyAllocation === undefined) this.limiters = { ...this.limiters, salesforceDaily: this.build().salesforceDaily };
  }

  /** Applies HubSpot's X-HubSpot-RateLimit-* headers (a private app's daily limit and the window size). */
  observeHubSpotHeaders(headers: Readonly<Record<string, string | undefined>>): void {
    const max = Number(headers['x-hubspot-ratelimit-max']);
    const daily = Number(headers['x-hubspot-ratelimit-daily']);
    let changed = false;
    if (Number.isFinite(max) && max > 0 && max !== this.limits.hubspotTenSecond && headers['x-hubspot-ratelimit-interval-milliseconds'] === '10000') {
      this.limits = { ...this.limits, hubspotTenSecond: max };
      changed = true;
    }
    if (Number.isFinite(daily) && daily > 0 && this.limits.hubspotDaily === undefined) {
      this.limits = { ...this.limits, hubspotDaily: daily };
      changed = true;
    }
    if (changed) this.limiters = this.build();
  }

  async usage(): Promise<BudgetUsage> {
    const hsDaily = this.limiters.hubspotDaily ? await this.limiters.hubspotDaily.get('calls') : null;
    const sfDaily = this.limiters.salesforceDaily ? await this.limiters.salesforceDaily.get('calls') : null;
    return {
      hubspot: { tenSecondLimit: this.limits.hubspotTenSecond, dailyUsed: hsDaily?.consumedPoints ?? 0, dailyLimit: this.limits.hubspotDaily },
      salesforce: {
        used: sfDaily?.consumedPoints ?? 0,
        budget: this.limiters.salesforceDaily?.points,
        orgUsed: this.salesforceOrg?.used,
        orgLimit: this.salesforceOrg?.limit,
      },
    };
  }
}
