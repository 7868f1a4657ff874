/** Middleware for every API call: correlation id, bearer authentication, rate limits, errors. */
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { OAuthServer } from '../oauth/oauth-server.js';
import { toHubSpotError } from './error-mapping.js';
import { CORRELATION_HEADER, HubSpotHttpError, sendError } from './hubspot-error.js';
import { rateLimitBody, type RateLimiter } from './rate-limiter.js';
import { callerOf, setCaller } from './services.js';

export function correlation() {
  return (_req: Request, res: Response, next: NextFunction): void => {
    res.setHeader(CORRELATION_HEADER, randomUUID());
    next();
  };
}

const MISSING_CREDENTIALS =
  'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview';

function agoText(ms: number): string {
  const seconds = Math.max(1, Math.floor(ms / 1000));
  if (seconds >= 86_400) return `${Math.floor(seconds / 86_400)} day(s)`;
  if (seconds >= 3600) return `${Math.floor(seconds / 3600)} hour(s)`;
  if (seconds >= 60) return `${Math.floor(seconds / 60)} minute(s)`;
  return `${seconds} second(s)`;
}

/** 401 INVALID_AUTHENTICATION for a missing or unknown token, EXPIRED_AUTHENTICATION for an expired one. */
export function bearerAuth(oauth: OAuthServer) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const result = oauth.authenticate(req.get('authorization'));
    if (result.ok) {
      setCaller(req, result.auth);
      next();
      return;
    }
    const headers = { 'x-hubspot-auth-failure': '401 Unauthorized' };
    if (result.reason === 'expired') {
      next(
        new HubSpotHttpError(401, 'EXPIRED_AUTHENTICATION', `The OAuth token used to make this call expired ${agoText(result.agoMs)} ago.`, {
          headers,
        }),
      );
      return;
    }
    next(new HubSpotHttpError(401, 'INVALID_AUTHENTICATION', MISSING_CREDENTIALS, { headers }));
  };
}

export function rateLimits(limiter: RateLimiter, portalId: number) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const auth = callerOf(req);
    const search = req.method === 'POST' && /\/search\/?$/.test(req.path);
    const decision = search ? limiter.checkSearch() : limiter.checkCall(auth);
    for (const [name, value] of Object.entries(decision.headers)) res.setHeader(name, value);
    if (decision.allowed || decision.policy === undefined) {
      next();
      return;
    }
    const tier = auth.kind === 'private' ? 'private_app' : 'oauth_app';
    const { message, fields } = rateLimitBody(decision.policy, `publicapi:${tier}-api-calls-${decision.policy.toLowerCase()}:${auth.appId}:${portalId}`);
    next(new HubSpotHttpError(429, 'RATE_LIMITS', message, { fields }));
  };
}

export function notFound() {
  return (req: Request, _res: Response, next: NextFunction): void => {
    next(new HubSpotHttpError(404, 'OBJECT_NOT_FOUND', `resource not found: no endpoint for ${req.method} ${req.path}`));
  };
}

export function errorHandler(portalId: number) {
  return (err: unknown, _req: Request, res: Response, _next: NextFunction): void => {
    if (res.headersSent) {
      res.end();
      return;
    }
    sendError(res, toHubSpotError(err, portalId));
  };
}
