/**
 * Turns the store's change feed into change events, one committed transaction at a time (the feed hands over a
 * transaction's changes synchronously; they are published together on the next microtask), the way Salesforce does:
 * - an entity not selected for Change Data Capture publishes nothing;
 * - identical UPDATE or DELETE changes of one object in one transaction and one second are merged into one event
 *   whose recordIds lists every record ("Merged Change Events");
 * - a transaction's changes beyond the overflow threshold (100,000 by default; a create, delete or undelete counts
 *   one, an update one per changed field) are replaced by one GAP_OVERFLOW event per entity ("Overflow Events");
 * - when told to (gapNext), the next changes are published as gap events: header only ("Gap Events").
 */
import type { SalesforceChange } from '../change-feed.js';
import type { ChangeEventPayload } from './change-event.js';
import type { ChannelDirectory } from './channels.js';
import { changeEventPayload, gapPayload, overflowPayload } from './event-payload.js';
import type { FieldLayouts } from './field-layout.js';

export type PublishEvent = (entityName: string, payload: ChangeEventPayload) => void;

export interface PublisherOptions {
  directory: ChannelDirectory;
  layouts: FieldLayouts;
  publish: PublishEvent;
  overflowThreshold: number;
  mergeChanges: boolean;
}

interface Pending {
  entityName: string;
  payload: ChangeEventPayload;
  /** Equal for changes that may merge into one event; undefined when the change never merges. */
  mergeKey: string | undefined;
}

interface TransactionWeight {
  key: string;
  weight: number;
  overflowed: Set<string>;
}

const MERGEABLE = new Set(['UPDATE', 'DELETE', 'GAP_UPDATE', 'GAP_DELETE']);

function mergeKeyOf(payload: ChangeEventPayload): string | undefined {
  const { ChangeEventHeader: header, ...body } = payload;
  if (!MERGEABLE.has(header.changeType)) return undefined;
  const second = Math.floor(header.commitTimestamp / 1000);
  return JSON.stringify([header.transactionKey, header.entityName, header.changeType, second, header.changedFields, body]);
}

export class ChangePublisher {
  private batch: SalesforceChange[] = [];
  private scheduled = false;
  private gapsToSend = 0;
  private transaction: TransactionWeight | undefined;
  /** The newest change seen, for the header facts of injected events. */
  lastChange: SalesforceChange | undefined;

  constructor(private readonly options: PublisherOptions) {}

  /** The change feed listener. */
  readonly accept = (change: SalesforceChange): void => {
    this.batch.push(change);
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => this.flush());
  };

  /** Publishes the next `count` changes as gap events. */
  gapNext(count: number): void {
    this.gapsToSend += count;
  }

  get pendingGaps(): number {
    return this.gapsToSend;
  }

  /** Publishes what the feed has handed over so far. */
  flush(): void {
    this.scheduled = false;
    const changes = this.batch;
    this.batch = [];
    const pending: Pending[] = [];
    for (const change of changes) {
      if (!this.options.directory.isSelected(change.entityName)) continue;
      this.lastChange = change;
      const payload = this.payloadOf(change);
      if (payload === undefined) continue;
      const mergeKey = this.options.mergeChanges ? mergeKeyOf(payload) : undefined;
      const previous = pending[pending.length - 1];
      if (mergeKey !== undefined && previous?.mergeKey === mergeKey) {
        previous.payload.ChangeEventHeader.recordIds.push(...payload.ChangeEventHeader.recordIds);
        continue;
      }
      pending.push({ entityName: change.entityName, payload, mergeKey });
    }
    for (const event of pending) this.options.publish(event.entityName, event.payload);
  }

  /** The event for one change: a full or gap event, an overflow event, or nothing (already overflowed). */
  private payloadOf(change: SalesforceChange): ChangeEventPayload | undefined {
    const weight = change.changeType === 'UPDATE' ? Math.max(1, change.changedFields.length) : 1;
    if (this.transaction?.key !== change.transactionKey) {
      this.transaction = { key: change.transactionKey, weight: 0, overflowed: new Set() };
    }
    const transaction = this.transaction;
    transaction.weight += weight;
    if (transaction.weight > this.options.overflowThreshold) {
      if (transaction.overflowed.has(change.entityName)) return undefined;
      transaction.overflowed.add(change.entityName);
      return overflowPayload(change);
    }
    if (this.gapsToSend > 0) {
      this.gapsToSend -= 1;
      return gapPayload(change);
    }
    return changeEventPayload(change, this.options.layouts.of(change.entityName));
  }
}
