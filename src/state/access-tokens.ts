/**
 * Credentials of the admin API and the dashboard that revloop issues itself: API tokens (created by
 * an admin, shown once), dashboard sessions (a cookie after sign-in) and one-time sign-in links (the
 * demo prints one). Redis holds only the SHA-256 of each credential, never the credential: a copy of
 * the database signs nobody in. Tokens are 32 random bytes, so a plain hash is enough (no salt or
 * slow hash needed for values nobody chose).
 */
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { RevloopError } from '../platform/errors.js';
import { deploymentKey } from '../platform/redis.js';

export const ACCESS_SCOPES = ['read', 'admin'] as const;
export type AccessScope = (typeof ACCESS_SCOPES)[number];

/** Who a credential speaks for. */
export interface Principal {
  scope: AccessScope;
  /** How it was presented: an environment token, a stored API token, or a dashboard session. */
  via: 'env' | 'token' | 'session';
  /** The stored token's or session's id (never the credential). */
  id: string;
}

const tokenRecordSchema = z.object({
  id: z.string(),
  label: z.string(),
  scope: z.enum(ACCESS_SCOPES),
  createdAt: z.number(),
});
export type ApiTokenInfo = z.infer<typeof tokenRecordSchema>;

const sessionSchema = z.object({
  id: z.string(),
  scope: z.enum(ACCESS_SCOPES),
  createdAt: z.number(),
  /** The API token signed in with: revoking it ends the session. */
  tokenId: z.string().optional(),
  /** A fingerprint of the environment token signed in with: a session outlives no rotation of it. */
  env: z.string().optional(),
});

/** What a session was started with (nothing for a one-time sign-in link). */
export interface SessionOrigin {
  tokenId?: string;
  env?: string;
}

/** A short fingerprint of an environment token, kept with the sessions it starts (never the token). */
export function envFingerprint(token: string): string {
  return credentialHash(`revloop-session-origin:${token}`).slice(0, 24);
}

/** SHA-256 of a credential, hex: what Redis stores in its place. */
export function credentialHash(credential: string): string {
  return createHash('sha256').update(credential, 'utf8').digest('hex');
}

/** Compares two credentials in constant time (their hashes, so the length leaks nothing either): the environment tokens. */
export function sameCredential(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

function newCredential(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

export const SESSION_TTL_S = 12 * 3600;
export const LOGIN_LINK_TTL_S = 24 * 3600;

export class AccessTokenStore {
  constructor(
    private readonly redis: Redis,
    private readonly root: string,
  ) {}

  private get tokensKey(): string {
    return deploymentKey(this.root, 'api-tokens');
  }

  private sessionKey(hash: string): string {
    return deploymentKey(this.root, 'session', hash);
  }

  private sessionsOfTokenKey(tokenId: string): string {
    return deploymentKey(this.root, 'sessions-of-token', tokenId);
  }

  private loginKey(hash: string): string {
    return deploymentKey(this.root, 'login-link', hash);
  }

  /** Creates an API token; the token itself is returned here once and never stored. */
  async createToken(label: string, scope: AccessScope, now = Date.now()): Promise<{ token: string; info: ApiTokenInfo }> {
    const token = newCredential(scope === 'admin' ? 'rla' : 'rlr');
    const info: ApiTokenInfo = { id: randomUUID(), label: label.slice(0, 120), scope, createdAt: now };
    await this.redis.hset(this.tokensKey, credentialHash(token), JSON.stringify(info));
    return { token, info };
  }

  async verifyToken(token: string): Promise<ApiTokenInfo | undefined> {
    const raw = await this.redis.hget(this.tokensKey, credentialHash(token));
    if (!raw) return undefined;
    const parsed = tokenRecordSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  }

  async listTokens(): Promise<ApiTokenInfo[]> {
    const all = await this.redis.hvals(this.tokensKey);
    return all.flatMap((raw) => {
      const parsed = tokenRecordSchema.safeParse(JSON.parse(raw));
      return parsed.success ? [parsed.data] : [];
    }).sort((a, b) => a.createdAt - b.createdAt);
  }

  async revokeToken(id: string): Promise<boolean> {
    for (const [hash, raw] of Object.entries(await this.redis.hgetall(this.tokensKey))) {
      const parsed = tokenRecordSchema.safeParse(JSON.parse(raw));
      if (!parsed.success || parsed.data.id !== id) continue;
      const removed = (await this.redis.hdel(this.tokensKey, hash)) === 1;
      // The dashboard sessions signed in with it end with it.
      const sessions = await this.redis.smembers(this.sessionsOfTokenKey(id));
      await this.redis.del(...sessions.map((h) => this.sessionKey(h)), this.sessionsOfTokenKey(id));
      return removed;
    }
    return false;
  }

  /** A dashboard session after sign-in; the cookie carries the session credential. */
  async createSession(scope: AccessScope, now = Date.now(), origin: SessionOrigin = {}): Promise<{ credential: string; id: string }> {
    const credential = newCredential('rls');
    const id = randomUUID();
    const hash = credentialHash(credential);
    const tx = this.redis.multi().set(this.sessionKey(hash), JSON.stringify({ id, scope, createdAt: now, ...origin }), 'EX', SESSION_TTL_S);
    if (origin.tokenId !== undefined) tx.sadd(this.sessionsOfTokenKey(origin.tokenId), hash).expire(this.sessionsOfTokenKey(origin.tokenId), SESSION_TTL_S);
    await tx.exec();
    return { credential, id };
  }

  async verifySession(credential: string): Promise<{ id: string; scope: AccessScope; env?: string | undefined } | undefined> {
    const raw = await this.redis.get(this.sessionKey(credentialHash(credential)));
    if (!raw) return undefined;
    const parsed = sessionSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  }

  async endSession(credential: string): Promise<void> {
    await this.redis.del(this.sessionKey(credentialHash(credential)));
  }

  /** A sign-in link that works once (the demo prints it); returns the code to put in the link. */
  async createLoginLink(scope: AccessScope, ttlSeconds = LOGIN_LINK_TTL_S): Promise<string> {
    const code = newCredential('rll');
    await this.redis.set(this.loginKey(credentialHash(code)), scope, 'EX', ttlSeconds);
    return code;
  }

  /** Redeems a sign-in link (single use): its scope, or undefined when unknown, used or expired. */
  async redeemLoginLink(code: string): Promise<AccessScope | undefined> {
    const scope = await this.redis.getdel(this.loginKey(credentialHash(code)));
    if (scope === null) return undefined;
    const parsed = z.enum(ACCESS_SCOPES).safeParse(scope);
    if (!parsed.success) throw new RevloopError('INTERNAL', 'a stored sign-in link has an unknown scope');
    return parsed.data;
  }
}
