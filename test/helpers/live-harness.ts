/**
 * revloop running live in the test process against both simulators: the server receives HubSpot's
 * webhooks, a worker syncs, listens to Salesforce's change events and sweeps. The connection is
 * stored as an install would store it.
 */
import type { Queue } from 'bullmq';
import { sandboxEndpoints, startLocalStack } from '../../src/local/local-stack.js';
import type { Keyspace } from '../../src/platform/redis.js';
import { startHubSpotSandbox, type HubSpotSandbox, type HubSpotSandboxOptions } from '../../src/sandbox/hubspot/index.js';
import { startSalesforceSandbox, type SalesforceSandbox, type SalesforceSandboxOptions } from '../../src/sandbox/salesforce/index.js';
import type { SyncContext } from '../../src/worker/sync/sync-context.js';
import { SHIPPED_MAPPINGS } from './mappings.js';
import { useRedis, type RedisTestContext } from './redis.js';

export interface LiveHarness {
  hubspot: HubSpotSandbox;
  salesforce: SalesforceSandbox;
  redis: RedisTestContext;
  ctx: SyncContext;
  keys: Keyspace;
  syncQueue: Queue;
  serverUrl: string;
  /** Waits until `probe` holds (polling), or fails with `what`. */
  until(what: string, probe: () => boolean | Promise<boolean>, timeoutMs?: number): Promise<void>;
  /** Waits until no sync work is pending or running. */
  settled(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface LiveOptions {
  hubspot?: HubSpotSandboxOptions;
  salesforce?: SalesforceSandboxOptions;
  windowMs?: number;
  sweepEveryMs?: number;
  mappingsDir?: string;
}

const SUBSCRIPTIONS = ['contact', 'company'].flatMap((o) => ['creation', 'propertyChange', 'deletion', 'merge', 'restore', 'associationChange'].map((e) => ({ subscriptionType: `${o}.${e}` })));

export async function startLive(options: LiveOptions = {}): Promise<LiveHarness> {
  const [hubspot, salesforce, redis] = await Promise.all([
    startHubSpotSandbox({ rateLimits: { enabled: false }, ...options.hubspot }),
    startSalesforceSandbox({ dailyApiLimit: 10_000_000, ...options.salesforce }),
    useRedis('live'),
  ]);
  const stack = await startLocalStack({
    redisUrl: redis.url,
    root: redis.root,
    connectionId: 'live',
    ...sandboxEndpoints(hubspot, salesforce),
    mappingsDir: options.mappingsDir ?? SHIPPED_MAPPINGS,
    windowMs: options.windowMs ?? 100,
    sweepEveryMs: options.sweepEveryMs ?? 3_600_000,
    concurrency: 4,
    limits: { hubspotTenSecond: 100_000 },
  });
  hubspot.webhooks.configure({ targetUrl: stack.webhookUrl, subscriptions: SUBSCRIPTIONS, batchWindowMs: 20 });
  const { ctx, keys, syncQueue } = stack;

  const until: LiveHarness['until'] = async (what, probe, timeoutMs = 20_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await probe())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  // The listener is subscribed once the simulator counts its subscription.
  await until('the change listener', () => (salesforce.cdc?.stats().subscriptions['/data/ChangeEvents'] ?? 0) > 0);

  const settled: LiveHarness['settled'] = async (timeoutMs = 20_000) => {
    let quietSince = 0;
    await until(
      'the sync to settle',
      async () => {
        await hubspot.webhooks.idle();
        await salesforce.cdc?.flush();
        const counts = await syncQueue.getJobCounts('waiting', 'active', 'prioritized');
        // Delayed jobs of the standing schedulers (sweep, SLA, digest) do not count; delayed flushes and retries do.
        const delayed = (await syncQueue.getJobs(['delayed'])).filter((j) => j.name !== 'sweep' && j.name !== 'sla' && j.name !== 'digest').length;
        const pending = (await redis.redis.zcard(keys.key('pending', 'contacts', 'hubspot'))) + (await redis.redis.zcard(keys.key('pending', 'contacts', 'salesforce'))) + (await redis.redis.zcard(keys.key('pending', 'companies', 'hubspot'))) + (await redis.redis.zcard(keys.key('pending', 'companies', 'salesforce')));
        const busy = Object.values(counts).some((n) => n > 0) || delayed > 0 || pending > 0;
        if (busy) quietSince = 0;
        else if (quietSince === 0) quietSince = Date.now();
        // Quiet for a while: webhooks and change events of the last writes have arrived and been handled.
        return quietSince !== 0 && Date.now() - quietSince > 400;
      },
      timeoutMs,
    );
  };

  return {
    hubspot,
    salesforce,
    redis,
    ctx,
    keys,
    syncQueue,
    serverUrl: stack.serverUrl,
    until,
    settled,
    async close() {
      await syncQueue.obliterate({ force: true }).catch(() => undefined);
      await stack.listenQueue.obliterate({ force: true }).catch(() => undefined);
      await stack.stop();
      await Promise.allSettled([hubspot.close(), salesforce.close()]);
      await redis.cleanup();
    },
  };
}
