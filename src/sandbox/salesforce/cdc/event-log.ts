/**
 * The event bus's store of change events: every event gets a replay id from one increasing org-wide sequence and is
 * kept for the retention window (72 hours by default) on the sandbox clock. A subscriber replays a channel from a
 * replay id; an id that no longer points into the retained part of the channel (purged, or never issued) is refused,
 * as Salesforce refuses it.
 */
import type { ChannelDirectory } from './channels.js';
import type { ChangeEventMessage, ChangeEventPayload, RetainedChangeEvent } from './change-event.js';

export const REPLAY_NEW_EVENTS = -1;
export const REPLAY_ALL_RETAINED = -2;

export interface EventLogOptions {
  retentionMs: number;
  /** A cap that keeps a long-running sandbox's memory bounded; the oldest events are purged beyond it. */
  maxEvents: number;
  now: () => number;
}

export class ChangeEventLog {
  /** Retained events, oldest first, from index `head`. */
  private events: RetainedChangeEvent[] = [];
  private head = 0;
  private lastReplayId = 0;
  /** Per channel: the replay id of its newest purged event. */
  private readonly purgedThrough = new Map<string, number>();

  constructor(
    private readonly directory: ChannelDirectory,
    private readonly options: EventLogOptions,
  ) {}

  get latestReplayId(): number {
    return this.lastReplayId;
  }

  get size(): number {
    this.purge();
    return this.events.length - this.head;
  }

  /** Stores an event under the next replay id. */
  append(entityName: string, schema: string, payload: ChangeEventPayload): RetainedChangeEvent {
    this.purge();
    this.lastReplayId += 1;
    const message: ChangeEventMessage = { schema, payload, event: { replayId: this.lastReplayId } };
    const retained: RetainedChangeEvent = { replayId: this.lastReplayId, entityName, storedAt: this.options.now(), message };
    this.events.push(retained);
    this.purge();
    return retained;
  }

  /** Whether a subscription may start from this replay id on this channel. */
  acceptsReplayFrom(channel: string, replayId: number): boolean {
    if (replayId === REPLAY_NEW_EVENTS || replayId === REPLAY_ALL_RETAINED) return true;
    if (!Number.isSafeInteger(replayId)) return false;
    this.purge();
    return replayId > (this.purgedThrough.get(channel) ?? 0) && replayId <= this.lastReplayId;
  }

  /** The retained events of the channel after the replay id (-2: all retained, -1: none), oldest first. */
  after(channel: string, replayId: number): RetainedChangeEvent[] {
    this.purge();
    if (replayId === REPLAY_NEW_EVENTS) return [];
    const start = replayId === REPLAY_ALL_RETAINED ? this.head : this.firstIndexAfter(replayId);
    const out: RetainedChangeEvent[] = [];
    for (let i = start; i < this.events.length; i++) {
      const event = this.events[i];
      if (event !== undefined && this.directory.carries(channel, event.entityName)) out.push(event);
    }
    return out;
  }

  /** Drops what fell out of the retention window or beyond the cap. */
  purge(): void {
    const cutoff = this.options.now() - this.options.retentionMs;
    while (this.head < this.events.length) {
      const oldest = this.events[this.head];
      if (oldest === undefined) break;
      const expired = oldest.storedAt < cutoff || this.events.length - this.head > this.options.maxEvents;
      if (!expired) break;
      for (const channel of this.directory.channelsOf(oldest.entityName)) this.purgedThrough.set(channel, oldest.replayId);
      this.head += 1;
    }
    if (this.head > 1024 && this.head * 2 > this.events.length) {
      this.events = this.events.slice(this.head);
      this.head = 0;
    }
  }

  private firstIndexAfter(replayId: number): number {
    let lo = this.head;
    let hi = this.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const event = this.events[mid];
      if (event !== undefined && event.replayId <= replayId) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
