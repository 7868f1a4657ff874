/** What Change Data Capture attaches to: a Salesforce sandbox, or the parts of one. */
import type { Server } from 'node:http';
import type { ChangeListener } from '../change-feed.js';
import type { AccessCheck, AccessVerifier } from './access.js';

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

/**
 * The Salesforce sandbox as startSalesforceSandbox() returns it (src/sandbox/salesforce/index.ts): CDC takes its
 * server, change feed, clock, token check and schema hooks, and closes with it.
 */
export interface SalesforceSandboxHooks {
  server: Server;
  version: string;
  store: ChangeSource & { now: () => number };
  checkAccessToken(token: string): AccessCheck;
  derivedFields(entityName: string): readonly string[];
  schemaFingerprint(entityName: string): string;
  onClose(hook: () => void | Promise<void>): void;
}
