/**
 * Gap and overflow events the sandbox is told to send (the control API), so revloop's handling of them can be
 * rehearsed: a gap event names records whose change Salesforce could not describe; an overflow event says a
 * transaction changed more of an entity than change events were sent for.
 */
import { randomUUID } from 'node:crypto';
import type { ChangeEventPayload } from './change-event.js';
import { overflowPayload } from './event-payload.js';
import { gapInputSchema, overflowInputSchema, type GapInput, type OverflowInput } from './options.js';
import { EMPTY_RECORD_ID } from './change-event.js';

export interface CommitFacts {
  now: number;
  /** The next commit number of the org. */
  commitNumber: number;
  /** The user of the newest change, when there was one. */
  lastUser: string | undefined;
}

export function injectedGap(input: GapInput, facts: CommitFacts): ChangeEventPayload {
  const gap = gapInputSchema.parse(input);
  return {
    ChangeEventHeader: {
      entityName: gap.entityName,
      recordIds: [...gap.recordIds],
      changeType: gap.changeType,
      changeOrigin: gap.changeOrigin,
      transactionKey: gap.transactionKey ?? randomUUID(),
      sequenceNumber: 1,
      commitTimestamp: facts.now,
      commitNumber: facts.commitNumber,
      commitUser: gap.commitUser ?? facts.lastUser ?? EMPTY_RECORD_ID,
      changedFields: [],
    },
  };
}

export function injectedOverflow(input: OverflowInput, facts: CommitFacts): ChangeEventPayload {
  const overflow = overflowInputSchema.parse(input);
  return overflowPayload({
    entityName: overflow.entityName,
    transactionKey: overflow.transactionKey ?? randomUUID(),
    sequenceNumber: 1,
    commitTimestamp: facts.now,
    commitNumber: facts.commitNumber,
    commitUser: overflow.commitUser ?? facts.lastUser ?? EMPTY_RECORD_ID,
    changeOrigin: overflow.changeOrigin,
  });
}
