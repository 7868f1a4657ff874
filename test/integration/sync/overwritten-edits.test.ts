/**
 * A person's edit that lands between a sync batch's read and its write is overwritten by the write:
 * neither vendor offers a conditional update for batches. revloop catches it from field provenance
 * (see ProvenanceStore) and puts it back, deciding the field as if the write had not happened: the
 * more recent change wins, on both sides. Reproduced with the real listener, the simulators and the
 * pipeline's own parts; the rep's edit is made just before the batch's Salesforce write, or, with the
 * listener away, just after its read (a change the listener recorded before the plan is read, not overwritten).
 */
import type { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBullConnection } from '../../../src/platform/redis.js';
import { createQueue, QUEUES } from '../../../src/worker/queues.js';
import { planBatch } from '../../../src/core/sync/batch-plan.js';
import { liveSource, loadBatch, type SalesforceSource } from '../../../src/worker/sync/load-batch.js';
import type { SalesforceRecords } from '../../../src/providers/salesforce/salesforce-records.js';
import { syncBatch } from '../../../src/worker/sync/sync-batch.js';
import type { SyncContext } from '../../../src/worker/sync/sync-context.js';
import { writeBatch } from '../../../src/worker/sync/write-batch.js';
import { startListener } from '../../helpers/change-listener.js';
import { startSyncHarness, type SyncHarness } from '../../helpers/sync-harness.js';

const T0 = Date.parse('2026-07-01T09:00:00Z');
let clock = T0;
const now = () => clock;
let h: SyncHarness;
let queue: Queue;

beforeAll(async () => {
  h = await startSyncHarness({ connectionId: 'overwritten', hubspot: { now }, salesforce: { now }, now });
  queue = createQueue(QUEUES.sync, createBullConnection(h.redis.url), h.redis.root);
}, 60_000);

afterAll(async () => {
  await queue?.obliterate({ force: true });
  await queue?.close();
  await h?.close();
});

/** The real change listener (test/helpers/change-listener.ts). */
const listen = (fresh = true) => startListener(h, queue, { fresh });

/** A person entered on both sides and synced once (linked, ledger stored), title 'Analyst'. */
async function syncedPerson(email: string): Promise<{ hubspotId: string; leadId: string }> {
  const [hs] = h.hubspot.store.createMany('contacts', [{ properties: { email, lastname: 'Person', jobtitle: 'Analyst' } }], { actor: { source: 'CRM_UI' }, quiet: true });
  const [lead] = h.salesforce.store.insertMany('Lead', [{ Email: email, LastName: 'Person', Company: 'Acme', Title: 'Analyst' }]);
  clock += 1_000;
  await syncBatch(h.ctx, { pair: 'contacts', hubspotIds: [hs as string], salesforceIds: [], priority: 'live' });
  return { hubspotId: hs as string, leadId: lead?.id as string };
}

/**
 * The sync context with `meanwhile` (a rep's edit) run just before the batch's first Salesforce write:
 * after the batch read and planned, before its write lands.
 */
function editBeforeWrite(meanwhile: () => Promise<void>): SyncContext {
  const salesforce = h.ctx.salesforce;
  let done = false;
  const update: SalesforceRecords['update'] = async (...args) => {
    if (!done) {
      done = true;
      await meanwhile();
    }
    return salesforce.update(...args);
  };
  return { ...h.ctx, salesforce: Object.assign(Object.create(salesforce) as SalesforceRecords, { update }) };
}

/** Reads Salesforce live, then runs `meanwhile` (a rep's edit) before the batch plans and writes. */
function editAfterRead(meanwhile: () => Promise<void>): SalesforceSource {
  const live = liveSource(h.ctx);
  let done = false;
  return {
    async find(object, fields, keys, priority) {
      const found = await live.find(object, fields, keys, priority);
      if (!done && found.length > 0) {
        done = true;
        await meanwhile();
      }
      return found;
    },
    accounts: (how, values, fields, priority) => live.accounts(how, values, fields, priority),
  };
}

const title = (leadId: string) => h.salesforce.store.get('Lead', leadId)?.Title;
const jobtitle = (hubspotId: string) => h.hubspot.store.get('contacts', hubspotId, { properties: ['jobtitle'] })?.properties.jobtitle;

