/**
 * A rolling-window limit kept exactly: the times of the calls of the last `windowMs` in a Redis
 * sorted set (Redis's own clock, so every worker process counts on one clock), trimmed and checked
 * in one script. A call is allowed while fewer than `limit` were made in the window; otherwise the
 * answer is how long until the oldest leaves it. HubSpot counts its ten-second limit over a rolling
 * window, so an exact log lets revloop use nearly all of it without ever causing a 429; fixed
 * one-second buckets could only promise 10/11 of it.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/** Redis's clock in ms as `now`, ARGV[1] as `window`, and the calls that left the window removed. */
const NOW_AND_TRIM = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)`;

const TAKE = `${NOW_AND_TRIM}
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - now)`;

/** TAKE, unless the counter at KEYS[2] is above zero: then -1, and nothing is taken. */
const TAKE_UNLESS = `
local busy = tonumber(redis.call('GET', KEYS[2]) or '0')
if busy ~= nil and busy > 0 then return -1 end
${TAKE}`;

/**
 * Moves a call already in the window to now (its call is made later than its slot was taken), if it is
 * still there: 1, else 0 (it left the window, or Redis lost it) and a new slot must be taken. The call
 * was counted from its take on, so every take since has seen it: moving it later never lets the window
 * hold more than its limit at any take.
 */
const RESTAMP = `${NOW_AND_TRIM}
if not redis.call('ZSCORE', KEYS[1], ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], 'XX', now, ARGV[2])
redis.call('PEXPIRE', KEYS[1], window)
return 1`;

export class SlidingWindow {
  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /**
   * Takes a call if the window has room: 0, or the milliseconds to wait before trying again. `member`
   * names the call in the window (for `restamp`); a refused take adds nothing, so a retry may reuse it.
   */
  async take(member: string = randomUUID()): Promise<number> {
    return Number(await this.redis.eval(TAKE, 1, this.key, this.windowMs, this.limit, member));
  }

  /**
   * As `take`, in the same round trip as a look at a counter (a rate limiter's key): -1 when the
   * counter is above zero, and then nothing is taken.
   */
  async takeUnless(counterKey: string, member: string = randomUUID()): Promise<number> {
    return Number(await this.redis.eval(TAKE_UNLESS, 2, this.key, counterKey, this.windowMs, this.limit, member));
  }

  /** Moves the call `member` to now if it is still in the window (true); false when it must be taken anew. */
  async restamp(member: string): Promise<boolean> {
    return Number(await this.redis.eval(RESTAMP, 1, this.key, this.windowMs, member)) === 1;
  }

  /** Calls in the window now. */
  async used(): Promise<number> {
    const t = await this.redis.time();
    const now = Number(t[0]) * 1000 + Math.floor(Number(t[1]) / 1000);
    return this.redis.zcount(this.key, now - this.windowMs, '+inf');
  }
}
