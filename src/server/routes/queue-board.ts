/**
 * bull-board at /admin/queues, for admins only (bearer token or a signed-in admin session). Its own
 * UI needs inline scripts, so it gets its own content security policy; changes it makes must come
 * from this origin (its fetches carry no CSRF token; the session cookie is SameSite=Lax).
 */
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Router, type RequestHandler } from 'express';
import { RevloopError } from '../../platform/errors.js';
import type { AdminQueues } from '../../admin/admin-deps.js';

export const QUEUE_BOARD_PATH = '/admin/queues';

const sameOrigin: RequestHandler = (req, _res, next) => {
  if (req.method === 'GET' || req.method === 'HEAD') return next();
  const origin = req.get('origin');
  if (origin !== undefined && new URL(origin).host !== req.get('host')) return next(new RevloopError('FORBIDDEN', 'queue board changes must come from this site'));
  next();
};

export function queueBoardRoutes(queues: AdminQueues, guard: RequestHandler[]): Router {
  const adapter = new ExpressAdapter();
  adapter.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({ queues: Object.values(queues).map((q) => new BullMQAdapter(q)), serverAdapter: adapter, options: { uiConfig: { boardTitle: 'revloop queues' } } });
  const router = Router();
  router.use(
    QUEUE_BOARD_PATH,
    ...guard,
    sameOrigin,
    (_req, res, next) => {
      res.setHeader('Content-Security-Policy', "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline' https:; img-src 'self' data:; font-src 'self' data: https:; connect-src 'self'; frame-ancestors 'none'");
      next();
    },
    adapter.getRouter() as RequestHandler,
  );
  return router;
}
