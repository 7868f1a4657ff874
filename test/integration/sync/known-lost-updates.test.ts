/**
 * Ways a person's edit was undone, found by `npm run chaos` and reproduced here step by step with the
 * pipeline's own parts on the simulators, each fixed:
 *
 * 1. A stale Salesforce staging: a backfill pairs HubSpot pages against the Salesforce records it
 *    staged when it started. A Salesforce edit made after the staging reaches HubSpot through live
 *    sync; when the backfill then reaches that person, the ledger says Salesforce "changed" (its
 *    staged value differs from the value live sync recorded) and the staged, older value is written
 *    over HubSpot. Fixed: people synced since the staging began (their ledger is newer) are read live.
 * 2. revloop's own write to HubSpot as a change time: a backfill unit writes a staged (older) Lead
 *    value into HubSpot after a rep edited the Lead; the ledger of that write is lost (the job killed
 *    before storing it, or Redis's last second). HubSpot's property history dates the carried value
 *    after the rep's edit, so the next sync wrote it back over the Lead. Fixed: a property whose latest
 *    history entry is revloop's own app has no change time of its own.
 * 3. Salesforce's LastModifiedDate as the time of every field: revloop's own write to a Lead (here the
 *    external id, as a backfill writes it) made every field of the Lead look changed then, and a
 *    HubSpot edit made a moment before, on a pair without a ledger entry, was undone. Fixed: when
 *    revloop modified the record last and the change listener has handled every change up to then, a
 *    field without provenance has no recent time. The counter-case: a Salesforce edit made just before
 *    revloop's write has provenance from its change event, and still wins.
 * 4. Records older than their ledger: a backfill read a HubSpot page; live sync then carried a HubSpot
 *    edit to the Lead and stored the pair's ledger; the backfill, planning its page against that
 *    ledger, took the page's older value for a newer change and wrote it over the Lead. Fixed: a pair
 *    whose ledger was stored after the batch's records were read is read again.
 * 5. A stale Salesforce staging again, past the fix of 1: live sync carried a rep's edit to HubSpot and
 *    stored the pair's ledger, but its link in Redis was lost; the backfill found the ledger newer than
 *    its records and read HubSpot again, but found no link to read the Lead again by, so it planned
 *    from the staged copy, wrote the older value over HubSpot, and nothing synced the person again.
 *    Fixed: a record with a change recorded (by the listener, or revloop) after it was read is read again.
 * 6. (Found reading the code.) A Salesforce value that begins with the value revloop wrote there ("Anna"
 *    after "Ann") passed for revloop's own value, with no change time, and lost to an older HubSpot
 *    edit. Fixed: only a value revloop's provenance clipped (ending in …) matches by its beginning.
 * 7. (A CI chaos run, with Redis restarted.) A person only in Salesforce: a backfill's leftovers create
 *    the HubSpot contact, then write its id onto the Lead. A marketer edited the new contact in between,
 *    and live sync, with the listener away, took the Lead's LastModifiedDate (that write) for a newer
 *    Salesforce value: the write had no pending provenance (only writes to pairs that existed before the
 *    batch had), so nothing explained it. Fixed: the writes onto records paired by the batch's own
 *    creations are recorded pending before they are sent, as the others are.
 * 8. (A full chaos run.) Two of revloop's jobs on one person: a backfill unit read a HubSpot page just
 *    before a marketer's edit and planned the Lead's value from it; live sync carried the edit to the
 *    Lead; the unit's write then landed over it. Both writes were revloop's and the overwritten-change
 *    check only compared revloop's writes with others', so nothing synced the person again. Fixed: a
 *    revloop write landing over another revloop write to a mapped field, recorded after its own basis
 *    with another value, overwrote it; the overwritten value is put back as a change made at its own
 *    write's basis (a newer edit on either side still wins).
 */
import type { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBullConnection } from '../../../src/platform/redis.js';
import { markListenerAlive } from '../../../src/state/changes-seen.js';
import type { SalesforceRecords } from '../../../src/providers/salesforce/salesforce-records.js';
import { createQueue, QUEUES } from '../../../src/worker/queues.js';
import { Staging } from '../../../src/worker/backfill/staging.js';
import { liveSource } from '../../../src/worker/sync/load-batch.js';
import { syncBatch } from '../../../src/worker/sync/sync-batch.js';
import type { SyncContext } from '../../../src/worker/sync/sync-context.js';
import { startListener, type RunningListener } from '../../helpers/change-listener.js';
import { startSyncHarness, type SyncHarness } from '../../helpers/sync-harness.js';

