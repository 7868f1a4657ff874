/**
 * HubSpot OAuth tokens of an installed app: the access token is refreshed ahead of its expiry (and
 * after a 401) with the refresh token, and every new pair is handed to `persist` before use.
 */
import { Client } from '@hubspot/api-client';
import { RevloopError } from '../../platform/errors.js';
import type { HubSpotAuth } from './hubspot-api.js';
import { classifyHubSpotError } from './errors.js';

export interface HubSpotTokens {
  accessToken: string;
  refreshToken: string;
  expiresAt: number;
}

export interface HubSpotApp {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
}

const EARLY_MS = 5 * 60_000;

export async function exchangeHubSpotToken(app: HubSpotApp, grant: { code: string; redirectUri: string } | { refreshToken: string }, now = Date.now()): Promise<HubSpotTokens & { hubId?: number }> {
  const client = new Client({ basePath: app.baseUrl.replace(/\/+$/, ''), numberOfApiCallRetries: 0 });
  try {
    const response =
      'code' in grant
        ? await client.oauth.tokensApi.create('authorization_code', grant.code, grant.redirectUri, app.clientId, app.clientSecret)
        : await client.oauth.tokensApi.create('refresh_token', undefined, undefined, app.clientId, app.clientSecret, grant.refreshToken);
    const body = response as unknown as { accessToken: string; refreshToken: string; expiresIn: number; hubId?: number };
    // The client's token model drops hub_id; for a new install the portal comes from the token's own info.
    const hubId = body.hubId ?? ('code' in grant ? (await client.oauth.accessTokensApi.get(body.accessToken)).hubId : undefined);
    return { accessToken: body.accessToken, refreshToken: body.refreshToken, expiresAt: now + body.expiresIn * 1000, ...(hubId !== undefined ? { hubId } : {}) };
  } catch (err) {
    const error = classifyHubSpotError(err, 'token');
    if (error.status === 400 || error.code === 'BAD_REQUEST' || error.code === 'UNAUTHORIZED') {
      throw new RevloopError('AUTH_REVOKED', `HubSpot refused the ${'code' in grant ? 'authorization code' : 'refresh token'}: ${error.message}. Reinstall revloop in the portal.`, { cause: err });
    }
    throw error;
  }
}

export function hubspotOAuthAuth(app: HubSpotApp, tokens: HubSpotTokens, persist: (tokens: HubSpotTokens) => Promise<void>, now: () => number = Date.now): HubSpotAuth {
  let current = tokens;
  let refreshing: Promise<string> | undefined;
  const refresh = async (): Promise<string> => {
    refreshing ??= (async () => {
      try {
        const next = await exchangeHubSpotToken(app, { refreshToken: current.refreshToken }, now());
        current = { accessToken: next.accessToken, refreshToken: next.refreshToken, expiresAt: next.expiresAt };
        await persist(current);
        return current.accessToken;
      } finally {
        refreshing = undefined;
      }
    })();
    return refreshing;
  };
  return {
    accessToken: async () => (current.expiresAt - EARLY_MS > now() ? current.accessToken : refresh()),
    refresh,
  };
}

/**
 * The scopes revloop's HubSpot app asks for: contacts, companies and deals (opportunity outcomes are
 * mirrored as deals) with their property settings, and owners.
 */
export const HUBSPOT_SCOPES = [
  'oauth',
  'crm.objects.contacts.read',
  'crm.objects.contacts.write',
  'crm.schemas.contacts.read',
  'crm.schemas.contacts.write',
  'crm.objects.companies.read',
  'crm.objects.companies.write',
  'crm.schemas.companies.read',
  'crm.schemas.companies.write',
  'crm.objects.deals.read',
  'crm.objects.deals.write',
  'crm.schemas.deals.read',
  'crm.schemas.deals.write',
  'crm.objects.owners.read',
] as const;

/**
 * The install link: HubSpot's authorize page (`authorizeUrl`, app.hubspot.com's in production) with
 * the app, the callback, the scopes and the state. Built here rather than with the client's
 * getAuthorizationUrl, whose host is fixed, so a sandbox portal can be installed the same way.
 */
export function hubspotAuthorizeUrl(authorizeUrl: string, clientId: string, redirectUri: string, state: string): string {
  const url = new URL(authorizeUrl);
  url.searchParams.set('client_id', clientId);
  url.searchParams.set('redirect_uri', redirectUri);
  url.searchParams.set('scope', HUBSPOT_SCOPES.join(' '));
  url.searchParams.set('state', state);
  return url.toString();
}
