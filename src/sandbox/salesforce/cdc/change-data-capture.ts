/**
 * Change Data Capture for the Salesforce sandbox: a Streaming API (CometD/Bayeux) endpoint at /cometd/<version> on
 * the sandbox's HTTP server, fed by the store's change feed, as jsforce's streaming client consumes it. See
 * docs/sandbox-salesforce-cdc.md for the behaviour and its sources.
 */
import type { Server } from 'node:http';
import faye, { type BayeuxMessage } from 'faye';
import { z } from 'zod';
import { RevloopError } from '../../../platform/errors.js';
import type { ChangeListener } from '../change-feed.js';
import type { AccessVerifier } from './access.js';
import { ChangeEventEngine } from './bayeux-engine.js';
import type { ChangeEventPayload, RetainedChangeEvent } from './change-event.js';
import { ChangePublisher } from './change-publisher.js';
import { ALL_CHANGE_EVENTS_CHANNEL, ChannelDirectory } from './channels.js';
import { ChangeEventLog, REPLAY_ALL_RETAINED, REPLAY_NEW_EVENTS } from './event-log.js';
import { FieldLayouts } from './field-layout.js';
import { injectedGap, injectedOverflow, type CommitFacts } from './injected-events.js';
import { changeDataCaptureOptionsSchema, type ChangeDataCaptureOptions, type GapInput, type OverflowInput } from './options.js';
import { routeRequests } from './request-router.js';
import { schemaIdOf } from './schema-id.js';
import { StreamingApiExtension } from './server-extension.js';
import { SessionRegistry } from './session-registry.js';
import { COMETD_MOUNT, VersionPolicy, isCometdPath } from './version-policy.js';

/** The store side: its change feed (src/sandbox/salesforce/change-feed.ts). */
export interface ChangeSource {
  onChange(listener: ChangeListener): () => void;
}

/** What Change Data Capture needs from the sandbox it is attached to. */
export interface ChangeDataCaptureHost {
  /** The sandbox's HTTP server (the Bayeux endpoint shares its port). */
  server: Server;
  store: ChangeSource;
  /** The sandbox's access-token check. */
  verify: AccessVerifier;
  /** The sandbox clock (epoch ms); retention counts on it. Default Date.now. */
  now?: () => number;
  /** The sandbox's default API version ('62.0'). */
  version?: string;
  /** Fields computed from others, per entity, that change events leave out (formula fields). */
  derivedFields?: (entityName: string) => readonly string[];
  /** A fingerprint of the entity's fields; the event schema id changes with it. */
  schemaFingerprint?: (entityName: string) => string;
}

