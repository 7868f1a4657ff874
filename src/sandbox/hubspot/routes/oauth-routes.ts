/**
 * OAuth: the consent page (`GET/POST /oauth/authorize`), the token endpoint
 * (`POST /oauth/v1/token`, form-encoded, authorization_code and refresh_token grants) and token
 * introspection/revocation (`/oauth/v1/access-tokens/{token}`, `/oauth/v1/refresh-tokens/{token}`).
 */
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { HubSpotHttpError, correlationIdOf } from '../http/hubspot-error.js';
import { queryString } from '../http/query.js';
import type { HubSpotServices } from '../http/services.js';
import { renderAuthorizeError, renderAuthorizePage } from '../oauth/authorize-page.js';
import type { OAuthFailure } from '../oauth/oauth-server.js';

const tokenForm = z.object({
  grant_type: z.string().optional(),
  client_id: z.string().optional(),
  client_secret: z.string().optional(),
  redirect_uri: z.string().optional(),
  code: z.string().optional(),
  refresh_token: z.string().optional(),
});

const decisionForm = z.object({
  client_id: z.string().default(''),
  redirect_uri: z.string().default(''),
  scope: z.string().default(''),
  optional_scope: z.string().default(''),
  state: z.string().optional(),
  decision: z.enum(['approve', 'deny']),
});

function splitScopes(value: string | undefined): string[] {
  return (value ?? '').split(/[\s+]+/).filter(Boolean);
}

function validRedirect(value: string): URL | undefined {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

export function oauthRoutes(services: HubSpotServices): Router {
  const { oauth } = services;
  const settings = oauth.settings;
  const router = Router();

  const refuse = (res: Response, message: string) => {
    res.status(400).type('html').send(renderAuthorizeError(message));
  };

  /** Checks what the page and the form share; answers the error page and returns undefined when wrong. */
  const checkRequest = (res: Response, clientId: string | undefined, redirectUri: string | undefined, scopes: string[]): URL | undefined => {
    if (clientId !== settings.clientId) {
      refuse(res, `No app with client_id "${clientId ?? ''}" is registered with this portal.`);
      return undefined;
    }
    const redirect = validRedirect(redirectUri ?? '');
    if (redirect === undefined) {
      refuse(res, 'redirect_uri must be an absolute http(s) URL.');
      return undefined;
    }
    if (scopes.length === 0) {
      refuse(res, 'At least one scope must be requested (scope=...).');
      return undefined;
    }
    return redirect;
  };

  router.get('/oauth/authorize', (req, res) => {
    const scopes = splitScopes(queryString(req, 'scope'));
    const redirectUri = queryString(req, 'redirect_uri');
    const redirect = checkRequest(res, queryString(req, 'client_id'), redirectUri, scopes);
    if (redirect === undefined) return;
    const state = queryString(req, 'state');
    res.setHeader('Content-Security-Policy', `default-src 'none'; style-src 'unsafe-inline'; form-action 'self' ${redirect.origin}`);
    res.type('html').send(
      renderAuthorizePage({
        appName: services.appName,
        appId: settings.appId,
        portalId: settings.portalId,
        hubDomain: settings.hubDomain,
        userEmail: settings.installer.email,
        clientId: settings.clientId,
        redirectUri: redirectUri ?? '',
        scopes,
        optionalScopes: splitScopes(queryString(req, 'optional_scope')),
        ...(state !== undefined ? { state } : {}),
      }),
    );
  });

  router.post('/oauth/authorize', (req, res) => {
    const parsed = decisionForm.safeParse(req.body ?? {});
    if (!parsed.success) {
      refuse(res, 'The consent form was incomplete; open the authorize link again.');
      return;
    }
    const form = parsed.data;
    const scopes = splitScopes(form.scope);
    const redirect = checkRequest(res, form.client_id, form.redirect_uri, scopes);
    if (redirect === undefined) return;
    if (form.decision === 'approve') {
      redirect.searchParams.set('code', oauth.issueCode(form.redirect_uri, [...scopes, ...splitScopes(form.optional_scope)]));
    } else {
      redirect.searchParams.set('error', 'access_denied');
      redirect.searchParams.set('error_description', 'The user denied access to the app.');
    }
    if (form.state !== undefined) redirect.searchParams.set('state', form.state);
    res.redirect(302, redirect.toString());
  });

  const sendFailure = (res: Response, failure: OAuthFailure) => {
    res.status(400).json({
      status: failure.status,
      message: failure.message,
      correlationId: correlationIdOf(res),
      error: failure.error,
      error_description: failure.message,
    });
  };

  router.post('/oauth/v1/token', (req: Request, res) => {
    const form = tokenForm.parse(req.body ?? {});
    const clientProblem = oauth.checkClient(form.client_id, form.client_secret);
    if (clientProblem !== undefined) {
      sendFailure(res, clientProblem);
      return;
    }
    const result =
      form.grant_type === 'authorization_code'
        ? oauth.exchangeCode(form.code, form.redirect_uri)
        : form.grant_type === 'refresh_token'
          ? oauth.refresh(form.refresh_token)
          : {
              status: 'BAD_GRANT_TYPE',
              message: `grant_type must be authorization_code or refresh_token, got "${form.grant_type ?? ''}"`,
              error: 'unsupported_grant_type',
            };
    if ('status' in result) sendFailure(res, result);
    else res.json(result);
  });

  const missingToken = (kind: string, token: string) =>
    new HubSpotHttpError(404, 'OBJECT_NOT_FOUND', `The ${kind} token is unknown or expired`, { context: { token: [token.slice(0, 6) + '…'] } });

  router.get('/oauth/v1/access-tokens/:token', (req, res) => {
    const info = oauth.accessTokenInfo(req.params.token);
    if (info === undefined) throw missingToken('access', req.params.token);
    res.json(info);
  });

  router.get('/oauth/v1/refresh-tokens/:token', (req, res) => {
    const info = oauth.refreshTokenInfo(req.params.token);
    if (info === undefined) throw missingToken('refresh', req.params.token);
    res.json(info);
  });

  router.delete('/oauth/v1/refresh-tokens/:token', (req, res) => {
    if (!oauth.deleteRefreshToken(req.params.token)) throw missingToken('refresh', req.params.token);
    res.status(204).end();
  });

  return router;
}
