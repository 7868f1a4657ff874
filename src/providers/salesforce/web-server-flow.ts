/**
 * Salesforce's OAuth 2.0 web server flow with PKCE, through jsforce's OAuth2: the authorize URL (with
 * the S256 challenge of a verifier revloop keeps) and the code exchange (with the verifier), whose
 * answer names the org and user in its identity URL.
 */
import { createHash, randomBytes } from 'node:crypto';
import jsforce, { type OAuth2 } from 'jsforce';
import { z } from 'zod';
import { RevloopError } from '../../platform/errors.js';

export interface SalesforceApp {
  loginUrl: string;
  clientId: string;
  clientSecret?: string | undefined;
  redirectUri: string;
}

/** What revloop asks for: the REST API, the identity service, and a refresh token to stay connected. */
export const SALESFORCE_SCOPES = ['api', 'id', 'refresh_token'] as const;

export function newCodeVerifier(): string {
  return randomBytes(48).toString('base64url');
}

export function codeChallenge(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

function oauth2(app: SalesforceApp): OAuth2 {
  return new jsforce.OAuth2({ loginUrl: app.loginUrl.replace(/\/+$/, ''), clientId: app.clientId, ...(app.clientSecret ? { clientSecret: app.clientSecret } : {}), redirectUri: app.redirectUri });
}

export function salesforceAuthorizeUrl(app: SalesforceApp, state: string, verifier: string): string {
  return oauth2(app).getAuthorizationUrl({ scope: SALESFORCE_SCOPES.join(' '), state, code_challenge: codeChallenge(verifier), code_challenge_method: 'S256' });
}

const tokenSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  instance_url: z.string().url(),
  id: z.string().url(),
});

export interface SalesforceGrant {
  accessToken: string;
  refreshToken: string | undefined;
  instanceUrl: string;
  orgId: string;
  userId: string;
}

export async function exchangeSalesforceCode(app: SalesforceApp, code: string, verifier: string): Promise<SalesforceGrant> {
  let raw: unknown;
  try {
    raw = await oauth2(app).requestToken(code, { code_verifier: verifier });
  } catch (err) {
    const e = err as { name?: string; message?: string };
    throw new RevloopError('AUTH_REVOKED', `Salesforce refused the authorization code: ${e.message ?? e.name ?? 'unknown error'}; start the install again`, { cause: err });
  }
  const parsed = tokenSchema.safeParse(raw);
  if (!parsed.success) throw new RevloopError('UPSTREAM_UNAVAILABLE', `Salesforce's token answer is not what revloop expects (${parsed.error.issues.map((i) => i.path.join('.')).join(', ')})`);
  const parts = new URL(parsed.data.id).pathname.split('/').filter(Boolean);
  const userId = parts.at(-1) ?? '';
  const orgId = parts.at(-2) ?? '';
  return { accessToken: parsed.data.access_token, refreshToken: parsed.data.refresh_token, instanceUrl: parsed.data.instance_url.replace(/\/+$/, ''), orgId, userId };
}
