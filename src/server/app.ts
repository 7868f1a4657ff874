/**
 * The server role's express app: a composition of routes, built from its dependencies and not
 * listening (so tests drive it in-process and `main` decides where it listens).
 */
import express, { type ErrorRequestHandler, type Express } from 'express';
import helmet from 'helmet';
import type { Redis } from 'ioredis';
import type { HubSpotWebhookReceiver } from '../capture/hubspot/webhook-receiver.js';
import { httpStatusOf, isRevloopError } from '../platform/errors.js';
import type { Logger } from '../platform/logger.js';
import { hubspotWebhookRoutes } from './routes/hubspot-webhooks.js';

export interface AppDeps {
  redis: Redis;
  webhooks: HubSpotWebhookReceiver;
  publicUrl?: string | undefined;
  logger: Logger;
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(helmet());
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      await deps.redis.ping();
      res.json({ status: 'ready', redis: 'ok' });
    } catch (err) {
      res.status(503).json({ status: 'not ready', redis: (err as Error).message });
    }
  });
  app.use(hubspotWebhookRoutes(deps.webhooks, deps.publicUrl));
  app.use((_req, res) => {
    res.status(404).json({ error: 'NOT_FOUND', message: 'no such route' });
  });
  const onError: ErrorRequestHandler = (err: unknown, _req, res, _next) => {
    const e = err as { type?: string; status?: number; message?: string };
    if (e.type === 'entity.too.large') {
      res.status(413).json({ error: 'PAYLOAD_TOO_LARGE', message: 'the request body is too large' });
      return;
    }
    if (e.type === 'entity.parse.failed' || e.status === 400) {
      res.status(400).json({ error: 'BAD_REQUEST', message: 'the request body could not be read' });
      return;
    }
    const status = isRevloopError(err) ? httpStatusOf(err) : 500;
    if (status >= 500) deps.logger.error({ err }, 'request failed');
    res.status(status).json(isRevloopError(err) ? err.toJSON() : { error: 'INTERNAL', message: 'internal error' });
  };
  app.use(onError);
  return app;
}