const T0 = Date.parse('2026-06-01T09:00:00Z');
let clock = T0;
const now = () => clock;
let h: SyncHarness;
let queue: Queue;

beforeAll(async () => {
  h = await startSyncHarness({ connectionId: 'lost', hubspot: { now }, salesforce: { now }, now });
  queue = createQueue(QUEUES.sync, createBullConnection(h.redis.url), h.redis.root);
}, 60_000);

afterAll(async () => {
  await queue?.obliterate({ force: true });
  await queue?.close();
  await h?.close();
});

/** The real change listener (test/helpers/change-listener.ts); `seen(at)` allows a second's slack. */
const listen = (fresh = true) => startListener(h, queue, { fresh, slackMs: 1_000 });

/** The listener runs while a rep edits the Lead's company a minute later, handles it, then is away (its worker gone). */
async function repEditThenListenerAway(leadId: string): Promise<void> {
  const listener = await listen();
  try {
    clock += 60_000;
    h.salesforce.store.update('Lead', leadId, { Company: 'Acme Corp' }, { origin: 'ui' });
    await listener.seen(clock);
  } finally {
    await listener.stop();
  }
}

/** A backfill's staging of the Lead as it is now. */
async function stageLead(run: string, leadId: string): Promise<Staging> {
  const staging = new Staging(h.ctx.redis, h.ctx.keys, run, clock);
  const fields = ['Id', 'Email', 'LastName', 'Title', 'Company', 'IsConverted', 'LastModifiedDate', 'LastModifiedById', 'CreatedDate', 'Revloop_HubSpot_Id__c'];
  await staging.add('Lead', await liveSource(h.ctx).find('Lead', fields, { ids: [leadId], emails: [], externalIds: [], externalIdField: 'Revloop_HubSpot_Id__c' }, 'backfill'), 'Revloop_HubSpot_Id__c');
  return staging;
}

/** A person on both sides, entered by people (a marketer in HubSpot, a rep in Salesforce), not yet linked. */
function person(email: string, lastname: string, jobtitle: string, title = jobtitle): { hubspotId: string; leadId: string } {
  const [hs] = h.hubspot.store.createMany('contacts', [{ properties: { email, lastname, jobtitle } }], { actor: { source: 'CRM_UI' }, quiet: true });
  const [lead] = h.salesforce.store.insertMany('Lead', [{ Email: email, LastName: lastname, Company: 'Acme', Title: title }]);
  return { hubspotId: hs as string, leadId: lead?.id as string };
}

function jobtitle(hubspotId: string): string | null | undefined {
  return h.hubspot.store.get('contacts', hubspotId, { properties: ['jobtitle'] })?.properties.jobtitle;
}

