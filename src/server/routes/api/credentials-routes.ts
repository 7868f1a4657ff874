/**
 * Server-to-server installs through the admin API: a HubSpot private-app token (with the portal id
 * and, for webhooks, the app's client secret) and a Salesforce integration user over the JWT bearer
 * flow. Each completes one side of a connection, as an OAuth callback would.
 */
import { readFileSync } from 'node:fs';
import { Router } from 'express';
import { z } from 'zod';
import { RevloopError } from '../../../platform/errors.js';
import { jwtBearerToken } from '../../../providers/salesforce/jwt-bearer.js';
import { requireScope } from '../../auth/admin-auth.js';
import { parseInput } from '../../http/parse.js';
import type { ServerDeps } from '../../server-deps.js';
import { idParam } from './connections-routes.js';

const privateAppBody = z.strictObject({
  token: z.string().min(8, 'is the private app access token'),
  portalId: z.number().int().positive(),
  baseUrl: z.url({ protocol: /^https?$/ }).optional(),
  webhookSecret: z.string().min(8).optional(),
  appId: z.number().int().positive().optional(),
  label: z.string().max(120).default(''),
});

const jwtBody = z.strictObject({
  username: z.string().min(3, 'is the integration user'),
  loginUrl: z.url({ protocol: /^https?$/ }).optional(),
  label: z.string().max(120).default(''),
});

export function credentialsRoutes(deps: ServerDeps): Router {
  const router = Router();
  const admin = requireScope('admin');

  router.post('/connections/:id/hubspot/private-app', admin, async (req, res) => {
    const { id } = parseInput(idParam, req.params, 'path');
    const body = parseInput(privateAppBody, req.body, 'body');
    const baseUrl = (body.baseUrl ?? deps.apps.hubspot?.baseUrl ?? 'https://api.hubapi.com').replace(/\/+$/, '');
    const report = await deps.installer.sideInstalled(id, body.label, {
      kind: 'hubspot',
      where: { baseUrl, portalId: body.portalId, ...(body.appId !== undefined ? { appId: body.appId } : {}) },
      auth: { kind: 'private-app', token: body.token, ...(body.webhookSecret ? { webhookSecret: body.webhookSecret } : {}) },
    });
    res.json(report);
  });

  router.post('/connections/:id/salesforce/jwt', admin, async (req, res) => {
    const { id } = parseInput(idParam, req.params, 'path');
    const body = parseInput(jwtBody, req.body, 'body');
    const jwt = deps.apps.salesforceJwt;
    if (!jwt) throw new RevloopError('CONFIG_INVALID', 'JWT bearer needs SALESFORCE_CLIENT_ID and SALESFORCE_JWT_PRIVATE_KEY in the environment');
    const loginUrl = (body.loginUrl ?? jwt.loginUrl).replace(/\/+$/, '');
    const pem = jwt.privateKey.includes('-----BEGIN') ? jwt.privateKey : readFileSync(jwt.privateKey, 'utf8');
    const session = await jwtBearerToken({ loginUrl, clientId: jwt.clientId, username: body.username, privateKeyPem: pem });
    const report = await deps.installer.sideInstalled(id, body.label, {
      kind: 'salesforce',
      where: { instanceUrl: session.instanceUrl, loginUrl, version: jwt.version },
      auth: { kind: 'jwt', username: body.username, accessToken: session.accessToken },
    });
    res.json(report);
  });

  return router;
}
