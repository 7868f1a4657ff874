/** Maps what a route throws (store errors, zod errors, body-parser errors) to HubSpot's answer. */
import { ZodError } from 'zod';
import { PropertyValuesError, StoreError } from '../store/store-errors.js';
import type { PropertyValueError } from '../store/store-errors.js';
import { HubSpotHttpError, badRequest } from './hubspot-error.js';

/** HubSpot's VALIDATION_ERROR for refused property values: the JSON list in the message, and errors[]. */
export function propertyValuesMessage(errors: PropertyValueError[], portalId: number): string {
  const results = errors.map((e) => ({
    isValid: false,
    message: e.message,
    error: e.error,
    name: e.name,
    localizedErrorMessage: e.message,
    portalId,
  }));
  return `Property values were not valid: ${JSON.stringify(results)}`;
}

export function propertyValuesError(errors: PropertyValueError[], portalId: number): HubSpotHttpError {
  return badRequest(propertyValuesMessage(errors, portalId), {
    errors: errors.map((e) => ({ message: e.message, code: e.error, context: { propertyName: [e.name] } })),
  });
}

export function describeZodError(error: ZodError): HubSpotHttpError {
  const details = error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    return { message: path === '' ? issue.message : `${path}: ${issue.message}`, ...(path === '' ? {} : { in: path }) };
  });
  return badRequest(`Invalid input JSON: ${details.map((d) => d.message).join('; ')}`, { errors: details });
}

function isBodyParserError(err: unknown): err is Error & { type: string; status: number } {
  return err instanceof Error && typeof (err as { type?: unknown }).type === 'string' && typeof (err as { status?: unknown }).status === 'number';
}

export function toHubSpotError(err: unknown, portalId: number): HubSpotHttpError {
  if (err instanceof HubSpotHttpError) return err;
  if (err instanceof ZodError) return describeZodError(err);
  if (err instanceof PropertyValuesError) return propertyValuesError(err.errors, portalId);
  if (err instanceof StoreError) {
    switch (err.kind) {
      case 'NOT_FOUND':
        return new HubSpotHttpError(404, 'OBJECT_NOT_FOUND', err.message);
      case 'CONFLICT':
        return new HubSpotHttpError(409, 'CONFLICT', err.message);
      default:
        return badRequest(err.message);
    }
  }
  if (isBodyParserError(err)) {
    if (err.type === 'entity.parse.failed') return badRequest(`Invalid input JSON on line 1: ${err.message}`);
    if (err.type === 'entity.too.large') return new HubSpotHttpError(413, 'VALIDATION_ERROR', 'Request body is too large.');
    return new HubSpotHttpError(err.status, 'VALIDATION_ERROR', err.message);
  }
  const message = err instanceof Error ? err.message : String(err);
  return new HubSpotHttpError(500, 'INTERNAL_ERROR', `internal error: ${message}`);
}
