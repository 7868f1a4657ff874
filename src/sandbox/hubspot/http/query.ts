/**
 * Query-string readers. Array parameters arrive as repeated keys from the official client
 * (`?properties=a&properties=b`) and comma-separated from HubSpot's docs (`?properties=a,b`);
 * both are accepted, also mixed.
 */
import type { Request } from 'express';
import { badRequest } from './hubspot-error.js';

function raw(req: Request, name: string): unknown {
  return (req.query as Record<string, unknown>)[name];
}

export function queryList(req: Request, name: string): string[] | undefined {
  const value = raw(req, name);
  if (value === undefined) return undefined;
  const parts = (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(','));
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

export function queryString(req: Request, name: string): string | undefined {
  const value = raw(req, name);
  if (value === undefined) return undefined;
  return String(Array.isArray(value) ? value[0] : value);
}

export function queryBool(req: Request, name: string): boolean | undefined {
  const value = queryString(req, name);
  if (value === undefined || value === '') return undefined;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw badRequest(`Unable to parse value for query parameter: ${name} (expected true or false, got "${value}")`);
}

export function queryInt(req: Request, name: string, bounds: { min: number; max: number; fallback: number }): number {
  const value = queryString(req, name);
  if (value === undefined || value === '') return bounds.fallback;
  if (!/^\d+$/.test(value)) throw badRequest(`Unable to parse value for query parameter: ${name} (expected an integer, got "${value}")`);
  const n = Number(value);
  if (n < bounds.min || n > bounds.max) {
    throw badRequest(`Query parameter ${name} must be between ${bounds.min} and ${bounds.max}; got ${n}.`);
  }
  return n;
}
