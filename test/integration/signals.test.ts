/**
 * Change signals: ids coalesce into batch jobs, and a change signalled while a flush is turning the
 * pending ids into a batch (after it took them, before it removed them) stays pending for the next
 * batch instead of being lost.
 */
import { Queue, type JobsOptions } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBullConnection, Keyspace, queuePrefix } from '../../src/platform/redis.js';
import { QUEUES, type BatchJob } from '../../src/worker/queues.js';
import { flush, pendingCount, signal } from '../../src/worker/signals.js';
import { useRedis, type RedisTestContext } from '../helpers/redis.js';

let r: RedisTestContext;
let keys: Keyspace;

/** A real queue that lets a test act between a flush taking ids and removing them. */
class QueueWithHook extends Queue {
  onAdd: (() => Promise<void>) | undefined;
  override async add(name: string, data: unknown, opts?: JobsOptions) {
    const job = await super.add(name, data, opts);
    const hook = this.onAdd;
    this.onAdd = undefined;
    if (hook) await hook();
    return job;
  }
}

let queue: QueueWithHook;

beforeAll(async () => {
  r = await useRedis('signals');
  keys = new Keyspace('c1', r.root);
  queue = new QueueWithHook(QUEUES.sync, { connection: createBullConnection(r.url), prefix: queuePrefix(r.root) });
});
afterAll(async () => {
  await queue.obliterate({ force: true });
  await queue.close();
  await r.cleanup();
});

async function batches(): Promise<BatchJob[]> {
  const jobs = await queue.getJobs(['waiting', 'delayed', 'prioritized']);
  return jobs.filter((j) => j.name === 'batch').map((j) => j.data as BatchJob);
}

describe('change signals', () => {
  it('coalesce repeated ids into one batch, in arrival order', async () => {
    await signal(r.redis, queue, keys, 'contacts', 'hubspot', ['1', '2'], { windowMs: 10_000 }, 1000);
    await signal(r.redis, queue, keys, 'contacts', 'hubspot', ['2', '3', '1'], { windowMs: 10_000 }, 2000);
    await signal(r.redis, queue, keys, 'contacts', 'salesforce', ['00Q1'], { windowMs: 10_000 }, 1500);
    expect(await flush(r.redis, queue, keys, 'contacts')).toBe(1);
    const [batch] = await batches();
    expect(batch).toMatchObject({ hubspotIds: ['2', '3', '1'], salesforceIds: ['00Q1'], seenAt: 1000 });
    expect(await pendingCount(r.redis, keys, 'contacts')).toBe(0);
    await queue.obliterate({ force: true });
  });

  it('keeps a change signalled between taking and removing the ids for the next batch', async () => {
    await signal(r.redis, queue, keys, 'contacts', 'hubspot', ['7', '8'], { windowMs: 10_000 }, 3000);
    queue.onAdd = () => signal(r.redis, queue, keys, 'contacts', 'hubspot', ['8'], { windowMs: 10_000 }, 3100);
    expect(await flush(r.redis, queue, keys, 'contacts')).toBe(2);
    const all = await batches();
    expect(all.map((b) => b.hubspotIds)).toEqual(expect.arrayContaining([['7', '8'], ['8']]));
    expect(await pendingCount(r.redis, keys, 'contacts')).toBe(0);
  });
});
