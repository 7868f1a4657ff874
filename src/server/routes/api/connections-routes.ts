/** /api/connections: status, throughput, recent events, pause and resume, initial sync, removal; /api/queues. */
import { Router } from 'express';
import { z } from 'zod';
import { connectionStatus, queueDepths, throughput } from '../../../admin/status/connection-status.js';
import { RevloopError } from '../../../platform/errors.js';
import { Keyspace } from '../../../platform/redis.js';
import { AuditLog } from '../../../state/audit-log.js';
import { ConnectionState } from '../../../state/connection-state.js';
import { backfillRunId } from '../../../worker/backfill/run-backfill.js';
import { JOBS, type BackfillJob } from '../../../worker/queues.js';
import { requireScope } from '../../auth/admin-auth.js';
import { parseInput } from '../../http/parse.js';
import type { ServerDeps } from '../../server-deps.js';
import { removeConnectionJobs } from '../../../worker/connection-jobs.js';

export const idParam = z.object({ id: z.string().regex(/^[A-Za-z0-9_.@-]{1,64}$/, 'must be a connection id') });

export function connectionsRoutes(deps: ServerDeps): Router {
  const router = Router();
  const read = requireScope('read');
  const admin = requireScope('admin');
  const known = async (id: string) => {
    await deps.connections.require(id);
    return id;
  };

  router.get('/connections', read, async (_req, res) => {
    const list = await deps.connections.list();
    const statuses = [];
    for (const c of list) statuses.push(await connectionStatus(deps, c.id));
    res.json({ connections: statuses, drafts: await deps.installer.drafts.list() });
  });

  router.get('/queues', read, async (_req, res) => {
    res.json({ queues: await queueDepths(deps) });
  });

  router.get('/connections/:id', read, async (req, res) => {
    const { id } = parseInput(idParam, req.params, 'path');
    res.json({ ...(await connectionStatus(deps, id)), install: (await deps.installer.report(id)) ?? null, queues: await queueDepths(deps) });
  });

  router.get('/connections/:id/install', read, async (req, res) => {
    const { id } = parseInput(idParam, req.params, 'path');
    const report = await deps.installer.report(id);
    if (!report) throw new RevloopError('NOT_FOUND', `no install of connection "${id}" is recorded`);
    res.json(report);
  });

  router.get('/connections/:id/throughput', read, async (req, res) => {
    const id = await known(parseInput(idParam, req.params, 'path').id);
    const { minutes } = parseInput(z.object({ minutes: z.coerce.number().int().min(1).max(2880).default(60) }), req.query, 'query');
    res.json({ minutes: await throughput(deps, id, minutes) });
  });

  router.get('/connections/:id/events', read, async (req, res) => {
    const id = await known(parseInput(idParam, req.params, 'path').id);
    const q = parseInput(z.object({ action: z.string().regex(/^[a-z-]{1,40}$/).optional(), limit: z.coerce.number().int().min(1).max(500).default(50) }), req.query, 'query');
    const recent = await new AuditLog(deps.redis, new Keyspace(id, deps.root)).recent(q.action ? 5000 : q.limit);
    res.json({ events: (q.action ? recent.filter((e) => e.action === q.action) : recent).slice(0, q.limit) });
  });

  router.post('/connections/:id/pause', admin, async (req, res) => {
    const id = await known(parseInput(idParam, req.params, 'path').id);
    const body = parseInput(z.object({ reason: z.string().max(200).default('paused by an admin') }), req.body, 'body');
    const state = { reason: body.reason, code: 'PAUSED_BY_ADMIN', since: Date.now() };
    const keys = new Keyspace(id, deps.root);
    await new ConnectionState(deps.redis, keys).pause(state);
    await new AuditLog(deps.redis, keys).add({ at: state.since, action: 'pause', records: [], message: body.reason });
    deps.logger.info({ connection: id }, 'connection paused by an admin');
    res.json({ paused: state });
  });

  router.post('/connections/:id/resume', admin, async (req, res) => {
    const id = await known(parseInput(idParam, req.params, 'path').id);
    const keys = new Keyspace(id, deps.root);
    await new ConnectionState(deps.redis, keys).resume();
    await new AuditLog(deps.redis, keys).add({ at: Date.now(), action: 'resume', records: [], message: 'resumed by an admin' });
    deps.logger.info({ connection: id }, 'connection resumed by an admin');
    res.json({ paused: null });
  });

  router.post('/connections/:id/backfill', admin, async (req, res) => {
    const id = await known(parseInput(idParam, req.params, 'path').id);
    const body = parseInput(z.object({ objects: z.array(z.enum(['contacts', 'companies'])).min(1).default(['companies', 'contacts']) }), req.body, 'body');
    const jobs: string[] = [];
    for (const pair of body.objects) {
      const run = backfillRunId({ pair });
      const data: BackfillJob = { connectionId: id, pair, run };
      const job = await deps.queues.backfill.add(JOBS.backfill, data, { jobId: `backfill-${id}-${run}-${Date.now().toString(36)}` });
      if (job.id) jobs.push(job.id);
    }
    res.status(202).json({ queued: jobs });
  });

  router.delete('/connections/:id', admin, async (req, res) => {
    const { id } = parseInput(idParam, req.params, 'path');
    const removed = await deps.connections.remove(id);
    if (!removed) throw new RevloopError('NOT_FOUND', `no connection "${id}"`);
    await removeConnectionJobs(id, deps.queues.sync);
    deps.registry.invalidate?.(id);
    deps.webhooks.refresh();
    res.json({ removed: id });
  });

  return router;
}
