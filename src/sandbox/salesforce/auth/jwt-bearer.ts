/**
 * The OAuth 2.0 JWT bearer flow: an RS256 assertion signed by the connected app's private key, verified with `jose`
 * against the configured public key or certificate. Claims: iss = consumer key, sub = a username of the org,
 * aud = the login URL, exp not passed. Failures answer as Salesforce does.
 */
import { errors, importSPKI, importX509, jwtVerify, type CryptoKey, type KeyObject } from 'jose';
import { invalidClientId, invalidGrant, OAuthError } from './oauth-error.js';

export interface JwtBearerConfig {
  clientId: string;
  publicKeyPem: string | undefined;
  /** Accepted audiences (the login URL, with and without a trailing slash). */
  audiences: () => string[];
  now: () => number;
  userIdByUsername: (username: string) => string | undefined;
}

let cachedPem: string | undefined;
let cachedKey: CryptoKey | KeyObject | undefined;

async function keyOf(pem: string): Promise<CryptoKey | KeyObject> {
  if (cachedPem === pem && cachedKey !== undefined) return cachedKey;
  const key = pem.includes('BEGIN CERTIFICATE') ? await importX509(pem, 'RS256') : await importSPKI(pem, 'RS256');
  cachedPem = pem;
  cachedKey = key;
  return key;
}

/** Verifies the assertion; returns the user id it authenticates. */
export async function verifyJwtAssertion(config: JwtBearerConfig, assertion: string): Promise<string> {
  if (config.publicKeyPem === undefined) {
    throw new OAuthError('invalid_grant', 'the connected app has no certificate for the JWT bearer flow (start the sandbox with jwtPublicKeyPem)');
  }
  const key = await keyOf(config.publicKeyPem);
  let payload;
  try {
    ({ payload } = await jwtVerify(assertion, key, { algorithms: ['RS256'], currentDate: new Date(config.now()), clockTolerance: 0 }));
  } catch (err) {
    if (err instanceof errors.JWTExpired) throw invalidGrant('expired authorization code');
    throw invalidGrant('invalid assertion');
  }
  if (payload.iss !== config.clientId) throw invalidClientId();
  const audiences = config.audiences();
  const aud = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if (!aud.some((a) => typeof a === 'string' && audiences.includes(a))) throw invalidGrant('audience is invalid');
  if (payload.exp === undefined) throw invalidGrant('invalid assertion');
  const userId = typeof payload.sub === 'string' ? config.userIdByUsername(payload.sub) : undefined;
  if (userId === undefined) throw invalidGrant("user hasn't approved this consumer");
  return userId;
}
