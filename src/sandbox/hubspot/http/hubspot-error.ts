/**
 * HubSpot's error body and the one error type routes throw. Every error answer is JSON with
 * `Content-Type: application/json` (the official client cannot read an error without it) and the
 * fields of the client's `Error` model: `status`, `message`, `correlationId`, `category`, and
 * where useful `errors[]`, `context`, `links`.
 */
import { randomUUID } from 'node:crypto';
import type { Response } from 'express';

export type ErrorCategory =
  | 'VALIDATION_ERROR'
  | 'OBJECT_NOT_FOUND'
  | 'CONFLICT'
  | 'INVALID_AUTHENTICATION'
  | 'EXPIRED_AUTHENTICATION'
  | 'MISSING_SCOPES'
  | 'RATE_LIMITS'
  | 'INTERNAL_ERROR'
  | 'SERVICE_UNAVAILABLE';

export interface ErrorDetail {
  message: string;
  code?: string;
  in?: string;
  subCategory?: string;
  context?: Record<string, string[]>;
}

export interface ErrorExtras {
  errors?: ErrorDetail[];
  context?: Record<string, string[]>;
  subCategory?: string;
  links?: Record<string, string>;
  /** Other top-level keys HubSpot sends on some errors (policyName, errorType, groupName...). */
  fields?: Record<string, unknown>;
  headers?: Record<string, string>;
}

export class HubSpotHttpError extends Error {
  constructor(
    readonly status: number,
    readonly category: ErrorCategory,
    message: string,
    readonly extras: ErrorExtras = {},
  ) {
    super(message);
    this.name = 'HubSpotHttpError';
  }
}

export const CORRELATION_HEADER = 'x-hubspot-correlation-id';

/** The correlation id of this response (set by the correlation middleware; made up if missing). */
export function correlationIdOf(res: Response): string {
  const existing = res.getHeader(CORRELATION_HEADER);
  if (typeof existing === 'string') return existing;
  const id = randomUUID();
  res.setHeader(CORRELATION_HEADER, id);
  return id;
}

export function errorBody(res: Response, category: ErrorCategory, message: string, extras: ErrorExtras = {}): Record<string, unknown> {
  return {
    status: 'error',
    message,
    correlationId: correlationIdOf(res),
    ...(extras.errors !== undefined ? { errors: extras.errors } : {}),
    ...(extras.context !== undefined ? { context: extras.context } : {}),
    ...(extras.subCategory !== undefined ? { subCategory: extras.subCategory } : {}),
    ...(extras.links !== undefined ? { links: extras.links } : {}),
    ...extras.fields,
    category,
  };
}

export function sendError(res: Response, error: HubSpotHttpError): void {
  for (const [name, value] of Object.entries(error.extras.headers ?? {})) res.setHeader(name, value);
  res.status(error.status).json(errorBody(res, error.category, error.message, error.extras));
}

export function badRequest(message: string, extras: ErrorExtras = {}): HubSpotHttpError {
  return new HubSpotHttpError(400, 'VALIDATION_ERROR', message, extras);
}
