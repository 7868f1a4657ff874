/**
 * The install flows. `/install/hubspot` and `/install/salesforce` (an admin, signed in) send the
 * browser to the vendor's authorize page with a `state` bound to this browser and single use;
 * `/oauth/hubspot/callback` exchanges the code for tokens and the portal id, `/oauth/salesforce/
 * callback` (web server flow with PKCE) for tokens, the instance URL and the org id. Each completes
 * its side of the connection (see admin/install/installer), then returns to the set-up page.
 */
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { CONNECTION_ID } from '../../admin/install/installer.js';
import { isRevloopError } from '../../platform/errors.js';
import { exchangeHubSpotToken, hubspotAuthorizeUrl } from '../../providers/hubspot/hubspot-oauth.js';
import { exchangeSalesforceCode, newCodeVerifier, salesforceAuthorizeUrl } from '../../providers/salesforce/web-server-flow.js';
import type { InstallProvider } from '../../state/install-sessions.js';
import { BROWSER_COOKIE, cookieOf } from '../http/cookies.js';
import { messagePage } from '../http/pages.js';
import type { ServerDeps } from '../server-deps.js';

const startQuery = z.object({
  connection: z.string().regex(CONNECTION_ID, 'must be a connection id: letters, digits and _ . @ -').default('default'),
  label: z.string().max(120).default(''),
});

const callbackQuery = z.object({
  code: z.string().min(1).max(2000).optional(),
  state: z.string().min(1).max(200).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(1000).optional(),
});

const NAMES: Record<InstallProvider, string> = { hubspot: 'HubSpot', salesforce: 'Salesforce' };

export function installRoutes(deps: ServerDeps): Router {
  const router = Router();
  const base = (req: Request) => deps.publicUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`;
  const callbackUrl = (req: Request, provider: InstallProvider) => `${base(req)}/oauth/${provider}/callback`;

  const fail = (res: Response, provider: InstallProvider, status: number, message: string) => {
    res.status(status).type('html').send(messagePage(`${NAMES[provider]} was not connected`, message, { href: '/#setup', text: 'Back to set-up' }));
  };

  /** Only a signed-in admin starts an install. */
  const adminOnly = (req: Request, res: Response, provider: InstallProvider): boolean => {
    if (!req.principal) {
      res.redirect(303, '/login');
      return false;
    }
    if (req.principal.scope !== 'admin') {
      fail(res, provider, 403, 'Installing a connection needs an admin; you are signed in read-only.');
      return false;
    }
    return true;
  };

  const start = (provider: InstallProvider) => async (req: Request, res: Response) => {
    if (!adminOnly(req, res, provider)) return;
    // A link on another site must not start an install with the admin's session cookie (a vendor that
    // remembers an earlier consent answers at once, and the callback would swap the connection's side):
    // browsers say where a navigation came from, and an install starts from revloop's own pages.
    const site = req.get('sec-fetch-site');
    if (site !== undefined && site !== 'same-origin' && site !== 'none') {
      fail(res, provider, 403, `An install starts from revloop's set-up page, not from a link on another site (${site}); open the set-up page and choose Connect ${NAMES[provider]}.`);
      return;
    }
    const q = startQuery.safeParse(req.query);
    if (!q.success) {
      fail(res, provider, 400, q.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      return;
    }
    const browserNonce = cookieOf(req, BROWSER_COOKIE) ?? '';
    if (provider === 'hubspot') {
      const app = deps.apps.hubspot;
      if (!app) return fail(res, provider, 501, 'HubSpot OAuth is not configured: set HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET (or install with a private-app token through the API).');
      const state = await deps.installs.begin({ provider, connectionId: q.data.connection, label: q.data.label, browserNonce });
      res.redirect(302, hubspotAuthorizeUrl(app.authorizeUrl, app.clientId, callbackUrl(req, provider), state));
      return;
    }
    const app = deps.apps.salesforce;
    if (!app) return fail(res, provider, 501, 'Salesforce OAuth is not configured: set SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET (or use the JWT bearer flow through the API).');
    const verifier = newCodeVerifier();
    const state = await deps.installs.begin({ provider, connectionId: q.data.connection, label: q.data.label, browserNonce, verifier });
    res.redirect(302, salesforceAuthorizeUrl({ loginUrl: app.loginUrl, clientId: app.clientId, clientSecret: app.clientSecret, redirectUri: callbackUrl(req, provider) }, state, verifier));
  };

  const callback = (provider: InstallProvider) => async (req: Request, res: Response) => {
    res.setHeader('Cache-Control', 'no-store');
    const q = callbackQuery.safeParse(req.query);
    if (!q.success) return fail(res, provider, 400, 'The callback is malformed; start the install again.');
    if (q.data.error) return fail(res, provider, 400, `${NAMES[provider]} answered: ${q.data.error_description ?? q.data.error}.`);
    if (!q.data.code || !q.data.state) return fail(res, provider, 400, 'The callback has no code or state; start the install again.');
    try {
      const pending = await deps.installs.finish(provider, q.data.state, cookieOf(req, BROWSER_COOKIE));
      let report;
      if (provider === 'hubspot') {
        const app = deps.apps.hubspot;
        if (!app) return fail(res, provider, 501, 'HubSpot OAuth is not configured.');
        const tokens = await exchangeHubSpotToken({ baseUrl: app.baseUrl, clientId: app.clientId, clientSecret: app.clientSecret }, { code: q.data.code, redirectUri: callbackUrl(req, provider) });
        if (tokens.hubId === undefined) return fail(res, provider, 502, 'HubSpot did not say which portal was installed; try again.');
        report = await deps.installer.sideInstalled(pending.connectionId, pending.label, {
          kind: 'hubspot',
          where: { baseUrl: app.baseUrl, portalId: tokens.hubId, ...(app.appId !== undefined ? { appId: app.appId } : {}) },
          auth: { kind: 'oauth', accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: tokens.expiresAt },
        });
      } else {
        const app = deps.apps.salesforce;
        if (!app) return fail(res, provider, 501, 'Salesforce OAuth is not configured.');
        const grant = await exchangeSalesforceCode({ loginUrl: app.loginUrl, clientId: app.clientId, clientSecret: app.clientSecret, redirectUri: callbackUrl(req, provider) }, q.data.code, pending.verifier ?? '');
        if (!grant.refreshToken) return fail(res, provider, 502, 'Salesforce issued no refresh token: add the "refresh_token, offline_access" scope to the connected app, then install again.');
        report = await deps.installer.sideInstalled(pending.connectionId, pending.label, {
          kind: 'salesforce',
          where: { instanceUrl: grant.instanceUrl, loginUrl: app.loginUrl, version: app.version, orgId: grant.orgId },
          auth: { kind: 'oauth', accessToken: grant.accessToken, refreshToken: grant.refreshToken },
        });
      }
      deps.logger.info({ connection: pending.connectionId, provider, complete: report.complete }, 'install callback handled');
      res.redirect(303, `/?installed=${provider}&connection=${encodeURIComponent(pending.connectionId)}#setup`);
    } catch (err) {
      if (!isRevloopError(err)) throw err;
      deps.logger.warn({ provider, code: err.code, err }, 'install refused');
      fail(res, provider, err.status >= 500 ? 502 : err.status, err.message);
    }
  };

  router.get('/install/hubspot', start('hubspot'));
  router.get('/install/salesforce', start('salesforce'));
  router.get('/oauth/hubspot/callback', callback('hubspot'));
  router.get('/oauth/salesforce/callback', callback('salesforce'));
  return router;
}
