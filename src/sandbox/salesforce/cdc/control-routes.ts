/**
 * HTTP control endpoints of Change Data Capture, next to the sandbox's own (/__sandbox/...), for a sandbox running in
 * another process (`revloop sandbox`, the demo, benchmarks). Not part of Salesforce's API.
 *
 *   GET  /__sandbox/cdc                    stats, channels, endpoint
 *   GET  /__sandbox/cdc/events?channel=…   retained events of a channel (default /data/ChangeEvents)
 *   POST /__sandbox/cdc/gap                { entityName, changeType: 'GAP_UPDATE', recordIds: [...] } → the event
 *   POST /__sandbox/cdc/overflow           { entityName } → the event
 *   POST /__sandbox/cdc/gap-next           { count } → the next count store changes become gap events
 *   POST /__sandbox/cdc/disconnect-all     drops every streaming session
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { z, ZodError } from 'zod';
import { isRevloopError } from '../../../platform/errors.js';
import type { ChangeDataCapture } from './control-api.js';
import { gapInputSchema, overflowInputSchema } from './options.js';

export const CDC_CONTROL_PATH = '/__sandbox/cdc';

export function isControlPath(pathname: string): boolean {
  return pathname === CDC_CONTROL_PATH || pathname.startsWith(`${CDC_CONTROL_PATH}/`);
}

const eventsQuerySchema = z.object({ channel: z.string().min(1).optional() });
const gapNextSchema = z.strictObject({ count: z.number().int().min(0).max(1_000_000) });

function reply(res: Response, status: number, body: unknown): void {
  res.status(status).setHeader('Content-Type', 'application/json;charset=UTF-8');
  res.end(JSON.stringify(body));
}

function replyError(err: unknown, res: Response): void {
  if (err instanceof ZodError) {
    reply(res, 400, {
      error: 'BAD_REQUEST',
      message: 'invalid request',
      issues: err.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  } else if (isRevloopError(err)) {
    reply(res, err.status, { error: err.code, message: err.message });
  } else if (typeof err === 'object' && err !== null && 'status' in err && err.status === 400) {
    reply(res, 400, { error: 'BAD_REQUEST', message: err instanceof Error ? err.message : 'malformed request' });
  } else {
    reply(res, 500, { error: 'INTERNAL', message: err instanceof Error ? err.message : String(err) });
  }
}

function guard(handler: (req: Request, res: Response) => void) {
  return (req: Request, res: Response): void => {
    try {
      handler(req, res);
    } catch (err) {
      replyError(err, res);
    }
  };
}

export function cdcControlRouter(cdc: ChangeDataCapture): Router {
  const router = express.Router();
  router.use(express.json({ limit: '1mb' }));
  router.get('/', guard((_req, res) => reply(res, 200, { endpoint: cdc.endpoint(), channels: cdc.channels, stats: cdc.stats() })));
  router.get(
    '/events',
    guard((req, res) => {
      const { channel } = eventsQuerySchema.parse(req.query);
      reply(res, 200, { events: cdc.retained(channel) });
    }),
  );
  router.post('/gap', guard((req, res) => reply(res, 201, cdc.injectGap(gapInputSchema.parse(req.body)))));
  router.post('/overflow', guard((req, res) => reply(res, 201, cdc.injectOverflow(overflowInputSchema.parse(req.body)))));
  router.post(
    '/gap-next',
    guard((req, res) => {
      cdc.gapNext(gapNextSchema.parse(req.body).count);
      reply(res, 200, { pendingGaps: cdc.stats().pendingGaps });
    }),
  );
  router.post('/disconnect-all', guard((_req, res) => reply(res, 200, { dropped: cdc.disconnectAll() })));
  router.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => replyError(err, res));
  return router;
}
