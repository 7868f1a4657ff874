/**
 * Who may open a Streaming API session. jsforce's streaming client sends the access token as
 * `Authorization: OAuth <token>` on every Bayeux request; `Bearer` is accepted too. The sandbox decides with the
 * same token check its REST API uses.
 */
import type { IncomingMessage } from 'node:http';

export type AccessCheck =
  | { valid: true; userId: string }
  /** invalid: never issued or malformed; expired: past its lifetime; revoked: revoked or its session ended. */
  | { valid: false; reason: 'invalid' | 'expired' | 'revoked' };

export type AccessVerifier = (accessToken: string) => AccessCheck | Promise<AccessCheck>;

const AUTHORIZATION = /^(?:OAuth|Bearer)\s+(\S+)\s*$/i;

/** The access token a request carries, if any. */
export function accessTokenOf(request: IncomingMessage | null): string | undefined {
  const header = request?.headers.authorization;
  if (header === undefined) return undefined;
  return AUTHORIZATION.exec(header)?.[1];
}
