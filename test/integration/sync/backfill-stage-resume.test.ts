/**
 * A backfill cut off while staging a Salesforce object resumes from both ends' checkpoints: the upward
 * end after `cursor`, the downward end before `cursorDown`. Only the records between them are read
 * again, and every record of the object, staged before the cut or after it, reaches HubSpot once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackfillProgress } from '../../../src/worker/backfill/run-backfill.js';
import { backfill, backfillRunId } from '../../../src/worker/backfill/run-backfill.js';
import { compareIds } from '../../../src/core/sync/identity.js';
import { Staging } from '../../../src/worker/backfill/staging.js';
import { liveSource, salesforceFields } from '../../../src/worker/sync/load-batch.js';
import { startSyncHarness, type SyncHarness } from '../../helpers/sync-harness.js';

let h: SyncHarness;

beforeAll(async () => {
  // Pages of three records: the ten between the two ends take both ends several pages each.
  h = await startSyncHarness({ connectionId: 'stage-resume', salesforce: { queryPageSize: 3 } });
}, 60_000);

afterAll(async () => h?.close());

describe('a backfill resumed in its staging phase', () => {
  it('reads only what lies between its two ends, and loses nothing staged before the cut', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push(h.salesforce.store.insert('Lead', { Email: `stage-${i}@example.com`, LastName: `Stage ${i}`, Company: 'Acme' }, { origin: 'ui' }));
    ids.sort(compareIds);
    const ext = h.mappings.contacts.identity.salesforce_external_id;

    // What an earlier run left: the ten lowest Ids staged upward, the ten highest downward, each end's checkpoint.
    const run = backfillRunId({ pair: 'contacts' });
    const startedAt = Date.now();
    const staging = new Staging(h.ctx.redis, h.ctx.keys, `${run}-${startedAt.toString(36)}`, startedAt);
    const outer = [...ids.slice(0, 10), ...ids.slice(20)];
    const records = await liveSource(h.ctx).find('Lead', salesforceFields(h.mappings.contacts, 'Lead', h.mappings), { ids: outer, emails: [], externalIds: [], externalIdField: ext }, 'backfill');
    expect(records).toHaveLength(20);
    await staging.add('Lead', records, ext);
    await h.ctx.checkpoints.save('backfill:contacts', { phase: 'stage:Lead', cursor: ids[9], cursorDown: ids[20], processed: 20, done: false, startedAt, updatedAt: startedAt, run });

    const phases: BackfillProgress[] = [];
    await backfill(h.ctx, { pair: 'contacts', onProgress: (p) => phases.push(p) });

    // The staging of Leads went on from both ends and read the ten between them, nothing more.
    const staged = phases.find((p) => p.phase !== 'stage:Lead');
    expect(staged?.processed).toBe(30);
    const contacts = h.hubspot.store.list('contacts', { properties: ['email'], limit: 100 }).results.map((c) => c.properties.email);
    for (let i = 0; i < 30; i++) expect(contacts.filter((e) => e === `stage-${i}@example.com`), `stage-${i}`).toHaveLength(1);
    expect((await h.ctx.links.bySalesforce('contacts', ids)).size).toBe(30);
  }, 60_000);
});
