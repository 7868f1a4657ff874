/**
 * The server role's express app: a composition of routes, built from its dependencies and not
 * listening (so tests drive it in-process and `main` decides where it listens). With `admin` deps it
 * also serves the install flows, the admin API, the dashboard, metrics and the queue board.
 */
import { randomBytes } from 'node:crypto';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import type { Redis } from 'ioredis';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import type { HubSpotWebhookReceiver } from '../capture/hubspot/webhook-receiver.js';
import { httpStatusOf, isRevloopError, RevloopError } from '../platform/errors.js';
import type { Logger } from '../platform/logger.js';
import { deploymentKey } from '../platform/redis.js';
import { authenticate, requireScope } from './auth/admin-auth.js';
import { createCsrf } from './auth/csrf.js';
import { cookieParser, ensureBrowserId } from './http/cookies.js';
import { apiRouter } from './routes/api/index.js';
import { dashboardRoutes } from './routes/dashboard-routes.js';
import { healthRoutes } from './routes/health-routes.js';
import { hubspotWebhookRoutes } from './routes/hubspot-webhooks.js';
import { installRoutes } from './routes/install-routes.js';
import { loginRoutes } from './routes/login-routes.js';
import { metricsRoutes } from './routes/metrics-routes.js';
import { queueBoardRoutes } from './routes/queue-board.js';
import type { ServerDeps } from './server-deps.js';

export type AdminParts = Omit<ServerDeps, 'redis' | 'webhooks' | 'publicUrl' | 'logger'>;

export interface AppDeps {
  redis: Redis;
  webhooks: HubSpotWebhookReceiver;
  publicUrl?: string | undefined;
  logger: Logger;
  /** The proxies believed about the client's address (REVLOOP_TRUST_PROXY); loopback when unset. */
  trustProxy?: number | string[] | undefined;
  /** The install flows, admin API, dashboard, metrics and queue board (absent: webhooks and health only). */
  admin?: AdminParts | undefined;
}

/** Requests per minute per client on the public endpoints (sign-in, install, OAuth callbacks). */
export const PUBLIC_RATE_LIMIT = 30;
/** Webhook deliveries per minute per client (HubSpot sends in bursts). */
export const WEBHOOK_RATE_LIMIT = 1200;
/** Admin API requests per minute per client. */
export const API_RATE_LIMIT = 600;

function limiter(redis: Redis, root: string, name: string, perMinute: number, enabled: boolean): RequestHandler {
  if (!enabled) return (_req, _res, next) => next();
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    store: new RedisStore({ prefix: `${deploymentKey(root, 'rate', name)}:`, sendCommand: (command: string, ...args: string[]) => redis.call(command, ...args) as Promise<RedisReply> }),
    handler: (_req, _res, next) => next(new RevloopError('TOO_MANY_REQUESTS', 'too many requests; wait a minute and try again')),
  });
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  const secure = (deps.publicUrl ?? '').startsWith('https://');
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxy ?? 'loopback');
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          fontSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          ...(secure ? { upgradeInsecureRequests: [] } : {}),
        },
      },
      strictTransportSecurity: secure,
    }),
  );
  const admin = deps.admin;
  const full: ServerDeps | undefined = admin ? { ...admin, redis: deps.redis, webhooks: deps.webhooks, publicUrl: deps.publicUrl, logger: deps.logger } : undefined;
  const rates = admin?.rateLimits ?? { enabled: true };
  const root = admin?.root ?? 'revloop';

  if (full) {
    app.use(healthRoutes(full));
  } else {
    app.get('/healthz', (_req, res) => {
      res.json({ status: 'ok' });
    });
    app.get('/readyz', async (_req, res) => {
      try {
        await deps.redis.ping();
        res.json({ status: 'ready', redis: { ok: true } });
      } catch {
        res.status(503).json({ status: 'not ready', redis: { ok: false } });
      }
    });
  }
  app.use('/webhooks', limiter(deps.redis, root, 'webhooks', WEBHOOK_RATE_LIMIT, rates.enabled && full !== undefined));
  app.use(hubspotWebhookRoutes(deps.webhooks, deps.publicUrl));

  if (full) {
    const csrf = createCsrf(full.csrfSecret, secure);
    const auth = authenticate({ adminToken: full.adminToken, readonlyToken: full.readonlyToken, tokens: full.accessTokens });
    const publicLimit = limiter(deps.redis, root, 'public', rates.perMinute ?? PUBLIC_RATE_LIMIT, rates.enabled);
    app.use(cookieParser);
    app.use(ensureBrowserId(secure, () => randomBytes(24).toString('base64url')));
    app.use(metricsRoutes(full.metrics, [auth, requireScope('read')]));
    app.use(queueBoardRoutes(full.queues, [auth, requireScope('admin')]));
    app.use('/api', limiter(deps.redis, root, 'api', API_RATE_LIMIT, rates.enabled), apiRouter(full, csrf));
    app.use(['/login', '/logout', '/install', '/oauth'], publicLimit);
    app.use(loginRoutes(full, csrf, secure));
    app.use(auth, installRoutes(full));
    app.use(auth, dashboardRoutes());
  }

  app.use((_req, res) => {
    res.status(404).json({ code: 'NOT_FOUND', message: 'no such route' });
  });
  const onError: ErrorRequestHandler = (err: unknown, _req, res, _next) => {
    const e = err as { type?: string; status?: number; message?: string };
    if (e.type === 'entity.too.large') {
      res.status(413).json({ code: 'PAYLOAD_TOO_LARGE', message: 'the request body is too large' });
      return;
    }
    if (e.type === 'entity.parse.failed' || (!isRevloopError(err) && e.status === 400)) {
      res.status(400).json({ code: 'BAD_REQUEST', message: 'the request body could not be read (send JSON)' });
      return;
    }
    if (!isRevloopError(err) && e.status === 404) {
      res.status(404).json({ code: 'NOT_FOUND', message: 'no such file' });
      return;
    }
    // A vendor refusing revloop's credentials is a fault of that connection, not of the caller: 502, so
    // the dashboard shows the reason instead of taking a 401 for its own session ending.
    const status = isRevloopError(err) ? (err.code === 'AUTH_EXPIRED' || err.code === 'AUTH_REVOKED' ? 502 : httpStatusOf(err)) : 500;
    if (status >= 500 && status !== 501) deps.logger.error({ err }, 'request failed');
    res.status(status).json(isRevloopError(err) ? err.toJSON() : { code: 'INTERNAL', message: 'internal error' });
  };
  app.use(onError);
  return app;
}
