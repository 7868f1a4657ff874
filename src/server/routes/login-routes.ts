/**
 * Signing in to the dashboard: a token typed into the form (checked like a bearer token) or a
 * one-time sign-in link (`/login?code=`, printed by the demo) becomes a session cookie (HttpOnly;
 * Redis keeps only its hash). The browser never holds the token itself.
 */
import express, { Router } from 'express';
import { z } from 'zod';
import { envFingerprint, SESSION_TTL_S, sameCredential, type AccessScope, type SessionOrigin } from '../../state/access-tokens.js';
import type { Csrf } from '../auth/csrf.js';
import { cookieOf, cookieOptions, SESSION_COOKIE } from '../http/cookies.js';
import { loginPage, messagePage } from '../http/pages.js';
import type { ServerDeps } from '../server-deps.js';

export function loginRoutes(deps: ServerDeps, csrf: Csrf, secure: boolean): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '10kb' });

  const startSession = async (res: express.Response, scope: AccessScope, origin: SessionOrigin = {}) => {
    const session = await deps.accessTokens.createSession(scope, Date.now(), origin);
    res.cookie(SESSION_COOKIE, session.credential, cookieOptions(secure, SESSION_TTL_S * 1000));
    deps.logger.info({ sessionId: session.id, scope }, 'dashboard session started');
  };

  router.get('/login', async (req, res) => {
    const code = z.string().min(8).max(200).safeParse(req.query.code);
    res.setHeader('Cache-Control', 'no-store');
    if (code.success) {
      const scope = await deps.accessTokens.redeemLoginLink(code.data);
      if (!scope) {
        res.status(401).type('html').send(messagePage('Sign-in link not valid', 'This sign-in link was already used or has expired. Sign in with a token instead.', { href: '/login', text: 'Sign in' }));
        return;
      }
      await startSession(res, scope);
      res.redirect(303, '/');
      return;
    }
    res.type('html').send(loginPage(csrf.token(req, res)));
  });

  router.post('/login', form, csrf.protectForm, async (req, res) => {
    const parsed = z.object({ token: z.string().min(1).max(500) }).safeParse(req.body);
    const token = parsed.success ? parsed.data.token.trim() : '';
    let scope: AccessScope | undefined;
    let origin: SessionOrigin = {};
    if (deps.adminToken !== undefined && sameCredential(token, deps.adminToken)) {
      scope = 'admin';
      origin = { env: envFingerprint(deps.adminToken) };
    } else if (deps.readonlyToken !== undefined && sameCredential(token, deps.readonlyToken)) {
      scope = 'read';
      origin = { env: envFingerprint(deps.readonlyToken) };
    } else {
      const stored = await deps.accessTokens.verifyToken(token);
      scope = stored?.scope;
      if (stored) origin = { tokenId: stored.id };
    }
    if (!scope) {
      deps.logger.warn('dashboard sign-in refused');
      res.status(401).type('html').send(loginPage(csrf.token(req, res), 'That token is not valid.'));
      return;
    }
    await startSession(res, scope, origin);
    res.redirect(303, '/');
  });

  router.post('/logout', form, csrf.protectForm, async (req, res) => {
    const session = cookieOf(req, SESSION_COOKIE);
    if (session) await deps.accessTokens.endSession(session);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.redirect(303, '/login');
  });

  return router;
}
