/**
 * The install flows at the HTTP level against both simulators' real authorize endpoints: only a
 * signed-in admin starts one; the OAuth state is single use and bound to the browser that started
 * it; Salesforce's web server flow uses PKCE (S256); what the vendors return is stored sealed (the
 * portal, the org, the instance URL); a denial is explained; tokens are refreshed before they
 * expire (HubSpot) and after a 401 (Salesforce), and the new ones are stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretBox } from '../../../src/platform/secret-box.js';
import { ConnectionStore } from '../../../src/state/connection-store.js';
import { startAppHarness, type AppHarness } from '../../helpers/app-harness.js';

const KEY = Buffer.alloc(32, 9);
let h: AppHarness;

beforeAll(async () => {
  h = await startAppHarness({
    encryptionKey: KEY,
    // HubSpot tokens live 4 minutes here: inside the 5-minute margin, so each use refreshes first.
    hubspot: { tokenTtlSeconds: 240 },
    apps: (hs, sf) => ({
      hubspot: { clientId: hs.clientId, clientSecret: hs.clientSecret, appId: hs.appId, baseUrl: hs.baseUrl, authorizeUrl: `${hs.baseUrl}/oauth/authorize` },
      salesforce: { clientId: sf.clientId, clientSecret: sf.clientSecret, loginUrl: sf.loginUrl, version: sf.version },
    }),
  });
}, 90_000);
afterAll(async () => h?.close());

/** A browser: its cookie jar, and requests that never follow redirects. */
class Browser {
  private readonly jar = new Map<string, string>();

  async get(url: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.send(url, { method: 'GET', headers });
  }

  async post(url: string, form: Record<string, string>): Promise<Response> {
    return this.send(url, { method: 'POST', body: new URLSearchParams(form), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  }

  private async send(url: string, init: RequestInit): Promise<Response> {
    const sameOrigin = url.startsWith(h.url);
    const headers = new Headers(init.headers);
    if (sameOrigin && this.jar.size > 0) headers.set('cookie', [...this.jar].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    if (sameOrigin) for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair?.indexOf('=') ?? -1;
      if (pair && eq > 0) this.jar.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    return res;
  }

  async signIn(scope: 'admin' | 'read' = 'admin'): Promise<void> {
    await this.get(`${h.url}/login`);
    const res = await this.get(`${h.url}/login?code=${await h.stack.accessTokens.createLoginLink(scope)}`);
    expect(res.status).toBe(303);
  }
}

const location = (res: Response) => res.headers.get('location') ?? '';
const stored = () => new ConnectionStore(h.redis.redis, new SecretBox(KEY), h.redis.root).require('main');

async function approveHubSpot(authorizeUrl: string): Promise<string> {
  const u = new URL(authorizeUrl);
  const page = await fetch(authorizeUrl);
  expect(page.status).toBe(200);
  const res = await fetch(`${u.origin}/oauth/authorize`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: u.searchParams.get('client_id') ?? '', redirect_uri: u.searchParams.get('redirect_uri') ?? '', scope: u.searchParams.get('scope') ?? '', optional_scope: u.searchParams.get('optional_scope') ?? '', state: u.searchParams.get('state') ?? '', decision: 'approve' }),
  });
  expect(res.status).toBe(302);
  return location(res);
}

