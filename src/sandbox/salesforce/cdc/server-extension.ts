/**
 * The faye server extension that makes the Bayeux endpoint answer as Salesforce's Streaming API does:
 * - /meta/handshake: needs a valid access token and a supported API version in the URL; a refused handshake is
 *   '403::Handshake denied' with ext.sfdc.failureReason '401::Authentication invalid' and advice reconnect none;
 *   an accepted one advertises ext { replay: true, 'payload.format': true } and long-polling only;
 * - /meta/connect: re-checks the session's token (a revoked token ends the session with '401::Authentication
 *   invalid', advice none; an expired one does not: Salesforce keeps a CometD session alive); an unknown or expired
 *   client gets '403::Unknown client' with advice handshake;
 * - /meta/subscribe: the channel must exist; the replay id (ext.replay) must be -1, -2 or within the retained
 *   events, else '400::The replayId {id} you provided was invalid. ...';
 * - clients cannot publish: change events come from the org only.
 */
import type { IncomingMessage } from 'node:http';
import type { BayeuxMessage, MessageCallback, ServerExtension } from 'faye/src/adapters/node_adapter.js';
import { accessTokenOf, type AccessVerifier } from './access.js';
import {
  ADVICE_REHANDSHAKE,
  ADVICE_STOP,
  AUTHENTICATION_INVALID,
  AUTHENTICATION_REQUIRED,
  HANDSHAKE_DENIED,
  UNKNOWN_CLIENT,
  channelDoesNotExist,
  invalidReplayId,
  isUnknownClientError,
} from './bayeux-errors.js';
import type { ChannelDirectory } from './channels.js';
import type { ChangeEventLog } from './event-log.js';
import type { SessionRegistry } from './session-registry.js';
import { subscribeStarts } from './subscribe-request.js';
import type { VersionPolicy } from './version-policy.js';

export interface StreamingRules {
  verify: AccessVerifier;
  log: ChangeEventLog;
  directory: ChannelDirectory;
  versions: VersionPolicy;
  sessions: SessionRegistry;
  /** Ends a session on the server (the engine destroys the client). */
  endSession(clientId: string): void;
}

type Verdict =
  | { kind: 'granted'; accessToken: string; userId: string }
  | { kind: 'denied'; failureReason: string }
  | { kind: 'refused' }
  | { kind: 'revoked'; clientId: string };

const NO_REQUEST = {};
const REPLAY_EXT = { replay: true, 'payload.format': true } as const;

export class StreamingApiExtension implements ServerExtension {
  /** Verdicts reached on a request message, read again when its reply goes out (by request and message id). */
  private readonly verdicts = new WeakMap<object, Map<string, Verdict>>();

  constructor(private readonly rules: StreamingRules) {}

  incoming(message: BayeuxMessage, request: IncomingMessage | null, callback: MessageCallback): void {
    const done = (): void => callback(message);
    switch (message.channel) {
      case '/meta/handshake':
        void this.checkHandshake(message, request).then(done, (err: unknown) => this.fail(message, err, done));
        return;
      case '/meta/connect':
        void this.checkConnect(message, request).then(done, (err: unknown) => this.fail(message, err, done));
        return;
      case '/meta/subscribe':
        this.checkSubscribe(message);
        return done();
      case '/meta/unsubscribe':
      case '/meta/disconnect':
        return done();
      default:
        message.error = `403:${message.channel}:Forbidden channel`;
        return done();
    }
  }

  outgoing(reply: BayeuxMessage, request: IncomingMessage | null, callback: MessageCallback): void {
    const verdict = this.takeVerdict(reply, request);
    if (reply.channel === '/meta/handshake') this.shapeHandshakeReply(reply, verdict);
    else if (verdict?.kind === 'revoked') {
      reply.advice = { ...ADVICE_STOP };
      this.rules.endSession(verdict.clientId);
    } else if (isUnknownClientError(reply.error)) {
      reply.error = UNKNOWN_CLIENT;
      reply.advice = { ...ADVICE_REHANDSHAKE };
    }
    callback(reply);
  }

