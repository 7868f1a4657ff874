/** Options of the HubSpot simulator, checked with zod where they cross a boundary (CLI, config). */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { FaultConfigInput } from '../common/faults.js';
import type { HubSpotStore } from './store/hubspot-store.js';
import type { OwnerInput } from './store/owners.js';
import type { WebhookConfigInput } from './webhooks/webhook-config.js';

export interface HubSpotRateLimitOptions {
  /** Calls per ten seconds for an OAuth app (HubSpot: 110). */
  tenSecondMax?: number;
  /** Calls per ten seconds for the private app (HubSpot: 190 on Professional/Enterprise). */
  privateAppTenSecondMax?: number;
  /** Searches per second per account (HubSpot: 5). */
  searchPerSecond?: number;
  /** Calls per day for the private app (HubSpot: 650,000 on Professional). */
  dailyMax?: number;
  /** false turns every limit (and the rate-limit headers) off, for benchmarks of the simulator itself. */
  enabled?: boolean;
}

export interface HubSpotSandboxOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  host?: string;
  /** The clock (epoch ms) for every stamp, token expiry and rate window. */
  now?: () => number;
  portalId?: number;
  /** The OAuth (public) app's id. */
  appId?: number;
  /** The private app's id (sourceId of its writes). */
  privateAppId?: number;
  appName?: string;
  clientId?: string;
  clientSecret?: string;
  privateAppToken?: string;
  /** Access token lifetime (HubSpot: 1800 s). */
  tokenTtlSeconds?: number;
  rateLimits?: HubSpotRateLimitOptions;
  webhooks?: WebhookConfigInput;
  faults?: FaultConfigInput;
  /** Owners to seed instead of the default team (ignored when `store` is given). */
  owners?: OwnerInput[];
  /** Serve an existing store (e.g. one the data generator filled). */
  store?: HubSpotStore;
}

const settingsSchema = z.strictObject({
  port: z.number().int().min(0).max(65535).default(0),
  host: z.string().min(1).default('127.0.0.1'),
  portalId: z.number().int().positive().default(62515),
  appId: z.number().int().positive().default(54321),
  privateAppId: z.number().int().positive().default(54322),
  appName: z.string().min(1).default('revloop'),
  clientId: z.string().min(1).optional(),
  clientSecret: z.string().min(8).optional(),
  privateAppToken: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'privateAppToken must be an opaque token (letters, digits, - and _)')
    .optional(),
  tokenTtlSeconds: z.number().int().min(1).max(86_400).default(1800),
  rateLimits: z
    .strictObject({
      tenSecondMax: z.number().int().min(1).default(110),
      privateAppTenSecondMax: z.number().int().min(1).default(190),
      searchPerSecond: z.number().int().min(1).default(5),
      dailyMax: z.number().int().min(1).default(650_000),
      enabled: z.boolean().default(true),
    })
    .default({ tenSecondMax: 110, privateAppTenSecondMax: 190, searchPerSecond: 5, dailyMax: 650_000, enabled: true }),
});

export type HubSpotSettings = Omit<z.infer<typeof settingsSchema>, 'clientId' | 'clientSecret' | 'privateAppToken'> & {
  clientId: string;
  clientSecret: string;
  privateAppToken: string;
};

/** Validates the plain options and fills defaults (fresh random credentials when not given). */
export function resolveSettings(options: HubSpotSandboxOptions): HubSpotSettings {
  const parsed = settingsSchema.parse({
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.host !== undefined ? { host: options.host } : {}),
    ...(options.portalId !== undefined ? { portalId: options.portalId } : {}),
    ...(options.appId !== undefined ? { appId: options.appId } : {}),
    ...(options.privateAppId !== undefined ? { privateAppId: options.privateAppId } : {}),
    ...(options.appName !== undefined ? { appName: options.appName } : {}),
    ...(options.clientId !== undefined ? { clientId: options.clientId } : {}),
    ...(options.clientSecret !== undefined ? { clientSecret: options.clientSecret } : {}),
    ...(options.privateAppToken !== undefined ? { privateAppToken: options.privateAppToken } : {}),
    ...(options.tokenTtlSeconds !== undefined ? { tokenTtlSeconds: options.tokenTtlSeconds } : {}),
    ...(options.rateLimits !== undefined ? { rateLimits: options.rateLimits } : {}),
  });
  return {
    ...parsed,
    clientId: parsed.clientId ?? randomUUID(),
    clientSecret: parsed.clientSecret ?? randomUUID(),
    privateAppToken: parsed.privateAppToken ?? `pat-na1-${randomUUID()}`,
  };
}
