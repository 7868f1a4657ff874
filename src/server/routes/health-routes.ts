/**
 * /healthz: the process answers. /readyz: Redis answers and, for each connection, both APIs answer
 * with its credentials (one cheap call each, remembered for 30 seconds so probes cost little).
 */
import { Router } from 'express';
import type { ServerDeps } from '../server-deps.js';

const API_CHECK_TTL_MS = 30_000;
const MAX_CONNECTIONS_CHECKED = 20;

type Check = { ok: true } | { ok: false; error: string };

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
        return { ok: false, error: err instanceof Error ? err.message : String(err) };
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
      const error = err instanceof Error ? err.message : String(err);
      result = { hubspot: { ok: false, error }, salesforce: { ok: false, error } };
    }
    cache.set(id, { at: Date.now(), result });
    return result;
  };

  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/readyz', async (_req, res) => {
    let redis: Check;
    try {
      await deps.redis.ping();
      redis = { ok: true };
    } catch (err) {
      redis = { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
    const connections: Record<string, { hubspot: Check; salesforce: Check }> = {};
    if (redis.ok) {
      for (const c of (await deps.connections.list()).slice(0, MAX_CONNECTIONS_CHECKED)) connections[c.id] = await checkApis(c.id);
    }
    const ready = redis.ok && Object.values(connections).every((c) => c.hubspot.ok && c.salesforce.ok);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', redis, connections });
  });

  return router;
}
