/**
 * The API budget of one connection, shared by every worker process through Redis.
 *
 * HubSpot: the rolling ten-second window is kept exactly as a log of call times (SlidingWindow), up to
 * the limit less a 2 % margin (tenSecondAllowance); searches get their own per-second window; private
 * apps also count against a daily limit (rate-limiter-flexible's RateLimiterRedis for those). Salesforce: revloop may use a configured share of the org's daily
 * allocation (learned from Sforce-Limit-Info), and stops before the org as a whole runs out.
 * Priorities: while live changes are flowing (any live call in the last ten seconds), backfill may
 * take at most BACKFILL_SHARE of the rate a second, so live changes always find room; alone, a
 * backfill uses the whole window.
 *
 * A daily limit reached is never waited out inside a job: it raises DAILY_LIMIT_REACHED, and the
 * caller pauses the connection until the reset.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { RevloopError } from '../../platform/errors.js';
import { SlidingWindow } from './sliding-window.js';

export type System = 'hubspot' | 'salesforce';
export type Priority = 'live' | 'backfill';
export type CallKind = 'standard' | 'search';

export const BACKFILL_SHARE = 0.7;
const DAY_S = 86_400;

/**
 * How long a HubSpot slot taken ahead of its call (`HubSpotApi.reserve`) stays good for it, counted
 * from when its take was sent. An older one is moved to the time of its call (`ApiBudget.restamp`).
 */
export const RESERVATION_FRESH_MS = 100;

/**
 * HubSpot's window plus guards: a call leaves revloop's log a quarter second after its ten seconds,
 * so differences in request latency (a late first call, a quick next one) cannot put more calls into
 * HubSpot's own ten seconds than into revloop's, and a further RESERVATION_FRESH_MS for a slot taken
 * that long before its call.
 */
export const HUBSPOT_WINDOW_MS = 10_000 + 250 + RESERVATION_FRESH_MS;

/** A slot of HubSpot's rolling window: its name in the log, and when (performance.now()) the take that got it was sent. */
export interface BudgetSlot {
  member: string;
  sentAt: number;
}

/**
 * Calls revloop allows itself in HubSpot's rolling ten seconds: the limit less a small margin (2 %,
 * at least one call) for calls made by hand with the same token or lost accounting on a restart.
 */
export function tenSecondAllowance(limit: number): number {
  return Math.max(1, limit - Math.max(1, Math.ceil(limit * 0.02)));
}

/** Backfill's share of a second while live changes are flowing (one-second buckets of rate-limiter-flexible). */
export function backfillPerSecond(limit: number): number {
  return Math.max(1, Math.floor((tenSecondAllowance(limit) / 10) * BACKFILL_SHARE));
}

const ORG_USAGE_TTL_MS = 15 * 60_000;

