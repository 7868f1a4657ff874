/** Helpers shared by REST resources: request body shapes, record lookup with REST's 404s, record JSON. */
import { z } from 'zod';
import { notFound, SalesforceApiError } from '../../errors.js';
import { parseId } from '../../ids.js';
import { ROW_LIVE, type ObjectTable } from '../../storage/object-table.js';
import type { SalesforceStore } from '../../store/salesforce-store.js';
import type { Located } from '../../store/table-registry.js';
import { attributesOf } from '../../soql/shape.js';

export const recordBodySchema = z.record(z.string(), z.unknown());

/** A JSON body of the expected shape, or Salesforce's JSON_PARSER_ERROR. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue === undefined || issue.path.length === 0 ? '' : ` at ${issue.path.join('.')}`;
  throw new SalesforceApiError('JSON_PARSER_ERROR', `Cannot deserialize the request body${where}: ${issue?.message ?? 'invalid JSON'}`);
}

export function tableOf(store: SalesforceStore, objectName: string): ObjectTable {
  const table = store.registry.table(objectName);
  if (table === undefined) throw notFound();
  return table;
}

/** The record a URL id designates, with REST's answers: 404 for a malformed, foreign or unknown id. */
export function locateForRest(store: SalesforceStore, objectName: string, id: string): Located {
  const table = tableOf(store, objectName);
  const parsed = parseId(id);
  if (parsed === undefined) throw notFound(`Provided external ID field does not exist or is not accessible: ${id}`);
  const row = parsed.keyPrefix === table.codec.keyPrefix ? table.rowOf(parsed.id15) : -1;
  if (row < 0) throw notFound();
  return { table, row };
}

export function requireLive(located: Located): Located {
  if (located.table.stateOf(located.row) !== ROW_LIVE) {
    throw new SalesforceApiError('ENTITY_IS_DELETED', 'entity is deleted', { fields: [], httpStatus: 404 });
  }
  return located;
}

/** `?fields=A,B` as a list (undefined when absent). */
export function fieldList(value: string | undefined): string[] | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  return value.split(',').map((f) => f.trim()).filter((f) => f !== '');
}

export function recordJson(store: SalesforceStore, located: Located, version: string, fields?: readonly string[]): Record<string, unknown> {
  return { attributes: attributesOf(located.table, located.row, version), ...store.recordFields(located.table, located.row, fields) };
}

export function saveResult(id: string): { id: string; success: true; errors: [] } {
  return { id, success: true, errors: [] };
}
