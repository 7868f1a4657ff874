/**
 * OAuth 2.0 at the sandbox's origin (login URL = instance URL): the authorize page, the token endpoint
 * (authorization_code with PKCE, refresh_token, JWT bearer, client_credentials), revoke, userinfo and the identity
 * URL. Token answers follow Salesforce's shape (issued_at as a string, an HMAC signature, the id URL).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import type { SalesforceStore } from '../store/salesforce-store.js';
import { authorizePage, errorPage } from './authorize-page.js';
import { identityInfo, identityUrl, userInfo } from './identity.js';
import { verifyJwtAssertion } from './jwt-bearer.js';
import { invalidClient, invalidClientId, invalidGrant, OAuthError } from './oauth-error.js';
import { pkceMatches, type Session, type TokenStore } from './token-store.js';

export interface ConnectedApp {
  name: string;
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  jwtPublicKeyPem: string | undefined;
}

export interface OAuthDeps {
  store: SalesforceStore;
  tokens: TokenStore;
  app: ConnectedApp;
  /** The origin clients reach the sandbox at (login URL = instance URL), no trailing slash. */
  origin(req: Request): string;
}

const DEFAULT_SCOPES = ['api', 'id', 'refresh_token'];
const PENDING_TTL_MS = 15 * 60_000;

interface PendingAuthorization {
  clientId: string;
  redirectUri: string;
  state: string | undefined;
  scopes: string[];
  codeChallenge: string | undefined;
  codeChallengeMethod: string | undefined;
  expiresAt: number;
}

const tokenFormSchema = z.object({
  grant_type: z.string().min(1),
  code: z.string().optional(),
  redirect_uri: z.string().optional(),
  client_id: z.string().optional(),
  client_secret: z.string().optional(),
  code_verifier: z.string().optional(),
  refresh_token: z.string().optional(),
  assertion: z.string().optional(),
  scope: z.string().optional(),
  format: z.string().optional(),
});

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function scopesOf(text: string | undefined): string[] {
  const list = (text ?? '').split(/[\s+]+/).filter((s) => s !== '');
  return list.length === 0 ? DEFAULT_SCOPES : list;
}

function sendOAuthError(res: Response, err: OAuthError): void {
  res.status(err.status).setHeader('Content-Type', 'application/json;charset=UTF-8');
  res.setHeader('Cache-Control', 'no-cache,must-revalidate,max-age=0,no-store,private');
  res.end(JSON.stringify(err.toJSON()));
}

function redirectWith(res: Response, redirectUri: string, params: Record<string, string | undefined>): void {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  res.redirect(302, url.toString());
}

function bearerToken(req: Request): string | undefined {
  const header = req.header('authorization');
  const m = header === undefined ? null : /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(header);
  if (m !== null) return m[1];
  const fromQuery = req.query.oauth_token;
  return typeof fromQuery === 'string' ? fromQuery : undefined;
}

