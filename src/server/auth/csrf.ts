/**
 * CSRF protection for what a browser sends with its cookies (dashboard actions, the sign-in and
 * set-up forms): csrf-csrf's double-submit token, bound to the browser's id cookie, sent back in
 * the x-csrf-token header (the dashboard's fetches) or a `_csrf` form field. Calls authenticated by
 * a bearer header carry no ambient credential, so they need no token: `protect` checks requests
 * made with the session cookie, `protectForm` every form post (sign-in, set-up).
 */
import { doubleCsrf } from 'csrf-csrf';
import type { Request, RequestHandler, Response } from 'express';
import { RevloopError } from '../../platform/errors.js';
import { BROWSER_COOKIE, CSRF_COOKIE, cookieOf } from '../http/cookies.js';
import { bearerOf } from './admin-auth.js';

export interface Csrf {
  protect: RequestHandler;
  protectForm: RequestHandler;
  token(req: Request, res: Response): string;
}

export function createCsrf(secret: string, secure: boolean): Csrf {
  const { doubleCsrfProtection, generateCsrfToken } = doubleCsrf({
    getSecret: () => secret,
    getSessionIdentifier: (req) => cookieOf(req, BROWSER_COOKIE) ?? '',
    cookieName: CSRF_COOKIE,
    cookieOptions: { sameSite: 'strict', secure, path: '/', httpOnly: true },
    getCsrfTokenFromRequest: (req) => {
      const header = req.get('x-csrf-token');
      if (header) return header;
      const body = req.body as Record<string, unknown> | undefined;
      return typeof body?._csrf === 'string' ? body._csrf : undefined;
    },
  });
  const protectForm: RequestHandler = (req, res, next) => {
    doubleCsrfProtection(req, res, (err?: unknown) => {
      if (err) next(new RevloopError('FORBIDDEN', 'missing or invalid CSRF token: reload the page and try again'));
      else next();
    });
  };
  // Only a request riding on the session cookie can be forged; bearer calls and anonymous ones (refused later) cannot.
  const protect: RequestHandler = (req, res, next) => {
    if (bearerOf(req) !== undefined || req.principal?.via !== 'session') {
      next();
      return;
    }
    protectForm(req, res, next);
  };
  return { protect, protectForm, token: (req, res) => generateCsrfToken(req, res) };
}
