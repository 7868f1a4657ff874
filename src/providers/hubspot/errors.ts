/**
 * Classifies what the HubSpot client throws into revloop's error codes, with the vendor's message
 * kept for the admin: rate limits with their wait, the daily limit (never retried in a job),
 * expired tokens, server errors, and record-level validation.
 */
import { RevloopError } from '../../platform/errors.js';

interface HubSpotErrorBody {
  message?: string;
  category?: string;
  policyName?: string;
  errors?: Array<{ message?: string; code?: string; context?: Record<string, unknown> }>;
  context?: Record<string, unknown>;
}

interface ApiExceptionLike {
  code: number;
  body: unknown;
  headers: Record<string, string>;
}

function isApiException(err: unknown): err is ApiExceptionLike {
  return typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'number' && 'body' in err && 'headers' in err;
}

function bodyOf(err: ApiExceptionLike): HubSpotErrorBody {
  if (typeof err.body === 'object' && err.body !== null) return err.body as HubSpotErrorBody;
  if (typeof err.body === 'string') {
    try {
      return JSON.parse(err.body) as HubSpotErrorBody;
    } catch {
      return { message: err.body };
    }
  }
  return {};
}

const NETWORK = /ECONNRESET|ECONNREFUSED|ETIMEDOUT|EPIPE|socket hang up|network|fetch failed|EAI_AGAIN/i;

export function classifyHubSpotError(err: unknown, what: string): RevloopError {
  if (err instanceof RevloopError) return err;
  if (!isApiException(err)) {
    const message = err instanceof Error ? err.message : String(err);
    return new RevloopError(NETWORK.test(message) ? 'UPSTREAM_UNAVAILABLE' : 'INTERNAL', `HubSpot ${what}: ${message}`, { cause: err });
  }
  const body = bodyOf(err);
  const vendor = body.message ?? `HTTP ${err.code}`;
  const details = { system: 'hubspot', status: err.code, category: body.category, vendorMessage: vendor };
  if (err.code === 429) {
    if (body.policyName === 'DAILY') return new RevloopError('DAILY_LIMIT_REACHED', `HubSpot ${what}: ${vendor}`, { details, cause: err });
    const retryAfter = Number(err.headers['retry-after']);
    if (Number.isFinite(retryAfter) && retryAfter > 0) return new RevloopError('RATE_LIMITED', `HubSpot ${what}: ${vendor}`, { waitMs: retryAfter * 1000, details, cause: err });
    // A rolling window without Retry-After: room comes back as the oldest calls leave it, at the latest
    // after the whole window. waitMs is that bound; `rolling` lets a retry try sooner (retryDecision).
    const rolling = body.policyName === 'TEN_SECONDLY_ROLLING';
    return new RevloopError('RATE_LIMITED', `HubSpot ${what}: ${vendor}`, { waitMs: rolling ? 10_000 : 1_000, details: { ...details, ...(rolling ? { rolling: true } : {}) }, cause: err });
  }
  if (err.code === 401) return new RevloopError('AUTH_EXPIRED', `HubSpot ${what}: ${vendor}`, { details, cause: err });
  if (err.code === 403) return new RevloopError('FORBIDDEN', `HubSpot ${what}: ${vendor}`, { details, cause: err });
  if (err.code === 404) return new RevloopError('NOT_FOUND', `HubSpot ${what}: ${vendor}`, { details, cause: err });
  if (err.code === 409) return new RevloopError('CONFLICT', `HubSpot ${what}: ${vendor}`, { details, cause: err });
  if (err.code >= 500) return new RevloopError('UPSTREAM_UNAVAILABLE', `HubSpot ${what}: ${vendor}`, { details, cause: err });
  if (err.code === 400 && body.category === 'VALIDATION_ERROR') return new RevloopError('RECORD_INVALID', `HubSpot ${what}: ${vendor}`, { details, cause: err });
  return new RevloopError('BAD_REQUEST', `HubSpot ${what}: ${vendor}`, { details, cause: err });
}
