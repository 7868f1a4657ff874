/**
 * The Salesforce simulator's change feed: every committed write to the in-memory org is published here, in commit
 * order, synchronously after the transaction commits. Change Data Capture (src/sandbox/salesforce/cdc) builds its
 * change events on top of it; tests and the activity driver may listen too.
 */

export type SalesforceChangeType = 'CREATE' | 'UPDATE' | 'DELETE' | 'UNDELETE';

export interface SalesforceChange {
  /** API name of the object: 'Lead', 'Contact', ... */
  entityName: string;
  changeType: SalesforceChangeType;
  /** The changed record; one id per change here. */
  recordIds: string[];
  /** Field API names changed (for CREATE: every non-null field). */
  changedFields: string[];
  /** The new values of changedFields (CREATE: every non-null field). Dates as YYYY-MM-DD, datetimes as ISO strings. */
  fields: Record<string, unknown>;
  /** Epoch ms on the sandbox's injectable clock. */
  commitTimestamp: number;
  /** Increasing per org. */
  commitNumber: number;
  /** Shared by every change of one API call / one convertLead / one merge. */
  transactionKey: string;
  /** 1.. within the transaction. */
  sequenceNumber: number;
  /**
   * 'com/salesforce/api/<api>/<version>[;client=<Sforce-Call-Options client>]' for API writes (api: rest, soap,
   * bulkapi, apex), '' for simulated UI edits.
   */
  changeOrigin: string;
  /** User id of the writer (the token's user for API writes). */
  commitUser: string;
}

export type ChangeListener = (change: SalesforceChange) => void;

/** Listener registry; the store publishes each committed transaction's changes through `publish`. */
export class ChangeFeed {
  private readonly listeners = new Set<ChangeListener>();

  /** Subscribes; returns the function that unsubscribes. */
  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  get hasListeners(): boolean {
    return this.listeners.size > 0;
  }

  /**
   * Calls every listener with every change, in order. A throwing listener does not stop the others nor undo the
   * committed transaction; its error is reported as a process warning.
   */
  publish(changes: readonly SalesforceChange[]): void {
    if (changes.length === 0 || this.listeners.size === 0) return;
    const listeners = [...this.listeners];
    for (const change of changes) {
      for (const listener of listeners) {
        try {
          listener(change);
        } catch (err) {
          const reason = err instanceof Error ? err : new Error(String(err));
          process.emitWarning(`Salesforce sandbox change listener failed: ${reason.message}`, { code: 'REVLOOP_SANDBOX_LISTENER', detail: reason.stack });
        }
      }
    }
  }
}