describe('edits kept', () => {
  it('a Salesforce edit made during a backfill stays in HubSpot when the backfill reaches the person', async () => {
    clock = T0;
    const { hubspotId, leadId } = person('stale@example.com', 'Stale', 'Analyst');
    // The backfill starts: the Salesforce side is staged as it is now.
    const staging = await stageLead('known-bug-1', leadId);
    // Meanwhile a rep edits the Lead; live sync carries it to HubSpot.
    clock = T0 + 60_000;
    h.salesforce.store.update('Lead', leadId, { Title: 'Director' }, { origin: 'ui' });
    clock = T0 + 61_000;
    await syncBatch(h.ctx, { pair: 'contacts', hubspotIds: [], salesforceIds: [leadId], priority: 'live' });
    expect(jobtitle(hubspotId)).toBe('Director');
    // The backfill reaches the person: a fresh HubSpot page, the staged Salesforce record.
    clock = T0 + 120_000;
    const page = await h.ctx.contacts.read([hubspotId], ['email', 'lastname', 'jobtitle', 'company', 'hs_email_domain'], { priority: 'backfill' });
    await syncBatch(h.ctx, { pair: 'contacts', hubspotIds: [hubspotId], salesforceIds: [], priority: 'backfill', preloaded: { hubspot: [...page.values()] }, source: staging.source(liveSource(h.ctx)) });
    await staging.clear(['Lead']);
    expect(h.salesforce.store.get('Lead', leadId)?.Title).toBe('Director');
    expect(jobtitle(hubspotId)).toBe('Director');
  });

  it('a Salesforce edit made during a backfill stays in HubSpot when live sync carried it but its link in Redis was lost', async () => {
    const listener = await listen();
    try {
      clock = T0 + 20 * 3_600_000;
      const { hubspotId, leadId } = person('staged-lost@example.com', 'Staged', 'Analyst');
      const staging = await stageLead('known-bug-6', leadId);
      // A rep edits the Lead after the staging (the listener records it); live sync carries it to HubSpot...
      clock += 60_000;
      h.salesforce.store.update('Lead', leadId, { Title: 'Director' }, { origin: 'ui' });
      await listener.seen(clock);
      clock += 1_000;
      await syncBatch(h.ctx, { pair: 'contacts', hubspotIds: [], salesforceIds: [leadId], priority: 'live' });
      expect(jobtitle(hubspotId)).toBe('Director');
      // ...but the link it stored in Redis is gone (Redis restarted without its last second); the ledger is there.
      await h.ctx.links.unlinkHubSpot('contacts', hubspotId);
      // The backfill reaches the person with the staged copy of the Lead.
      clock += 60_000;
      const page = await h.ctx.contacts.read([hubspotId], ['email', 'lastname', 'jobtitle', 'company', 'hs_email_domain', 'revloop_salesforce_lead_id'], { priority: 'backfill' });
      await syncBatch(h.ctx, { pair: 'contacts', hubspotIds: [hubspotId], salesforceIds: [], priority: 'backfill', preloaded: { hubspot: [...page.values()] }, source: staging.source(liveSource(h.ctx)) });
      await staging.clear(['Lead']);
      expect(h.salesforce.store.get('Lead', leadId)?.Title).toBe('Director');
      expect(jobtitle(hubspotId)).toBe('Director');
    } finally {
      await listener.stop();
    }
  });

  it("a Salesforce edit is kept when revloop's own later write of an older value to HubSpot outlived its ledger", async () => {
    clock = T0 + 7_200_000;
    const { hubspotId, leadId } = person('carried@example.com', 'Carried', 'Manager', 'Analyst');
    // A rep edits the Lead...
    clock += 60_000;
    h.salesforce.store.update('Lead', leadId, { Title: 'Director' }, { origin: 'ui' });
    // ...and a moment later revloop writes the older Lead value it staged into HubSpot (a backfill unit),
    // and the job dies before storing the ledger (or Redis loses its last second).
    clock += 1_000;
    await h.ctx.contacts.update([{ id: hubspotId, properties: { jobtitle: 'Analyst' } }], 'backfill');
    // The next sync sees no ledger: HubSpot's history dates the carried value after the rep's edit.
    clock += 1_000;
    await syncBatch(h.ctx, { pair: 'contacts', hubspotIds: [], salesforceIds: [leadId], priority: 'live' });
    expect(h.salesforce.store.get('Lead', leadId)?.Title).toBe('Director');
    expect(jobtitle(hubspotId)).toBe('Director');
  });

  it("a HubSpot edit is kept when revloop's own write to the Lead comes after it", async () => {
    let listener: Awaited<ReturnType<typeof listen>> | undefined;
    try {
      clock = T0 + 3_600_000;
      const { hubspotId, leadId } = person('lmd@example.com', 'Modified', 'Analyst');
      // The records are older than revloop's listener (created before it was installed): no provenance.
      listener = await listen();
      // A marketer edits the title in HubSpot...
      clock += 60_000;
      h.hubspot.store.update('contacts', hubspotId, { jobtitle: 'Director' }, { actor: { source: 'CRM_UI', userId: 1 } });
      // ...and a moment later revloop writes the link onto the Lead (as a backfill does), before any ledger exists for the pair.
      clock += 1_000;
      await h.ctx.salesforce.update('Lead', [{ Id: leadId, Revloop_HubSpot_Id__c: hubspotId }], 'backfill');
      await listener.seen(clock);
      clock += 1_000;
      await syncBatch(h.ctx, { pair: 'contacts', hubspotIds: [hubspotId], salesforceIds: [], priority: 'live' });
      expect(h.salesforce.store.get('Lead', leadId)?.Title).toBe('Director');
      expect(jobtitle(hubspotId)).toBe('Director');
    } finally {
      await listener?.stop();
    }
  });

  it("a Salesforce edit made just before revloop's own write to the Lead is kept", async () => {
    let listener: Awaited<ReturnType<typeof listen>> | undefined;
    try {
      clock = T0 + 10_800_000;
      const { hubspotId, leadId } = person('before@example.com', 'Before', 'Analyst');
      // The records are older than revloop's listener (created before it was installed): no provenance.
      listener = await listen();
      // A marketer edits the title in HubSpot, then a rep edits it in Salesforce...
      clock += 60_000;
      h.hubspot.store.update('contacts', hubspotId, { jobtitle: 'Manager' }, { actor: { source: 'CRM_UI', userId: 1 } });
      clock += 30_000;
      h.salesforce.store.update('Lead', leadId, { Title: 'Director' }, { origin: 'ui' });
      // ...and revloop writes the link onto the Lead a moment later: the rep's edit is still the newer one.
      clock += 1_000;
      await h.ctx.salesforce.update('Lead', [{ Id: leadId, Revloop_HubSpot_Id__c: hubspotId }], 'backfill');
      await listener.seen(clock);
      clock += 1_000;
      await syncBatch(h.ctx, { pair: 'contacts', hubspotIds: [hubspotId], salesforceIds: [], priority: 'live' });
      expect(h.salesforce.store.get('Lead', leadId)?.Title).toBe('Director');
      expect(jobtitle(hubspotId)).toBe('Director');
    } finally {
      await listener?.stop();
    }
  });
  it("a HubSpot edit is kept when revloop's own write to the Lead, a moment before, is not handled by the listener yet", async () => {
    clock = T0 + 18_000_000;
    const { hubspotId, leadId } = person('behind@example.com', 'Behind', 'Analyst');
    // The records are older than revloop's listener (created before it was installed): no provenance.
    let listener: RunningListener | undefined;
    try {
      // The listener stops (its worker restarting); a marketer edits the title...
      await repEditThenListenerAway(leadId);
      clock += 60_000;
      h.hubspot.store.update('contacts', hubspotId, { jobtitle: 'Director' }, { actor: { source: 'CRM_UI', userId: 1 } });
      // ...and another job writes the link onto the Lead, before any ledger exists for the pair.
      clock += 1_000;
      await h.ctx.salesforce.update('Lead', [{ Id: leadId, Revloop_HubSpot_Id__c: hubspotId }], 'backfill');
      // The marketer's edit is synced; the listener comes back while the sync waits for it.
      clock += 1_000;
      const restarted = new Promise((r) => setTimeout(r, 500)).then(() => listen(false)).then((l) => (listener = l));
      await syncBatch(h.ctx, { pair: 'contacts', hubspotIds: [hubspotId], salesforceIds: [], priority: 'live' });
      await restarted;
      expect(h.salesforce.store.get('Lead', leadId)?.Title).toBe('Director');
      expect(jobtitle(hubspotId)).toBe('Director');
    } finally {
      await listener?.stop();
    }
  });

  it("a HubSpot edit is kept when another job's write to the Lead is in flight and the listener is away", async () => {
    clock = T0 + 21_600_000;
    const { hubspotId, leadId } = person('inflight@example.com', 'Inflight', 'Analyst');
    // The records are older than revloop's listener: no provenance. The listener runs a while, then is away (its worker died).
    await repEditThenListenerAway(leadId);
    // A marketer edits the title...
    clock += 60_000;
    h.hubspot.store.update('contacts', hubspotId, { jobtitle: 'Director' }, { actor: { source: 'CRM_UI', userId: 1 } });
    // ...while another job (a backfill unit planned from its staging a minute ago) is writing the link onto
    // the Lead: its pending provenance is recorded, the write lands, its ledger is not stored yet.
    clock += 1_000;
    await h.ctx.provenance.record('salesforce', [{ id: leadId, field: 'Revloop_HubSpot_Id__c', value: hubspotId, at: clock, actor: 'revloop', source: `revloop:from-hubspot:contacts:${hubspotId}`, basis: clock - 60_000, pending: true }]);
    await h.ctx.salesforce.update('Lead', [{ Id: leadId, Revloop_HubSpot_Id__c: hubspotId }], 'backfill');
    // The marketer's edit is synced: the Lead's LastModifiedDate is that write, not a newer Salesforce title.
    clock += 1_000;
    await syncBatch(h.ctx, { pair: 'contacts', hubspotIds: [hubspotId], salesforceIds: [], priority: 'live' });
    expect(h.salesforce.store.get('Lead', leadId)?.Title).toBe('Director');
    expect(jobtitle(hubspotId)).toBe('Director');
  });

  it('a HubSpot edit carried by live sync is not undone by a backfill page read before it', async () => {
    clock = T0 + 14_400_000;
    const { hubspotId, leadId } = person('page@example.com', 'Page', 'Analyst');
    // The backfill reads a HubSpot page...
    clock += 10_000;
    const readAt = clock;
    const page = await h.ctx.contacts.read([hubspotId], ['email', 'lastname', 'jobtitle', 'company', 'hs_email_domain'], { priority: 'backfill' });
    // ...then a marketer edits the title and live sync carries it to the Lead (and stores the pair's ledger)...
    clock += 10_000;
    h.hubspot.store.update('contacts', hubspotId, { jobtitle: 'Director' }, { actor: { source: 'CRM_UI', userId: 1 } });
    clock += 1_000;
    await syncBatch(h.ctx, { pair: 'contacts', hubspotIds: [hubspotId], salesforceIds: [], priority: 'live' });
    expect(h.salesforce.store.get('Lead', leadId)?.Title).toBe('Director');
    // ...before the backfill gets to that page: its old HubSpot value must not look like a newer change.
    clock += 10_000;
    await syncBatch(h.ctx, { pair: 'contacts', hubspotIds: [hubspotId], salesforceIds: [], priority: 'backfill', preloaded: { hubspot: [...page.values()], readAt } });
    expect(h.salesforce.store.get('Lead', leadId)?.Title).toBe('Director');
    expect(jobtitle(hubspotId)).toBe('Director');
  });

  it('a Salesforce edit that extends the value revloop wrote (Ann to Anna) is a change of its own, not revloop\'s value', async () => {
    clock = T0 + 10 * 3_600_000;
    const { hubspotId, leadId } = person('extends@example.com', 'Extends', 'Analyst');
    clock += 1_000;
    await syncBatch(h.ctx, { pair: 'contacts', hubspotIds: [hubspotId], salesforceIds: [], priority: 'live' });
    // A marketer sets the title; revloop carries it to the Lead (its provenance: revloop wrote "Ann").
    clock += 60_000;
    h.hubspot.store.update('contacts', hubspotId, { jobtitle: 'Ann' }, { actor: { source: 'CRM_UI', userId: 1 } });
    clock += 1_000;
    await syncBatch(h.ctx, { pair: 'contacts', hubspotIds: [hubspotId], salesforceIds: [], priority: 'live' });
    expect(h.salesforce.store.get('Lead', leadId)?.Title).toBe('Ann');
    // The marketer edits again; a minute later a rep edits the Lead, its change event not read yet (no listener).
    clock += 60_000;
    h.hubspot.store.update('contacts', hubspotId, { jobtitle: 'Dr Ann' }, { actor: { source: 'CRM_UI', userId: 1 } });
    clock += 60_000;
    h.salesforce.store.update('Lead', leadId, { Title: 'Anna' }, { origin: 'ui' });
    clock += 1_000;
    // The rep's edit is the more recent: "Anna" is not the "Ann" revloop wrote, so LastModifiedDate is its time.
    await syncBatch(h.ctx, { pair: 'contacts', hubspotIds: [hubspotId], salesforceIds: [leadId], priority: 'live' });
    expect(h.salesforce.store.get('Lead', leadId)?.Title).toBe('Anna');
    expect(jobtitle(hubspotId)).toBe('Anna');
  });

  it('a HubSpot edit of a contact a backfill just created is kept when live sync meets the backfill writing its id onto the Lead', async () => {
    clock = T0 + 28_800_000;
    const [lead] = h.salesforce.store.insertMany('Lead', [{ Email: 'window@example.com', LastName: 'Window', Company: 'Acme', Title: 'Analyst' }]);
    const leadId = lead?.id as string;
    // The listener ran a while, then is away (its worker restarting after Redis came back).
    await repEditThenListenerAway(leadId);
    clock += 60_000;
    const staging = await stageLead('window', leadId);
    // The leftovers create the contact; before the Lead gets its id, a marketer edits the new contact,
    // and once it has it, live sync handles the marketer's edit while the leftovers job is still writing.
    const salesforce = h.ctx.salesforce;
    let edited: string | undefined;
    const update: SalesforceRecords['update'] = async (object, records, priority) => {
      const created = records.find((r) => r.Id === leadId)?.Revloop_HubSpot_Id__c;
      if (edited !== undefined || typeof created !== 'string') return salesforce.update(object, records, priority);
      edited = created;
      clock += 1_000;
      h.hubspot.store.update('contacts', created, { jobtitle: 'Director' }, { actor: { source: 'CRM_UI', userId: 1 } });
      clock += 1_000;
      const results = await salesforce.update(object, records, priority);
      clock += 1_000;
      await syncBatch(h.ctx, { pair: 'contacts', hubspotIds: [created], salesforceIds: [], priority: 'live' });
      clock += 1_000;
      return results;
    };
    const ctx: SyncContext = { ...h.ctx, salesforce: Object.assign(Object.create(salesforce) as SalesforceRecords, { update }) };
    const [staged] = await staging.leftovers('Lead', 10).next().then((r) => r.value ?? []);
    await syncBatch(ctx, { pair: 'contacts', hubspotIds: [], salesforceIds: [leadId], priority: 'backfill', preloaded: { salesforce: staged ? [staged] : [] }, source: staging.source(liveSource(h.ctx)), noHubSpotLookup: true });
    expect(edited).toBeDefined();
    expect(jobtitle(edited as string)).toBe('Director');
    expect(h.salesforce.store.get('Lead', leadId)?.Title).toBe('Director');
  });
  /**
   * A person synced long ago; a backfill stages the Lead; a marketer's first edit is not synced yet when
   * the backfill reads its HubSpot page. `during` runs the marketer's second edit and live sync at the
   * given step of the backfill unit's write (the unit has planned the Lead's title from its page by then).
   */
  async function backfillUnitMeetsLiveSync(email: string, at: number, during: 'pending' | 'send'): Promise<{ hubspotId: string; leadId: string }> {
    clock = at;
    const { hubspotId, leadId } = person(email, 'Race', 'Analyst');
    await syncBatch(h.ctx, { pair: 'contacts', hubspotIds: [hubspotId], salesforceIds: [], priority: 'live' });
    clock += 60_000;
    const staging = await stageLead(`race-${during}`, leadId);
    clock += 60_000;
    h.hubspot.store.update('contacts', hubspotId, { jobtitle: 'Manager' }, { actor: { source: 'CRM_UI', userId: 1 } });
    clock += 10_000;
    const readAt = clock;
    const page = await h.ctx.contacts.read([hubspotId], ['email', 'lastname', 'jobtitle', 'company', 'hs_email_domain', 'revloop_salesforce_lead_id'], { priority: 'backfill' });
    let raced = false;
    const liveSyncOfSecondEdit = async () => {
      raced = true;
      clock += 1_000;
      h.hubspot.store.update('contacts', hubspotId, { jobtitle: 'Director' }, { actor: { source: 'CRM_UI', userId: 1 } });
      clock += 1_000;
      await syncBatch(h.newContext(), { pair: 'contacts', hubspotIds: [hubspotId], salesforceIds: [], priority: 'live' });
      expect(h.salesforce.store.get('Lead', leadId)?.Title).toBe('Director');
      clock += 1_000;
    };
    const ctx: SyncContext = { ...h.ctx };
    if (during === 'send') {
      const salesforce = h.ctx.salesforce;
      const update: SalesforceRecords['update'] = async (object, records, priority) => {
        if (!raced && records.some((r) => r.Id === leadId && r.Title === 'Manager')) await liveSyncOfSecondEdit();
        return salesforce.update(object, records, priority);
      };
      ctx.salesforce = Object.assign(Object.create(salesforce) as SalesforceRecords, { update });
    } else {
      const provenance = h.ctx.provenance;
      const record: typeof provenance.record = async (side, writes) => {
        if (!raced && side === 'salesforce' && writes.some((w) => w.id === leadId && w.field === 'Title' && w.value === 'Manager')) await liveSyncOfSecondEdit();
        return provenance.record(side, writes);
      };
      ctx.provenance = Object.assign(Object.create(provenance) as typeof provenance, { record });
    }
    await syncBatch(ctx, { pair: 'contacts', hubspotIds: [hubspotId], salesforceIds: [], priority: 'backfill', preloaded: { hubspot: [...page.values()], readAt }, source: staging.source(liveSource(h.ctx)) });
    await staging.clear(['Lead']);
    expect(raced).toBe(true);
    return { hubspotId, leadId };
  }

  it("a HubSpot edit carried by live sync is kept when a backfill unit's older value lands over it (live sync's write recorded first)", async () => {
    const { hubspotId, leadId } = await backfillUnitMeetsLiveSync('race-pending@example.com', T0 + 30 * 3_600_000, 'pending');
    expect(h.salesforce.store.get('Lead', leadId)?.Title).toBe('Director');
    expect(jobtitle(hubspotId)).toBe('Director');
  });

  it("a HubSpot edit carried by live sync is kept when a backfill unit's older value lands over it (the unit's pending write recorded first)", async () => {
    const { hubspotId, leadId } = await backfillUnitMeetsLiveSync('race-send@example.com', T0 + 32 * 3_600_000, 'send');
    expect(h.salesforce.store.get('Lead', leadId)?.Title).toBe('Director');
    expect(jobtitle(hubspotId)).toBe('Director');
  });

  it('a newer HubSpot edit wins over a value put back after two of revloop\'s writes raced', async () => {
    clock = T0 + 34 * 3_600_000;
    const { hubspotId, leadId } = person('race-newer@example.com', 'Race', 'Analyst');
    await syncBatch(h.ctx, { pair: 'contacts', hubspotIds: [hubspotId], salesforceIds: [], priority: 'live' });
    // Live sync carries "Director" to the Lead, planned from a read a second before; a backfill unit planned
    // from a staging a minute older lands "Manager" over it; the marketer then sets "VP" before any re-sync.
    clock += 60_000;
    const unitBasis = clock;
    clock += 60_000;
    const liveBasis = clock;
    await h.ctx.provenance.record('salesforce', [{ id: leadId, field: 'Title', value: 'Director', at: clock + 1_000, actor: 'revloop', source: `revloop:from-hubspot:contacts:${hubspotId}`, basis: liveBasis }]);
    clock += 5_000;
    h.salesforce.store.update('Lead', leadId, { Title: 'Manager' }, { origin: 'api' });
    const found = await h.ctx.provenance.record('salesforce', [{ id: leadId, field: 'Title', value: 'Manager', at: clock, actor: 'revloop', source: `revloop:from-hubspot:contacts:${hubspotId}`, basis: unitBasis }]);
    expect(found.map((f) => [f.field, f.clobbered.value, f.clobbered.at, f.clobbered.over])).toEqual([['Title', 'Director', liveBasis, 'Manager']]);
    clock += 10_000;
    h.hubspot.store.update('contacts', hubspotId, { jobtitle: 'VP' }, { actor: { source: 'CRM_UI', userId: 1 } });
    clock += 1_000;
    await syncBatch(h.ctx, { pair: 'contacts', hubspotIds: [], salesforceIds: [leadId], priority: 'live' });
    expect(h.salesforce.store.get('Lead', leadId)?.Title).toBe('VP');
    expect(jobtitle(hubspotId)).toBe('VP');
    expect(await h.ctx.provenance.clobbered('salesforce', [leadId])).toEqual(new Map());
  });
  it("an overwritten write of revloop's own to a field the mappings do not carry (the lifecycle stage) is not put back", async () => {
    clock = T0 + 36 * 3_600_000;
    const [hs] = h.hubspot.store.createMany('contacts', [{ properties: { email: 'race-stage@example.com', lastname: 'Race', company: 'Acme', jobtitle: 'Analyst', hubspotscore: '60' } }], { actor: { source: 'CRM_UI' }, quiet: true });
    const hubspotId = hs as string;
    await syncBatch(h.ctx, { pair: 'contacts', hubspotIds: [hubspotId], salesforceIds: [], priority: 'live' });
    const stage = () => h.hubspot.store.get('contacts', hubspotId, { properties: ['lifecyclestage'] })?.properties.lifecyclestage;
    expect(stage()).toBe('marketingqualifiedlead');
    // Two of revloop's writes raced on the stage: one planned from older values landed "marketingqualifiedlead" over "lead".
    clock += 60_000;
    const source = 'revloop:from-salesforce:Lead:00Q';
    await h.ctx.provenance.record('hubspot', [{ id: hubspotId, field: 'lifecyclestage', value: 'lead', at: clock + 1_000, actor: 'revloop', source, basis: clock }]);
    const found = await h.ctx.provenance.record('hubspot', [{ id: hubspotId, field: 'lifecyclestage', value: 'marketingqualifiedlead', at: clock + 2_000, actor: 'revloop', source, basis: clock - 30_000 }]);
    expect(found).toHaveLength(1);
    // The lifecycle works the stage out again from both sides as they are: nothing to write, no manual move back to correct.
    clock += 5_000;
    const result = await syncBatch(h.ctx, { pair: 'contacts', hubspotIds: [hubspotId], salesforceIds: [], priority: 'live' });
    expect(result.outcome.updatedHubSpot).toBe(0);
    expect(stage()).toBe('marketingqualifiedlead');
    expect(await h.ctx.provenance.clobbered('hubspot', [hubspotId])).toEqual(new Map());
  });
  it("a Salesforce edit made just before another job's write to the Lead is kept when the listener at work is a moment behind", async () => {
    clock = T0 + 38 * 3_600_000;
    const { hubspotId, leadId } = person('explained-behind@example.com', 'Behind', 'Analyst');
    // The records are older than revloop's listener: no provenance. The listener runs a while, then is away (its worker restarting).
    await repEditThenListenerAway(leadId);
    // A marketer edits the title, then a rep edits it in Salesforce (the listener does not see it yet)...
    clock += 60_000;
    h.hubspot.store.update('contacts', hubspotId, { jobtitle: 'Manager' }, { actor: { source: 'CRM_UI', userId: 1 } });
    clock += 30_000;
    h.salesforce.store.update('Lead', leadId, { Title: 'Director' }, { origin: 'ui' });
    // ...and a moment later another job writes the link onto the Lead, its pending provenance recorded first:
    // the Lead's LastModifiedDate is explained as revloop's write, but the rep's edit before it is not known yet.
    clock += 1_000;
    await h.ctx.provenance.record('salesforce', [{ id: leadId, field: 'Revloop_HubSpot_Id__c', value: hubspotId, at: clock, actor: 'revloop', source: `revloop:from-hubspot:contacts:${hubspotId}`, basis: clock - 5_000, pending: true }]);
    await h.ctx.salesforce.update('Lead', [{ Id: leadId, Revloop_HubSpot_Id__c: hubspotId }], 'live');
    // The marketer's edit is synced while the listener is at work but behind (here: its mark of being at work
    // is there, and it reads on from where it stopped half a second into the sync, finding the rep's edit).
    clock += 1_000;
    await markListenerAlive(h.redis.redis, h.ctx.keys);
    let listener: RunningListener | undefined;
    const restarted = new Promise((r) => setTimeout(r, 500)).then(() => listen(false)).then((l) => (listener = l));
    try {
      await syncBatch(h.ctx, { pair: 'contacts', hubspotIds: [hubspotId], salesforceIds: [], priority: 'live' });
      await restarted;
      expect(h.salesforce.store.get('Lead', leadId)?.Title).toBe('Director');
      expect(jobtitle(hubspotId)).toBe('Director');
    } finally {
      await restarted;
      await listener?.stop();
    }
  });
});
