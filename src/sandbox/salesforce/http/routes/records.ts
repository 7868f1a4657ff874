/** One record: by id (GET, PATCH, DELETE) and by external id (GET, PATCH = upsert, DELETE). */
import { MultipleMatchesError, notFound } from '../../errors.js';
import { ROW_LIVE } from '../../storage/object-table.js';
import type { RestRoute } from '../rest-route.js';
import { fieldList, locateForRest, parseBody, recordBodySchema, recordJson, requireLive, tableOf } from './shared.js';

/** The one live record whose external id field equals value (404 none, 300 several). */
function byExternalId(call: Parameters<RestRoute['handler']>[0], deps: Parameters<RestRoute['handler']>[1]): { table: ReturnType<typeof tableOf>; row: number } {
  const table = tableOf(deps.store, call.params.sobject ?? '');
  const f = table.schema.field(call.params.field ?? '');
  if (f === undefined || !(f.externalId || f.idLookup)) {
    throw notFound(`Provided external ID field does not exist or is not accessible: ${call.params.field ?? ''}`);
  }
  const rows = deps.store.liveRowsByField(table, f, call.params.value ?? '');
  if (rows.length > 1) throw new MultipleMatchesError(table.name, rows.map((r) => table.idOf(r)));
  const row = rows[0];
  if (row === undefined) throw notFound();
  return { table, row };
}

export const recordRoutes: RestRoute[] = [
  {
    method: 'GET',
    path: '/sobjects/:sobject/:id',
    handler: (call, deps) => {
      const located = locateForRest(deps.store, call.params.sobject ?? '', call.params.id ?? '');
      if (located.table.stateOf(located.row) !== ROW_LIVE) throw notFound();
      return { status: 200, body: recordJson(deps.store, located, call.version, fieldList(call.query.fields)) };
    },
  },
  {
    method: 'PATCH',
    path: '/sobjects/:sobject/:id',
    handler: (call, deps) => {
      const located = requireLive(locateForRest(deps.store, call.params.sobject ?? '', call.params.id ?? ''));
      const body = parseBody(recordBodySchema, call.body);
      deps.store.update(located.table.name, located.table.idOf(located.row), body, call.ctx);
      return { status: 204 };
    },
  },
  {
    method: 'DELETE',
    path: '/sobjects/:sobject/:id',
    handler: (call, deps) => {
      const located = requireLive(locateForRest(deps.store, call.params.sobject ?? '', call.params.id ?? ''));
      deps.store.delete(located.table.idOf(located.row), call.ctx);
      return { status: 204 };
    },
  },
  {
    method: 'GET',
    path: '/sobjects/:sobject/:field/:value',
    handler: (call, deps) => {
      const located = byExternalId(call, deps);
      return { status: 200, body: recordJson(deps.store, located, call.version, fieldList(call.query.fields)) };
    },
  },
  {
    method: 'PATCH',
    path: '/sobjects/:sobject/:field/:value',
    handler: (call, deps) => {
      const table = tableOf(deps.store, call.params.sobject ?? '');
      const body = parseBody(recordBodySchema, call.body);
      const field = call.params.field ?? '';
      const value = call.params.value ?? '';
      if (call.query.updateOnly === 'true') {
        const located = byExternalId(call, deps);
        deps.store.update(table.name, located.table.idOf(located.row), body, call.ctx);
        return { status: Number(call.version) >= 46 ? 200 : 204, body: { id: table.idOf(located.row), success: true, errors: [], created: false } };
      }
      const result = deps.store.upsert(table.name, field, value, body, call.ctx);
      if (result.created) return { status: 201, body: { id: result.id, success: true, errors: [], created: true } };
      if (Number(call.version) < 46) return { status: 204 };
      return { status: 200, body: { id: result.id, success: true, errors: [], created: false } };
    },
  },
  {
    method: 'DELETE',
    path: '/sobjects/:sobject/:field/:value',
    handler: (call, deps) => {
      const located = byExternalId(call, deps);
      deps.store.delete(located.table.idOf(located.row), call.ctx);
      return { status: 204 };
    },
  },
];
