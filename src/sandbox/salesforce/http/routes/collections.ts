/**
 * sObject Collections: create, update, upsert, delete and retrieve up to 200 records in one call. The answer is 200
 * with one result per record in request order; allOrNone rolls every record back when one fails.
 */
import { z } from 'zod';
import { dmlError, MultipleMatchesError, SalesforceApiError } from '../../errors.js';
import { parseId } from '../../ids.js';
import { ROW_LIVE } from '../../storage/object-table.js';
import type { SaveResult } from '../../store/salesforce-store.js';
import type { RestCall, RestDeps, RestRoute } from '../rest-route.js';
import { parseBody, recordJson, tableOf } from './shared.js';

const MAX_RECORDS = 200;

const collectionBodySchema = z.object({
  allOrNone: z.boolean().optional(),
  records: z.array(z.record(z.string(), z.unknown())),
});

const retrieveBodySchema = z.object({ ids: z.array(z.string()), fields: z.array(z.string()).min(1) });

function tooMany(): SalesforceApiError {
  return new SalesforceApiError('EXCEEDED_ID_LIMIT', `record limit reached. cannot submit more than ${MAX_RECORDS} records into this call`);
}

/** attributes.type of a collection record (required, as Salesforce requires a concrete entity type). */
function typeOf(record: Record<string, unknown>): string {
  const attributes = record.attributes;
  const type = typeof attributes === 'object' && attributes !== null ? (attributes as { type?: unknown }).type : undefined;
  if (typeof type !== 'string' || type === '') throw new SalesforceApiError('INVALID_TYPE', 'Must send a concrete entity type.');
  return type;
}

function withoutMeta(record: Record<string, unknown>, drop: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) if (key !== 'attributes' && !drop.includes(key.toLowerCase())) out[key] = value;
  return out;
}

function parseCollection(call: RestCall): { allOrNone: boolean; records: Array<Record<string, unknown>> } {
  const body = parseBody(collectionBodySchema, call.body);
  if (body.records.length > MAX_RECORDS) throw tooMany();
  return { allOrNone: body.allOrNone ?? false, records: body.records };
}

function create(call: RestCall, deps: RestDeps) {
  const { allOrNone, records } = parseCollection(call);
  const tables = records.map((r) => tableOf(deps.store, typeOf(r)));
  return deps.store.transaction(call.ctx, (tx) =>
    deps.store.eachRecord(
      tx,
      records,
      allOrNone,
      (record, i) => {
        const table = tables[i] ?? tableOf(deps.store, typeOf(record));
        return { id: table.idOf(deps.store.records.insert(tx, table, withoutMeta(record, []))), success: true, errors: [] };
      },
      true,
    ),
  );
}

function update(call: RestCall, deps: RestDeps) {
  const { allOrNone, records } = parseCollection(call);
  const tables = records.map((r) => tableOf(deps.store, typeOf(r)));
  return deps.store.transaction(call.ctx, (tx) =>
    deps.store.eachRecord(tx, records, allOrNone, (record, i) => {
      const table = tables[i] ?? tableOf(deps.store, typeOf(record));
      const idKey = Object.keys(record).find((k) => k.toLowerCase() === 'id');
      const id = idKey === undefined ? undefined : record[idKey];
      if (typeof id !== 'string' || id === '') throw dmlError('MISSING_ARGUMENT', 'Id not specified in an update call', []);
      const { row } = deps.store.locateRecord(table.name, id);
      deps.store.records.update(tx, table, row, withoutMeta(record, ['id']));
      return { id: table.idOf(row), success: true, errors: [] };
    }),
  );
}

