/**
 * Classifies what jsforce throws into revloop's error codes. jsforce names errors after
 * Salesforce's errorCode (REQUEST_LIMIT_EXCEEDED, INVALID_SESSION_ID, ...); record-level codes such as
 * REQUIRED_FIELD_MISSING arrive inside collection results instead and are handled per record.
 */
import { RevloopError } from '../../platform/errors.js';

const NETWORK = /ECONNRESET|ECONNREFUSED|ETIMEDOUT|EPIPE|socket hang up|fetch failed|network|EAI_AGAIN|UND_ERR/i;

/** Salesforce error codes that mean the record itself is at fault: park it, do not retry. */
export const RECORD_ERROR_CODES = new Set([
  'REQUIRED_FIELD_MISSING',
  'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
  'STRING_TOO_LONG',
  'DUPLICATE_VALUE',
  'DUPLICATES_DETECTED',
  'FIELD_CUSTOM_VALIDATION_EXCEPTION',
  'INVALID_EMAIL_ADDRESS',
  'INVALID_TYPE_ON_FIELD_IN_RECORD',
  'INVALID_FIELD_FOR_INSERT_UPDATE',
  'INVALID_CROSS_REFERENCE_KEY',
  'MALFORMED_ID',
  'CANNOT_UPDATE_CONVERTED_LEAD',
  'ENTITY_IS_DELETED',
  'FIELD_INTEGRITY_EXCEPTION',
  'NUMBER_OUTSIDE_VALID_RANGE',
  'INVALID_FIELD',
]);

export function classifySalesforceError(err: unknown, what: string): RevloopError {
  if (err instanceof RevloopError) return err;
  const e = err as { errorCode?: string; name?: string; message?: string; statusCode?: number };
  const code = e.errorCode ?? e.name ?? '';
  const message = e.message ?? String(err);
  const details = { system: 'salesforce', errorCode: code, vendorMessage: message };
  if (code === 'REQUEST_LIMIT_EXCEEDED') {
    // The same code covers the daily allocation ("TotalRequests Limit exceeded.") and momentary limits
    // such as concurrent long requests ("ConcurrentPerOrgLongTxn Limit exceeded."): only the first pauses.
    if (/TotalRequests/i.test(message)) return new RevloopError('DAILY_LIMIT_REACHED', `Salesforce ${what}: ${message}`, { details, cause: err });
    return new RevloopError('RATE_LIMITED', `Salesforce ${what}: ${message}`, { waitMs: 2_000, details, cause: err });
  }
  if (code === 'INVALID_SESSION_ID' || code === 'invalid_grant') return new RevloopError('AUTH_EXPIRED', `Salesforce ${what}: ${message}`, { details, cause: err });
  if (code === 'INSUFFICIENT_ACCESS' || code === 'INSUFFICIENT_ACCESS_OR_READONLY' || code === 'API_DISABLED_FOR_ORG') {
    return new RevloopError('FORBIDDEN', `Salesforce ${what}: ${message}`, { details, cause: err });
  }
  if (code === 'NOT_FOUND') return new RevloopError('NOT_FOUND', `Salesforce ${what}: ${message}`, { details, cause: err });
  if (code === 'MALFORMED_QUERY' || code === 'INVALID_FIELD' || code === 'INVALID_TYPE') return new RevloopError('BAD_REQUEST', `Salesforce ${what}: ${message}`, { details, cause: err });
  if (RECORD_ERROR_CODES.has(code)) return new RevloopError('RECORD_INVALID', `Salesforce ${what}: ${message}`, { details, cause: err });
  if (/^ERROR_HTTP_(429|420)$/.test(code)) return new RevloopError('RATE_LIMITED', `Salesforce ${what}: ${message}`, { waitMs: 2_000, details, cause: err });
  if (/^ERROR_HTTP_5\d\d$/.test(code) || code === 'SERVER_UNAVAILABLE' || code === 'UNKNOWN_EXCEPTION' || NETWORK.test(message)) {
    return new RevloopError('UPSTREAM_UNAVAILABLE', `Salesforce ${what}: ${message}`, { details, cause: err });
  }
  return new RevloopError('INTERNAL', `Salesforce ${what}: ${message}`, { details, cause: err });
}
