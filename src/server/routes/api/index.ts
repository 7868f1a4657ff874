/**
 * The admin API under /api: JSON in and out, bearer tokens (or the dashboard's session cookie, then
 * with a CSRF token on every change), read-only and admin scopes per route.
 */
import express, { Router } from 'express';
import { authenticate } from '../../auth/admin-auth.js';
import type { Csrf } from '../../auth/csrf.js';
import type { ServerDeps } from '../../server-deps.js';
import { connectionsRoutes } from './connections-routes.js';
import { credentialsRoutes } from './credentials-routes.js';
import { errorsRoutes } from './errors-routes.js';
import { mappingsRoutes } from './mappings-routes.js';
import { reportsRoutes } from './reports-routes.js';
import { timelineRoutes } from './timeline-routes.js';
import { tokensRoutes } from './tokens-routes.js';

export const API_BODY_LIMIT = '100kb';
/** Four mapping files of up to 1 MiB each. */
export const MAPPINGS_BODY_LIMIT = '5mb';

export function apiRouter(deps: ServerDeps, csrf: Csrf): Router {
  const router = Router();
  router.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  router.use('/connections/:id/mappings', express.json({ limit: MAPPINGS_BODY_LIMIT }));
  router.use(express.json({ limit: API_BODY_LIMIT }));
  router.use(authenticate({ adminToken: deps.adminToken, readonlyToken: deps.readonlyToken, tokens: deps.accessTokens }));
  router.use(csrf.protect);
  router.use(tokensRoutes(deps, csrf));
  router.use(connectionsRoutes(deps));
  router.use(errorsRoutes(deps));
  router.use(mappingsRoutes(deps));
  router.use(reportsRoutes(deps));
  router.use(timelineRoutes(deps));
  router.use(credentialsRoutes(deps));
  router.use((_req, res) => {
    res.status(404).json({ code: 'NOT_FOUND', message: 'no such API route' });
  });
  return router;
}
