/**
 * A resumed backfill re-reads the pages that were in flight when its worker died. Their people are
 * linked by then, but their Salesforce records are no longer in the staging (consumed when paired,
 * or created during the first run), so the batch looks them up live: up to 2,000 ids at once. In one
 * query that URL is refused (HTTP 431) and the backfill could never finish; the lookups are split so
 * every query stays short.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backfill } from '../../../src/worker/backfill/run-backfill.js';
import { liveSource } from '../../../src/worker/sync/load-batch.js';
import { startSyncHarness, type SyncHarness } from '../../helpers/sync-harness.js';

let h: SyncHarness;
const PEOPLE = 6000;

beforeAll(async () => {
  h = await startSyncHarness({ connectionId: 'resume' });
}, 60_000);

afterAll(async () => h?.close());

describe('Salesforce lookups of a whole backfill unit', () => {
  it('finds 2,000 Leads by id and 300 by email in queries short enough to be accepted', async () => {
    const results = h.salesforce.store.insertMany('Lead', Array.from({ length: 2300 }, (_, i) => ({ Email: `lookup${i}@example.com`, LastName: `L${i}`, Company: 'Acme' })));
    const ids = results.slice(0, 2000).map((r) => r.id as string);
    const emails = Array.from({ length: 300 }, (_, i) => `lookup${2000 + i}@example.com`);
    const found = await liveSource(h.ctx).find('Lead', ['Id', 'Email'], { ids, emails, externalIds: [], externalIdField: 'Revloop_HubSpot_Id__c' }, 'backfill');
    expect(found).toHaveLength(2300);
    expect(new Set(found.map((r) => r.Id)).size).toBe(2300);
    expect(h.salesforce.counter.snapshot().filter((c) => c.errors > 0)).toEqual([]);
  });

  it('a backfill interrupted after its first unit resumes and finishes with every person once', async () => {
    h.hubspot.store.createMany('contacts', Array.from({ length: PEOPLE }, (_, i) => ({ properties: { email: `resume${i}@example.com`, firstname: `F${i}`, lastname: `L${i}` } })), { actor: { source: 'CRM_UI' }, quiet: true });
    // The first run "dies" when its first HubSpot unit is committed; the units in flight finish their writes.
    let interrupted = false;
    await expect(
      backfill(h.ctx, {
        pair: 'contacts',
        onProgress: (p) => {
          if (!interrupted && p.phase === 'hubspot' && p.processed > 2300) {
            interrupted = true;
            throw new Error('worker died');
          }
        },
      }),
    ).rejects.toThrow('worker died');
    let linked = -1;
    for (let stable = 0; stable < 5; ) {
      await new Promise((r) => setTimeout(r, 200));
      const now = await h.ctx.links.count('contacts');
      stable = now === linked ? stable + 1 : 0;
      linked = now;
    }
    // At least the committed unit (200 people) and the ones in flight landed before the resume.
    expect(linked).toBeGreaterThanOrEqual(200);

    const result = await backfill(h.ctx, { pair: 'contacts' });
    expect(result.phase).toBe('done');
    expect(result.outcome.parked).toBe(0);
    const leads = h.salesforce.store.query("SELECT Email FROM Lead WHERE Email LIKE 'resume%'").records;
    expect(leads).toHaveLength(PEOPLE);
    expect(new Set(leads.map((l) => String(l.Email))).size).toBe(PEOPLE);
    expect(h.hubspot.store.count('contacts')).toBe(PEOPLE + 2300);
  }, 120_000);
});
