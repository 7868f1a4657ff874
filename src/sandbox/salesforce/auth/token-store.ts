/**
 * Sessions of the simulated org: access tokens shaped like real Salesforce session ids ('00D…!AQ…', never like a
 * JWT, which jsforce would refuse for SOAP), refresh tokens, and one-time authorization codes (with PKCE).
 * Everything expires on the injectable clock.
 */
import { createHash, randomBytes } from 'node:crypto';

export interface Session {
  token: string;
  userId: string;
  /** Connected app that obtained it (undefined for the sandbox's built-in session). */
  clientId: string | undefined;
  scopes: string[];
  issuedAt: number;
  expiresAt: number;
  refreshToken: string | undefined;
}

interface RefreshGrant {
  token: string;
  userId: string;
  clientId: string;
  scopes: string[];
}

export interface AuthorizationCode {
  code: string;
  clientId: string;
  redirectUri: string;
  userId: string;
  scopes: string[];
  codeChallenge: string | undefined;
  codeChallengeMethod: string | undefined;
  expiresAt: number;
}

const CODE_TTL_MS = 15 * 60_000;
const REVOKED_MEMORY = 10_000;

/** What a token check says (the shape Change Data Capture's Bayeux handshake expects). */
export type AccessCheck = { valid: true; userId: string } | { valid: false; reason: 'invalid' | 'expired' | 'revoked' };

function opaque(bytes: number): string {
  return randomBytes(bytes).toString('base64').replace(/\+/g, '.').replace(/\//g, '_').replace(/=+$/, '');
}

export class TokenStore {
  private readonly sessions = new Map<string, Session>();
  private readonly refreshTokens = new Map<string, RefreshGrant>();
  private readonly codes = new Map<string, AuthorizationCode>();
  private readonly revoked = new Set<string>();
  private issuedSinceSweep = 0;

  constructor(
    private readonly orgId15: string,
    private readonly now: () => number,
    private readonly ttlMs: number,
  ) {}

  /** A new access token; ttlMs Infinity for the sandbox's built-in session. */
  issue(userId: string, clientId: string | undefined, scopes: string[], options: { ttlMs?: number; refreshToken?: string; token?: string } = {}): Session {
    const token = options.token ?? `${this.orgId15}!AQ${opaque(72)}`;
    const issuedAt = this.now();
    const session: Session = {
      token,
      userId,
      clientId,
      scopes,
      issuedAt,
      expiresAt: issuedAt + (options.ttlMs ?? this.ttlMs),
      refreshToken: options.refreshToken,
    };
    this.sessions.set(token, session);
    this.issuedSinceSweep += 1;
    if (this.issuedSinceSweep >= 1000) this.sweep();
    return session;
  }

  /** Forgets sessions that expired long ago (expired ones are kept a while so checks can say 'expired'). */
  private sweep(): void {
    this.issuedSinceSweep = 0;
    const horizon = this.now() - 24 * 3_600_000;
    for (const [token, session] of this.sessions) if (session.expiresAt < horizon) this.sessions.delete(token);
  }

  issueRefreshToken(userId: string, clientId: string, scopes: string[]): string {
    const token = `5Aep861${opaque(64)}`;
    this.refreshTokens.set(token, { token, userId, clientId, scopes });
    return token;
  }

  /** The live session of a token, or undefined (unknown, revoked or expired). */
  verify(token: string): Session | undefined {
    const session = this.sessions.get(token);
    if (session === undefined || this.now() >= session.expiresAt) return undefined;
    return session;
  }

  /** Like verify, with the reason a token is refused. */
  check(token: string): AccessCheck {
    const session = this.sessions.get(token);
    if (session !== undefined) {
      return this.now() < session.expiresAt ? { valid: true, userId: session.userId } : { valid: false, reason: 'expired' };
    }
    return { valid: false, reason: this.revoked.has(token) ? 'revoked' : 'invalid' };
  }

  private remember(token: string): void {
    this.revoked.add(token);
    if (this.revoked.size > REVOKED_MEMORY) {
      const oldest = this.revoked.values().next().value;
      if (oldest !== undefined) this.revoked.delete(oldest);
    }
  }

  refreshGrant(token: string): RefreshGrant | undefined {
    return this.refreshTokens.get(token);
  }

  /** Revokes an access token, or a refresh token and every access token issued from it. */
  revoke(token: string): boolean {
    if (this.sessions.delete(token)) {
      this.remember(token);
      return true;
    }
    if (!this.refreshTokens.delete(token)) return false;
    for (const [key, session] of this.sessions) {
      if (session.refreshToken !== token) continue;
      this.sessions.delete(key);
      this.remember(key);
    }
    return true;
  }

  /** Makes every access token of a user expire now (tests of the refresh path). */
  expireAll(): void {
    for (const session of this.sessions.values()) if (Number.isFinite(session.expiresAt)) session.expiresAt = this.now();
  }

  issueCode(grant: Omit<AuthorizationCode, 'code' | 'expiresAt'>): string {
    const code = `aPrx${opaque(48)}`;
    this.codes.set(code, { ...grant, code, expiresAt: this.now() + CODE_TTL_MS });
    return code;
  }

  /** Takes a code out (codes are single-use): undefined when unknown, 'expired' when too old. */
  consumeCode(code: string): AuthorizationCode | 'expired' | undefined {
    const grant = this.codes.get(code);
    if (grant === undefined) return undefined;
    this.codes.delete(code);
    return this.now() >= grant.expiresAt ? 'expired' : grant;
  }
}

/** PKCE: base64url(SHA-256(verifier)) must equal the challenge (S256), or the verifier itself (plain). */
export function pkceMatches(verifier: string, challenge: string, method: string | undefined): boolean {
  if (method === 'plain') return verifier === challenge;
  return createHash('sha256').update(verifier).digest('base64url') === challenge;
}
