/**
 * /api/connections/:id/reports/:kind?from=&to=&mode=: the shared KPIs (funnel, campaigns, sla, velocity,
 * reasons) as JSON tables; `mode` counts by event date (default) or by MQL cohort.
 */
import { Router } from 'express';
import { z } from 'zod';
import { RevloopError } from '../../../platform/errors.js';
import { requireScope } from '../../auth/admin-auth.js';
import { parseInput } from '../../http/parse.js';
import type { ServerDeps } from '../../server-deps.js';
import { idParam } from './connections-routes.js';

const REPORT_KINDS = ['funnel', 'campaigns', 'sla', 'velocity', 'reasons'] as const;

const time = z
  .string()
  .refine((v) => !Number.isNaN(/^\d+$/.test(v) ? Number(v) : Date.parse(v)), 'must be a date (2026-11-01) or epoch milliseconds')
  .transform((v) => (/^\d+$/.test(v) ? Number(v) : Date.parse(v)))
  .optional();

export function reportsRoutes(deps: ServerDeps): Router {
  const router = Router();
  router.get('/connections/:id/reports/:kind', requireScope('read'), async (req, res) => {
    const { id, kind } = parseInput(idParam.extend({ kind: z.enum(REPORT_KINDS, { error: `must be one of ${REPORT_KINDS.join(', ')}` }) }), req.params, 'path');
    const range = parseInput(z.object({ from: time, to: time, mode: z.enum(['event', 'cohort']).optional() }).refine((r) => r.from === undefined || r.to === undefined || r.from <= r.to, 'from must not be after to'), req.query, 'query');
    await deps.connections.require(id);
    if (!deps.reports) throw new RevloopError('NOT_AVAILABLE_YET', 'KPI reports are not available in this build yet');
    res.json(await deps.reports(id, kind, { ...(range.from !== undefined ? { from: range.from } : {}), ...(range.to !== undefined ? { to: range.to } : {}), ...(range.mode ? { mode: range.mode } : {}) }));
  });
  return router;
}
