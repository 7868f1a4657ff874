/** POST /webhooks/hubspot: the raw body goes to the receiver, which authenticates it before anything else. */
import express, { Router } from 'express';
import type { HubSpotWebhookReceiver } from '../../capture/hubspot/webhook-receiver.js';

export const WEBHOOK_BODY_LIMIT = '1mb';

export function hubspotWebhookRoutes(receiver: HubSpotWebhookReceiver, publicUrl: string | undefined): Router {
  const router = Router();
  router.post('/webhooks/hubspot', express.raw({ type: () => true, limit: WEBHOOK_BODY_LIMIT }), async (req, res) => {
    const base = publicUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`;
    const result = await receiver.receive({
      method: 'POST',
      url: `${base}${req.originalUrl}`,
      body: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
      signature: req.get('x-hubspot-signature-v3'),
      timestamp: req.get('x-hubspot-request-timestamp'),
    });
    res.status(result.status).json(result.body);
  });
  return router;
}