  private async checkHandshake(message: BayeuxMessage, request: IncomingMessage | null): Promise<void> {
    const versionError = this.rules.versions.check(request?.url);
    if (versionError !== undefined) {
      message.error = versionError;
      return this.noteVerdict(message, request, { kind: 'refused' });
    }
    const accessToken = accessTokenOf(request);
    if (accessToken === undefined) {
      message.error = HANDSHAKE_DENIED;
      return this.noteVerdict(message, request, { kind: 'denied', failureReason: AUTHENTICATION_REQUIRED });
    }
    const check = await this.rules.verify(accessToken);
    if (!check.valid) {
      message.error = HANDSHAKE_DENIED;
      return this.noteVerdict(message, request, { kind: 'denied', failureReason: AUTHENTICATION_INVALID });
    }
    this.noteVerdict(message, request, { kind: 'granted', accessToken, userId: check.userId });
  }

  private async checkConnect(message: BayeuxMessage, request: IncomingMessage | null): Promise<void> {
    const clientId = message.clientId;
    const grant = this.rules.sessions.grantOf(clientId);
    if (clientId === undefined || grant === undefined) return;
    const check = await this.rules.verify(grant.accessToken);
    if (check.valid || check.reason === 'expired') return;
    message.error = AUTHENTICATION_INVALID;
    this.noteVerdict(message, request, { kind: 'revoked', clientId });
  }

  private checkSubscribe(message: BayeuxMessage): void {
    const starts = subscribeStarts(message);
    const clientId = message.clientId;
    if (starts === undefined || clientId === undefined) return; // faye answers 'Missing required parameter'
    for (const start of starts) {
      if (!this.rules.directory.exists(start.channel)) {
        message.error = channelDoesNotExist(start.channel);
        return;
      }
      if (start.replayId === undefined || !this.rules.log.acceptsReplayFrom(start.channel, start.replayId)) {
        message.error = invalidReplayId(start.raw);
        return;
      }
    }
    for (const start of starts) {
      if (start.replayId !== undefined) this.rules.sessions.setStart(clientId, start.channel, start.replayId);
    }
  }

  private shapeHandshakeReply(reply: BayeuxMessage, verdict: Verdict | undefined): void {
    if (reply.successful === true) {
      if (reply.clientId !== undefined && verdict?.kind === 'granted') {
        this.rules.sessions.bind(reply.clientId, { accessToken: verdict.accessToken, userId: verdict.userId });
      }
      reply.ext = { ...REPLAY_EXT };
      reply.minimumVersion = '1.0';
      reply.supportedConnectionTypes = ['long-polling'];
      return;
    }
    delete reply.supportedConnectionTypes;
    delete reply.version;
    reply.advice = { reconnect: 'none' };
    if (verdict?.kind === 'denied') reply.ext = { sfdc: { failureReason: verdict.failureReason }, ...REPLAY_EXT };
  }

  private fail(message: BayeuxMessage, err: unknown, done: () => void): void {
    message.error = `500::${err instanceof Error ? err.message : String(err)}`;
    done();
  }

  private noteVerdict(message: BayeuxMessage, request: IncomingMessage | null, verdict: Verdict): void {
    const key = request ?? NO_REQUEST;
    let byId = this.verdicts.get(key);
    if (byId === undefined) {
      byId = new Map();
      this.verdicts.set(key, byId);
    }
    byId.set(`${message.channel}#${message.id ?? ''}`, verdict);
  }

  private takeVerdict(reply: BayeuxMessage, request: IncomingMessage | null): Verdict | undefined {
    const byId = this.verdicts.get(request ?? NO_REQUEST);
    const key = `${reply.channel}#${reply.id ?? ''}`;
    const verdict = byId?.get(key);
    byId?.delete(key);
    return verdict;
  }
}
