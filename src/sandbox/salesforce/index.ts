/**
 * The Salesforce API simulator of the revloop sandbox. The real `jsforce` talks to it unmodified: give it
 * `instanceUrl` (= `loginUrl`, the server's origin) and `version`.
 *
 *   const sf = await startSalesforceSandbox();
 *   const conn = new Connection({ instanceUrl: sf.instanceUrl, accessToken: sf.accessToken, version: sf.version });
 *
 * `sandbox.store` is the in-memory org itself, usable without HTTP (generator, activity driver, tests).
 */
import type { Server } from 'node:http';
import type { Express } from 'express';
import type { CallCounter } from '../common/call-counter.js';
import type { FaultInjector } from '../common/faults.js';
import { listen } from '../common/listen.js';
import type { AccessCheck, Session, TokenStore } from './auth/token-store.js';
import { attachChangeDataCapture } from './cdc/change-data-capture.js';
import type { ChangeDataCapture } from './cdc/control-api.js';
import type { ApiUsage } from './http/api-usage.js';
import { createSalesforceApp, type SalesforceApp } from './http/app.js';
import { parseSandboxOptions, type SalesforceSandboxOptions } from './options.js';
import type { SalesforceStore } from './store/salesforce-store.js';

export interface SalesforceSandbox {
  /** The server's origin, no trailing slash: jsforce's instanceUrl. */
  instanceUrl: string;
  /** Same origin: OAuth and the identity service live there too. */
  loginUrl: string;
  /** Default API version, '62.0'. */
  version: string;
  /** 18-character org id. */
  orgId: string;
  /** Long-lived session of the integration user (does not expire). */
  accessToken: string;
  clientId: string;
  clientSecret: string;
  integrationUserId: string;
  store: SalesforceStore;
  counter: CallCounter;
  faults: FaultInjector;
  /** The daily API allocation (`reset()`, `setLimit(n)`, `used()`). */
  limits: ApiUsage;
  tokens: TokenStore;
  server: Server;
  app: Express;
  /** Change Data Capture (CometD at `/cometd/<version>`, control at `/__sandbox/cdc`); undefined when turned off. */
  cdc: ChangeDataCapture | undefined;
  /** The session behind an access token (undefined when unknown, revoked or expired). */
  verifyAccessToken(token: string): Session | undefined;
  /** The same check with the reason a token is refused: the `verify` hook of Change Data Capture's Bayeux handshake. */
  checkAccessToken(token: string): AccessCheck;
  /** Fields of an object computed from others (left out of change events). */
  derivedFields(entityName: string): string[];
  /** A fingerprint of an object's fields; changes when a field is added. */
  schemaFingerprint(entityName: string): string;
  /** Registers work to run on close() (e.g. closing a Bayeux adapter attached to `server`), before the server closes. */
  onClose(hook: () => void | Promise<void>): void;
  close(): Promise<void>;
}

export type { SalesforceSandboxOptions } from './options.js';
export type { SalesforceChange, SalesforceChangeType, ChangeListener } from './change-feed.js';
export { SalesforceStore, type SalesforceStoreOptions, type SaveResult, type QueryResultPage } from './store/salesforce-store.js';
export { parseId, toId18 } from './ids.js';
export type { WriteContext, WriteOrigin } from './store/write-context.js';
export type { LeadConvertRequest, LeadConvertResult } from './store/convert-lead.js';
export type { MergeResult } from './store/merge.js';
export type { CustomFieldInput, CustomFieldsConfig } from './schema/custom-field-input.js';
export type { SandboxUserInput } from './store/bootstrap.js';
export type { AccessCheck, Session } from './auth/token-store.js';
export { SalesforceApiError } from './errors.js';
export { createSalesforceApp, type SalesforceApp } from './http/app.js';
export { REVLOOP_CUSTOM_FIELDS, REVLOOP_LEAD_STATUSES } from './default-org.js';

export async function startSalesforceSandbox(options: SalesforceSandboxOptions = {}): Promise<SalesforceSandbox> {
  const resolved = parseSandboxOptions(options);
  const built: SalesforceApp = createSalesforceApp(options);
  const listening = await listen(built.app, resolved.port, resolved.host);
  built.setOrigin(listening.baseUrl);
  const hooks: Array<() => void | Promise<void>> = [];
  let closed: Promise<void> | undefined;
  const sandbox: SalesforceSandbox = {
    instanceUrl: listening.baseUrl,
    loginUrl: listening.baseUrl,
    version: built.version,
    orgId: built.store.orgId,
    accessToken: built.accessToken,
    clientId: built.connectedApp.clientId,
    clientSecret: built.connectedApp.clientSecret,
    integrationUserId: built.store.integrationUserId,
    store: built.store,
    counter: built.counter,
    faults: built.faults,
    limits: built.usage,
    tokens: built.tokens,
    server: listening.server,
    app: built.app,
    cdc: undefined,
    verifyAccessToken: built.verifyAccessToken,
    checkAccessToken: (token) => built.tokens.check(token),
    derivedFields: (entityName) => built.store.derivedFields(entityName),
    schemaFingerprint: (entityName) => built.store.schemaFingerprint(entityName),
    onClose: (hook) => {
      hooks.push(hook);
    },
    close: () => {
      closed ??= (async () => {
        for (const hook of hooks.reverse()) await hook();
        built.stop();
        await listening.close();
      })();
      return closed;
    },
  };
  sandbox.cdc = resolved.changeDataCapture === false ? undefined : attachChangeDataCapture(sandbox, resolved.changeDataCapture);
  return sandbox;
}