export interface BudgetLimits {
  /** HubSpot's ten-second limit as known now (a default until X-HubSpot-RateLimit-Max says). */
  hubspotTenSecond: number;
  hubspotSearchPerSecond: number;
  /** Private apps only; undefined when the app has no daily limit (OAuth apps). */
  hubspotDaily?: number | undefined;
  /**
   * Ceilings the admin configured (REVLOOP_HUBSPOT_TEN_SECOND_LIMIT, REVLOOP_HUBSPOT_DAILY_LIMIT), to
   * leave room for other integrations on the same app: HubSpot's headers may lower a limit, never
   * raise it above these.
   */
  hubspotTenSecondCap?: number | undefined;
  hubspotDailyCap?: number | undefined;
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
  /** HubSpot's rolling ten seconds, kept exactly (a log of call times). */
  hubspotWindow: SlidingWindow;
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
    const make = (name: string, points: number, duration: number) =>
      new RateLimiterRedis({ storeClient: this.redis, keyPrefix: `${this.keyPrefix}:${name}`, points, duration });
    const allocation = this.limits.salesforceDailyAllocation ?? this.salesforceOrg?.limit;
    return {
      hubspotWindow: new SlidingWindow(this.redis, `${this.keyPrefix}:hs-rolling`, tenSecondAllowance(this.limits.hubspotTenSecond), HUBSPOT_WINDOW_MS),
      hubspotBackfill: make('hs-window-backfill', backfillPerSecond(this.limits.hubspotTenSecond), 1),
      hubspotLive: make('hs-live', 1_000_000, 10),
      hubspotSearch: make('hs-search', Math.max(1, Math.floor(this.limits.hubspotSearchPerSecond / 2)), 1),
      hubspotDaily: this.limits.hubspotDaily ? make('hs-day', this.limits.hubspotDaily, DAY_S) : undefined,
      salesforceDaily: allocation ? make('sf-day', Math.max(1, Math.floor((allocation * this.limits.salesforceDailyShare) / 100)), DAY_S) : undefined,
    };
  }

  /**
   * Waits for room in the windows of `system`, or throws RATE_LIMITED / DAILY_LIMIT_REACHED. A call
   * of HubSpot's rolling window answers with its slot there (see `restamp`).
   */
  async take(system: System, priority: Priority = 'live', kind: CallKind = 'standard'): Promise<BudgetSlot | undefined> {
    if (system === 'salesforce') {
      await this.takeSalesforce();
      return undefined;
    }
    const daily = this.limiters.hubspotDaily;
    if (daily) {
      try {
        await daily.consume('calls');
      } catch (err) {
        if (isRes(err)) throw new RevloopError('DAILY_LIMIT_REACHED', 'revloop used its whole HubSpot daily budget', { waitMs: err.msBeforeNext, details: { system, resetsInMs: err.msBeforeNext } });
        throw err;
      }
    }
    if (kind === 'search') {
      await this.waitFor(this.limiters.hubspotSearch, system);
      return undefined;
    }
    if (priority === 'live') {
      await this.limiters.hubspotLive.consume('calls');
      return this.waitForWindow(system);
    }
    // Backfill yields to live calls: while any were made in the last ten seconds it keeps to its share.
    // The look at the live counter and the window's take are one script: one round trip per call, and a
    // backfill reads its HubSpot pages one after another, each waiting for the one before.
    const member = randomUUID();
    const sentAt = performance.now();
    const wait = await this.limiters.hubspotWindow.takeUnless(this.limiters.hubspotLive.getKey('calls'), member);
    if (wait < 0) {
      await this.waitFor(this.limiters.hubspotBackfill, system);
      return this.waitForWindow(system);
    }
    return this.waitForWindow(system, { member, sentAt, wait });
  }

  /**
   * Moves a HubSpot slot taken earlier to now, for its call about to be made: true, or false when it
   * has left the window (or Redis lost it) and a new one must be taken. Nothing else is counted again.
   */
  async restamp(slot: BudgetSlot): Promise<boolean> {
    return this.limiters.hubspotWindow.restamp(slot.member);
  }

  /** Takes a slot of the rolling window, waiting for one; `first` is a take's answer already in hand. */
  private async waitForWindow(system: System, first?: BudgetSlot & { wait: number }): Promise<BudgetSlot> {
    const deadline = Date.now() + this.maxWaitMs;
    const window = this.limiters.hubspotWindow;
    const member = first?.member ?? randomUUID();
    let sentAt = first?.sentAt ?? performance.now();
    let wait = first?.wait ?? (await window.take(member));
    while (wait !== 0) {
      if (Date.now() + wait > deadline) throw new RevloopError('RATE_LIMITED', `the ${system} window is full`, { waitMs: wait, details: { system } });
      await sleep(wait);
      sentAt = performance.now();
      wait = await window.take(member);
    }
    return { member, sentAt };
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

  /**
   * Applies HubSpot's X-HubSpot-RateLimit-* headers (the window's size, a private app's daily limit),
   * each kept at or below its configured ceiling.
   */
  observeHubSpotHeaders(headers: Readonly<Record<string, string | undefined>>): void {
    const capped = (value: number, cap: number | undefined) => (cap === undefined ? value : Math.min(value, cap));
    const max = Number(headers['x-hubspot-ratelimit-max']);
    const daily = Number(headers['x-hubspot-ratelimit-daily']);
    let changed = false;
    if (Number.isFinite(max) && max > 0 && headers['x-hubspot-ratelimit-interval-milliseconds'] === '10000') {
      const tenSecond = capped(max, this.limits.hubspotTenSecondCap);
      if (tenSecond !== this.limits.hubspotTenSecond) {
        this.limits = { ...this.limits, hubspotTenSecond: tenSecond };
        changed = true;
      }
    }
    if (Number.isFinite(daily) && daily > 0) {
      const perDay = capped(daily, this.limits.hubspotDailyCap);
      if (perDay !== this.limits.hubspotDaily) {
        this.limits = { ...this.limits, hubspotDaily: perDay };
        changed = true;
      }
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
