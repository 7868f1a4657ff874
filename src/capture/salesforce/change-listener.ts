/**
 * Listens to a connection's Salesforce change events (`/data/ChangeEvents`) through jsforce's
 * streaming client and turns them into change signals, deletion jobs and sweeps. Events are handled
 * one after another; the replay id of an event is stored only once its signal is stored, so a
 * restart (here or on another worker) resumes right after the last event handled, with no gap
 * inside Salesforce's retention.
 */
import type { Queue } from 'bullmq';
import { StreamingExtension } from 'jsforce/lib/api/streaming.js';
import { RevloopError } from '../../platform/errors.js';
import { changesSeenKey, LISTENER_ALIVE_MS, markListenerAlive, markListenerGone } from '../../state/changes-seen.js';
import type { PairObject } from '../../state/link-store.js';
import { JOBS } from '../../worker/queues.js';
import { signalOpportunityChanges } from '../../worker/outcomes/opportunity-changes.js';
import { signal } from '../../worker/signals.js';
import type { SyncContext } from '../../worker/sync/sync-context.js';
import { actionOfChange, changedValues, changeEventSchema, salesforceActor } from './change-events.js';

export const CHANGE_CHANNEL = '/data/ChangeEvents';

const PAIR_OF: Readonly<Record<string, PairObject>> = { Lead: 'contacts', Contact: 'contacts', Account: 'companies' };

const SALESFORCE_ID = /^[A-Za-z0-9]{15,18}$/;

export interface ListenerStats {
  received: number;
  signalled: number;
  echoes: number;
  deletes: number;
  gaps: number;
  lastReplayId: number | undefined;
}

export interface ListenOptions {
  queue: Queue;
  windowMs: number;
  signal: AbortSignal;
  /** Where to start when no replay id is stored: -1 new events only (default), -2 every retained event. */
  startFrom?: -1 | -2;
  onEvent?: (stats: ListenerStats) => void;
}

export function replayKey(ctx: SyncContext, channel = CHANGE_CHANNEL): string {
  return ctx.keys.key('cdc', 'replay', channel);
}

interface FayeClient {
  subscribe(channel: string, onMessage: (message: unknown) => void): { cancel(): void } & PromiseLike<unknown>;
  disconnect(): void;
  on?(event: string, fn: (...args: unknown[]) => void): void;
}

/** Runs until `options.signal` aborts; rejects when the subscription fails (the job retries it). */
export async function listenForChanges(ctx: SyncContext, options: ListenOptions): Promise<ListenerStats> {
  const stats: ListenerStats = { received: 0, signalled: 0, echoes: 0, deletes: 0, gaps: 0, lastReplayId: undefined };
  // A cheap call first: refreshes an expired session before the handshake needs it.
  await ctx.salesforceApi.call('identity', (conn) => conn.request('/'));
  const stored = await ctx.redis.get(replayKey(ctx));
  const replayFrom = stored !== null ? Number(stored) : (options.startFrom ?? -1);
  let failed: ((err: RevloopError) => void) | undefined;
  const failure = new Promise<never>((_, reject) => (failed = reject));
  failure.catch(() => undefined);
  const authFailure = new StreamingExtension.AuthFailure(() => failed?.(new RevloopError('AUTH_EXPIRED', 'Salesforce refused the streaming handshake; the session will be refreshed')));
  const client = ctx.salesforceApi.conn.streaming.createClient([new StreamingExtension.Replay(CHANGE_CHANNEL, replayFrom), authFailure]) as unknown as FayeClient;
  let chain = Promise.resolve();
  const handle = async (message: unknown): Promise<void> => {
    const parsed = changeEventSchema.safeParse(message);
    if (!parsed.success) {
      ctx.logger.warn({ issues: parsed.error.issues.slice(0, 3) }, 'unreadable change event skipped');
      return;
    }
    const event = parsed.data;
    const header = event.payload.ChangeEventHeader;
    stats.received += 1;
    const action = actionOfChange(header);
    const pair = PAIR_OF[header.entityName];
    if (action.kind === 'echo') stats.echoes += 1;
    else if ((action.kind === 'change' || action.kind === 'delete') && (header.entityName === 'Opportunity' || header.entityName === 'OpportunityContactRole')) {
      // Coalesced: who the opportunities belong to is looked up for many of them at once.
      const ids = action.ids.filter((id) => SALESFORCE_ID.test(id));
      await signalOpportunityChanges(ctx, options.queue, header.entityName, ids, options.windowMs);
      stats.signalled += ids.length;
    } else if (action.kind === 'change' && pair) {
      const ids = action.ids.filter((id) => SALESFORCE_ID.test(id));
      await ctx.provenance.record(
        'salesforce',
        ids.flatMap((id) => changedValues(event).map((v) => ({ id, field: v.field, value: v.value, at: header.commitTimestamp, actor: salesforceActor(header), source: `salesforce:${header.commitUser ?? ''}:${header.changeOrigin || 'ui'}` }))),
      );
      await signal(ctx.redis, options.queue, ctx.keys, pair, 'salesforce', ids, { windowMs: options.windowMs }, header.commitTimestamp);
      stats.signalled += ids.length;
      if (header.changeType.startsWith('GAP_')) stats.gaps += 1;
    } else if (action.kind === 'delete' && pair) {
      // One job per 200 ids (a delete event may name up to thousands of records).
      for (let i = 0; i < action.ids.length; i += 200) {
        await options.queue.add(JOBS.salesforceDelete, { connectionId: ctx.connectionId, object: action.object, ids: action.ids.slice(i, i + 200), at: header.commitTimestamp }, { jobId: `sf-delete-${ctx.connectionId}-${event.event.replayId}-${i / 200}` });
      }
      stats.deletes += 1;
    } else if (action.kind === 'overflow') {
      await options.queue.add(JOBS.sweep, { connectionId: ctx.connectionId }, { jobId: `sweep-overflow-${ctx.connectionId}-${event.event.replayId}` });
      stats.gaps += 1;
    }
    await ctx.redis.mset(replayKey(ctx), String(event.event.replayId), changesSeenKey(ctx.keys), String(header.commitTimestamp));
    stats.lastReplayId = event.event.replayId;
    options.onEvent?.({ ...stats });
  };
  const subscription = client.subscribe(CHANGE_CHANNEL, (message) => {
    chain = chain.then(() => handle(message)).catch((err: unknown) => failed?.(err instanceof RevloopError ? err : new RevloopError('INTERNAL', `change event handling failed: ${(err as Error).message}`, { cause: err })));
  });
  const aborted = new Promise<void>((resolve) => {
    if (options.signal.aborted) resolve();
    options.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  // At work once subscribed: syncs wait for this listener to catch up with revloop's latest writes (see
  // the sync's load). A subscription that never completes never marks it. Best effort: Redis away only
  // means a sync does not wait.
  let stopped = false;
  let heartbeat: NodeJS.Timeout | undefined;
  const beat = () => void markListenerAlive(ctx.redis, ctx.keys).catch(() => undefined);
  subscription.then(
    () => {
      if (stopped) return;
      beat();
      heartbeat = setInterval(beat, LISTENER_ALIVE_MS / 3);
    },
    () => undefined,
  );
  try {
    await Promise.race([aborted, failure]);
    await chain;
    return stats;
  } finally {
    stopped = true;
    clearInterval(heartbeat);
    subscription.cancel();
    client.disconnect();
    await markListenerGone(ctx.redis, ctx.keys).catch(() => undefined);
  }
}
