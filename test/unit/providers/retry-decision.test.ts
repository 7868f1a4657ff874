/** retryDecision: which failed calls are sent again at once, after how long, and which go back to the job. */
import { describe, expect, it } from 'vitest';
import { RevloopError, type ErrorCode } from '../../../src/platform/errors.js';
import { BACKFILL_MAX_IN_CALL_WAIT_MS, CALL_ATTEMPTS, maxInCallWait, MAX_IN_CALL_WAIT_MS, retryDecision } from '../../../src/providers/retry-decision.js';

const err = (code: ErrorCode, waitMs?: number) => new RevloopError(code, code, waitMs === undefined ? {} : { waitMs });
const half = () => 0.5;

describe('retryDecision', () => {
  it.each([
    ['a 5xx or a network error', err('UPSTREAM_UNAVAILABLE'), true],
    ['a timeout', err('UPSTREAM_TIMEOUT'), true],
    ['a rate limit of one second', err('RATE_LIMITED', 1000), true],
    [`a rate limit of ${MAX_IN_CALL_WAIT_MS} ms`, err('RATE_LIMITED', MAX_IN_CALL_WAIT_MS), true],
    ['a rate limit of ten seconds (the job waits instead)', err('RATE_LIMITED', 10_000), false],
    ['the daily limit', err('DAILY_LIMIT_REACHED'), false],
    ['a refused record', err('RECORD_INVALID'), false],
    ['a bad request', err('BAD_REQUEST'), false],
    ['a revoked token', err('AUTH_REVOKED'), false],
    ['a paused connection', err('CONNECTION_PAUSED'), false],
    ['a conflict', err('CONFLICT'), false],
  ])('%s: retried at once = %s', (_name, error, retried) => {
    expect(retryDecision(error, 1, true, half).retry).toBe(retried);
  });

  it('never repeats a call that is not safe to repeat (a creation)', () => {
    const d = retryDecision(err('UPSTREAM_UNAVAILABLE'), 1, false, half);
    expect(d).toEqual({ retry: false, reason: 'the call is not safe to repeat', waitMs: 0 });
  });

  it(`gives up after ${CALL_ATTEMPTS} attempts`, () => {
    expect(retryDecision(err('UPSTREAM_UNAVAILABLE'), CALL_ATTEMPTS - 1, true, half).retry).toBe(true);
    expect(retryDecision(err('UPSTREAM_UNAVAILABLE'), CALL_ATTEMPTS, true, half).retry).toBe(false);
  });

  it('backs off exponentially with jitter', () => {
    expect([1, 2, 3].map((a) => retryDecision(err('UPSTREAM_UNAVAILABLE'), a, true, half).waitMs)).toEqual([200, 400, 800]);
    expect(retryDecision(err('UPSTREAM_UNAVAILABLE'), 1, true, () => 0).waitMs).toBe(100);
    expect(retryDecision(err('UPSTREAM_UNAVAILABLE'), 1, true, () => 0.999).waitMs).toBe(300);
  });

  it('lets a backfill sit out a ten-second window itself; a live call gives it back to its job', () => {
    const tenSecondly = err('RATE_LIMITED', 10_000);
    expect(retryDecision(tenSecondly, 1, true, half, maxInCallWait('backfill'))).toMatchObject({ retry: true, waitMs: 10_000 });
    expect(retryDecision(tenSecondly, 1, true, half, maxInCallWait('live')).retry).toBe(false);
    expect(retryDecision(err('RATE_LIMITED', BACKFILL_MAX_IN_CALL_WAIT_MS + 1), 1, true, half, maxInCallWait('backfill')).retry).toBe(false);
  });

  it('tries a rolling window again after 1, 2 and 4 s, never later than the window, live or backfill', () => {
    const rolling = new RevloopError('RATE_LIMITED', 'ten-secondly', { waitMs: 10_000, details: { rolling: true } });
    expect([1, 2, 3].map((a) => retryDecision(rolling, a, true, half, maxInCallWait('backfill')).waitMs)).toEqual([1000, 2000, 4000]);
    expect(retryDecision(rolling, 1, true, half, maxInCallWait('live'))).toMatchObject({ retry: true, waitMs: 1000 });
    expect(retryDecision(rolling, 2, true, half, maxInCallWait('live')).waitMs).toBeLessThanOrEqual(2000);
    expect(retryDecision(rolling, 3, true, half, maxInCallWait('live')).retry).toBe(false);
    const short = new RevloopError('RATE_LIMITED', 'ten-secondly', { waitMs: 1500, details: { rolling: true } });
    expect(retryDecision(short, 3, true, half, maxInCallWait('backfill')).waitMs).toBe(1500);
    expect(retryDecision(rolling, CALL_ATTEMPTS, true, half, maxInCallWait('backfill')).retry).toBe(false);
  });

  it("waits what the vendor asked for a short rate limit", () => {
    expect(retryDecision(err('RATE_LIMITED', 1500), 1, true, half).waitMs).toBe(1500);
  });
});
