/** Injected faults rendered the way each Salesforce surface writes its errors (REST arrays, OAuth JSON, SOAP faults). */
import type { Response } from 'express';
import type { InjectedStatus } from '../../common/faults.js';
import { faultEnvelope, SOAP_CONTENT_TYPE } from '../soap/envelope.js';
import { sendErrors } from './responses.js';

const REST_ERRORS: Record<InjectedStatus, { errorCode: string; message: string }> = {
  500: { errorCode: 'UNKNOWN_EXCEPTION', message: 'An unexpected error occurred. Please include this ErrorId if you contact support: 1904362557-27734 (-1541468410)' },
  503: { errorCode: 'SERVER_UNAVAILABLE', message: 'Server temporarily unavailable. Please retry your request.' },
  429: { errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'ConcurrentPerOrgLongTxn Limit exceeded.' },
};

export function renderInjectedFault(res: Response, status: InjectedStatus): void {
  const path = res.req.path;
  const error = REST_ERRORS[status];
  if (status === 429) res.setHeader('Retry-After', '1');
  if (path.startsWith('/services/Soap/')) {
    res.status(status).setHeader('Content-Type', SOAP_CONTENT_TYPE);
    res.end(faultEnvelope(`sf:${error.errorCode}`, error.errorCode, error.message));
    return;
  }
  if (path.startsWith('/services/oauth2/')) {
    res.status(status).setHeader('Content-Type', 'application/json;charset=UTF-8');
    res.end(JSON.stringify({ error: 'unknown_error', error_description: 'retry your request' }));
    return;
  }
  sendErrors(res, status, [error]);
}
