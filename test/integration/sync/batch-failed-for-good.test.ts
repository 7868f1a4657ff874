/**
 * A sync batch that fails for good (its last attempt, or an unrecoverable error) parks every record it
 * carried with the failure, so no change is lost unseen; a retry from the dead letters syncs them and
 * their entries clear.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retryParked } from '../../../src/admin/dead-letters/retry.js';
import { Keyspace } from '../../../src/platform/redis.js';
import { DeadLetters } from '../../../src/state/dead-letters.js';
import { JOBS, type BatchJob } from '../../../src/worker/queues.js';
import { startAppHarness, type AppHarness } from '../../helpers/app-harness.js';

let h: AppHarness;

beforeAll(async () => {
  h = await startAppHarness({ connectionId: 'failing' });
}, 60_000);
afterAll(async () => h?.close());

describe('a sync batch that fails for good', () => {
  it('parks each of its records with the failure, and a retry syncs them and clears the entries', async () => {
    const leadId = h.salesforce.store.insert('Lead', { Email: 'stuck@example.com', LastName: 'Stuck', Company: 'Acme', Title: 'Analyst' }, { origin: 'ui' });
    const contact = h.hubspot.store.create('contacts', { properties: { email: 'other@example.com', lastname: 'Other' } }, { actor: { source: 'CRM_UI' } });
    const dlq = new DeadLetters(h.redis.redis, new Keyspace('failing', h.redis.root));

    h.hubspot.faults.configure({ errorRates: { '503': 1 } });
    const data: BatchJob = { connectionId: 'failing', pair: 'contacts', hubspotIds: [contact.id], salesforceIds: [leadId], priority: 'live' };
    const job = await h.stack.syncQueue.add(JOBS.batch, data, { attempts: 1 });
    await h.until('the batch to fail', async () => (await job.getState()) === 'failed', 30_000);
    h.hubspot.faults.configure({});

    const parked = await dlq.list();
    expect(parked.map((p) => p.record).sort()).toEqual([`hubspot:contacts:${contact.id}`, `salesforce:Lead:${leadId}`].sort());
    for (const p of parked) {
      expect(p.code).toBe('UPSTREAM_UNAVAILABLE');
      expect(p.message).toMatch(/^its sync batch failed for good after 1 attempt: HubSpot/);
    }

    await retryParked({ redis: h.redis.redis, syncQueue: h.stack.syncQueue, root: h.redis.root }, 'failing', { all: true });
    await h.until('the parked records to sync', async () => (await dlq.size()) === 0, 30_000);
    const emails = h.hubspot.store.list('contacts', { properties: ['email'], limit: 100 }).results.map((c) => c.properties.email);
    expect(emails).toContain('stuck@example.com');
  }, 90_000);

  it('clears the entries of records the retry finds already in sync (nothing to write)', async () => {
    const leadId = h.salesforce.store.insert('Lead', { Email: 'calm@example.com', LastName: 'Calm', Company: 'Acme' }, { origin: 'ui' });
    const dlq = new DeadLetters(h.redis.redis, new Keyspace('failing', h.redis.root));
    const batch = async (attempts: number) => {
      const job = await h.stack.syncQueue.add(JOBS.batch, { connectionId: 'failing', pair: 'contacts', hubspotIds: [], salesforceIds: [leadId], priority: 'live' } satisfies BatchJob, { attempts });
      await h.until('the batch to settle', async () => ['failed', 'completed'].includes(await job.getState()), 30_000);
      return job.getState();
    };
    expect(await batch(1)).toBe('completed');
    h.hubspot.faults.configure({ errorRates: { '503': 1 } });
    expect(await batch(1)).toBe('failed');
    h.hubspot.faults.configure({});
    expect((await dlq.list()).map((p) => p.record)).toEqual([`salesforce:Lead:${leadId}`]);
    await retryParked({ redis: h.redis.redis, syncQueue: h.stack.syncQueue, root: h.redis.root }, 'failing', { all: true });
    await h.until('the entry to clear', async () => (await dlq.size()) === 0, 30_000);
  }, 90_000);
});