export interface ChangeDataCaptureStats {
  /** Open client sessions. */
  sessions: number;
  /** Subscribed sessions per channel. */
  subscriptions: Record<string, number>;
  /** Events put on the bus (all kinds). */
  published: number;
  gapEvents: number;
  overflowEvents: number;
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

const hostSchema = z.object({
  server: z.custom<Server>((v) => typeof v === 'object' && v !== null && 'listeners' in v && 'on' in v, 'an http.Server'),
  store: z.custom<ChangeSource>((v) => typeof v === 'object' && v !== null && 'onChange' in v, 'a store with onChange'),
  verify: z.custom<AccessVerifier>((v) => typeof v === 'function', 'an access-token verifier'),
});

export function attachChangeDataCapture(host: ChangeDataCaptureHost, options: ChangeDataCaptureOptions = {}): ChangeDataCapture {
  hostSchema.parse(host);
  const config = changeDataCaptureOptionsSchema.parse(options);
  const now = host.now ?? Date.now;
  const versions = new VersionPolicy(host.version);
  const directory = new ChannelDirectory(config.entities);
  const log = new ChangeEventLog(directory, {
    retentionMs: config.retentionHours * 3_600_000,
    maxEvents: config.maxRetainedEvents,
    now,
  });
  const sessions = new SessionRegistry();
  const counters = { published: 0, gapEvents: 0, overflowEvents: 0, lastCommitNumber: 0 };

  let createdEngine: ChangeEventEngine | undefined;
  const adapter = new faye.NodeAdapter({
    mount: COMETD_MOUNT,
    timeout: config.longPollSeconds,
    engine: {
      type: {
        create: (proxy) =>
          (createdEngine = new ChangeEventEngine(proxy, {
            backlogFor: (clientId, channel): BayeuxMessage[] =>
              log
                .after(channel, sessions.takeStart(clientId, channel) ?? REPLAY_NEW_EVENTS)
                .map((event) => ({ channel, data: event.message })),
            sessionClosed: (clientId) => sessions.forget(clientId),
            sessionTimeoutMs: config.sessionTimeoutSeconds * 1000,
          })),
      },
    },
  });
  const engine = createdEngine;
  if (engine === undefined) throw new RevloopError('INTERNAL', 'faye did not create the change event engine');
  adapter.addExtension(
    new StreamingApiExtension({
      verify: host.verify,
      log,
      directory,
      versions,
      sessions,
      endSession: (clientId) => engine.destroyClient(clientId),
    }),
  );

  const schemaIds = new Map<string, { fingerprint: string; id: string }>();
  const schemaOf = (entityName: string): string => {
    const fingerprint = host.schemaFingerprint?.(entityName) ?? '';
    const known = schemaIds.get(entityName);
    if (known?.fingerprint === fingerprint) return known.id;
    const id = schemaIdOf(entityName, fingerprint);
    schemaIds.set(entityName, { fingerprint, id });
    return id;
  };

  const publish = (entityName: string, payload: ChangeEventPayload): RetainedChangeEvent => {
    const header = payload.ChangeEventHeader;
    counters.published += 1;
    if (header.changeType === 'GAP_OVERFLOW') counters.overflowEvents += 1;
    else if (header.changeType.startsWith('GAP_')) counters.gapEvents += 1;
    counters.lastCommitNumber = Math.max(counters.lastCommitNumber, header.commitNumber);
    const event = log.append(entityName, schemaOf(entityName), payload);
    for (const channel of directory.channelsOf(entityName)) engine.broadcast(channel, event.message);
    return event;
  };

  const publisher = new ChangePublisher({
    directory,
    layouts: new FieldLayouts(host.derivedFields),
    publish,
    overflowThreshold: config.overflowThreshold,
    mergeChanges: config.mergeChanges,
  });
  const stopListening = host.store.onChange(publisher.accept);
  const unroute = routeRequests(host.server, isCometdPath, (request, response) => adapter.handle(request, response));

  const selected = (entityName: string): string => {
    if (!directory.isSelected(entityName)) {
      throw new RevloopError('BAD_REQUEST', `${entityName} is not selected for Change Data Capture`, {
        details: { selected: directory.entities },
      });
    }
    return entityName;
  };
  const commitFacts = (): CommitFacts => ({
    now: now(),
    commitNumber: Math.max(counters.lastCommitNumber, publisher.lastChange?.commitNumber ?? 0) + 1,
    lastUser: publisher.lastChange?.commitUser,
  });
  const copy = (event: RetainedChangeEvent): RetainedChangeEvent => structuredClone(event);
  let closed = false;

  return {
    endpoint: (version) => versions.endpoint(version),
    channels: directory.channels,
    retained: (channel = ALL_CHANGE_EVENTS_CHANNEL) => {
      if (!directory.exists(channel)) throw new RevloopError('NOT_FOUND', `no Change Data Capture channel ${channel}`);
      return log.after(channel, REPLAY_ALL_RETAINED).map(copy);
    },
    injectGap: (input) => {
      publisher.flush();
      return copy(publish(selected(input.entityName), injectedGap(input, commitFacts())));
    },
    injectOverflow: (input) => {
      publisher.flush();
      return copy(publish(selected(input.entityName), injectedOverflow(input, commitFacts())));
    },
    gapNext: (count) => publisher.gapNext(z.number().int().min(0).parse(count)),
    disconnectAll: () => {
      const clientIds = engine.clientIds;
      for (const clientId of clientIds) engine.destroyClient(clientId);
      return clientIds.length;
    },
    stats: () => ({
      sessions: engine.clientIds.length,
      subscriptions: engine.subscriptionCounts(),
      published: counters.published,
      gapEvents: counters.gapEvents,
      overflowEvents: counters.overflowEvents,
      delivered: engine.delivered,
      retained: log.size,
      latestReplayId: log.latestReplayId,
    }),
    flush: () => publisher.flush(),
    close: async () => {
      if (closed) return;
      closed = true;
      stopListening();
      publisher.flush();
      unroute();
      adapter.close();
    },
  };
}