describe("a change made between a batch's read and its write", () => {
  it('a rep edit the listener handled before the write is put back by the same job', async () => {
    const listener = await listen();
    try {
      clock = T0 + 60_000;
      const { hubspotId, leadId } = await syncedPerson('first@example.com');
      // A marketer edits the title; live sync reads both sides...
      clock += 60_000;
      h.hubspot.store.update('contacts', hubspotId, { jobtitle: 'Manager' }, { actor: { source: 'CRM_UI', userId: 1 } });
      clock += 1_000;
      const ctx = editBeforeWrite(async () => {
        // ...and a rep edits the Lead after the read, before the write: the newer change.
        clock += 1_000;
        h.salesforce.store.update('Lead', leadId, { Title: 'Director' }, { origin: 'ui' });
        await listener.seen(clock);
        clock += 1_000;
      });
      const result = await syncBatch(ctx, { pair: 'contacts', hubspotIds: [hubspotId], salesforceIds: [], priority: 'live' });
      expect(title(leadId)).toBe('Director');
      expect(jobtitle(hubspotId)).toBe('Director');
      expect(result.outcome.updatedSalesforce).toBe(2); // the overwriting write, then the one putting the edit back
      expect((await h.ctx.provenance.clobbered('salesforce', [leadId])).size).toBe(0);
      // Settled: the next sync writes nothing.
      clock += 1_000;
      const again = await syncBatch(h.ctx, { pair: 'contacts', hubspotIds: [hubspotId], salesforceIds: [leadId], priority: 'live' });
      expect(again.outcome.updatedSalesforce + again.outcome.updatedHubSpot).toBe(0);
    } finally {
      await listener.stop();
    }
  });

  it("a rep edit whose event arrives after the write (the listener down) is put back by the edit's own sync", async () => {
    let listener = await listen();
    try {
      clock = T0 + 3_600_000;
      const { hubspotId, leadId } = await syncedPerson('late@example.com');
      clock += 1_000;
      await listener.seen(clock - 1_000);
      await listener.stop();
      clock += 60_000;
      h.hubspot.store.update('contacts', hubspotId, { jobtitle: 'Manager' }, { actor: { source: 'CRM_UI', userId: 1 } });
      clock += 1_000;
      const source = editAfterRead(async () => {
        clock += 1_000;
        h.salesforce.store.update('Lead', leadId, { Title: 'Director' }, { origin: 'ui' });
        clock += 1_000;
      });
      await syncBatch(h.ctx, { pair: 'contacts', hubspotIds: [hubspotId], salesforceIds: [], priority: 'live', source });
      expect(title(leadId)).toBe('Manager'); // overwritten, not known yet
      // The listener comes back and reads the missed events: the rep's edit is found overwritten.
      listener = await listen(false);
      await listener.seen(clock);
      expect((await h.ctx.provenance.clobbered('salesforce', [leadId])).get(leadId)?.map((e) => e.clobbered.value)).toEqual(['Director']);
      // The sync its signal starts puts it back on both sides.
      clock += 1_000;
      await syncBatch(h.ctx, { pair: 'contacts', hubspotIds: [], salesforceIds: [leadId], priority: 'live' });
      expect(title(leadId)).toBe('Director');
      expect(jobtitle(hubspotId)).toBe('Director');
      expect((await h.ctx.provenance.clobbered('salesforce', [leadId])).size).toBe(0);
    } finally {
      await listener.stop();
    }
  });

  it('a rep edit older than a HubSpot change made meanwhile is not put back over it', async () => {
    const listener = await listen();
    try {
      clock = T0 + 7_200_000;
      const { hubspotId, leadId } = await syncedPerson('older@example.com');
      clock += 60_000;
      h.hubspot.store.update('contacts', hubspotId, { jobtitle: 'Manager' }, { actor: { source: 'CRM_UI', userId: 1 } });
      clock += 1_000;
      const ctx = editBeforeWrite(async () => {
        clock += 1_000;
        h.salesforce.store.update('Lead', leadId, { Title: 'Director' }, { origin: 'ui' });
        await listener.seen(clock);
        // The marketer changes the title again after the rep: the newest change of all.
        clock += 1_000;
        h.hubspot.store.update('contacts', hubspotId, { jobtitle: 'VP Marketing' }, { actor: { source: 'CRM_UI', userId: 1 } });
        clock += 1_000;
      });
      await syncBatch(ctx, { pair: 'contacts', hubspotIds: [hubspotId], salesforceIds: [], priority: 'live' });
      expect(title(leadId)).toBe('VP Marketing');
      expect(jobtitle(hubspotId)).toBe('VP Marketing');
    } finally {
      await listener.stop();
    }
  });

  it('a marketer edit made after a backfill page was read is put back over the Salesforce value the page lost to', async () => {
    const listener = await listen();
    try {
      clock = T0 + 10_800_000;
      const { hubspotId, leadId } = await syncedPerson('page@example.com');
      // A rep edits the Lead; the backfill reads its HubSpot page (still 'Analyst')...
      clock += 60_000;
      h.salesforce.store.update('Lead', leadId, { Title: 'Director' }, { origin: 'ui' });
      await listener.seen(clock);
      clock += 1_000;
      const readAt = clock;
      const page = await h.ctx.contacts.read([hubspotId], ['email', 'lastname', 'jobtitle', 'company', 'hs_email_domain'], { priority: 'backfill' });
      // ...then a marketer edits the title, recorded by the webhook receiver as it records every HubSpot change.
      clock += 10_000;
      h.hubspot.store.update('contacts', hubspotId, { jobtitle: 'Manager' }, { actor: { source: 'CRM_UI', userId: 1 } });
      await h.ctx.provenance.record('hubspot', [{ id: hubspotId, field: 'jobtitle', value: 'Manager', at: clock, actor: 'person', source: 'hubspot:CRM_UI' }]);
      // The backfill plans its page (Salesforce newer than the page) and writes 'Director' over the marketer's edit.
      clock += 10_000;
      await syncBatch(h.ctx, { pair: 'contacts', hubspotIds: [hubspotId], salesforceIds: [], priority: 'backfill', preloaded: { hubspot: [...page.values()], readAt } });
      expect(jobtitle(hubspotId)).toBe('Manager');
      expect(title(leadId)).toBe('Manager');
      expect((await h.ctx.provenance.clobbered('hubspot', [hubspotId])).size).toBe(0);
    } finally {
      await listener.stop();
    }
  });

  it('a backfill page creating a Lead that live sync created meanwhile does not overwrite it', async () => {
    clock = T0 + 14_400_000;
    const [hubspotId] = h.hubspot.store.createMany('contacts', [{ properties: { email: 'twice@example.com', lastname: 'Twice', jobtitle: 'Analyst' } }], { actor: { source: 'CRM_UI' }, quiet: true }) as [string];
    // A backfill reads its HubSpot page (only in HubSpot: a Lead is to be created) and plans it...
    clock += 10_000;
    const readAt = clock;
    const page = await h.ctx.contacts.read([hubspotId], ['email', 'lastname', 'jobtitle', 'company', 'hs_email_domain'], { priority: 'backfill' });
    const input = await loadBatch(h.ctx, { pair: 'contacts', hubspotIds: [hubspotId], salesforceIds: [], priority: 'backfill', preloaded: { hubspot: [...page.values()], readAt } });
    const plan = planBatch(input);
    expect(plan.createInSalesforce.map((c) => c.hubspotId)).toEqual([hubspotId]);
    // ...meanwhile a marketer edits the title and live sync creates the Lead with it...
    clock += 10_000;
    h.hubspot.store.update('contacts', hubspotId, { jobtitle: 'Director' }, { actor: { source: 'CRM_UI', userId: 1 } });
    clock += 1_000;
    await syncBatch(h.ctx, { pair: 'contacts', hubspotIds: [hubspotId], salesforceIds: [], priority: 'live' });
    const leads = () => h.salesforce.store.findByExternalId('Lead', 'Revloop_HubSpot_Id__c', hubspotId).map((id) => h.salesforce.store.get('Lead', id)?.Title);
    expect(leads()).toEqual(['Director']);
    // ...then the backfill writes its plan: the Lead exists, so it is refused, not overwritten with the page's values.
    clock += 1_000;
    const result = await writeBatch(h.ctx, 'contacts', plan, 'backfill', { readAt: input.readAt });
    expect(result.existedInSalesforce).toEqual([hubspotId]);
    expect(leads()).toEqual(['Director']);
    expect(result.outcome.parked).toBe(0);
  });
});
