/**
 * The parts of faye 1.4's Bayeux server (faye ships no TypeScript types) that the Change Data Capture simulator uses:
 * NodeAdapter with server extensions and a pluggable engine, and the Bayeux message shape. Read from faye's sources
 * (src/adapters/node_adapter.js, src/protocol/server.js, src/engines/proxy.js, src/engines/memory.js). The module is
 * faye's own file: the package's main entry ('faye') is typed by jsforce (client side only), whose declaration this
 * must not collide with. ClientExtension is the client-side extension shape, for tests.
 */
declare module 'faye/src/adapters/node_adapter.js' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export type ReconnectAdvice = 'retry' | 'handshake' | 'none';

  export interface BayeuxAdvice {
    reconnect?: ReconnectAdvice;
    interval?: number;
    timeout?: number;
  }

  /** One Bayeux message, request or reply. */
  export interface BayeuxMessage {
    channel: string;
    id?: string;
    clientId?: string;
    successful?: boolean;
    error?: string;
    ext?: Record<string, unknown>;
    advice?: BayeuxAdvice;
    data?: unknown;
    subscription?: string | string[];
    version?: string;
    minimumVersion?: string;
    supportedConnectionTypes?: string[];
    connectionType?: string;
    [key: string]: unknown;
  }

  /** Passing null drops the message. */
  export type MessageCallback = (message: BayeuxMessage | null) => void;

  /** A server-side extension; with three parameters faye passes the HTTP request that carried the message. */
  export interface ServerExtension {
    incoming?(message: BayeuxMessage, request: IncomingMessage | null, callback: MessageCallback): void;
    outgoing?(message: BayeuxMessage, request: IncomingMessage | null, callback: MessageCallback): void;
  }

  export interface ClientExtension {
    incoming?(message: BayeuxMessage, callback: MessageCallback): void;
    outgoing?(message: BayeuxMessage, callback: MessageCallback): void;
  }

  /** What faye's engine proxy (src/engines/proxy.js) offers the engine it wraps. */
  export interface EngineProxy {
    /** Seconds a /meta/connect is held. */
    readonly timeout: number;
    readonly interval: number;
    hasConnection(clientId: string): boolean;
    deliver(clientId: string, messages: BayeuxMessage[]): boolean;
    trigger(event: string, ...args: unknown[]): void;
  }

  /** The engine contract faye's memory engine implements (src/engines/memory.js). */
  export interface Engine {
    createClient(callback: (clientId: string) => void, context?: unknown): void;
    destroyClient(clientId: string, callback?: () => void, context?: unknown): void;
    clientExists(clientId: string, callback: (exists: boolean) => void, context?: unknown): void;
    ping(clientId: string): void;
    subscribe(clientId: string, channel: string, callback?: (subscribed: boolean) => void, context?: unknown): void;
    unsubscribe(clientId: string, channel: string, callback?: (unsubscribed: boolean) => void, context?: unknown): void;
    publish(message: BayeuxMessage, channels: string[]): void;
    emptyQueue(clientId: string): void;
    disconnect(): void;
  }

  export interface EngineType {
    create(proxy: EngineProxy, options: unknown): Engine;
  }

  export interface NodeAdapterOptions {
    mount?: string;
    /** Seconds a /meta/connect is held open. */
    timeout?: number;
    engine?: { type?: EngineType; interval?: number };
  }

  class NodeAdapter {
    constructor(options?: NodeAdapterOptions);
    addExtension(extension: ServerExtension): void;
    removeExtension(extension: ServerExtension): void;
    /** Serves one HTTP request addressed to the Bayeux endpoint. */
    handle(request: IncomingMessage, response: ServerResponse): void;
    close(): void;
  }

  export default NodeAdapter;
}
