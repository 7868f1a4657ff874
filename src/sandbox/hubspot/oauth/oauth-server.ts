/**
 * The sandbox's OAuth 2.0 authorization server: authorization codes from the approve page,
 * access tokens that expire on the store clock (30 minutes by default), refresh tokens, token
 * introspection and revocation, and the never-expiring private-app token. Tokens are opaque
 * random strings (never JWT-shaped).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { ALL_SCOPES } from './scopes.js';

export interface OAuthSettings {
  now: () => number;
  portalId: number;
  appId: number;
  privateAppId: number;
  clientId: string;
  clientSecret: string;
  privateAppToken: string;
  tokenTtlSeconds: number;
  hubDomain: string;
  installer: { userId: number; email: string };
}

export interface TokenResponse {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  token_type: 'bearer';
  token_use: 'access_token';
  hub_id: number;
  user_id: number;
  scopes: string[];
}

/** Who is calling, once a bearer token checks out. */
export interface AuthContext {
  kind: 'oauth' | 'private';
  token: string;
  appId: number;
  userId: number;
  scopes: ReadonlySet<string>;
}

export type AuthResult = { ok: true; auth: AuthContext } | { ok: false; reason: 'missing' | 'unknown' } | { ok: false; reason: 'expired'; agoMs: number };

/** A refused token request, as HubSpot's token endpoint words it. */
export interface OAuthFailure {
  status: string;
  message: string;
  error: string;
}

interface AccessToken {
  token: string;
  scopes: string[];
  expiresAt: number;
  userId: number;
}

interface RefreshToken {
  token: string;
  scopes: string[];
  userId: number;
}

interface AuthCode {
  redirectUri: string;
  scopes: string[];
  expiresAt: number;
}

const CODE_TTL_MS = 10 * 60_000;

function opaque(prefix: string): string {
  return `${prefix}${randomBytes(36).toString('base64url')}`;
}

export class OAuthServer {
  private readonly accessTokens = new Map<string, AccessToken>();
  private readonly refreshTokens = new Map<string, RefreshToken>();
  private readonly codes = new Map<string, AuthCode>();

  constructor(readonly settings: OAuthSettings) {}

  /** Called when the user approves the app on the authorize page. */
  issueCode(redirectUri: string, scopes: string[]): string {
    const code = randomUUID();
    this.codes.set(code, { redirectUri, scopes, expiresAt: this.settings.now() + CODE_TTL_MS });
    return code;
  }

  /** Mints a token pair directly (tests and tools that skip the browser step). */
  issueTokens(scopes: readonly string[] = ALL_SCOPES): TokenResponse {
    const refresh: RefreshToken = { token: randomUUID(), scopes: [...scopes], userId: this.settings.installer.userId };
    this.refreshTokens.set(refresh.token, refresh);
    return this.mintAccess(refresh);
  }

  checkClient(clientId: string | undefined, clientSecret: string | undefined): OAuthFailure | undefined {
    if (clientId !== this.settings.clientId) {
      return { status: 'BAD_CLIENT_ID', message: 'missing or unknown client id', error: 'invalid_client' };
    }
    if (clientSecret !== this.settings.clientSecret) {
      return { status: 'BAD_CLIENT_SECRET', message: 'missing or invalid client secret', error: 'invalid_client' };
    }
    return undefined;
  }

  exchangeCode(code: string | undefined, redirectUri: string | undefined): TokenResponse | OAuthFailure {
    const entry = code === undefined ? undefined : this.codes.get(code);
    if (code === undefined || entry === undefined || entry.expiresAt <= this.settings.now()) {
      if (code !== undefined) this.codes.delete(code);
      return { status: 'BAD_AUTH_CODE', message: 'missing or unknown auth code', error: 'invalid_grant' };
    }
    if (redirectUri !== entry.redirectUri) {
      return { status: 'BAD_REDIRECT_URI', message: 'redirect_uri does not match the one used to get the code', error: 'invalid_grant' };
    }
    this.codes.delete(code);
    const refresh: RefreshToken = { token: randomUUID(), scopes: entry.scopes, userId: this.settings.installer.userId };
    this.refreshTokens.set(refresh.token, refresh);
    return this.mintAccess(refresh);
  }

