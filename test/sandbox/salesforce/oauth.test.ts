/**
 * OAuth 2.0 flows against the sandbox: web-server flow with PKCE through the authorize form (plain HTTP, as a
 * browser would), automatic refresh by jsforce when the token expires, JWT bearer with a key pair made here by jose,
 * client credentials, revoke, userinfo and the identity URL.
 */
import { exportSPKI, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import jsforce from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSalesforceSandbox, type SalesforceSandbox } from '../../../src/sandbox/salesforce/index.js';

const REDIRECT = 'http://localhost:3999/oauth/salesforce/callback';
const SESSION_ID = /^00D[0-9A-Za-z]{12}![0-9A-Za-z._]+$/;

/** Approves (or denies) the authorize form as a user would, returning the redirect target. */
async function throughAuthorizeForm(url: string, decision: 'approve' | 'deny', username = 'admin@revloop.sandbox'): Promise<URL> {
  const page = await fetch(url);
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toMatch(/^text\/html/);
  const html = await page.text();
  expect(html).toMatch(/<html lang="en">/);
  expect(html).toMatch(/<label for="username">Log in as<\/label>/);
  expect(html).toMatch(/<button type="submit" name="decision" value="approve">Approve<\/button>/);
  const requestId = /name="request" value="([^"]+)"/.exec(html)?.[1] ?? '';
  const answer = await fetch(new URL('/services/oauth2/authorize', url), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ request: requestId, username, decision }).toString(),
  });
  expect(answer.status).toBe(302);
  return new URL(answer.headers.get('location') ?? '');
}

