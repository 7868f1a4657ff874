/**
 * The change event message as a CometD (Streaming API) subscriber receives it in `message.data`:
 * `{ schema, payload: { ChangeEventHeader, <fields> }, event: { replayId } }`. Over CometD the header carries no
 * nulledFields or diffFields (those are Pub/Sub API bitmaps); a field set to null appears in the payload as null.
 * Sources are listed in docs/sandbox-salesforce-cdc.md.
 */

export const CHANGE_TYPES = ['CREATE', 'UPDATE', 'DELETE', 'UNDELETE'] as const;
export const GAP_CHANGE_TYPES = ['GAP_CREATE', 'GAP_UPDATE', 'GAP_DELETE', 'GAP_UNDELETE'] as const;
export const OVERFLOW_CHANGE_TYPE = 'GAP_OVERFLOW';

export type RecordChangeType = (typeof CHANGE_TYPES)[number];
export type GapChangeType = (typeof GAP_CHANGE_TYPES)[number];
export type ChangeEventType = RecordChangeType | GapChangeType | typeof OVERFLOW_CHANGE_TYPE;

/** The record id an overflow event carries: the empty id. */
export const EMPTY_RECORD_ID = '000000000000000AAA';

export interface ChangeEventHeader {
  entityName: string;
  recordIds: string[];
  changeType: ChangeEventType;
  /** 'com/salesforce/api/<api>/<version>[;client=<id>]' for API writes; '' otherwise. */
  changeOrigin: string;
  transactionKey: string;
  /** 1.. within the transaction. */
  sequenceNumber: number;
  /** Epoch milliseconds. */
  commitTimestamp: number;
  commitNumber: number;
  commitUser: string;
  /** UPDATE only: the changed fields, compound components as 'Compound.Component'; empty otherwise. */
  changedFields: string[];
}

export interface ChangeEventPayload {
  ChangeEventHeader: ChangeEventHeader;
  [field: string]: unknown;
}

export interface ChangeEventMessage {
  /** The event schema id (changes when the object's fields change). */
  schema: string;
  payload: ChangeEventPayload;
  event: { replayId: number };
}

/** An event as the event bus keeps it. */
export interface RetainedChangeEvent {
  replayId: number;
  entityName: string;
  /** When the bus stored it (sandbox clock, epoch ms); retention counts from here. */
  storedAt: number;
  message: ChangeEventMessage;
}