export function oauthRouter(deps: OAuthDeps): Router {
  const router = express.Router();
  const { store, tokens, app } = deps;
  const pending = new Map<string, PendingAuthorization>();
  const form = express.urlencoded({ extended: false, limit: '1mb' });

  const tokenResponse = (req: Request, session: Session, extra: { refreshToken?: string; signed?: boolean }): Record<string, unknown> => {
    const origin = deps.origin(req);
    const id = identityUrl(origin, store.orgId, session.userId);
    const issuedAt = String(session.issuedAt);
    const body: Record<string, unknown> = { access_token: session.token };
    if (extra.refreshToken !== undefined) body.refresh_token = extra.refreshToken;
    if (extra.signed !== false) body.signature = createHmac('sha256', app.clientSecret).update(id + issuedAt).digest('base64');
    body.scope = session.scopes.join(' ');
    body.instance_url = origin;
    body.id = id;
    body.token_type = 'Bearer';
    if (extra.signed !== false) body.issued_at = issuedAt;
    return body;
  };

  const checkClient = (clientId: string | undefined, clientSecret: string | undefined, secretRequired: boolean): void => {
    if (clientId !== app.clientId) throw invalidClientId();
    if (clientSecret !== undefined ? !sameSecret(clientSecret, app.clientSecret) : secretRequired) throw invalidClient();
  };

  const redirectAllowed = (uri: string): boolean => {
    if (app.redirectUris.length > 0) return app.redirectUris.includes(uri);
    try {
      const url = new URL(uri);
      return url.protocol === 'http:' || url.protocol === 'https:';
    } catch {
      return false;
    }
  };

  const activeUsers = (): Array<{ username: string; name: string }> =>
    store
      .query('SELECT Username, Name FROM User WHERE IsActive = true ORDER BY CreatedDate')
      .records.map((r) => ({ username: String(r.Username), name: String(r.Name) }));

  router.get('/services/oauth2/authorize', (req: Request, res: Response) => {
    const q = (name: string): string | undefined => (typeof req.query[name] === 'string' ? (req.query[name] as string) : undefined);
    const clientId = q('client_id');
    const redirectUri = q('redirect_uri');
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    if (clientId !== app.clientId) {
      res.status(400).end(errorPage('error=invalid_client_id', 'client identifier invalid: no connected app has this consumer key'));
      return;
    }
    if (redirectUri === undefined || !redirectAllowed(redirectUri)) {
      res.status(400).end(errorPage('error=redirect_uri_mismatch', 'redirect_uri must match configuration'));
      return;
    }
    if (q('response_type') !== 'code') {
      redirectWith(res, redirectUri, { error: 'unsupported_response_type', error_description: 'response type not supported', state: q('state') });
      return;
    }
    const method = q('code_challenge_method');
    if (method !== undefined && method !== 'S256' && method !== 'plain') {
      redirectWith(res, redirectUri, { error: 'invalid_request', error_description: 'invalid code_challenge_method', state: q('state') });
      return;
    }
    const requestId = randomBytes(18).toString('base64url');
    pending.set(requestId, {
      clientId,
      redirectUri,
      state: q('state'),
      scopes: scopesOf(q('scope')),
      codeChallenge: q('code_challenge'),
      codeChallengeMethod: method,
      expiresAt: store.now() + PENDING_TTL_MS,
    });
    const hint = q('login_hint');
    res.status(200).end(
      authorizePage({ requestId, appName: app.name, scopes: scopesOf(q('scope')), users: activeUsers(), selected: hint ?? 'integration@revloop.sandbox' }),
    );
  });

  router.post('/services/oauth2/authorize', form, (req: Request, res: Response) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const requestId = typeof body.request === 'string' ? body.request : '';
    const request = pending.get(requestId);
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    if (request === undefined || store.now() > request.expiresAt) {
      pending.delete(requestId);
      res.status(400).end(errorPage('Authorization expired', 'This authorization request is unknown or has expired. Start the sign-in again from the application.'));
      return;
    }
    if (body.decision !== 'approve') {
      pending.delete(requestId);
      redirectWith(res, request.redirectUri, { error: 'access_denied', error_description: 'end-user denied authorization', state: request.state });
      return;
    }
    const username = typeof body.username === 'string' ? body.username : '';
    const userId = store.userIdByUsername(username);
    if (userId === undefined || store.get('User', userId, ['IsActive'])?.IsActive !== true) {
      res.status(400).end(authorizePage({ requestId, appName: app.name, scopes: request.scopes, users: activeUsers(), selected: username, error: `No active user has the username ${username}.` }));
      return;
    }
    pending.delete(requestId);
    const code = tokens.issueCode({
      clientId: request.clientId,
      redirectUri: request.redirectUri,
      userId,
      scopes: request.scopes,
      codeChallenge: request.codeChallenge,
      codeChallengeMethod: request.codeChallengeMethod,
    });
    redirectWith(res, request.redirectUri, { code, state: request.state });
  });

  router.post('/services/oauth2/token', form, express.json(), async (req: Request, res: Response) => {
    try {
      const parsed = tokenFormSchema.safeParse(req.body ?? {});
      if (!parsed.success) throw new OAuthError('invalid_request', 'grant_type is required');
      const p = parsed.data;
      const basic = /^Basic\s+(\S+)$/i.exec(req.header('authorization') ?? '');
      if (basic !== null) {
        const [id, ...secret] = Buffer.from(basic[1] ?? '', 'base64').toString('utf8').split(':');
        p.client_id ??= id;
        p.client_secret ??= secret.join(':');
      }
      let body: Record<string, unknown>;
      switch (p.grant_type) {
        case 'authorization_code': {
          const grant = tokens.consumeCode(p.code ?? '');
          if (grant === 'expired') throw invalidGrant('expired authorization code');
          if (grant === undefined) throw invalidGrant('invalid authorization code');
          checkClient(p.client_id, p.client_secret, grant.codeChallenge === undefined);
          if (grant.clientId !== p.client_id) throw invalidGrant('invalid authorization code');
          if (p.redirect_uri !== grant.redirectUri) throw new OAuthError('redirect_uri_mismatch', 'redirect_uri must match configuration');
          if (grant.codeChallenge !== undefined && (p.code_verifier === undefined || !pkceMatches(p.code_verifier, grant.codeChallenge, grant.codeChallengeMethod))) {
            throw invalidGrant('invalid code verifier');
          }
          const refresh = grant.scopes.includes('refresh_token') || grant.scopes.includes('offline_access');
          const refreshToken = refresh ? tokens.issueRefreshToken(grant.userId, grant.clientId, grant.scopes) : undefined;
          const session = tokens.issue(grant.userId, grant.clientId, grant.scopes, refreshToken === undefined ? {} : { refreshToken });
          body = tokenResponse(req, session, refreshToken === undefined ? {} : { refreshToken });
          break;
        }
        case 'refresh_token': {
          const grant = tokens.refreshGrant(p.refresh_token ?? '');
          if (grant === undefined) throw invalidGrant('expired access/refresh token');
          checkClient(p.client_id, p.client_secret, false);
          if (grant.clientId !== p.client_id) throw invalidGrant('expired access/refresh token');
          body = tokenResponse(req, tokens.issue(grant.userId, grant.clientId, grant.scopes, { refreshToken: grant.token }), {});
          break;
        }
        case 'urn:ietf:params:oauth:grant-type:jwt-bearer': {
          if (p.assertion === undefined) throw new OAuthError('invalid_request', 'assertion is required');
          const userId = await verifyJwtAssertion(
            {
              clientId: app.clientId,
              publicKeyPem: app.jwtPublicKeyPem,
              audiences: () => [deps.origin(req), `${deps.origin(req)}/`],
              now: store.now,
              userIdByUsername: (u) => store.userIdByUsername(u),
            },
            p.assertion,
          );
          if (p.client_secret !== undefined) checkClient(p.client_id, p.client_secret, false);
          const session = tokens.issue(userId, app.clientId, ['api', 'id', 'web', 'openid']);
          body = tokenResponse(req, session, { signed: false });
          break;
        }
        case 'client_credentials': {
          checkClient(p.client_id, p.client_secret, true);
          const session = tokens.issue(store.integrationUserId, app.clientId, ['api', 'id']);
          body = tokenResponse(req, session, {});
          break;
        }
        default:
          throw new OAuthError('unsupported_grant_type', 'grant type not supported');
      }
      res.status(200).setHeader('Content-Type', 'application/json;charset=UTF-8');
      res.setHeader('Cache-Control', 'no-cache,must-revalidate,max-age=0,no-store,private');
      res.end(JSON.stringify(body));
    } catch (err) {
      if (err instanceof OAuthError) sendOAuthError(res, err);
      else sendOAuthError(res, new OAuthError('unknown_error', 'retry your request', 500));
    }
  });

  const revoke = (req: Request, res: Response): void => {
    const fromBody = (req.body as Record<string, unknown> | undefined)?.token;
    const token = typeof fromBody === 'string' ? fromBody : typeof req.query.token === 'string' ? req.query.token : undefined;
    if (token === undefined || token === '') {
      sendOAuthError(res, new OAuthError('unsupported_token_type', 'this token type is not supported'));
      return;
    }
    if (!tokens.revoke(token)) {
      sendOAuthError(res, new OAuthError('invalid_token', 'invalid token'));
      return;
    }
    res.status(200).end();
  };
  router.post('/services/oauth2/revoke', form, revoke);
  router.get('/services/oauth2/revoke', revoke);

  const userinfo = (req: Request, res: Response): void => {
    const session = tokens.verify(bearerToken(req) ?? '');
    const info = session === undefined ? undefined : userInfo(store, deps.origin(req), session.userId);
    if (info === undefined) {
      res.status(403).setHeader('Content-Type', 'text/plain;charset=UTF-8');
      res.end('Bad_OAuth_Token');
      return;
    }
    res.status(200).setHeader('Content-Type', 'application/json;charset=UTF-8');
    res.end(JSON.stringify(info));
  };
  router.get('/services/oauth2/userinfo', userinfo);
  router.post('/services/oauth2/userinfo', form, userinfo);

  router.get('/id/:orgId/:userId', (req: Request, res: Response) => {
    const session = tokens.verify(bearerToken(req) ?? '');
    if (session === undefined) {
      res.status(403).setHeader('Content-Type', 'text/plain;charset=UTF-8');
      res.end('Bad_OAuth_Token');
      return;
    }
    const orgOk = String(req.params.orgId).slice(0, 15) === store.orgId.slice(0, 15);
    const info = orgOk ? identityInfo(store, deps.origin(req), String(req.params.userId)) : undefined;
    if (info === undefined) {
      res.status(404).setHeader('Content-Type', 'text/plain;charset=UTF-8');
      res.end('Bad_Id');
      return;
    }
    res.status(200).setHeader('Content-Type', 'application/json;charset=UTF-8');
    res.end(JSON.stringify(info));
  });

  return router;
}
