/**
 * One error type for revloop. Every failure that crosses a module boundary is a RevloopError
 * with a code from ERROR_CODES; the code decides how a job treats it (retry, wait, give up)
 * and which HTTP status the admin API answers with.
 */

export const ERROR_CODES = [
  'CONFIG_INVALID',
  'ENV_INVALID',
  'BAD_REQUEST',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'TOO_MANY_REQUESTS',
  'NOT_AVAILABLE_YET',
  'RATE_LIMITED',
  'DAILY_LIMIT_REACHED',
  'AUTH_EXPIRED',
  'AUTH_REVOKED',
  'UPSTREAM_UNAVAILABLE',
  'UPSTREAM_TIMEOUT',
  'RECORD_INVALID',
  'CONNECTION_PAUSED',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * How a job reacts:
 * - retryable: try again with backoff;
 * - rate-limited: try again after `waitMs` (the provider said so);
 * - unrecoverable: never retried inside a job (bad input, daily limit: the connection is paused instead).
 */
export type Recovery = 'retryable' | 'rate-limited' | 'unrecoverable';

interface CodeTraits {
  readonly status: number;
  readonly recovery: Recovery;
}

/** The one table from code to HTTP status and recovery. */
export const ERROR_TRAITS: Readonly<Record<ErrorCode, CodeTraits>> = {
  CONFIG_INVALID: { status: 422, recovery: 'unrecoverable' },
  ENV_INVALID: { status: 500, recovery: 'unrecoverable' },
  BAD_REQUEST: { status: 400, recovery: 'unrecoverable' },
  UNAUTHORIZED: { status: 401, recovery: 'unrecoverable' },
  FORBIDDEN: { status: 403, recovery: 'unrecoverable' },
  NOT_FOUND: { status: 404, recovery: 'unrecoverable' },
  CONFLICT: { status: 409, recovery: 'unrecoverable' },
  PAYLOAD_TOO_LARGE: { status: 413, recovery: 'unrecoverable' },
  TOO_MANY_REQUESTS: { status: 429, recovery: 'rate-limited' },
  NOT_AVAILABLE_YET: { status: 501, recovery: 'unrecoverable' },
  RATE_LIMITED: { status: 429, recovery: 'rate-limited' },
  DAILY_LIMIT_REACHED: { status: 429, recovery: 'unrecoverable' },
  AUTH_EXPIRED: { status: 401, recovery: 'retryable' },
  AUTH_REVOKED: { status: 401, recovery: 'unrecoverable' },
  UPSTREAM_UNAVAILABLE: { status: 502, recovery: 'retryable' },
  UPSTREAM_TIMEOUT: { status: 504, recovery: 'retryable' },
  RECORD_INVALID: { status: 422, recovery: 'unrecoverable' },
  CONNECTION_PAUSED: { status: 503, recovery: 'unrecoverable' },
  INTERNAL: { status: 500, recovery: 'retryable' },
};

export interface RevloopErrorOptions {
  cause?: unknown;
  /** Milliseconds to wait before the next attempt (rate limits). */
  waitMs?: number;
  /** Structured details safe to show to an admin (never secrets). */
  details?: Record<string, unknown>;
}

export class RevloopError extends Error {
  readonly code: ErrorCode;
  readonly waitMs: number | undefined;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: RevloopErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RevloopError';
    this.code = code;
    this.waitMs = options.waitMs;
    this.details = options.details ?? {};
  }

  get status(): number {
    return ERROR_TRAITS[this.code].status;
  }

  get recovery(): Recovery {
    return ERROR_TRAITS[this.code].recovery;
  }

  toJSON(): { code: ErrorCode; message: string; details?: Record<string, unknown> } {
    return Object.keys(this.details).length > 0
      ? { code: this.code, message: this.message, details: this.details }
      : { code: this.code, message: this.message };
  }
}

export function isRevloopError(err: unknown): err is RevloopError {
  return err instanceof RevloopError;
}

export function httpStatusOf(err: unknown): number {
  return isRevloopError(err) ? err.status : 500;
}

/** Wraps anything thrown into a RevloopError, keeping a RevloopError as it is. */
export function toRevloopError(err: unknown, fallback: ErrorCode = 'INTERNAL'): RevloopError {
  if (isRevloopError(err)) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new RevloopError(fallback, message, { cause: err });
}
