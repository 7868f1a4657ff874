/**
 * SOQL injection attempts carried by synced values. Through the real path (revloop's SOQL builder,
 * jsforce, the Salesforce simulator's SOQL parser) every value stays a value: a query for a hostile
 * value finds exactly the record holding that value, never more; and people whose emails, names and
 * titles carry SOQL are synced as they are, matched only with their own counterpart, leaving every
 * other record untouched.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RevloopError } from '../../src/platform/errors.js';
import { select, where } from '../../src/providers/salesforce/soql.js';
import { syncBatch } from '../../src/worker/sync/sync-batch.js';
import { startSyncHarness, type SyncHarness } from '../helpers/sync-harness.js';

const PAYLOADS = [
  "' OR Title != '",
  "x' OR Id != null OR Title = 'x",
  "\\' OR Id != null OR Title = \\'",
  "\\\\' OR Id != null --",
  "') OR (Id != null",
  "' OR 1=1 --",
  "'; DELETE FROM Lead; --",
  "%' OR Title LIKE '%",
  "' AND Id IN (SELECT Id FROM Lead) AND Title != '",
  '" OR Title != "',
  "line\nbreak' OR Id != null OR Title = '",
  "tab\t' OR Id != null OR Title = '",
  '\u2019 OR Title != \u2019',
  'ends with a backslash \\',
  "'+OR+Id+!%3D+null+OR+Title+%3D+'",
  '%',
  '_',
];

let h: SyncHarness;
const titleIds = new Map<string, string>();
let decoys: string[] = [];

beforeAll(async () => {
  h = await startSyncHarness({ connectionId: 'injection' });
  const seeded = h.salesforce.store.insertMany('Lead', PAYLOADS.map((title, i) => ({ LastName: `Payload${i}`, Company: 'Acme', Title: title, Email: `payload${i}@example.com` })));
  PAYLOADS.forEach((p, i) => titleIds.set(p, seeded[i]?.id as string));
  decoys = h.salesforce.store.insertMany('Lead', Array.from({ length: 30 }, (_, i) => ({ LastName: `Decoy${i}`, Company: 'Decoy Inc', Title: `Decoy title ${i}`, Email: `decoy${i}@example.com` }))).map((r) => r.id as string);
}, 60_000);

afterAll(async () => h?.close());

async function titles(condition: ReturnType<typeof where.eq>): Promise<string[]> {
  const page = await h.ctx.salesforce.queryPage({ soql: select(['Id', 'Title'], 'Lead', { where: condition }) });
  return page.records.map((r) => String(r.Title));
}

describe('hostile values in queries (builder → jsforce → simulator)', () => {
  it.each(PAYLOADS.map((p) => [JSON.stringify(p), p]))('finds exactly the record holding %s (=, IN and LIKE)', async (_shown, payload) => {
    expect(await titles(where.eq('Title', payload))).toEqual([payload]);
    expect(await titles(where.in('Title', [payload, 'no such title']))).toEqual([payload]);
    const liked = await titles(where.like('Title', payload));
    expect(liked).toContain(payload);
    // LIKE matches the value literally: every title found contains it.
    for (const t of liked) expect(t.toLowerCase()).toContain(payload.toLowerCase());
  });

  it.each([
    ['a field name carrying a condition', () => where.eq('Title != null OR Id', 'x')],
    ['a field name with a quote', () => where.eq("Title'", 'x')],
    ['an object name carrying a clause', () => select(['Id'], 'Lead WHERE Id != null')],
    ['a relationship name carrying a subquery', () => select(['Id'], 'Lead', { children: [{ relationship: 'Tasks) FROM Lead --', fields: ['Id'] }] })],
    ['a LIMIT that is not a whole number', () => select(['Id'], 'Lead', { limit: 1.5 })],
  ])('refuses %s before any query is sent', (_name, build) => {
    const before = h.salesforce.counter.total;
    expect(build).toThrow(RevloopError);
    expect(h.salesforce.counter.total).toBe(before);
  });
});

describe('people whose values carry SOQL, synced both ways', () => {
  const emails = ["o'brien@example.com", "x'or'1'='1@example.com", "a'+or+email!='@example.com", '100%_sure@example.com', "q\\'@example.com"];

  it('creates each as it is, matches none with another record, touches no decoy', async () => {
    const contacts = h.hubspot.store.createMany(
      'contacts',
      emails.map((email, i) => ({ properties: { email, firstname: PAYLOADS[i] as string, lastname: PAYLOADS[i + 5] as string, jobtitle: PAYLOADS[i + 10] as string } })),
      { actor: { source: 'CRM_UI' }, quiet: true },
    );
    const leadsBefore = h.salesforce.store.count('Lead');
    const decoysBefore = decoys.map((id) => h.salesforce.store.get('Lead', id));
    const { outcome } = await syncBatch(h.ctx, { pair: 'contacts', hubspotIds: contacts, salesforceIds: [], priority: 'live' });
    // A backslash is not allowed in an email address by Salesforce: that one person is parked with its message.
    const parked = await h.ctx.deadLetters.list();
    expect(parked.map((p) => [p.hubspotId, p.code])).toEqual([[contacts[4], 'INVALID_EMAIL_ADDRESS']]);
    expect(outcome.createdInSalesforce).toBe(emails.length - 1);
    expect(h.salesforce.store.count('Lead')).toBe(leadsBefore + emails.length - 1);
    for (const [i, email] of emails.slice(0, 4).entries()) {
      const lead = h.salesforce.store.query(`SELECT Id, Email, FirstName, LastName, Title, Revloop_HubSpot_Id__c FROM Lead WHERE Revloop_HubSpot_Id__c = '${contacts[i]}'`).records;
      expect(lead).toHaveLength(1);
      expect(lead[0]).toMatchObject({ Email: email, FirstName: PAYLOADS[i], LastName: PAYLOADS[i + 5], Title: PAYLOADS[i + 10] });
    }
    expect(decoys.map((id) => h.salesforce.store.get('Lead', id))).toEqual(decoysBefore);
  });

  it("pairs a HubSpot contact with the one Lead that has its quoted email, and only that one", async () => {
    const email = "d'angelo@example.com";
    const [leadResult] = h.salesforce.store.insertMany('Lead', [{ Email: email, LastName: 'Angelo', Company: 'Acme' }]);
    const [contact] = h.hubspot.store.createMany('contacts', [{ properties: { email, firstname: "' OR Id != null --", lastname: 'Angelo' } }], { actor: { source: 'CRM_UI' }, quiet: true });
    const leadsBefore = h.salesforce.store.count('Lead');
    const { outcome } = await syncBatch(h.ctx, { pair: 'contacts', hubspotIds: [contact as string], salesforceIds: [], priority: 'live' });
    expect(outcome).toMatchObject({ createdInSalesforce: 0, parked: 0, linked: 1 });
    expect(h.salesforce.store.count('Lead')).toBe(leadsBefore);
    expect(h.salesforce.store.get('Lead', leadResult?.id as string)).toMatchObject({ FirstName: "' OR Id != null --", Revloop_HubSpot_Id__c: contact });
    expect(h.salesforce.store.query("SELECT Id FROM Lead WHERE FirstName = '\\' OR Id != null --'").records).toHaveLength(1);
  });

  it('carries a Salesforce value full of SOQL to HubSpot unchanged', async () => {
    const [lead] = h.salesforce.store.insertMany('Lead', [{ Email: 'from-sf@example.com', LastName: "Robert'); DROP TABLE Students;--", Company: "Acme' OR '1'='1", Title: '%_\\%' }]);
    const { outcome } = await syncBatch(h.ctx, { pair: 'contacts', hubspotIds: [], salesforceIds: [lead?.id as string], priority: 'live' });
    expect(outcome.createdInHubSpot).toBe(1);
    const contact = h.hubspot.store.getBy('contacts', 'email', 'from-sf@example.com', { properties: ['lastname', 'company', 'jobtitle'] });
    expect(contact?.properties).toMatchObject({ lastname: "Robert'); DROP TABLE Students;--", company: "Acme' OR '1'='1", jobtitle: '%_\\%' });
  });
});
