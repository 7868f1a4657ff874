/** The control API of the sandbox's Change Data Capture: inspection, gap and overflow injection, dropped sessions. */
import type { RetainedChangeEvent } from './change-event.js';
import type { GapInput, OverflowInput } from './options.js';

export interface ChangeDataCaptureStats {
  /** Open client sessions. */
  sessions: number;
  /** Subscribed sessions per channel. */
  subscriptions: Record<string, number>;
  /** Events put on the bus (all kinds). */
  published: number;
  gapEvents: number;
  overflowEvents: number;
  /** Store changes still to be sent as gap events (gapNext). */
  pendingGaps: number;
  /** Event messages handed to clients (live and replayed). */
  delivered: number;
  retained: number;
  latestReplayId: number;
}

export interface ChangeDataCapture {
  /** The Bayeux endpoint path for a version ('/cometd/62.0' by default). */
  endpoint(version?: string): string;
  /** Channels clients may subscribe to. */
  readonly channels: readonly string[];
  /** The retained events of a channel (default /data/ChangeEvents), oldest first; copies. */
  retained(channel?: string): RetainedChangeEvent[];
  /** Publishes a gap event (GAP_CREATE, GAP_UPDATE, GAP_DELETE, GAP_UNDELETE) for the given records. */
  injectGap(input: GapInput): RetainedChangeEvent;
  /** Publishes a GAP_OVERFLOW event for an entity. */
  injectOverflow(input: OverflowInput): RetainedChangeEvent;
  /** Publishes the next `count` store changes as gap events instead of change events. */
  gapNext(count: number): void;
  /** Drops every client session, as a lost connection or a server restart does; returns how many. */
  disconnectAll(): number;
  stats(): ChangeDataCaptureStats;
  /** Publishes the store changes handed over but not yet published (they are published on the next microtask). */
  flush(): void;
  close(): Promise<void>;
}
