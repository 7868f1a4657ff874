/**
 * How each connection is doing, from Redis alone (no API call): authentication, pause, budgets used,
 * pending changes, parked records, lag, throughput, links, and the queues shared by all connections.
 */
import { Keyspace } from '../../platform/redis.js';
import { ActivityStats, type MinuteActivity } from '../../state/activity-stats.js';
import { changesSeenUntil, listenerAlive } from '../../state/changes-seen.js';
import { Checkpoints } from '../../state/checkpoints.js';
import { ConnectionState, type PauseState } from '../../state/connection-state.js';
import { DeadLetters } from '../../state/dead-letters.js';
import { LinkStore } from '../../state/link-store.js';
import type { BudgetUsage } from '../../providers/budget/api-budget.js';
import { pendingCount } from '../../worker/signals.js';
import type { AdminDeps } from '../admin-deps.js';

export const QUEUE_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'failed', 'completed'] as const;

export interface ConnectionStatus {
  id: string;
  label: string;
  hubspot: { baseUrl: string; portalId: number | undefined; auth: string; tokenExpiresAt?: number };
  salesforce: { instanceUrl: string; orgId: string | undefined; auth: string };
  paused: PauseState | undefined;
  budget: BudgetUsage | undefined;
  /** Why the budget could not be read (the connection's mappings are invalid, say). */
  problem?: string;
  pending: { contacts: number; companies: number };
  deadLetters: number;
  lag: { lagMs: number; at: number } | undefined;
  /**
   * The Salesforce change listener: at work (its mark renewed every 2 s by the worker running it) or
   * away, and the commit time of the last change it read (absent before it has read one).
   */
  changeListener: { atWork: boolean; seenUntil?: number };
  links: { contacts: number; companies: number };
  totals: Record<string, number>;
  backfill: Record<string, { phase?: unknown; processed?: unknown; done?: unknown; updatedAt?: unknown } | undefined>;
  createdAt: number;
  updatedAt: number;
}

export type QueueDepths = Record<string, Record<string, number>>;

export async function queueDepths(deps: Pick<AdminDeps, 'queues'>): Promise<QueueDepths> {
  const out: QueueDepths = {};
  for (const queue of Object.values(deps.queues)) out[queue.name] = await queue.getJobCounts(...QUEUE_STATES);
  return out;
}

export async function connectionStatus(deps: AdminDeps, id: string): Promise<ConnectionStatus> {
  const { connection, secrets } = await deps.connections.require(id);
  const keys = new Keyspace(id, deps.root);
  const stats = new ActivityStats(deps.redis, keys);
  const links = new LinkStore(deps.redis, keys);
  const checkpoints = new Checkpoints(deps.redis, keys);
  let budget: BudgetUsage | undefined;
  let problem: string | undefined;
  try {
    budget = await (await deps.registry.get(id)).budget.usage();
  } catch (err) {
    problem = err instanceof Error ? err.message : String(err);
  }
  const backfill: ConnectionStatus['backfill'] = {};
  for (const pair of ['contacts', 'companies'] as const) {
    const cp = (await checkpoints.get(`backfill:${pair}`)) as Record<string, unknown> | undefined;
    backfill[pair] = cp ? { phase: cp.phase, processed: cp.processed, done: cp.done, updatedAt: cp.updatedAt } : undefined;
  }
  const seenUntil = await changesSeenUntil(deps.redis, keys);
  return {
    id,
    label: connection.label,
    hubspot: {
      baseUrl: connection.hubspot.baseUrl,
      portalId: connection.hubspot.portalId,
      auth: secrets.hubspot.kind,
      ...(secrets.hubspot.kind === 'oauth' ? { tokenExpiresAt: secrets.hubspot.expiresAt } : {}),
    },
    salesforce: { instanceUrl: connection.salesforce.instanceUrl, orgId: connection.salesforce.orgId, auth: secrets.salesforce.kind },
    paused: await new ConnectionState(deps.redis, keys).paused(),
    budget,
    ...(problem ? { problem } : {}),
    pending: { contacts: await pendingCount(deps.redis, keys, 'contacts'), companies: await pendingCount(deps.redis, keys, 'companies') },
    deadLetters: await new DeadLetters(deps.redis, keys).size(),
    lag: await stats.lastLag(),
    changeListener: { atWork: await listenerAlive(deps.redis, keys), ...(seenUntil !== undefined ? { seenUntil } : {}) },
    links: { contacts: await links.count('contacts'), companies: await links.count('companies') },
    totals: await stats.totals(),
    backfill,
    createdAt: connection.createdAt,
    updatedAt: connection.updatedAt,
  };
}

export async function throughput(deps: Pick<AdminDeps, 'redis' | 'root'>, id: string, minutes: number): Promise<MinuteActivity[]> {
  return new ActivityStats(deps.redis, new Keyspace(id, deps.root)).recent(minutes);
}
