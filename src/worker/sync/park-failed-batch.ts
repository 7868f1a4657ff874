/**
 * A sync batch that failed for good (an unrecoverable error, or its last attempt): its changes were
 * taken from the pending set when it was queued, so without this they would be gone unseen. Each of
 * its records is parked with the failure instead: the dashboard and `revloop dlq` show it, a retry
 * queues it again, and the entry clears once the record syncs.
 */
import type { RevloopError } from '../../platform/errors.js';
import type { ParkInput } from '../../state/dead-letters.js';
import type { BatchJob } from '../queues.js';
import { objectOfId } from './load-batch.js';
import type { SyncContext } from './sync-context.js';

export async function parkFailedBatch(ctx: SyncContext, data: BatchJob, error: RevloopError, attempts: number): Promise<number> {
  const message = `its sync batch failed for good after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${error.message}`;
  const entries: ParkInput[] = [
    ...data.hubspotIds.map((id): ParkInput => ({ pair: data.pair, side: 'hubspot', record: `hubspot:${data.pair}:${id}`, hubspotId: id, code: error.code, message, fields: [] })),
    ...data.salesforceIds.map((id): ParkInput => ({ pair: data.pair, side: 'salesforce', record: `salesforce:${objectOfId(id) ?? ''}:${id}`, salesforceId: id, code: error.code, message, fields: [] })),
  ];
  await ctx.deadLetters.park(entries, ctx.now());
  return entries.length;
}
