/**
 * Sandbox control endpoints under `/__sandbox/` (no authentication, not counted, no faults):
 * health, fault injection, call counts, webhook settings and rate-limit settings.
 */
import express, { Router } from 'express';
import { z } from 'zod';
import type { HubSpotServices } from '../http/services.js';
import { OBJECT_TYPES } from '../store/object-types.js';

const rateLimitPatch = z.strictObject({
  tenSecondMax: z.number().int().min(1).optional(),
  privateAppTenSecondMax: z.number().int().min(1).optional(),
  searchPerSecond: z.number().int().min(1).optional(),
  dailyMax: z.number().int().min(1).optional(),
  enabled: z.boolean().optional(),
});

export const CONTROL_PREFIX = '/__sandbox';

export function controlRoutes(services: HubSpotServices): Router {
  const { store, faults, counter, webhooks, rateLimits } = services;
  const router = Router();
  router.use(express.json());

  router.get('/health', (_req, res) => {
    const objects = Object.fromEntries(OBJECT_TYPES.map((t) => [t, { live: store.count(t), archived: store.count(t, { archived: true }) }]));
    res.json({ status: 'ok', portalId: services.portalId, objects, webhooks: webhooks.stats(), calls: counter.total });
  });

  router.get('/faults', (_req, res) => {
    res.json(faults.current);
  });

  router.put('/faults', (req, res) => {
    res.json(faults.configure(req.body ?? {}));
  });

  router.get('/calls', (_req, res) => {
    res.json({ total: counter.total, calls: counter.snapshot() });
  });

  router.delete('/calls', (_req, res) => {
    counter.reset();
    res.status(204).end();
  });

  router.get('/webhooks', (_req, res) => {
    const { subscriptions: _configured, ...settings } = webhooks.config;
    res.json({ ...settings, subscriptions: webhooks.activeSubscriptions, stats: webhooks.stats(), deliveries: webhooks.deliveries.slice(-100) });
  });

  router.put('/webhooks', (req, res) => {
    webhooks.configure(req.body ?? {});
    res.json({ ...webhooks.config, subscriptions: webhooks.activeSubscriptions });
  });

  router.get('/rate-limits', (_req, res) => {
    res.json(rateLimits.current);
  });

  router.put('/rate-limits', (req, res) => {
    const patch = rateLimitPatch.parse(req.body ?? {});
    const clean = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    res.json(rateLimits.configure(clean));
  });

  return router;
}
