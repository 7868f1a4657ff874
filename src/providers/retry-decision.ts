/**
 * Whether a failed API call is sent again at once, inside the job that made it. A pure decision from
 * the classified error, the attempt and whether the call may be repeated (reads, updates, upserts by
 * a key: yes; creations: no, a lost answer may hide a record that was made).
 *
 * Why here and not only in the job: a sync batch makes a handful of calls and a backfill unit dozens;
 * a job that fails on any of them redoes them all, so with a few percent of transient failures per
 * call a long job rarely gets through, and its BullMQ attempts run out. Sending the one failed call
 * again costs one call. The job's own retries stay for what lasts longer (a rate limit with a long
 * wait, an outage, a paused connection).
 */
import type { RevloopError } from '../platform/errors.js';
import type { Priority } from './budget/api-budget.js';

export interface RetryDecision {
  retry: boolean;
  reason: string;
  waitMs: number;
}

/** Attempts of one call, the first included. */
export const CALL_ATTEMPTS = 4;
/** A rate limit that asks for a longer wait goes back to the job (which is delayed, freeing the worker). */
export const MAX_IN_CALL_WAIT_MS = 2_000;
/**
 * A backfill waits out even a ten-second window inside the call: it is one long job on a worker of
 * its own, and giving up would drop the units in flight, to be read and planned again.
 */
export const BACKFILL_MAX_IN_CALL_WAIT_MS = 10_000;
const BASE_BACKOFF_MS = 200;
const ROLLING_BACKOFF_MS = 1_000;

export function retryDecision(error: RevloopError, attempt: number, repeatable: boolean, random: () => number = Math.random, maxWaitMs = MAX_IN_CALL_WAIT_MS): RetryDecision {
  const no = (reason: string): RetryDecision => ({ retry: false, reason, waitMs: 0 });
  if (!repeatable) return no('the call is not safe to repeat');
  if (attempt >= CALL_ATTEMPTS) return no(`failed ${attempt} times`);
  if (error.code === 'UPSTREAM_UNAVAILABLE' || error.code === 'UPSTREAM_TIMEOUT') {
    // Exponential backoff with jitter: 100-300, 200-600, 400-1200 ms.
    return { retry: true, reason: `${error.code} (transient)`, waitMs: Math.round(BASE_BACKOFF_MS * 2 ** (attempt - 1) * (0.5 + random())) };
  }
  if (error.code === 'RATE_LIMITED') {
    if (error.details.rolling === true) {
      // A rolling window frees room as its oldest calls leave it: try again after 1, 2, then 4 s
      // (jittered), never later than the whole window.
      const wait = Math.min(error.waitMs ?? ROLLING_BACKOFF_MS, Math.round(ROLLING_BACKOFF_MS * 2 ** (attempt - 1) * (0.75 + random() / 2)));
      return wait <= maxWaitMs ? { retry: true, reason: 'rolling rate limit: room comes back shortly', waitMs: wait } : no(`rate limited for ${wait} ms: the job waits`);
    }
    const wait = error.waitMs ?? 1_000;
    return wait <= maxWaitMs ? { retry: true, reason: 'rate limited for a moment', waitMs: wait } : no(`rate limited for ${wait} ms: the job waits`);
  }
  return no(`${error.code} is not transient`);
}

/** The longest wait a call of this priority sits out itself. */
export function maxInCallWait(priority: Priority): number {
  return priority === 'backfill' ? BACKFILL_MAX_IN_CALL_WAIT_MS : MAX_IN_CALL_WAIT_MS;
}
