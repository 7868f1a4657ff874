/** Records and batch results in the JSON shapes of HubSpot's CRM v3 API. */
import type { Response } from 'express';
import { associationType } from '../store/association-types.js';
import type { HubSpotStore } from '../store/hubspot-store.js';
import { resolveObjectType, type ObjectTypeName } from '../store/object-types.js';
import type { StoredObject } from '../store/record-reader.js';
import { badRequest, correlationIdOf, type ErrorCategory } from './hubspot-error.js';
import { isoString } from '../../../platform/iso-time.js';

/** SimplePublicObject (plus propertiesWithHistory when asked for). */
export function objectJson(record: StoredObject): Record<string, unknown> {
  const json: Record<string, unknown> = {
    id: record.id,
    properties: record.properties,
    createdAt: isoString(record.createdAt),
    updatedAt: isoString(record.updatedAt),
    archived: record.archived,
  };
  if (record.archivedAt !== undefined) json.archivedAt = isoString(record.archivedAt);
  if (record.propertiesWithHistory !== undefined) {
    const history: Record<string, unknown[]> = {};
    for (const [name, entries] of Object.entries(record.propertiesWithHistory)) {
      history[name] = entries.map((e) => ({ ...e, timestamp: isoString(e.timestamp) }));
    }
    json.propertiesWithHistory = history;
  }
  return json;
}

/** The v3 `associations` of a read: per requested type, one entry per association type. */
export function associationsJson(
  store: HubSpotStore,
  type: ObjectTypeName,
  id: string,
  wanted: readonly string[],
): Record<string, { results: Array<{ id: string; type: string }> }> | undefined {
  if (wanted.length === 0) return undefined;
  const out: Record<string, { results: Array<{ id: string; type: string }> }> = {};
  for (const name of wanted) {
    const toType = resolveObjectType(name);
    if (toType === undefined) continue;
    const results = store.associationsOf(type, id, toType).flatMap((a) =>
      a.typeIds.map((typeId) => ({ id: a.toId, type: associationType(typeId)?.name ?? String(typeId) })),
    );
    if (results.length > 0) out[toType] = { results };
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The object type in a path (`contacts`, `contact`, `0-1`...), or HubSpot's 400. */
export function objectTypeParam(value: string | undefined): ObjectTypeName {
  const type = value === undefined ? undefined : resolveObjectType(value);
  if (type === undefined) throw badRequest(`Unable to infer object type from: ${value ?? ''}`);
  return type;
}

export interface BatchError {
  category: ErrorCategory;
  message: string;
  context: Record<string, string[]>;
  errors?: Array<{ message: string; code?: string; context?: Record<string, string[]> }>;
}

/** BatchResponse (status COMPLETE) or, with errors, BatchResponse...WithErrors; the status to answer with. */
export function batchJson(
  startedAt: number,
  finishedAt: number,
  results: unknown[],
  errors: BatchError[],
  okStatus: 200 | 201,
): { status: number; body: Record<string, unknown> } {
  const body: Record<string, unknown> = {
    status: 'COMPLETE',
    results,
    startedAt: isoString(startedAt),
    completedAt: isoString(finishedAt),
  };
  if (errors.length === 0) return { status: okStatus, body };
  body.numErrors = errors.length;
  body.errors = errors.map((e) => ({
    status: 'error',
    category: e.category,
    message: e.message,
    context: e.context,
    errors: e.errors ?? [],
    links: {},
  }));
  return { status: 207, body };
}

export function sendBatch(res: Response, batch: { status: number; body: Record<string, unknown> }): void {
  correlationIdOf(res);
  sendJson(res, batch.status, batch.body);
}

/**
 * A JSON answer as HubSpot sends it (application/json; charset=utf-8), written as text. Express's
 * res.json copies any text of 1,000 characters or more into a new Buffer first (to count its bytes),
 * and for a page or a batch of records that copy cost the simulator more than writing the JSON; Node
 * counts them itself when the whole answer goes in one write.
 */
export function sendJson(res: Response, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
}
