/**
 * The HubSpot API simulator: an in-memory portal that the official `@hubspot/api-client` talks to
 * unmodified with only `basePath` changed. See docs/sandbox-hubspot.md.
 *
 *   const sandbox = await startHubSpotSandbox({ webhooks: { targetUrl } });
 *   const client = new Client({ accessToken: sandbox.accessToken, basePath: sandbox.baseUrl });
 *   ...
 *   await sandbox.close();
 */
import { listen } from '../common/listen.js';
import type { CallCounter } from '../common/call-counter.js';
import type { FaultInjector } from '../common/faults.js';
import { createHubSpotApp, type HubSpotApp } from './app.js';
import type { RateLimiter } from './http/rate-limiter.js';
import type { OAuthServer, TokenResponse } from './oauth/oauth-server.js';
import type { HubSpotSandboxOptions } from './options.js';
import type { HubSpotStore } from './store/hubspot-store.js';
import type { WebhookDispatcher } from './webhooks/webhook-dispatcher.js';

export interface HubSpotSandbox {
  /** No trailing slash: pass it as the client's `basePath`. */
  baseUrl: string;
  port: number;
  portalId: number;
  appId: number;
  privateAppId: number;
  clientId: string;
  clientSecret: string;
  /** The private-app token (never expires; its own rate-limit tier). */
  accessToken: string;
  store: HubSpotStore;
  counter: CallCounter;
  faults: FaultInjector;
  webhooks: WebhookDispatcher;
  oauth: OAuthServer;
  rateLimits: RateLimiter;
  /** The consent page URL for an install (the client's getAuthorizationUrl always points at app.hubspot.com). */
  authorizeUrl(redirectUri: string, scopes: readonly string[], state?: string): string;
  /** Mints an OAuth token pair without the browser step (tests, tools). */
  issueOAuthTokens(scopes?: readonly string[]): TokenResponse;
  close(): Promise<void>;
}

export async function startHubSpotSandbox(options: HubSpotSandboxOptions = {}): Promise<HubSpotSandbox> {
  const parts: HubSpotApp = createHubSpotApp(options);
  const { settings } = parts;
  const listening = await listen(parts.app, settings.port, settings.host);
  return {
    baseUrl: listening.baseUrl,
    port: listening.port,
    portalId: settings.portalId,
    appId: settings.appId,
    privateAppId: settings.privateAppId,
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    accessToken: settings.privateAppToken,
    store: parts.store,
    counter: parts.counter,
    faults: parts.faults,
    webhooks: parts.webhooks,
    oauth: parts.oauth,
    rateLimits: parts.rateLimits,
    authorizeUrl(redirectUri, scopes, state) {
      const url = new URL('/oauth/authorize', listening.baseUrl);
      url.searchParams.set('client_id', settings.clientId);
      url.searchParams.set('redirect_uri', redirectUri);
      url.searchParams.set('scope', scopes.join(' '));
      if (state !== undefined) url.searchParams.set('state', state);
      return url.toString();
    },
    issueOAuthTokens: (scopes) => parts.oauth.issueTokens(scopes),
    async close() {
      parts.webhooks.close();
      await listening.close();
    },
  };
}

export { createHubSpotApp, type HubSpotApp } from './app.js';
export type { HubSpotSandboxOptions, HubSpotRateLimitOptions } from './options.js';
export { HubSpotStore } from './store/hubspot-store.js';
export type {
  AssociationInput,
  Associated,
  CreateInput,
  HubSpotStoreOptions,
  ListOptions,
  ListPage,
  SearchInput,
  SearchResult,
} from './store/hubspot-store.js';
export type { Actor, ActorSource } from './store/actors.js';
export type { StoredObject, ReadOptions, PropertyHistoryEntry } from './store/record-reader.js';
export type { WriteOptions } from './store/record-writer.js';
export type { StoreEvent, StoreEventKind } from './store/store-events.js';
export { ConflictError, InvalidRequestError, NotFoundError, PropertyValuesError, StoreError } from './store/store-errors.js';
export type { PropertyValueError } from './store/store-errors.js';
export { OBJECT_TYPES, OBJECT_TYPE_INFO, resolveObjectType, type ObjectTypeName } from './store/object-types.js';
export { ASSOCIATION_TYPES } from './store/association-types.js';
export type { PropertyDefinition, PropertyDefinitionInput, PropertyGroup } from './store/property-definitions.js';
export type { Owner, OwnerInput } from './store/owners.js';
export type { Pipeline, PipelineInput } from './store/pipelines.js';
export type { WebhookConfig, WebhookConfigInput, WebhookSubscriptionInput } from './webhooks/webhook-config.js';
export type { DeliveryRecord, WebhookStats } from './webhooks/webhook-dispatcher.js';
export type { TokenResponse } from './oauth/oauth-server.js';
export { signatureV1, signatureV3, uriForSignature } from './webhooks/signature.js';
