/** How the simulator writes JSON and errors: Salesforce's content type, error arrays, 300 for several matches. */
import type { Response } from 'express';
import { MultipleMatchesError, SalesforceApiError, type RestErrorBody } from '../errors.js';

export const JSON_TYPE = 'application/json;charset=UTF-8';

export function sendJson(res: Response, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.status(status);
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  if (status === 204 || body === undefined) {
    res.end();
    return;
  }
  res.setHeader('Content-Type', JSON_TYPE);
  res.end(JSON.stringify(body));
}

export function sendErrors(res: Response, status: number, errors: RestErrorBody[]): void {
  sendJson(res, status, errors);
}

export interface RestResult {
  status: number;
  /** JSON body. */
  body?: unknown;
  /** A non-JSON body (CSV results of Bulk API 2.0), sent as is with contentType. */
  raw?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

export function sendResult(res: Response, result: RestResult): void {
  if (result.raw === undefined) {
    sendJson(res, result.status, result.body, result.headers);
    return;
  }
  res.status(result.status);
  for (const [name, value] of Object.entries(result.headers ?? {})) res.setHeader(name, value);
  res.setHeader('Content-Type', result.contentType ?? 'text/plain; charset=UTF-8');
  res.end(result.raw);
}

/** The REST answer for an error thrown by a handler. */
export function errorResult(err: unknown, version: string): RestResult {
  if (err instanceof MultipleMatchesError) {
    return { status: 300, body: err.ids.map((id) => `/services/data/v${version}/sobjects/${err.objectName}/${id}`) };
  }
  if (err instanceof SalesforceApiError) return { status: err.httpStatus, body: [err.toRest()] };
  const reference = `${Math.floor(Math.random() * 9_000_000 + 1_000_000)}-${Math.floor(Math.random() * 90_000 + 10_000)}`;
  return {
    status: 500,
    body: [
      {
        message: `An unexpected error occurred. Please include this ErrorId if you contact support: ${reference} (${err instanceof Error ? err.message : String(err)})`,
        errorCode: 'UNKNOWN_EXCEPTION',
      },
    ],
  };
}
