/**
 * What every REST call under /services/data/vXX.X passes before its resource: a served API version (else 404
 * NOT_FOUND), a valid session (else 401 INVALID_SESSION_ID, on which jsforce refreshes), the daily allocation
 * (else 403 REQUEST_LIMIT_EXCEEDED); then the call is counted and Sforce-Limit-Info is set.
 */
import type { NextFunction, Request, Response } from 'express';
import type { TokenStore } from '../auth/token-store.js';
import { apiVersionOf } from '../options.js';
import type { ApiUsage } from './api-usage.js';
import { sendErrors } from './responses.js';

export function bearerOf(req: Request): string | undefined {
  const m = /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(req.header('authorization') ?? '');
  return m === null ? undefined : m[1];
}

export function apiGate(tokens: TokenStore, usage: ApiUsage) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const version = apiVersionOf(String(req.params.version ?? ''));
    if (version === undefined) {
      sendErrors(res, 404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
      return;
    }
    const session = tokens.verify(bearerOf(req) ?? '');
    if (session === undefined) {
      sendErrors(res, 401, [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
      return;
    }
    if (usage.exhausted()) {
      res.setHeader('Sforce-Limit-Info', usage.header());
      sendErrors(res, 403, [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]);
      return;
    }
    usage.record();
    res.setHeader('Sforce-Limit-Info', usage.header());
    res.locals.session = session;
    res.locals.version = version;
    next();
  };
}
