/** /api/connections/:id/errors: parked records grouped by category with the vendor's message and a fix; retry one, a category or all. */
import { Router } from 'express';
import { z } from 'zod';
import { ERROR_CATEGORIES, groupErrors } from '../../../admin/dead-letters/explain.js';
import { retryParked, type RetrySelection } from '../../../admin/dead-letters/retry.js';
import { Keyspace } from '../../../platform/redis.js';
import { DeadLetters } from '../../../state/dead-letters.js';
import { requireScope } from '../../auth/admin-auth.js';
import { parseInput } from '../../http/parse.js';
import type { ServerDeps } from '../../server-deps.js';
import { idParam } from './connections-routes.js';

const retryBody = z.union([
  z.strictObject({ ids: z.array(z.string().min(1).max(300)).min(1).max(1000) }),
  z.strictObject({ all: z.literal(true) }),
  z.strictObject({ category: z.enum(ERROR_CATEGORIES) }),
], { error: 'send {"ids": [...]}, {"all": true} or {"category": "..."}' });

export function errorsRoutes(deps: ServerDeps): Router {
  const router = Router();

  router.get('/connections/:id/errors', requireScope('read'), async (req, res) => {
    const { id } = parseInput(idParam, req.params, 'path');
    await deps.connections.require(id);
    const { limit } = parseInput(z.object({ limit: z.coerce.number().int().min(1).max(5000).default(1000) }), req.query, 'query');
    const dlq = new DeadLetters(deps.redis, new Keyspace(id, deps.root));
    const entries = await dlq.list(limit);
    res.json({ total: await dlq.size(), groups: groupErrors(entries) });
  });

  router.post('/connections/:id/errors/retry', requireScope('admin'), async (req, res) => {
    const { id } = parseInput(idParam, req.params, 'path');
    await deps.connections.require(id);
    const selection = parseInput(retryBody, req.body, 'body') as RetrySelection;
    const result = await retryParked({ redis: deps.redis, syncQueue: deps.queues.sync, root: deps.root }, id, selection);
    deps.logger.info({ connection: id, entries: result.entries, jobs: result.jobIds.length }, 'parked records queued again');
    res.status(202).json(result);
  });

  return router;
}
