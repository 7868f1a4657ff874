/** describeGlobal, sObject basic information and describe. */
import { describeGlobal, describeObject, objectBasicInfo } from '../describe-json.js';
import type { RestRoute } from '../rest-route.js';
import { recordBodySchema, parseBody, saveResult, tableOf } from './shared.js';

export const sobjectRoutes: RestRoute[] = [
  {
    method: 'GET',
    path: '/sobjects',
    handler: (call, deps) => ({ status: 200, body: describeGlobal(deps.store.schema, call.version) }),
  },
  {
    method: 'GET',
    path: '/sobjects/:sobject',
    handler: (call, deps) => ({ status: 200, body: objectBasicInfo(tableOf(deps.store, call.params.sobject ?? '').schema, call.version) }),
  },
  {
    method: 'POST',
    path: '/sobjects/:sobject',
    handler: (call, deps) => {
      const table = tableOf(deps.store, call.params.sobject ?? '');
      const body = parseBody(recordBodySchema, call.body);
      const id = deps.store.insert(table.name, body, call.ctx);
      return { status: 201, body: saveResult(id), headers: { Location: `/services/data/v${call.version}/sobjects/${table.name}/${id}` } };
    },
  },
  {
    method: 'GET',
    path: '/sobjects/:sobject/describe',
    handler: (call, deps) => {
      const table = tableOf(deps.store, call.params.sobject ?? '');
      return { status: 200, body: describeObject(table.schema, deps.store.schema, call.version) };
    },
  },
];
