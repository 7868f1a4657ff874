/**
 * The faye engine behind the Bayeux endpoint: client sessions, their subscriptions and their undelivered messages.
 * It replaces faye's memory engine so that one client can be handed the replayed backlog of a channel at the moment
 * it subscribes, before any live event (faye's engine only broadcasts). A session that does not come back for a
 * /meta/connect within the session timeout is dropped, as Salesforce drops it (the client then gets
 * '403::Unknown client' and handshakes again).
 */
import { randomBytes } from 'node:crypto';
import type { BayeuxMessage, Engine, EngineProxy } from 'faye/src/adapters/node_adapter.js';

interface Session {
  channels: Set<string>;
  queue: BayeuxMessage[];
  expiry: NodeJS.Timeout | undefined;
}

export interface EngineHooks {
  /** Messages a new subscription must receive first (its replay backlog). */
  backlogFor(clientId: string, channel: string): BayeuxMessage[];
  /** A session ended (disconnect, expiry or disconnectAll). */
  sessionClosed(clientId: string): void;
  /** Milliseconds after the last /meta/connect before an idle session is dropped. */
  sessionTimeoutMs: number;
}

export class ChangeEventEngine implements Engine {
  private readonly sessions = new Map<string, Session>();
  private deliveredCount = 0;

  constructor(
    private readonly proxy: EngineProxy,
    private readonly hooks: EngineHooks,
  ) {}

  get clientIds(): string[] {
    return [...this.sessions.keys()];
  }

  get delivered(): number {
    return this.deliveredCount;
  }

  /** How many sessions subscribe to each channel. */
  subscriptionCounts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const session of this.sessions.values()) {
      for (const channel of session.channels) counts[channel] = (counts[channel] ?? 0) + 1;
    }
    return counts;
  }

  createClient(callback: (clientId: string) => void, context?: unknown): void {
    const clientId = BigInt(`0x${randomBytes(16).toString('hex')}`).toString(36);
    this.sessions.set(clientId, { channels: new Set(), queue: [], expiry: undefined });
    this.ping(clientId);
    this.proxy.trigger('handshake', clientId);
    callback.call(context, clientId);
  }

  destroyClient(clientId: string, callback?: () => void, context?: unknown): void {
    const session = this.sessions.get(clientId);
    if (session === undefined) return;
    if (session.expiry !== undefined) clearTimeout(session.expiry);
    this.sessions.delete(clientId);
    this.hooks.sessionClosed(clientId);
    this.proxy.trigger('disconnect', clientId);
    // The engine proxy flushes (answers) the client's held /meta/connect on 'close'.
    this.proxy.trigger('close', clientId);
    callback?.call(context);
  }

  clientExists(clientId: string, callback: (exists: boolean) => void, context?: unknown): void {
    callback.call(context, this.sessions.has(clientId));
  }

  ping(clientId: string): void {
    const session = this.sessions.get(clientId);
    if (session === undefined) return;
    if (session.expiry !== undefined) clearTimeout(session.expiry);
    const idleMs = this.proxy.timeout * 1000 + this.hooks.sessionTimeoutMs;
    session.expiry = setTimeout(() => this.destroyClient(clientId), idleMs);
    session.expiry.unref();
  }

  subscribe(clientId: string, channel: string, callback?: (subscribed: boolean) => void, context?: unknown): void {
    const session = this.sessions.get(clientId);
    if (session === undefined) {
      callback?.call(context, false);
      return;
    }
    const backlog = this.hooks.backlogFor(clientId, channel);
    const added = !session.channels.has(channel);
    session.channels.add(channel);
    if (added) this.proxy.trigger('subscribe', clientId, channel);
    if (backlog.length > 0) this.enqueue(clientId, session, backlog);
    callback?.call(context, true);
  }

  unsubscribe(clientId: string, channel: string, callback?: (unsubscribed: boolean) => void, context?: unknown): void {
    const removed = this.sessions.get(clientId)?.channels.delete(channel) ?? false;
    if (removed) this.proxy.trigger('unsubscribe', clientId, channel);
    callback?.call(context, removed);
  }

  /** Delivers a message to every session subscribed to one of the channels (the message's own channel is kept). */
  publish(message: BayeuxMessage, channels: string[]): void {
    for (const [clientId, session] of this.sessions) {
      if (channels.some((channel) => session.channels.has(channel))) this.enqueue(clientId, session, [{ ...message }]);
    }
  }

  /** Delivers one event on one channel to its subscribers. */
  broadcast(channel: string, data: unknown): void {
    for (const [clientId, session] of this.sessions) {
      if (session.channels.has(channel)) this.enqueue(clientId, session, [{ channel, data }]);
    }
  }

  emptyQueue(clientId: string): void {
    const session = this.sessions.get(clientId);
    if (session === undefined || session.queue.length === 0 || !this.proxy.hasConnection(clientId)) return;
    const messages = session.queue;
    session.queue = [];
    this.deliveredCount += messages.length;
    this.proxy.deliver(clientId, messages);
  }

  disconnect(): void {
    for (const session of this.sessions.values()) if (session.expiry !== undefined) clearTimeout(session.expiry);
    this.sessions.clear();
  }

  private enqueue(clientId: string, session: Session, messages: BayeuxMessage[]): void {
    session.queue.push(...messages);
    this.emptyQueue(clientId);
  }
}
