/**
 * /healthz: the process answers. /readyz: whether this server can serve, for probes and load
 * balancers. It is ready while Redis answers (503 otherwise). For each connection it also makes one
 * cheap call to each API with its credentials (remembered for 30 seconds, so probes cost little): a
 * connection whose API fails makes it "degraded", still 200, because the dashboard and the webhooks
 * must stay reachable for an admin to fix a revoked token. The answer is public, so it carries no
 * connection ids or vendor messages, only counts and error codes; the admin API's connection status
 * says which connection and why.
 */
import { Router } from 'express';
import { RevloopError } from '../../platform/errors.js';
import type { ServerDeps } from '../server-deps.js';

const API_CHECK_TTL_MS = 30_000;
const MAX_CONNECTIONS_CHECKED = 20;

type Check = { ok: true } | { ok: false; code: string };

/** A failure as a code: a RevloopError's own, else the bare INTERNAL (its message may name internal hosts). */
const codeOf = (err: unknown): string => (err instanceof RevloopError ? err.code : 'INTERNAL');

export function healthRoutes(deps: ServerDeps): Router {
  const router = Router();
  const cache = new Map<string, { at: number; result: { hubspot: Check; salesforce: Check } }>();

  const checkApis = async (id: string): Promise<{ hubspot: Check; salesforce: Check }> => {
    const cached = cache.get(id);
    if (cached && Date.now() - cached.at < API_CHECK_TTL_MS) return cached.result;
    const attempt = async (fn: () => Promise<unknown>): Promise<Check> => {
      try {
        await fn();
        return { ok: true };
      } catch (err) {
        return { ok: false, code: codeOf(err) };
      }
    };
    let result: { hubspot: Check; salesforce: Check };
    try {
      const ctx = await deps.registry.get(id);
      result = {
        hubspot: await attempt(() => ctx.hubspotApi.call('readyz', (c) => c.crm.properties.coreApi.getByName('contacts', 'email'))),
        salesforce: await attempt(() => ctx.salesforceApi.call('readyz', (conn) => conn.limits())),
      };
    } catch (err) {
      const code = codeOf(err);
      result = { hubspot: { ok: false, code }, salesforce: { ok: false, code } };
    }
    cache.set(id, { at: Date.now(), result });
    return result;
  };

  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/readyz', async (_req, res) => {
    try {
      await deps.redis.ping();
    } catch {
      res.status(503).json({ status: 'not ready', redis: { ok: false } });
      return;
    }
    const codes = new Set<string>();
    let checked = 0;
    let failing = 0;
    for (const c of (await deps.connections.list()).slice(0, MAX_CONNECTIONS_CHECKED)) {
      const apis = await checkApis(c.id);
      checked += 1;
      const failed = [apis.hubspot, apis.salesforce].filter((check): check is { ok: false; code: string } => !check.ok);
      if (failed.length > 0) failing += 1;
      for (const f of failed) codes.add(f.code);
    }
    res.json({ status: failing > 0 ? 'degraded' : 'ready', redis: { ok: true }, connections: { checked, failing, ...(codes.size > 0 ? { codes: [...codes].sort() } : {}) } });
  });

  return router;
}
