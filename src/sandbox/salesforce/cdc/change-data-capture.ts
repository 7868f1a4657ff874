/**
 * Change Data Capture for the Salesforce sandbox: a Streaming API (CometD/Bayeux) endpoint at /cometd/<version> on
 * the sandbox's HTTP server, fed by the store's change feed, as jsforce's streaming client consumes it. See
 * docs/sandbox-salesforce-cdc.md for the behaviour and its sources.
 */
import type { Server } from 'node:http';
import express from 'express';
import NodeAdapter, { type BayeuxMessage } from 'faye/src/adapters/node_adapter.js';
import { z } from 'zod';
import { RevloopError } from '../../../platform/errors.js';
import type { AccessVerifier } from './access.js';
import type { ChangeDataCaptureHost, ChangeSource, SalesforceSandboxHooks } from './attach-target.js';
import { ChangeEventEngine } from './bayeux-engine.js';
import type { ChangeEventPayload, RetainedChangeEvent } from './change-event.js';
import { ChangePublisher } from './change-publisher.js';
import { ALL_CHANGE_EVENTS_CHANNEL, ChannelDirectory } from './channels.js';
import type { ChangeDataCapture } from './control-api.js';
import { ChangeEventLog, REPLAY_ALL_RETAINED, REPLAY_NEW_EVENTS } from './event-log.js';
import { FieldLayouts } from './field-layout.js';
import { injectedGap, injectedOverflow, type CommitFacts } from './injected-events.js';
import { changeDataCaptureOptionsSchema, type ChangeDataCaptureOptions } from './options.js';
import { CDC_CONTROL_PATH, cdcControlRouter, isControlPath } from './control-routes.js';
import { routeRequests } from './request-router.js';
import { schemaIdOf } from './schema-id.js';
import { StreamingApiExtension } from './server-extension.js';
import { SessionRegistry } from './session-registry.js';
import { COMETD_MOUNT, VersionPolicy, isCometdPath } from './version-policy.js';

const hostSchema = z.object({
  server: z.custom<Server>((v) => typeof v === 'object' && v !== null && 'listeners' in v && 'on' in v, 'an http.Server'),
  store: z.custom<ChangeSource>((v) => typeof v === 'object' && v !== null && 'onChange' in v, 'a store with onChange'),
  verify: z.custom<AccessVerifier>((v) => typeof v === 'function', 'an access-token verifier'),
});

function isSandbox(target: ChangeDataCaptureHost | SalesforceSandboxHooks): target is SalesforceSandboxHooks {
  return 'checkAccessToken' in target && 'onClose' in target;
}

/**
 * Attaches Change Data Capture to a Salesforce sandbox (closed with it) or to the parts of one (closed by the caller).
 *
 *   const sf = await startSalesforceSandbox();
 *   const cdc = attachChangeDataCapture(sf);            // /cometd/62.0 on sf.server
 */
export function attachChangeDataCapture(
  target: ChangeDataCaptureHost | SalesforceSandboxHooks,
  options: ChangeDataCaptureOptions = {},
): ChangeDataCapture {
  if (!isSandbox(target)) return attachToHost(target, options);
  const cdc = attachToHost(
    {
      server: target.server,
      store: target.store,
      verify: (token) => target.checkAccessToken(token),
      now: target.store.now,
      version: target.version,
      derivedFields: (entityName) => target.derivedFields(entityName),
      schemaFingerprint: (entityName) => target.schemaFingerprint(entityName),
    },
    options,
  );
  target.onClose(() => cdc.close());
  return cdc;
}

function attachToHost(host: ChangeDataCaptureHost, options: ChangeDataCaptureOptions): ChangeDataCapture {
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
  const adapter = new NodeAdapter({
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

  const cdc: ChangeDataCapture = {
    endpoint: (version) => versions.endpoint(version),
    channels: directory.channels,
    retained: (channel = ALL_CHANGE_EVENTS_CHANNEL) => {
      if (!directory.exists(channel)) throw new RevloopError('NOT_FOUND', `no Change Data Capture channel ${channel}`);
      return log.after(channel, REPLAY_ALL_RETAINED).map(copy);
    },
    injectGap: (input) => {
      const payload = injectedGap(input, commitFacts());
      publisher.flush();
      return copy(publish(selected(payload.ChangeEventHeader.entityName), payload));
    },
    injectOverflow: (input) => {
      const payload = injectedOverflow(input, commitFacts());
      publisher.flush();
      return copy(publish(selected(payload.ChangeEventHeader.entityName), payload));
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
      pendingGaps: publisher.pendingGaps,
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

  const control = express();
  control.use(CDC_CONTROL_PATH, cdcControlRouter(cdc));
  const unroute = routeRequests(
    host.server,
    (path) => isCometdPath(path) || isControlPath(path),
    (request, response, path) => (isCometdPath(path) ? adapter.handle(request, response) : control(request, response)),
  );
  return cdc;
}
