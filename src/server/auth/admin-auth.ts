/**
 * Who is calling the admin API: a bearer token (the environment's admin or read-only token, compared
 * in constant time, or a stored API token, looked up by its hash) or a dashboard session cookie.
 * `requireScope` refuses a missing or wrong credential with 401 and a read-only one on an admin
 * route with 403.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { RevloopError } from '../../platform/errors.js';
import { envFingerprint, sameCredential, type AccessScope, type AccessTokenStore, type Principal } from '../../state/access-tokens.js';
import { cookieOf, SESSION_COOKIE } from '../http/cookies.js';

export interface AuthConfig {
  adminToken?: string | undefined;
  readonlyToken?: string | undefined;
  tokens: AccessTokenStore;
}

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
    /** A credential was presented and refused. */
    credentialRefused?: boolean;
  }
}

export function bearerOf(req: Request): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
  return m?.[1];
}

async function principalOf(config: AuthConfig, req: Request): Promise<Principal | undefined | 'refused'> {
  const bearer = bearerOf(req);
  if (bearer !== undefined) {
    // Both environment tokens are always compared, so timing says nothing about which one matched.
    const admin = config.adminToken !== undefined && sameCredential(bearer, config.adminToken);
    const read = config.readonlyToken !== undefined && sameCredential(bearer, config.readonlyToken);
    if (admin) return { scope: 'admin', via: 'env', id: 'env-admin' };
    if (read) return { scope: 'read', via: 'env', id: 'env-readonly' };
    const stored = await config.tokens.verifyToken(bearer);
    return stored ? { scope: stored.scope, via: 'token', id: stored.id } : 'refused';
  }
  const session = cookieOf(req, SESSION_COOKIE);
  if (session) {
    const found = await config.tokens.verifySession(session);
    if (!found) return 'refused';
    // Signed in with an environment token that has since been rotated: the session ends with it.
    if (found.env !== undefined) {
      const current = found.scope === 'admin' ? config.adminToken : config.readonlyToken;
      if (current === undefined || envFingerprint(current) !== found.env) return 'refused';
    }
    return { scope: found.scope, via: 'session', id: found.id };
  }
  return undefined;
}

/** Finds the caller's principal (without refusing anyone). */
export function authenticate(config: AuthConfig): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    principalOf(config, req).then((p) => {
      if (p === 'refused') req.credentialRefused = true;
      else if (p) req.principal = p;
      next();
    }, next);
  };
}

export function requireScope(scope: AccessScope): RequestHandler {
  return (req, res, next) => {
    const p = req.principal;
    if (!p) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="revloop"');
      next(req.credentialRefused
        ? new RevloopError('UNAUTHORIZED', 'the credential is not valid (wrong, revoked or expired token or session)')
        : new RevloopError('UNAUTHORIZED', 'authentication required: send Authorization: Bearer <token> (REVLOOP_ADMIN_TOKEN, REVLOOP_READONLY_TOKEN or an API token)'));
      return;
    }
    if (scope === 'admin' && p.scope !== 'admin') {
      next(new RevloopError('FORBIDDEN', 'this needs an admin token; the one presented is read-only'));
      return;
    }
    next();
  };
}
