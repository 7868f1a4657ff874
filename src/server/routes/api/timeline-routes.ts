/** /api/connections/:id/timeline?q=: one person's record timeline (HubSpot id, Salesforce id or email). */
import { Router } from 'express';
import { z } from 'zod';
import { recordTimeline } from '../../../admin/timeline/record-timeline.js';
import { requireScope } from '../../auth/admin-auth.js';
import { parseInput } from '../../http/parse.js';
import type { ServerDeps } from '../../server-deps.js';
import { idParam } from './connections-routes.js';

export function timelineRoutes(deps: ServerDeps): Router {
  const router = Router();
  router.get('/connections/:id/timeline', requireScope('read'), async (req, res) => {
    const { id } = parseInput(idParam, req.params, 'path');
    const { q } = parseInput(z.object({ q: z.string().trim().min(1, 'is required: a HubSpot id, a Salesforce id or an email').max(254) }), req.query, 'query');
    res.json(await recordTimeline(await deps.registry.get(id), q));
  });
  return router;
}