  refresh(refreshToken: string | undefined): TokenResponse | OAuthFailure {
    const entry = refreshToken === undefined ? undefined : this.refreshTokens.get(refreshToken);
    if (entry === undefined) {
      return { status: 'BAD_REFRESH_TOKEN', message: 'missing or unknown refresh token', error: 'invalid_grant' };
    }
    return this.mintAccess(entry);
  }

  authenticate(header: string | undefined): AuthResult {
    const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
    const token = match?.[1];
    if (token === undefined) return { ok: false, reason: 'missing' };
    if (token === this.settings.privateAppToken) {
      return {
        ok: true,
        auth: { kind: 'private', token, appId: this.settings.privateAppId, userId: this.settings.installer.userId, scopes: new Set(ALL_SCOPES) },
      };
    }
    const entry = this.accessTokens.get(token);
    if (entry === undefined) return { ok: false, reason: 'unknown' };
    const now = this.settings.now();
    if (entry.expiresAt <= now) return { ok: false, reason: 'expired', agoMs: now - entry.expiresAt };
    return { ok: true, auth: { kind: 'oauth', token, appId: this.settings.appId, userId: entry.userId, scopes: new Set(entry.scopes) } };
  }

  accessTokenInfo(token: string): Record<string, unknown> | undefined {
    const entry = this.accessTokens.get(token);
    const now = this.settings.now();
    if (entry === undefined || entry.expiresAt <= now) return undefined;
    return {
      token,
      user: this.settings.installer.email,
      hub_domain: this.settings.hubDomain,
      scopes: entry.scopes,
      scope_to_scope_group_pks: [],
      trial_scopes: [],
      trial_scope_to_scope_group_pks: [],
      hub_id: this.settings.portalId,
      app_id: this.settings.appId,
      expires_in: Math.floor((entry.expiresAt - now) / 1000),
      user_id: entry.userId,
      token_type: 'access',
      is_private_distribution: false,
    };
  }

  refreshTokenInfo(token: string): Record<string, unknown> | undefined {
    const entry = this.refreshTokens.get(token);
    if (entry === undefined) return undefined;
    return {
      token,
      user: this.settings.installer.email,
      hub_domain: this.settings.hubDomain,
      scopes: entry.scopes,
      hub_id: this.settings.portalId,
      client_id: this.settings.clientId,
      user_id: entry.userId,
      token_type: 'refresh',
    };
  }

  /** Revokes a refresh token (an uninstall). Access tokens already issued run until they expire. */
  deleteRefreshToken(token: string): boolean {
    return this.refreshTokens.delete(token);
  }

  private mintAccess(refresh: RefreshToken): TokenResponse {
    const now = this.settings.now();
    this.pruneExpired(now);
    const token = opaque('CN');
    this.accessTokens.set(token, {
      token,
      scopes: refresh.scopes,
      userId: refresh.userId,
      expiresAt: now + this.settings.tokenTtlSeconds * 1000,
    });
    return {
      access_token: token,
      refresh_token: refresh.token,
      expires_in: this.settings.tokenTtlSeconds,
      token_type: 'bearer',
      token_use: 'access_token',
      hub_id: this.settings.portalId,
      user_id: refresh.userId,
      scopes: refresh.scopes,
    };
  }

  /** Forgets access tokens that expired more than a day ago (expired ones still get EXPIRED_AUTHENTICATION until then). */
  private pruneExpired(now: number): void {
    if (this.accessTokens.size < 1000) return;
    for (const [token, entry] of this.accessTokens) if (entry.expiresAt < now - 86_400_000) this.accessTokens.delete(token);
  }
}
