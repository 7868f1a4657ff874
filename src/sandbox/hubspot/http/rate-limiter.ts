/**
 * HubSpot's API limits on the sandbox clock: a ten-second rolling window per app (110 calls for
 * an OAuth app, 190 for a private app), a daily allowance for private apps (reset at midnight
 * UTC), and 5 searches per second per account. Refused calls do not count.
 */
import type { AuthContext } from '../oauth/oauth-server.js';

export interface RateLimitSettings {
  tenSecondMax: number;
  privateAppTenSecondMax: number;
  searchPerSecond: number;
  dailyMax: number;
  enabled: boolean;
}

export type RatePolicy = 'TEN_SECONDLY_ROLLING' | 'DAILY' | 'SECONDLY';

export interface RateDecision {
  allowed: boolean;
  policy?: RatePolicy;
  /** X-HubSpot-RateLimit-* headers to send. */
  headers: Record<string, string>;
}

const TEN_SECONDS = 10_000;
const DAY = 86_400_000;

/** Call stamps within a rolling window, oldest first. */
class RollingWindow {
  private stamps: number[] = [];
  private head = 0;

  count(now: number, windowMs: number): number {
    while (this.head < this.stamps.length && (this.stamps[this.head] ?? 0) <= now - windowMs) this.head += 1;
    if (this.head > 1024 && this.head * 2 > this.stamps.length) {
      this.stamps = this.stamps.slice(this.head);
      this.head = 0;
    }
    return this.stamps.length - this.head;
  }

  add(now: number): void {
    this.stamps.push(now);
  }
}

export class RateLimiter {
  private windows = new Map<string, RollingWindow>();
  private searches = new RollingWindow();
  private daily = new Map<string, { day: number; count: number }>();

  constructor(
    private readonly now: () => number,
    private settings: RateLimitSettings,
  ) {}

  get current(): RateLimitSettings {
    return { ...this.settings };
  }

  configure(patch: Partial<RateLimitSettings>): RateLimitSettings {
    this.settings = { ...this.settings, ...patch };
    return this.current;
  }

  reset(): void {
    this.windows = new Map();
    this.searches = new RollingWindow();
    this.daily = new Map();
  }

  /** Any API call except search. */
  checkCall(auth: AuthContext): RateDecision {
    if (!this.settings.enabled) return { allowed: true, headers: {} };
    const now = this.now();
    const key = `${auth.kind}:${auth.appId}`;
    const max = auth.kind === 'private' ? this.settings.privateAppTenSecondMax : this.settings.tenSecondMax;
    let window = this.windows.get(key);
    if (window === undefined) {
      window = new RollingWindow();
      this.windows.set(key, window);
    }
    const used = window.count(now, TEN_SECONDS);
    const headers: Record<string, string> = {
      'X-HubSpot-RateLimit-Interval-Milliseconds': String(TEN_SECONDS),
      'X-HubSpot-RateLimit-Max': String(max),
    };
    let day: { day: number; count: number } | undefined;
    if (auth.kind === 'private') {
      const today = Math.floor(now / DAY);
      day = this.daily.get(key);
      if (day === undefined || day.day !== today) {
        day = { day: today, count: 0 };
        this.daily.set(key, day);
      }
      headers['X-HubSpot-RateLimit-Daily'] = String(this.settings.dailyMax);
      if (day.count >= this.settings.dailyMax) {
        headers['X-HubSpot-RateLimit-Daily-Remaining'] = '0';
        headers['X-HubSpot-RateLimit-Remaining'] = String(Math.max(0, max - used));
        return { allowed: false, policy: 'DAILY', headers };
      }
    }
    if (used >= max) {
      headers['X-HubSpot-RateLimit-Remaining'] = '0';
      if (day !== undefined) headers['X-HubSpot-RateLimit-Daily-Remaining'] = String(this.settings.dailyMax - day.count);
      return { allowed: false, policy: 'TEN_SECONDLY_ROLLING', headers };
    }
    window.add(now);
    headers['X-HubSpot-RateLimit-Remaining'] = String(max - used - 1);
    if (day !== undefined) {
      day.count += 1;
      headers['X-HubSpot-RateLimit-Daily-Remaining'] = String(this.settings.dailyMax - day.count);
    }
    return { allowed: true, headers };
  }

  /** A search call: 5 per second per account, and no rate-limit headers. */
  checkSearch(): RateDecision {
    if (!this.settings.enabled) return { allowed: true, headers: {} };
    const now = this.now();
    if (this.searches.count(now, 1000) >= this.settings.searchPerSecond) return { allowed: false, policy: 'SECONDLY', headers: {} };
    this.searches.add(now);
    return { allowed: true, headers: {} };
  }
}

/** The 429 body for a policy, with the fields the official client's retry looks at. */
export function rateLimitBody(policy: RatePolicy, groupName: string): { message: string; fields: Record<string, unknown> } {
  const message =
    policy === 'DAILY'
      ? 'You have reached your daily limit.'
      : policy === 'SECONDLY'
        ? 'You have reached your secondly limit.'
        : 'You have reached your ten_secondly_rolling limit.';
  return { message, fields: { errorType: 'RATE_LIMIT', policyName: policy, groupName } };
}
