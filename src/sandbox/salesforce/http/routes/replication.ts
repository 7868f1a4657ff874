/**
 * getUpdated and getDeleted (`/sobjects/X/updated`, `/sobjects/X/deleted`): ids changed or deleted in a window of at
 * most 30 days that starts no earlier than 30 days ago, with Salesforce's `latestDateCovered` (whole minutes).
 */
import { formatDateTime, parseDateTime } from '../../datetime.js';
import { SalesforceApiError } from '../../errors.js';
import { ROW_LIVE } from '../../storage/object-table.js';
import type { RestCall, RestDeps, RestRoute } from '../rest-route.js';
import { tableOf } from './shared.js';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

function window(call: RestCall, deps: RestDeps): { start: number; end: number; covered: number } {
  const table = tableOf(deps.store, call.params.sobject ?? '');
  if (!table.schema.def.replicateable) {
    throw new SalesforceApiError('INVALID_TYPE', `sObject type '${table.name}' is not supported for replication`);
  }
  const bound = (name: 'start' | 'end'): number => {
    const raw = call.query[name];
    if (raw === undefined) throw new SalesforceApiError('MISSING_ARGUMENT', `Missing required query parameter: ${name}`);
    const ms = parseDateTime(raw.replace(' ', '+'));
    if (ms === undefined) throw new SalesforceApiError('INVALID_REPLICATION_DATE', `${name} date is not a valid dateTime: ${raw}`);
    return ms;
  };
  const start = bound('start');
  const end = bound('end');
  const now = deps.store.now();
  if (end <= start) throw new SalesforceApiError('INVALID_REPLICATION_DATE', 'startDate must chronologically precede endDate by more than one minute');
  if (end - start > 30 * DAY_MS) throw new SalesforceApiError('INVALID_REPLICATION_DATE', 'the requested range exceeds 30 days');
  if (start < now - 30 * DAY_MS) throw new SalesforceApiError('INVALID_REPLICATION_DATE', 'startDate cannot be more than 30 days ago');
  const covered = Math.floor(Math.min(end, now) / MINUTE_MS) * MINUTE_MS;
  return { start, end, covered };
}

export const replicationRoutes: RestRoute[] = [
  {
    method: 'GET',
    path: '/sobjects/:sobject/updated',
    handler: (call, deps) => {
      const { start, covered } = window(call, deps);
      const table = tableOf(deps.store, call.params.sobject ?? '');
      const rows = table.findByTime('SystemModstamp', start, covered, true, false).filter((r) => table.stateOf(r) === ROW_LIVE);
      return { status: 200, body: { ids: rows.map((r) => table.idOf(r)), latestDateCovered: formatDateTime(covered) } };
    },
  },
  {
    method: 'GET',
    path: '/sobjects/:sobject/deleted',
    handler: (call, deps) => {
      const { start, covered } = window(call, deps);
      const table = tableOf(deps.store, call.params.sobject ?? '');
      const rows = table.findDeleted(start, covered - 1);
      const earliest = Math.max(start, deps.store.now() - 15 * DAY_MS);
      return {
        status: 200,
        body: {
          deletedRecords: rows.map((r) => ({ id: table.idOf(r), deletedDate: formatDateTime(table.deletedAtOf(r) ?? start) })),
          earliestDateAvailable: formatDateTime(Math.floor(earliest / MINUTE_MS) * MINUTE_MS),
          latestDateCovered: formatDateTime(covered),
        },
      };
    },
  },
];
