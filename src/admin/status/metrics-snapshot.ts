/** What /metrics reads from Redis at each scrape: the values every process shares (see platform/metrics). */
import type { SharedSnapshot } from '../../platform/metrics.js';
import { Keyspace } from '../../platform/redis.js';
import { ActivityStats } from '../../state/activity-stats.js';
import { ConnectionState } from '../../state/connection-state.js';
import { DeadLetters } from '../../state/dead-letters.js';
import type { AdminDeps } from '../admin-deps.js';
import { queueDepths } from './connection-status.js';

export async function readMetricsSnapshot(deps: AdminDeps): Promise<SharedSnapshot> {
  const snap: SharedSnapshot = { apiCalls: [], jobs: [], recordsWritten: [], queueJobs: [], deadLetters: [], budgetRemaining: [], paused: [], lagSeconds: [] };
  for (const [queue, states] of Object.entries(await queueDepths(deps))) {
    for (const [state, value] of Object.entries(states)) snap.queueJobs.push({ queue, state, value });
  }
  for (const c of await deps.connections.list()) {
    const connection = c.id;
    const keys = new Keyspace(connection, deps.root);
    const stats = new ActivityStats(deps.redis, keys);
    for (const [field, value] of Object.entries(await stats.totals())) {
      const [kind, a, b] = field.split(':');
      if (kind === 'api' && (a === 'hubspot' || a === 'salesforce') && (b === 'ok' || b === 'error')) snap.apiCalls.push({ connection, system: a, outcome: b, value });
      else if (kind === 'jobs' && a && (b === 'completed' || b === 'failed')) snap.jobs.push({ connection, name: a, outcome: b, value });
      else if (field === 'records:written') snap.recordsWritten.push({ connection, value });
    }
    snap.deadLetters.push({ connection, value: await new DeadLetters(deps.redis, keys).size() });
    snap.paused.push({ connection, value: (await new ConnectionState(deps.redis, keys).paused()) ? 1 : 0 });
    const lag = await stats.lastLag();
    if (lag) snap.lagSeconds.push({ connection, value: lag.lagMs / 1000 });
    try {
      const usage = await (await deps.registry.get(connection)).budget.usage();
      if (usage.hubspot.dailyLimit !== undefined) snap.budgetRemaining.push({ connection, system: 'hubspot', window: 'day', value: usage.hubspot.dailyLimit - usage.hubspot.dailyUsed });
      if (usage.salesforce.budget !== undefined) snap.budgetRemaining.push({ connection, system: 'salesforce', window: 'day', value: usage.salesforce.budget - usage.salesforce.used });
    } catch {
      // A connection whose context cannot be built (invalid mappings) has no budget to report.
    }
  }
  return snap;
}
