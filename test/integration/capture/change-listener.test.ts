/**
 * Salesforce change events through jsforce's streaming client: every change becomes a signal; the
 * listener stopped while changes keep coming and started again resumes from the stored replay id
 * and misses nothing; revloop's own writes are recognised as echoes; gaps are read.
 */
import type { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenForChanges, replayKey, type ListenerStats } from '../../../src/capture/salesforce/change-listener.js';
import { createBullConnection } from '../../../src/platform/redis.js';
import { listenerAlive } from '../../../src/state/changes-seen.js';
import { createQueue, QUEUES } from '../../../src/worker/queues.js';
import { pendingKey } from '../../../src/worker/signals.js';
import { startSyncHarness, type SyncHarness } from '../../helpers/sync-harness.js';

let h: SyncHarness;
let queue: Queue;

beforeAll(async () => {
  h = await startSyncHarness({ connectionId: 'cdc' });
  queue = createQueue(QUEUES.sync, createBullConnection(h.redis.url), h.redis.root);
}, 60_000);
afterAll(async () => {
  await queue.obliterate({ force: true });
  await queue.close();
  await h?.close();
});

async function until(what: string, probe: () => Promise<boolean> | boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function start(stats: { current?: ListenerStats }) {
  const controller = new AbortController();
  const done = listenForChanges(h.ctx, { queue, windowMs: 50, signal: controller.signal, onEvent: (s) => (stats.current = s) });
  return { stop: () => controller.abort(), done };
}

describe('the Salesforce change listener', () => {
  it('signals every change, and resumes after a restart without missing one', async () => {
    const first: { current?: ListenerStats } = {};
    const a = start(first);
    await until('the subscription', () => (h.salesforce.cdc?.stats().subscriptions['/data/ChangeEvents'] ?? 0) > 0);
    const created: string[] = [];
    const write = (n: number) => {
      for (let i = 0; i < n; i++) created.push(h.salesforce.store.insert('Lead', { LastName: `L${created.length}`, Company: 'X', Email: `l${created.length}@example.com` }, { origin: 'ui' }));
    };
    write(40);
    await until('the first 40 events', () => (first.current?.received ?? 0) >= 40);
    // At work while it runs (syncs wait for it to catch up), not once stopped.
    expect(await listenerAlive(h.redis.redis, h.ctx.keys)).toBe(true);
    a.stop();
    await a.done;
    expect(await listenerAlive(h.redis.redis, h.ctx.keys)).toBe(false);
    const stored = Number(await h.redis.redis.get(replayKey(h.ctx)));
    expect(stored).toBe(first.current?.lastReplayId);

    // Changes keep coming while no listener runs.
    write(35);
    const second: { current?: ListenerStats } = {};
    const b = start(second);
    write(25);
    await until('the 60 later events', () => (second.current?.received ?? 0) >= 60);
    b.stop();
    await b.done;

    expect((first.current?.received ?? 0) + (second.current?.received ?? 0)).toBe(100);
    const pending = await h.redis.redis.zrange(pendingKey(h.ctx.keys, 'contacts', 'salesforce'), 0, -1);
    expect(new Set(pending)).toEqual(new Set(created));
    // Field provenance: a person in Salesforce's UI set the Lead's last name.
    const provenance = await h.ctx.provenance.get('salesforce', created[0] as string);
    expect(provenance.LastName).toMatchObject({ value: 'L0', actor: 'person' });
  }, 60_000);

  it("recognises revloop's own writes as echoes and reads gap events", async () => {
    await h.redis.redis.del(pendingKey(h.ctx.keys, 'contacts', 'salesforce'));
    const stats: { current?: ListenerStats } = {};
    const run = start(stats);
    await until('the subscription', () => (h.salesforce.cdc?.stats().subscriptions['/data/ChangeEvents'] ?? 0) > 0);
    await h.ctx.salesforce.create('Lead', [{ LastName: 'Echo', Company: 'Revloop' }]);
    const gapId = h.salesforce.store.insert('Lead', { LastName: 'Gap', Company: 'X' }, { origin: 'ui', emitChanges: false } as never);
    h.salesforce.cdc?.injectGap({ entityName: 'Lead', changeType: 'GAP_UPDATE', recordIds: [gapId] });
    await until('both events', () => (stats.current?.received ?? 0) >= 2);
    run.stop();
    await run.done;
    expect(stats.current).toMatchObject({ echoes: 1, gaps: 1 });
    expect(await h.redis.redis.zrange(pendingKey(h.ctx.keys, 'contacts', 'salesforce'), 0, -1)).toEqual([gapId]);
  }, 30_000);
});