describe('OAuth 2.0', () => {
  const clock = { now: Date.parse('2026-03-02T09:00:00.000Z') };
  let sf: SalesforceSandbox;
  let jwtSigner: CryptoKey;

  beforeAll(async () => {
    const keys = await generateKeyPair('RS256', { extractable: true });
    jwtSigner = keys.privateKey;
    sf = await startSalesforceSandbox({
      now: () => clock.now,
      tokenTtlSeconds: 600,
      clientId: '3MVG9sandboxClientIdForTests',
      clientSecret: 'sandbox-secret-for-tests',
      redirectUris: [REDIRECT],
      jwtPublicKeyPem: await exportSPKI(keys.publicKey),
    });
  });
  afterAll(async () => {
    await sf.close();
  });

  it('runs the web-server flow with PKCE through the authorize form, and jsforce refreshes an expired token', async () => {
    const oauth2 = new jsforce.OAuth2({ loginUrl: sf.loginUrl, clientId: sf.clientId, redirectUri: REDIRECT, useVerifier: true });
    const target = await throughAuthorizeForm(oauth2.getAuthorizationUrl({ state: 'st-1', scope: 'api refresh_token' }), 'approve');
    expect(`${target.origin}${target.pathname}`).toBe(REDIRECT);
    expect(target.searchParams.get('state')).toBe('st-1');
    const code = target.searchParams.get('code') ?? '';
    const conn = new jsforce.Connection({ oauth2, version: sf.version });
    const user = await conn.authorize(code);
    expect(user).toMatchObject({ organizationId: sf.orgId, id: sf.store.adminUserId });
    expect(conn.instanceUrl).toBe(sf.instanceUrl);
    expect(conn.accessToken).toMatch(SESSION_ID);
    expect(conn.refreshToken).toMatch(/^5Aep861/);
    const firstToken = conn.accessToken;

    const refreshed: string[] = [];
    conn.on('refresh', (token: string) => refreshed.push(token));
    clock.now += 601_000;
    const result = await conn.query('SELECT Id FROM User');
    expect(result.totalSize).toBeGreaterThan(0);
    expect(refreshed).toHaveLength(1);
    expect(conn.accessToken).not.toBe(firstToken);
    // A code is single-use.
    await expect(conn.authorize(code)).rejects.toMatchObject({ name: 'invalid_grant', message: 'invalid authorization code' });
  });

  it('checks the PKCE verifier and the redirect URI, and reports a denial', async () => {
    const oauth2 = new jsforce.OAuth2({ loginUrl: sf.loginUrl, clientId: sf.clientId, redirectUri: REDIRECT, useVerifier: true });
    const target = await throughAuthorizeForm(oauth2.getAuthorizationUrl({ state: 's' }), 'approve');
    const other = new jsforce.OAuth2({ loginUrl: sf.loginUrl, clientId: sf.clientId, redirectUri: REDIRECT, useVerifier: true });
    await expect(other.requestToken(target.searchParams.get('code') ?? '')).rejects.toMatchObject({ name: 'invalid_grant', message: 'invalid code verifier' });
    const denied = await throughAuthorizeForm(oauth2.getAuthorizationUrl({ state: 'd' }), 'deny');
    expect(denied.searchParams.get('error')).toBe('access_denied');
    expect(denied.searchParams.get('state')).toBe('d');
    const mismatch = await fetch(`${sf.loginUrl}/services/oauth2/authorize?response_type=code&client_id=${sf.clientId}&redirect_uri=${encodeURIComponent('https://evil.example/cb')}`);
    expect(mismatch.status).toBe(400);
    expect(await mismatch.text()).toContain('redirect_uri must match configuration');
  });

  it('answers the code exchange in Salesforce shape: issued_at string, signature, id URL, no trailing slash', async () => {
    const oauth2 = new jsforce.OAuth2({ loginUrl: sf.loginUrl, clientId: sf.clientId, clientSecret: sf.clientSecret, redirectUri: REDIRECT });
    const target = await throughAuthorizeForm(oauth2.getAuthorizationUrl({}), 'approve', 'integration@revloop.sandbox');
    const body = (await oauth2.requestToken(target.searchParams.get('code') ?? '')) as unknown as Record<string, string>;
    expect(Object.keys(body)).toEqual(['access_token', 'refresh_token', 'signature', 'scope', 'instance_url', 'id', 'token_type', 'issued_at']);
    expect(body.instance_url).toBe(sf.instanceUrl);
    expect(body.instance_url?.endsWith('/')).toBe(false);
    expect(body.id).toBe(`${sf.loginUrl}/id/${sf.orgId}/${sf.integrationUserId}`);
    expect(body.issued_at).toBe(String(clock.now));
    const { createHmac } = await import('node:crypto');
    expect(body.signature).toBe(createHmac('sha256', sf.clientSecret).update(`${body.id}${body.issued_at}`).digest('base64'));
    await expect(
      new jsforce.OAuth2({ loginUrl: sf.loginUrl, clientId: sf.clientId, clientSecret: 'wrong-secret', redirectUri: REDIRECT }).requestToken('x'),
    ).rejects.toMatchObject({ name: 'invalid_grant' });
    await expect(new jsforce.OAuth2({ loginUrl: sf.loginUrl, clientId: sf.clientId }).requestToken({ grant_type: 'password' })).rejects.toMatchObject({
      name: 'unsupported_grant_type',
    });
  });

  it('accepts an RS256 JWT bearer assertion signed by the app key, and refuses bad ones as Salesforce does', async () => {
    const seconds = Math.floor(clock.now / 1000);
    const assertion = (claims: { aud?: string; sub?: string; exp?: number }, key: CryptoKey = jwtSigner): Promise<string> =>
      new SignJWT({})
        .setProtectedHeader({ alg: 'RS256' })
        .setIssuer(sf.clientId)
        .setSubject(claims.sub ?? 'integration@revloop.sandbox')
        .setAudience(claims.aud ?? sf.loginUrl)
        .setExpirationTime(claims.exp ?? seconds + 180)
        .sign(key);
    const conn = new jsforce.Connection({ oauth2: { loginUrl: sf.loginUrl, clientId: sf.clientId }, version: sf.version });
    const user = await conn.authorize({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: await assertion({}) });
    expect(user.id).toBe(sf.integrationUserId);
    expect(conn.refreshToken).toBeUndefined();
    expect((await conn.identity()).username).toBe('integration@revloop.sandbox');
    const grant = (a: string) => conn.authorize({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: a });
    await expect(grant(await assertion({ aud: 'https://login.salesforce.com' }))).rejects.toMatchObject({ name: 'invalid_grant', message: 'audience is invalid' });
    await expect(grant(await assertion({ exp: seconds - 10 }))).rejects.toMatchObject({ message: 'expired authorization code' });
    await expect(grant(await assertion({ sub: 'nobody@example.com' }))).rejects.toMatchObject({ message: "user hasn't approved this consumer" });
    const stranger = await generateKeyPair('RS256');
    await expect(grant(await assertion({}, stranger.privateKey))).rejects.toMatchObject({ name: 'invalid_grant', message: 'invalid assertion' });
  });

  it('issues a token for client credentials and revokes tokens', async () => {
    const conn = new jsforce.Connection({ oauth2: { loginUrl: sf.loginUrl, clientId: sf.clientId, clientSecret: sf.clientSecret }, version: sf.version });
    const user = await conn.authorize({ grant_type: 'client_credentials' });
    expect(user.id).toBe(sf.integrationUserId);
    expect(conn.accessToken).toMatch(SESSION_ID);
    expect((await conn.query('SELECT COUNT() FROM Lead')).totalSize).toBe(0);
    await conn.oauth2.revokeToken(conn.accessToken as string);
    const res = await fetch(`${sf.instanceUrl}/services/data/v62.0/limits`, { headers: { Authorization: `Bearer ${conn.accessToken}` } });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
    expect(sf.checkAccessToken(conn.accessToken as string)).toEqual({ valid: false, reason: 'revoked' });
    const again = await fetch(`${sf.loginUrl}/services/oauth2/revoke`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `token=${encodeURIComponent(conn.accessToken as string)}`,
    });
    expect(again.status).toBe(400);
    expect(await again.json()).toEqual({ error: 'invalid_token', error_description: 'invalid token' });
    await expect(
      new jsforce.Connection({ oauth2: { loginUrl: sf.loginUrl, clientId: sf.clientId, clientSecret: 'nope-nope' }, version: sf.version }).authorize({
        grant_type: 'client_credentials',
      }),
    ).rejects.toMatchObject({ name: 'invalid_client', message: 'invalid client credentials' });
  });

  it('serves userinfo and the identity URL for a valid token only', async () => {
    const info = await fetch(`${sf.loginUrl}/services/oauth2/userinfo`, { headers: { Authorization: `Bearer ${sf.accessToken}` } });
    expect(info.headers.get('content-type')).toBe('application/json;charset=UTF-8');
    expect(await info.json()).toMatchObject({ user_id: sf.integrationUserId, organization_id: sf.orgId, preferred_username: 'integration@revloop.sandbox' });
    const identity = await fetch(`${sf.loginUrl}/id/${sf.orgId}/${sf.integrationUserId}?format=json&oauth_token=${encodeURIComponent(sf.accessToken)}`);
    expect(await identity.json()).toMatchObject({ username: 'integration@revloop.sandbox', urls: { rest: `${sf.instanceUrl}/services/data/v{version}/` } });
    const refused = await fetch(`${sf.loginUrl}/services/oauth2/userinfo`, { headers: { Authorization: 'Bearer 00Dnope!AQnope' } });
    expect(refused.status).toBe(403);
  });
});
