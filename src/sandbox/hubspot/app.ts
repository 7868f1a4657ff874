/**
 * Builds the HubSpot simulator's express app and the parts behind it, without listening, so it
 * can be embedded or driven with supertest. `startHubSpotSandbox` (index.ts) adds the listener.
 */
import express from 'express';
import { CallCounter } from '../common/call-counter.js';
import { FaultInjector, type ErrorRenderer } from '../common/faults.js';
import { errorBody } from './http/hubspot-error.js';
import { bearerAuth, correlation, errorHandler, notFound, rateLimits } from './http/middleware.js';
import { RateLimiter, rateLimitBody } from './http/rate-limiter.js';
import type { HubSpotServices } from './http/services.js';
import { OAuthServer } from './oauth/oauth-server.js';
import { resolveSettings, type HubSpotSandboxOptions, type HubSpotSettings } from './options.js';
import { associationsRoutes } from './routes/associations-routes.js';
import { CONTROL_PREFIX, controlRoutes } from './routes/control-routes.js';
import { oauthRoutes } from './routes/oauth-routes.js';
import { objectsBasicRoutes } from './routes/objects-basic-routes.js';
import { objectsBatchRoutes } from './routes/objects-batch-routes.js';
import { objectsMergeRoutes } from './routes/objects-merge-routes.js';
import { objectsSearchRoutes } from './routes/objects-search-routes.js';
import { ownersPipelinesRoutes } from './routes/owners-pipelines-routes.js';
import { propertiesRoutes } from './routes/properties-routes.js';
import { propertyGroupsRoutes } from './routes/property-groups-routes.js';
import { HubSpotStore } from './store/hubspot-store.js';
import { WebhookDispatcher } from './webhooks/webhook-dispatcher.js';

export interface HubSpotApp {
  app: express.Express;
  store: HubSpotStore;
  counter: CallCounter;
  faults: FaultInjector;
  oauth: OAuthServer;
  rateLimits: RateLimiter;
  webhooks: WebhookDispatcher;
  settings: HubSpotSettings;
}

/** Injected errors in HubSpot's shape; an injected 429 is a ten-secondly one, so the client's own retry fires. */
function injectedErrorRenderer(settings: HubSpotSettings): ErrorRenderer {
  return (res, status) => {
    if (status === 429) {
      const { message, fields } = rateLimitBody('TEN_SECONDLY_ROLLING', `publicapi:injected-fault:${settings.portalId}`);
      res.setHeader('X-HubSpot-RateLimit-Interval-Milliseconds', '10000');
      res.setHeader('X-HubSpot-RateLimit-Remaining', '0');
      res.status(429).json({ ...errorBody(res, 'RATE_LIMITS', message), ...fields });
      return;
    }
    if (status === 503) {
      res.status(503).json(errorBody(res, 'SERVICE_UNAVAILABLE', 'Service Unavailable: the request could not be served, try again later.'));
      return;
    }
    res.status(500).json(errorBody(res, 'INTERNAL_ERROR', 'internal error'));
  };
}

export function createHubSpotApp(options: HubSpotSandboxOptions = {}): HubSpotApp {
  const settings = resolveSettings(options);
  const now = options.now ?? options.store?.now ?? Date.now;
  const store = options.store ?? new HubSpotStore({ now, ...(options.owners !== undefined ? { owners: options.owners } : {}) });
  const counter = new CallCounter();
  const faults = new FaultInjector(options.faults ?? {});
  const installer = store.owners.list()[0];
  const oauth = new OAuthServer({
    now,
    portalId: settings.portalId,
    appId: settings.appId,
    privateAppId: settings.privateAppId,
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    privateAppToken: settings.privateAppToken,
    tokenTtlSeconds: settings.tokenTtlSeconds,
    hubDomain: `sandbox-${settings.portalId}.revloop.test`,
    installer: { userId: installer?.userId ?? 1, email: installer?.email ?? 'admin@revloop-demo.test' },
  });
  const limiter = new RateLimiter(now, settings.rateLimits);
  const webhooks = new WebhookDispatcher(
    { store, faults, now, portalId: settings.portalId, appId: settings.appId, clientSecret: settings.clientSecret },
    options.webhooks ?? {},
  );
  const services: HubSpotServices = {
    store,
    oauth,
    rateLimits: limiter,
    webhooks,
    counter,
    faults,
    portalId: settings.portalId,
    appName: settings.appName,
  };

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(correlation());
  app.use(CONTROL_PREFIX, controlRoutes(services));
  const isControl = (path: string) => path.startsWith(`${CONTROL_PREFIX}/`) || path === CONTROL_PREFIX;
  app.use(counter.middleware({ ignore: isControl }));
  app.use(faults.middleware(injectedErrorRenderer(settings), { ignore: (path) => isControl(path) || path === '/oauth/authorize' }));
  app.use(express.json({ limit: '20mb' }));
  app.use(express.urlencoded({ extended: false, limit: '1mb' }));
  app.use(oauthRoutes(services));
  app.use(bearerAuth(oauth));
  app.use(rateLimits(limiter, settings.portalId));
  app.use(objectsSearchRoutes(services));
  app.use(objectsBatchRoutes(services));
  app.use(objectsMergeRoutes(services));
  app.use(objectsBasicRoutes(services));
  app.use(propertyGroupsRoutes(services));
  app.use(propertiesRoutes(services));
  app.use(associationsRoutes(services));
  app.use(ownersPipelinesRoutes(services));
  app.use(notFound());
  app.use(errorHandler(settings.portalId));

  return { app, store, counter, faults, oauth, rateLimits: limiter, webhooks, settings };
}
