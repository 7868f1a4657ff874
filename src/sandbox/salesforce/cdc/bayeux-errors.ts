/**
 * The error strings and advice Salesforce's Streaming API sends, as documented in the Streaming API Developer Guide
 * ("Streaming API Error Codes", "Handling Streaming API Errors") and as observed by client libraries (see
 * docs/sandbox-salesforce-cdc.md). Bayeux errors are '<code>:<args>:<message>'.
 */
import type { BayeuxAdvice } from 'faye/src/adapters/node_adapter.js';

export const HANDSHAKE_DENIED = '403::Handshake denied';
export const AUTHENTICATION_INVALID = '401::Authentication invalid';
export const AUTHENTICATION_REQUIRED = '401::Request requires authentication';
export const UNKNOWN_CLIENT = '403::Unknown client';

/** Advice after a refused handshake or an invalidated session: the client must authenticate again. */
export const ADVICE_STOP: BayeuxAdvice = { reconnect: 'none', interval: 0 };
/** Advice after '403::Unknown client': handshake again right away. */
export const ADVICE_REHANDSHAKE: BayeuxAdvice = { reconnect: 'handshake', interval: 0 };

export function channelDoesNotExist(channel: string): string {
  return `400::The channel you requested to subscribe to does not exist {${channel}}`;
}

/** Two spaces after 'invalid.' as the live service sends it (the HTML guide collapses them). */
export function invalidReplayId(replayId: unknown): string {
  return `400::The replayId {${String(replayId)}} you provided was invalid.  Please provide a valid ID, -2 to replay all events, or -1 to replay only new events.`;
}

export function versionMissing(defaultVersion: string): string {
  return `400::API version in the URI is mandatory. URI format: '/cometd/${defaultVersion}'`;
}

export function versionUnsupported(minVersion: string, defaultVersion: string): string {
  return `400::Unsupported API version. Only API versions '${minVersion}' and later are supported. URI format: '/cometd/${defaultVersion}'`;
}

/** Faye's own unknown-client error is '401:<clientId>:Unknown client'; Salesforce's is UNKNOWN_CLIENT. */
export function isUnknownClientError(error: string | undefined): boolean {
  return error !== undefined && /^401:[^:]*:Unknown client$/.test(error);
}