function upsert(call: RestCall, deps: RestDeps) {
  const { allOrNone, records } = parseCollection(call);
  const table = tableOf(deps.store, call.params.sobject ?? '');
  const field = table.schema.field(call.params.field ?? '');
  if (field === undefined || !(field.externalId || field.idLookup)) {
    throw new SalesforceApiError('INVALID_FIELD', `Provided external ID field does not exist or is not accessible: ${call.params.field ?? ''}`, { httpStatus: 404 });
  }
  for (const record of records) {
    if (record.attributes !== undefined && typeOf(record).toLowerCase() !== table.name.toLowerCase()) {
      throw new SalesforceApiError('INVALID_TYPE', `Records must all be of type ${table.name}`);
    }
  }
  return deps.store.transaction(call.ctx, (tx) =>
    deps.store.eachRecord(tx, records, allOrNone, (record): SaveResult => {
      const key = Object.keys(record).find((k) => k.toLowerCase() === field.name.toLowerCase());
      const value = key === undefined ? undefined : record[key];
      if (value === undefined || value === null || value === '') {
        throw dmlError('MISSING_ARGUMENT', `${field.name} not specified`, [field.name]);
      }
      if (field.type !== 'id' && Object.keys(record).some((k) => k.toLowerCase() === 'id')) {
        throw dmlError('INVALID_FIELD', 'Id field cannot be specified when upserting by an external id', ['Id']);
      }
      try {
        const result = deps.store.upsertIn(tx, table.name, field.name, String(value), withoutMeta(record, []));
        return { id: result.id, success: true, errors: [], created: result.created };
      } catch (err) {
        if (err instanceof MultipleMatchesError) {
          throw dmlError('DUPLICATE_EXTERNAL_ID', `${field.name}: more than one record found for external id field: ${err.ids.join(', ')}`, [field.name]);
        }
        throw err;
      }
    }),
  );
}

function remove(call: RestCall, deps: RestDeps) {
  const ids = (call.query.ids ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (ids.length === 0) throw new SalesforceApiError('MISSING_ARGUMENT', 'ids parameter is required');
  if (ids.length > MAX_RECORDS) throw tooMany();
  const allOrNone = call.query.allOrNone === 'true';
  return deps.store.transaction(call.ctx, (tx) =>
    deps.store.eachRecord(tx, ids, allOrNone, (id) => {
      const parsed = parseId(id);
      const found = parsed === undefined ? undefined : deps.store.registry.locate(id);
      if (found === undefined) {
        throw parsed === undefined
          ? dmlError('MALFORMED_ID', `malformed id ${id}`, [])
          : dmlError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', []);
      }
      deps.store.records.delete(tx, found.table, found.row);
      return { id: found.table.idOf(found.row), success: true, errors: [] };
    }),
  );
}

function retrieve(call: RestCall, deps: RestDeps, ids: string[], fields: string[]) {
  if (ids.length > 2000) throw new SalesforceApiError('EXCEEDED_ID_LIMIT', 'record limit reached. cannot submit more than 2000 records into this call');
  const table = tableOf(deps.store, call.params.sobject ?? '');
  for (const name of fields) {
    if (table.schema.field(name) === undefined) {
      throw new SalesforceApiError('INVALID_FIELD', `No such column '${name}' on entity '${table.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`);
    }
  }
  return ids.map((id) => {
    const parsed = parseId(id);
    const row = parsed === undefined || parsed.keyPrefix !== table.codec.keyPrefix ? -1 : table.rowOf(parsed.id15);
    if (row < 0 || table.stateOf(row) !== ROW_LIVE) return null;
    return recordJson(deps.store, { table, row }, call.version, fields);
  });
}

export const collectionRoutes: RestRoute[] = [
  { method: 'POST', path: '/composite/sobjects', handler: (call, deps) => ({ status: 200, body: create(call, deps) }) },
  { method: 'PATCH', path: '/composite/sobjects', handler: (call, deps) => ({ status: 200, body: update(call, deps) }) },
  { method: 'DELETE', path: '/composite/sobjects', handler: (call, deps) => ({ status: 200, body: remove(call, deps) }) },
  {
    method: 'POST',
    path: '/composite/sobjects/:sobject',
    handler: (call, deps) => {
      const body = parseBody(retrieveBodySchema, call.body);
      return { status: 200, body: retrieve(call, deps, body.ids, body.fields) };
    },
  },
  {
    method: 'GET',
    path: '/composite/sobjects/:sobject',
    handler: (call, deps) => {
      const split = (v: string | undefined): string[] => (v ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
      const fields = split(call.query.fields);
      if (fields.length === 0) throw new SalesforceApiError('MISSING_ARGUMENT', 'fields parameter is required');
      return { status: 200, body: retrieve(call, deps, split(call.query.ids), fields) };
    },
  },
  { method: 'PATCH', path: '/composite/sobjects/:sobject/:field', handler: (call, deps) => ({ status: 200, body: upsert(call, deps) }) },
];
