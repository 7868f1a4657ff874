/** Everything the server's routes are built from (createApp's dependencies). */
import type { HubSpotWebhookReceiver } from '../capture/hubspot/webhook-receiver.js';
import type { AdminDeps } from '../admin/admin-deps.js';
import type { Installer } from '../admin/install/installer.js';
import type { RevloopMetrics } from '../platform/metrics.js';
import type { SecretBox } from '../platform/secret-box.js';
import type { AccessTokenStore } from '../state/access-tokens.js';
import type { InstallSessions } from '../state/install-sessions.js';

export interface OAuthApps {
  hubspot?: { clientId: string; clientSecret: string; appId?: number | undefined; baseUrl: string; authorizeUrl: string } | undefined;
  salesforce?: { clientId: string; clientSecret?: string | undefined; loginUrl: string; version: string } | undefined;
  /** Server to server: the JWT bearer key of the connected app (PEM text or a path). */
  salesforceJwt?: { clientId: string; privateKey: string; loginUrl: string; version: string } | undefined;
}

export interface ServerDeps extends AdminDeps {
  webhooks: HubSpotWebhookReceiver;
  /** The URL users and the vendors reach this server at (derived from the request when unset). */
  publicUrl?: string | undefined;
  adminToken?: string | undefined;
  readonlyToken?: string | undefined;
  accessTokens: AccessTokenStore;
  installs: InstallSessions;
  installer: Installer;
  apps: OAuthApps;
  box: SecretBox;
  /** Signs CSRF tokens (derived from the encryption key). */
  csrfSecret: string;
  metrics: RevloopMetrics;
  /** The mappings directory of connections that name none. */
  defaultMappingsDir: string;
  /** Limits requests to public endpoints per client (off in some tests). */
  rateLimits?: { enabled: boolean; perMinute?: number };
  /** Builds the KPI report of a connection (issue 7's buildReport), when available. */
  reports?: ReportBuilder | undefined;
}

export type ReportKind = 'funnel' | 'campaigns' | 'sla' | 'velocity' | 'reasons';
export type ReportBuilder = (connectionId: string, kind: ReportKind, range: { from?: number; to?: number; mode?: 'event' | 'cohort' }) => Promise<unknown>;
