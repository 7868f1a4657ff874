import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backfill } from '../../../src/worker/backfill/run-backfill.js';
import { startSyncHarness, type SyncHarness } from '../../helpers/sync-harness.js';

let h: SyncHarness;
beforeAll(async () => {
  h = await startSyncHarness();
});
afterAll(async () => h?.close());

describe('sync smoke', () => {
  it('backfills a handful of people both ways', async () => {
    const actor = { source: 'CRM_UI' as const };
    for (const [email, first, last] of [['ada@example.com', 'Ada', 'Lovelace'], ['grace@example.com', 'Grace', 'Hopper'], ['alan@example.com', 'Alan', 'Turing']]) {
      h.hubspot.store.create('contacts', { properties: { email: email as string, firstname: first as string, lastname: last as string } }, { actor } as never);
    }
    h.salesforce.store.insert('Lead', { Email: 'ada@example.com', FirstName: 'Ada', LastName: 'L.', Company: 'Engines' });
    h.salesforce.store.insert('Lead', { Email: 'edsger@example.com', FirstName: 'Edsger', LastName: 'Dijkstra', Company: 'TU' });
    const result = await backfill(h.ctx, { pair: 'contacts' });
    console.log(JSON.stringify(result), h.ctx.deadLetters && (await h.ctx.deadLetters.list()));
    expect(h.hubspot.store.count('contacts')).toBe(4);
    expect(h.salesforce.store.count('Lead')).toBe(4);
  });
});
