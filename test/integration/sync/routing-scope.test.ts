/**
 * Lead-vs-Contact routing, the inclusion scope in both directions, picklist maps, and records the
 * Salesforce org refuses: exactly those are parked with the org's own message, the rest sync.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backfill } from '../../../src/worker/backfill/run-backfill.js';
import { startSyncHarness, type SyncHarness } from '../../helpers/sync-harness.js';

let h: SyncHarness;
beforeAll(async () => {
  h = await startSyncHarness();
});
afterAll(async () => h?.close());

const actor = { actor: { source: 'CRM_UI' as const }, quiet: true };

describe('routing, scope, picklists and refused records', () => {
  it('routes new people to a Contact under the matching Account, else a Lead', async () => {
    const acme = h.salesforce.store.insert('Account', { Name: 'Acme', Website: 'https://www.acme.com' });
    h.hubspot.store.createMany('contacts', [
      { properties: { email: 'wile@acme.com', firstname: 'Wile', lastname: 'Coyote' } },
      { properties: { email: 'road@runner.org', firstname: 'Road', lastname: 'Runner' } },
    ], actor);
    await backfill(h.ctx, { pair: 'contacts' });
    const contact = h.salesforce.store.query("SELECT Id, AccountId, LastName FROM Contact WHERE Email = 'wile@acme.com'").records[0];
    expect(contact).toMatchObject({ AccountId: acme, LastName: 'Coyote' });
    expect(h.salesforce.store.query("SELECT Id FROM Lead WHERE Email = 'wile@acme.com'").records).toHaveLength(0);
    const lead = h.salesforce.store.query("SELECT Id, Company FROM Lead WHERE Email = 'road@runner.org'").records[0];
    expect(lead).toMatchObject({ Company: '[not provided]' });
    const hs = h.hubspot.store.getBy('contacts', 'email', 'wile@acme.com', { properties: ['revloop_salesforce_contact_id', 'company'] });
    expect(hs?.properties.revloop_salesforce_contact_id).toBe(contact?.Id);
    // The Contact's company comes from its Account, one way.
    expect(hs?.properties.company).toBe('Acme');
  });

  it('keeps people out of scope out, in both directions', async () => {
    const noEmail = h.hubspot.store.create('contacts', { properties: { firstname: 'Anon', lastname: 'Ymous' } }, actor);
    h.salesforce.store.insert('Lead', { FirstName: 'Nomail', LastName: 'Lead', Company: 'X' });
    const before = { hs: h.hubspot.store.count('contacts'), leads: h.salesforce.store.count('Lead') };
    await backfill(h.ctx, { pair: 'contacts' });
    expect(h.hubspot.store.count('contacts')).toBe(before.hs);
    expect(h.salesforce.store.count('Lead')).toBe(before.leads);
    expect(h.salesforce.store.query("SELECT Id FROM Lead WHERE LastName = 'Ymous'").records).toHaveLength(0);
    expect((await h.ctx.links.byHubSpot('contacts', [noEmail.id])).size).toBe(0);
  });

  it('maps picklist values both ways (company industry)', async () => {
    h.hubspot.store.create('companies', { properties: { name: 'Initech', domain: 'initech.com', industry: 'COMPUTER_SOFTWARE' } }, actor);
    h.salesforce.store.insert('Account', { Name: 'Globex Bank', Website: 'globex.com', Industry: 'Banking' });
    await backfill(h.ctx, { pair: 'companies' });
    expect(h.salesforce.store.query("SELECT Industry FROM Account WHERE Name = 'Initech'").records[0]).toMatchObject({ Industry: 'Technology' });
    const globex = h.hubspot.store.list('companies', { limit: 100, properties: ['name', 'industry'] }).results.find((c) => c.properties.name === 'Globex Bank');
    expect(globex?.properties.industry).toBe('BANKING');
  });

  it('parks exactly the records Salesforce refuses, with its message; the rest sync', async () => {
    const people = Array.from({ length: 300 }, (_, i) => ({ properties: { email: `bulk${i}@example.net`, firstname: `B${i}`, lastname: i % 100 === 7 ? 'X'.repeat(120) : `Last${i}` } }));
    h.hubspot.store.createMany('contacts', people, actor);
    await backfill(h.ctx, { pair: 'contacts' });
    const parked = await h.ctx.deadLetters.list(100);
    const bad = people.filter((p) => p.properties.lastname.length > 80).map((p) => p.properties.email);
    expect(parked).toHaveLength(bad.length);
    for (const entry of parked) {
      expect(entry).toMatchObject({ pair: 'contacts', side: 'salesforce', code: 'STRING_TOO_LONG' });
      expect(entry.message).toMatch(/Last Name: data value too large/);
    }
    const leads = h.salesforce.store.query("SELECT Email FROM Lead WHERE Email LIKE 'bulk%'").records.map((l) => String(l.Email));
    expect(leads).toHaveLength(300 - bad.length);
    expect(leads.some((e) => bad.includes(e))).toBe(false);
  });
});
