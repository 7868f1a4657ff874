/** /metrics: Prometheus text format (prom-client), behind the read-only token when one is configured. */
import { Router } from 'express';
import type { RequestHandler } from 'express';
import type { RevloopMetrics } from '../../platform/metrics.js';

export function metricsRoutes(metrics: RevloopMetrics, guard: RequestHandler[]): Router {
  const router = Router();
  router.get('/metrics', ...guard, async (_req, res) => {
    const { contentType, body } = await metrics.render();
    res.setHeader('Content-Type', contentType);
    res.send(body);
  });
  return router;
}
