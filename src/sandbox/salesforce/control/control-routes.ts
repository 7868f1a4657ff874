/**
 * Control endpoints of the sandbox (`/__sandbox/...`), for tests, benchmarks and the demo: health, the call counter,
 * fault injection, the daily API allocation, custom fields and token expiry. Not part of Salesforce's API.
 */
import express, { type Request, type Response, type Router } from 'express';
import { z, ZodError } from 'zod';
import type { CallCounter } from '../../common/call-counter.js';
import type { FaultInjector } from '../../common/faults.js';
import type { TokenStore } from '../auth/token-store.js';
import { SalesforceApiError } from '../errors.js';
import { describeField } from '../http/describe-json.js';
import type { ApiUsage } from '../http/api-usage.js';
import { customFieldInputSchema } from '../schema/custom-field-input.js';
import type { SalesforceStore } from '../store/salesforce-store.js';

export interface ControlDeps {
  store: SalesforceStore;
  counter: CallCounter;
  faults: FaultInjector;
  usage: ApiUsage;
  tokens: TokenStore;
}

const addFieldSchema = z.strictObject({ object: z.string().min(1), field: customFieldInputSchema });
const limitsSchema = z.strictObject({ dailyApiLimit: z.number().int().min(1) });

function reply(res: Response, status: number, body: unknown): void {
  res.status(status).setHeader('Content-Type', 'application/json;charset=UTF-8');
  res.end(JSON.stringify(body));
}

function guard(handler: (req: Request, res: Response) => void) {
  return (req: Request, res: Response): void => {
    try {
      handler(req, res);
    } catch (err) {
      if (err instanceof ZodError) {
        reply(res, 400, { error: 'BAD_REQUEST', message: 'invalid body', issues: err.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
      } else if (err instanceof SalesforceApiError) {
        reply(res, err.httpStatus, { error: err.errorCode, message: err.message });
      } else {
        reply(res, 500, { error: 'INTERNAL', message: err instanceof Error ? err.message : String(err) });
      }
    }
  };
}

export function controlRouter(deps: ControlDeps): Router {
  const router = express.Router();
  router.use(express.json({ limit: '1mb' }));
  router.get(
    '/health',
    guard((_req, res) => {
      const records: Record<string, number> = {};
      for (const table of deps.store.registry.all()) records[table.name] = table.liveCount;
      reply(res, 200, { status: 'ok', orgId: deps.store.orgId, version: deps.store.version, records });
    }),
  );
  router.get('/calls', guard((_req, res) => reply(res, 200, { total: deps.counter.total, calls: deps.counter.snapshot() })));
  router.delete(
    '/calls',
    guard((_req, res) => {
      deps.counter.reset();
      res.status(204).end();
    }),
  );
  router.get('/faults', guard((_req, res) => reply(res, 200, deps.faults.current)));
  router.put('/faults', guard((req, res) => reply(res, 200, deps.faults.configure(req.body as object))));
  router.get('/limits', guard((_req, res) => reply(res, 200, { used: deps.usage.used(), max: deps.usage.limit, remaining: deps.usage.remaining() })));
  router.put(
    '/limits',
    guard((req, res) => {
      deps.usage.setLimit(limitsSchema.parse(req.body).dailyApiLimit);
      reply(res, 200, { used: deps.usage.used(), max: deps.usage.limit, remaining: deps.usage.remaining() });
    }),
  );
  router.post(
    '/limits/reset',
    guard((_req, res) => {
      deps.usage.reset();
      reply(res, 200, { used: 0, max: deps.usage.limit, remaining: deps.usage.limit });
    }),
  );
  router.post(
    '/fields',
    guard((req, res) => {
      const body = addFieldSchema.parse(req.body);
      reply(res, 201, describeField(deps.store.addField(body.object, body.field)));
    }),
  );
  router.post(
    '/tokens/expire',
    guard((_req, res) => {
      deps.tokens.expireAll();
      res.status(204).end();
    }),
  );
  router.use((_req, res) => reply(res, 404, { error: 'NOT_FOUND', message: 'unknown sandbox control endpoint' }));
  return router;
}
