import { Client } from '@hubspot/api-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiError, manualClock, startSandbox, type Started } from './support.js';

const REDIRECT = 'http://127.0.0.1:9/oauth/hubspot/callback';
const SCOPES = ['oauth', 'crm.objects.contacts.read', 'crm.objects.contacts.write'];

describe('HubSpot simulator: OAuth install, tokens, expiry and refresh', () => {
  const clock = manualClock();
  let s: Started;

  beforeEach(async () => {
    clock.set(Date.parse('2026-03-02T09:00:00.000Z'));
    s = await startSandbox({ now: clock.now, tokenTtlSeconds: 1800, rateLimits: { enabled: false } });
  });
  afterEach(async () => {
    await s.sandbox.close();
  });

  /** Walks the consent page like a browser: read the form, post it back, follow nothing. */
  async function approve(state: string): Promise<URL> {
    const page = await fetch(s.sandbox.authorizeUrl(REDIRECT, SCOPES, state));
    expect(page.status).toBe(200);
    const html = await page.text();
    const form = new URLSearchParams();
    for (const match of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
      form.set(match[1] ?? '', (match[2] ?? '').replace(/&amp;/g, '&'));
    }
    form.set('decision', 'approve');
    const answer = await fetch(new URL('/oauth/authorize', s.sandbox.baseUrl), { method: 'POST', body: form, redirect: 'manual' });
    expect(answer.status).toBe(302);
    return new URL(answer.headers.get('location') ?? '');
  }

  it('renders an accessible consent page naming the app, portal and scopes', async () => {
    const page = await fetch(s.sandbox.authorizeUrl(REDIRECT, SCOPES, 'xyz'));
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await page.text();
    expect(html).toMatch(/<html lang="en">/);
    expect(html).toContain(`portal ${s.sandbox.portalId}`);
    expect(html).toContain('<h2 id="required-scopes">Requested permissions</h2>');
    expect(html).toContain('<ul aria-labelledby="required-scopes">');
    for (const scope of SCOPES) expect(html).toContain(`<code>${scope}</code>`);
    expect(html).toMatch(/<button type="submit" name="decision" value="approve">Approve<\/button>/);
    expect(html).toMatch(/<form method="post" action="authorize">/);
  });

  it('refuses an unknown client_id and a bad redirect_uri with an error page', async () => {
    const unknown = await fetch(`${s.sandbox.baseUrl}/oauth/authorize?client_id=nope&redirect_uri=${encodeURIComponent(REDIRECT)}&scope=oauth`);
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('role="alert"');
    const badRedirect = await fetch(`${s.sandbox.baseUrl}/oauth/authorize?client_id=test-client-id&redirect_uri=ftp%3A%2F%2Fx&scope=oauth`);
    expect(badRedirect.status).toBe(400);
  });

  it('redirects with code and state on approve, exchanges the code, and the token works with the client', async () => {
    const back = await approve('st-1');
    expect(back.origin + back.pathname).toBe(REDIRECT);
    expect(back.searchParams.get('state')).toBe('st-1');
    const code = back.searchParams.get('code') ?? '';
    const oauthClient = new Client({ basePath: s.sandbox.baseUrl });
    const tokens = await oauthClient.oauth.tokensApi.create('authorization_code', code, REDIRECT, s.sandbox.clientId, s.sandbox.clientSecret);
    expect(tokens.expiresIn).toBe(1800);
    expect(tokens.tokenType).toBe('bearer');
    expect(tokens.accessToken.split('.')).toHaveLength(1);
    expect(tokens.refreshToken).toMatch(/^[0-9a-f-]{36}$/);

    const reused = await apiError(() => oauthClient.oauth.tokensApi.create('authorization_code', code, REDIRECT, s.sandbox.clientId, s.sandbox.clientSecret));
    expect(reused.code).toBe(400);
    expect(reused.body.status).toBe('BAD_AUTH_CODE');

    const info = await oauthClient.oauth.accessTokensApi.get(tokens.accessToken);
    expect(info).toMatchObject({ hubId: s.sandbox.portalId, appId: s.sandbox.appId, expiresIn: 1800, scopes: SCOPES, tokenType: 'access' });
    const refreshInfo = await oauthClient.oauth.refreshTokensApi.get(tokens.refreshToken);
    expect(refreshInfo).toMatchObject({ clientId: s.sandbox.clientId, hubId: s.sandbox.portalId, tokenType: 'refresh' });

    const app = new Client({ accessToken: tokens.accessToken, basePath: s.sandbox.baseUrl });
    const contact = await app.crm.contacts.basicApi.create({ properties: { email: 'oauth@example.com' }, associations: [] });
    const history = s.sandbox.store.get('contacts', contact.id, { propertiesWithHistory: ['email'] });
    expect(history?.propertiesWithHistory?.email?.[0]).toMatchObject({ sourceType: 'INTEGRATION', sourceId: String(s.sandbox.appId) });
  });

  it('sends the user back with error=access_denied on deny', async () => {
    const form = new URLSearchParams({ client_id: s.sandbox.clientId, redirect_uri: REDIRECT, scope: 'oauth', state: 's', decision: 'deny' });
    const answer = await fetch(new URL('/oauth/authorize', s.sandbox.baseUrl), { method: 'POST', body: form, redirect: 'manual' });
    const back = new URL(answer.headers.get('location') ?? '');
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('code')).toBeNull();
  });

  it('answers 401 EXPIRED_AUTHENTICATION after the ttl, and the client refreshes to a working token', async () => {
    const tokens = s.sandbox.issueOAuthTokens(SCOPES);
    const app = new Client({ accessToken: tokens.access_token, basePath: s.sandbox.baseUrl });
    await expect(app.crm.contacts.basicApi.getPage()).resolves.toBeDefined();
    clock.advance(1800_000 + 7000);
    const expired = await apiError(() => app.crm.contacts.basicApi.getPage());
    expect(expired.code).toBe(401);
    expect(expired.body).toMatchObject({ status: 'error', category: 'EXPIRED_AUTHENTICATION', message: 'The OAuth token used to make this call expired 7 second(s) ago.' });
    expect(expired.headers['content-type']).toMatch(/^application\/json/);

    const refreshed = await app.oauth.tokensApi.create('refresh_token', undefined, undefined, s.sandbox.clientId, s.sandbox.clientSecret, tokens.refresh_token);
    expect(refreshed.refreshToken).toBe(tokens.refresh_token);
    app.setAccessToken(refreshed.accessToken);
    await expect(app.crm.contacts.basicApi.getPage()).resolves.toBeDefined();
  });

  it('answers 401 INVALID_AUTHENTICATION for a wrong or missing token', async () => {
    const wrong = new Client({ accessToken: 'CNnot-a-real-token', basePath: s.sandbox.baseUrl });
    const error = await apiError(() => wrong.crm.contacts.basicApi.getPage());
    expect(error.code).toBe(401);
    expect(error.body.category).toBe('INVALID_AUTHENTICATION');
    expect(String(error.body.message)).toMatch(/^Authentication credentials not found/);
    const none = await fetch(`${s.sandbox.baseUrl}/crm/v3/objects/contacts`);
    expect(none.status).toBe(401);
  });

  it('answers 403 MISSING_SCOPES when the token lacks the scope', async () => {
    const tokens = s.sandbox.issueOAuthTokens(['oauth', 'crm.objects.contacts.read']);
    const app = new Client({ accessToken: tokens.access_token, basePath: s.sandbox.baseUrl });
    await expect(app.crm.contacts.basicApi.getPage()).resolves.toBeDefined();
    const error = await apiError(() => app.crm.contacts.basicApi.create({ properties: { email: 'z@example.com' }, associations: [] }));
    expect(error.code).toBe(403);
    expect(error.body).toMatchObject({ category: 'MISSING_SCOPES', errors: [{ context: { requiredGranularScopes: ['crm.objects.contacts.write'] } }] });
    expect((await apiError(() => app.crm.companies.basicApi.getPage())).code).toBe(403);
  });

  it('refuses bad client credentials and deleted refresh tokens', async () => {
    const tokens = s.sandbox.issueOAuthTokens(SCOPES);
    const oauthClient = new Client({ basePath: s.sandbox.baseUrl });
    const badSecret = await apiError(() => oauthClient.oauth.tokensApi.create('refresh_token', undefined, undefined, s.sandbox.clientId, 'wrong-secret', tokens.refresh_token));
    expect(badSecret.code).toBe(400);
    expect(badSecret.body.status).toBe('BAD_CLIENT_SECRET');
    await oauthClient.oauth.refreshTokensApi.archive(tokens.refresh_token);
    const gone = await apiError(() => oauthClient.oauth.tokensApi.create('refresh_token', undefined, undefined, s.sandbox.clientId, s.sandbox.clientSecret, tokens.refresh_token));
    expect(gone.body).toMatchObject({ status: 'BAD_REFRESH_TOKEN', error: 'invalid_grant' });
    expect((await apiError(() => oauthClient.oauth.refreshTokensApi.get(tokens.refresh_token))).code).toBe(404);
  });

  it('never expires the private-app token', async () => {
    clock.advance(400 * 86_400_000);
    await expect(s.client.crm.contacts.basicApi.getPage()).resolves.toBeDefined();
  });
});