describe('installing HubSpot', () => {
  it('needs a signed-in admin', async () => {
    const anonymous = new Browser();
    expect(location(await anonymous.get(`${h.url}/install/hubspot?connection=main`))).toBe('/login');
    const reader = new Browser();
    await reader.signIn('read');
    expect((await reader.get(`${h.url}/install/hubspot?connection=main`)).status).toBe(403);
  });

  it('refuses an install started by a link on another site, even for a signed-in admin', async () => {
    const admin = new Browser();
    await admin.signIn();
    for (const provider of ['hubspot', 'salesforce']) {
      const res = await admin.get(`${h.url}/install/${provider}?connection=main`, { 'sec-fetch-site': 'cross-site' });
      expect(res.status).toBe(403);
      expect(await res.text()).toContain('not from a link on another site');
    }
    // From revloop's own page, or typed into the address bar, it starts.
    expect((await admin.get(`${h.url}/install/hubspot?connection=main`, { 'sec-fetch-site': 'same-origin' })).status).toBe(302);
    expect((await admin.get(`${h.url}/install/hubspot?connection=main`, { 'sec-fetch-site': 'none' })).status).toBe(302);
  });

  it('asks for revloop’s scopes, stores the tokens and the portal sealed, and refuses the same state twice', async () => {
    const browser = new Browser();
    await browser.signIn();
    const start = await browser.get(`${h.url}/install/hubspot?connection=main`);
    expect(start.status).toBe(302);
    const authorize = new URL(location(start));
    expect(authorize.pathname).toBe('/oauth/authorize');
    expect(authorize.searchParams.get('scope')?.split(' ')).toEqual(expect.arrayContaining(['crm.objects.contacts.write', 'crm.schemas.contacts.write', 'crm.objects.companies.write', 'crm.schemas.deals.write', 'crm.objects.owners.read']));
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${h.url}/oauth/hubspot/callback`);
    expect(authorize.searchParams.get('state')?.length).toBeGreaterThan(30);
    const callback = await approveHubSpot(authorize.toString());
    const done = await browser.get(callback);
    expect(done.status).toBe(303);
    expect(location(done)).toBe('/?installed=hubspot&connection=main#setup');
    const { connection, secrets } = await stored();
    expect(connection.hubspot.portalId).toBe(h.hubspot.portalId);
    expect(secrets.hubspot.kind).toBe('oauth');
    const raw = await h.redis.redis.hget(`${h.redis.root}:{deployment}:connections`, 'main');
    if (secrets.hubspot.kind === 'oauth') {
      expect(raw).not.toContain(secrets.hubspot.accessToken);
      expect(raw).not.toContain(secrets.hubspot.refreshToken);
    }
    const again = await browser.get(callback);
    expect(again.status).toBe(400);
    expect(await again.text()).toMatch(/already used or has expired/);
  });

  it('refuses a callback in another browser than the one that started the install', async () => {
    const admin = new Browser();
    await admin.signIn();
    const callback = await approveHubSpot(location(await admin.get(`${h.url}/install/hubspot?connection=main`)));
    const other = new Browser();
    await other.signIn();
    const res = await other.get(callback);
    expect(res.status).toBe(403);
    expect(await res.text()).toMatch(/started in another browser/);
  });

  it('explains a denial', async () => {
    const browser = new Browser();
    await browser.signIn();
    const u = new URL(location(await browser.get(`${h.url}/install/hubspot?connection=main`)));
    const denied = await fetch(`${u.origin}/oauth/authorize`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: u.searchParams.get('client_id') ?? '', redirect_uri: u.searchParams.get('redirect_uri') ?? '', scope: u.searchParams.get('scope') ?? '', state: u.searchParams.get('state') ?? '', decision: 'deny' }),
    });
    const res = await browser.get(location(denied));
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/HubSpot answered: The user denied access/);
  });

  it('refreshes the HubSpot token before it expires and stores the new one', async () => {
    const before = (await stored()).secrets.hubspot;
    expect(before.kind).toBe('oauth');
    const res = await fetch(`${h.url}/api/connections/main/timeline?q=nobody@example.org`, { headers: { authorization: 'Bearer admin-token-of-the-tests-0123456789' } });
    expect(res.status).toBe(404);
    await h.until('the refreshed token to be stored', async () => {
      const now = (await stored()).secrets.hubspot;
      return now.kind === 'oauth' && before.kind === 'oauth' && now.accessToken !== before.accessToken;
    });
  });
});

describe('installing Salesforce (web server flow with PKCE)', () => {
  it('sends an S256 challenge, stores the tokens, instance URL and org, and refreshes after a 401', async () => {
    const browser = new Browser();
    await browser.signIn();
    const start = await browser.get(`${h.url}/install/salesforce?connection=main`);
    const authorize = new URL(location(start));
    expect(authorize.pathname).toBe('/services/oauth2/authorize');
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(authorize.searchParams.get('scope')).toBe('api id refresh_token');
    const page = await (await fetch(authorize)).text();
    const request = /name="request" value="([^"]+)"/.exec(page)?.[1] ?? '';
    const approved = await fetch(`${authorize.origin}/services/oauth2/authorize`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ request, username: 'integration@revloop.sandbox', decision: 'approve' }),
    });
    const done = await browser.get(location(approved));
    expect(done.status).toBe(303);
    const { connection, secrets } = await stored();
    expect(connection.salesforce).toMatchObject({ instanceUrl: h.salesforce.instanceUrl, orgId: h.salesforce.orgId });
    expect(secrets.salesforce.kind).toBe('oauth');

    // Every session expires; the next call gets a 401, refreshes with the refresh token, and the new token is stored.
    const first = secrets.salesforce.kind === 'oauth' ? secrets.salesforce.accessToken : '';
    h.salesforce.tokens.expireAll();
    const preview = await fetch(`${h.url}/api/connections/main/mappings/preview`, { method: 'POST', headers: { authorization: 'Bearer admin-token-of-the-tests-0123456789', 'content-type': 'application/json' }, body: JSON.stringify({ sample: 5 }) });
    expect(preview.status).toBe(200);
    await h.until('the refreshed Salesforce token to be stored', async () => {
      const now = (await stored()).secrets.salesforce;
      return now.kind === 'oauth' && now.accessToken !== first;
    });
  });
});
