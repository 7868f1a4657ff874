/** Salesforce's OAuth JWT bearer flow: a server-to-server session for an integration user. */
import { importPKCS8, SignJWT } from 'jose';
import { RevloopError } from '../../platform/errors.js';

export interface JwtBearerConfig {
  loginUrl: string;
  clientId: string;
  username: string;
  privateKeyPem: string;
}

export async function jwtBearerToken(config: JwtBearerConfig, now = Date.now()): Promise<{ accessToken: string; instanceUrl: string }> {
  const key = await importPKCS8(config.privateKeyPem, 'RS256');
  const assertion = await new SignJWT({})
    .setProtectedHeader({ alg: 'RS256' })
    .setIssuer(config.clientId)
    .setSubject(config.username)
    .setAudience(config.loginUrl.replace(/\/+$/, ''))
    .setExpirationTime(Math.floor(now / 1000) + 180)
    .sign(key);
  const response = await fetch(`${config.loginUrl.replace(/\/+$/, '')}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }),
  });
  const body = (await response.json().catch(() => ({}))) as { access_token?: string; instance_url?: string; error?: string; error_description?: string };
  if (!response.ok || !body.access_token || !body.instance_url) {
    throw new RevloopError('AUTH_REVOKED', `Salesforce refused the JWT bearer assertion for ${config.username}: ${body.error_description ?? body.error ?? `HTTP ${response.status}`}`);
  }
  return { accessToken: body.access_token, instanceUrl: body.instance_url.replace(/\/+$/, '') };
}
