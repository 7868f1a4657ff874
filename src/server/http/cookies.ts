/** Cookies: the request's cookies as `req.cookies` (what csrf-csrf reads), and revloop's cookie options. */
import type { CookieOptions, Request, RequestHandler } from 'express';

/** The dashboard session. */
export const SESSION_COOKIE = 'revloop_session';
/** A random id of the browser: binds an install's OAuth state and the CSRF token to it. */
export const BROWSER_COOKIE = 'revloop_browser';
export const CSRF_COOKIE = 'revloop_csrf';

export function parseCookieHeader(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    const raw = part.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
    if (!name || name in out) continue;
    try {
      out[name] = decodeURIComponent(raw);
    } catch {
      out[name] = raw;
    }
  }
  return out;
}

/** One cookie of the request (after cookieParser). */
export function cookieOf(req: Request, name: string): string | undefined {
  const jar = req.cookies as Record<string, string> | undefined;
  const value = jar?.[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export const cookieParser: RequestHandler = (req, _res, next) => {
  req.cookies = parseCookieHeader(req.headers.cookie);
  next();
};

/** HttpOnly, SameSite=Lax (the OAuth callbacks are top-level navigations from the vendors), Secure over https. */
export function cookieOptions(secure: boolean, maxAgeMs?: number): CookieOptions {
  return { httpOnly: true, sameSite: 'lax', secure, path: '/', ...(maxAgeMs !== undefined ? { maxAge: maxAgeMs } : {}) };
}

/** Gives a browser its random id cookie on its first visit (install state and CSRF tokens are bound to it). */
export function ensureBrowserId(secure: boolean, newId: () => string): RequestHandler {
  return (req, res, next) => {
    if (!cookieOf(req, BROWSER_COOKIE)) {
      const id = newId();
      (req.cookies as Record<string, string>)[BROWSER_COOKIE] = id;
      res.cookie(BROWSER_COOKIE, id, cookieOptions(secure, 365 * 86_400_000));
    }
    next();
  };
}
