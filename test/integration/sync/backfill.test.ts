/**
 * Issue 4's backfill on the simulators through the real clients: 10,000 people on each side, 2,000 of
 * them sharing an email. After the backfill both sides hold the same 18,000 linked people, with no
 * duplicate, every field as its rule says; a second backfill writes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backfill } from '../../../src/worker/backfill/run-backfill.js';
import { startSyncHarness, type SyncHarness } from '../../helpers/sync-harness.js';

const PEOPLE = 10_000;
const SHARED = 2_000;
const T0 = Date.parse('2026-06-01T00:00:00Z');
let clock = T0;
const now = () => clock;
let h: SyncHarness;

const email = (i: number) => `person${i}@example${i % 7}.com`;
const writes = (h: SyncHarness) => ({
  hubspot: h.hubspot.counter.count((r) => /^POST .*batch\/(update|upsert|create)$/.test(r)),
  salesforce: h.salesforce.counter.count((r) => /^(PATCH|POST) .*composite\/sobjects|jobs\/ingest/.test(r)),
});

beforeAll(async () => {
  h = await startSyncHarness({ hubspot: { now }, salesforce: { now } });
  const ratings = ['Hot', 'Warm', 'Cold'];
  // Salesforce: shared people 0..999 edited before HubSpot, 1000..1999 after; then 8,000 of its own,
  // all entered by the org's people (not revloop's integration user, whose own writes carry no time).
  const ui = { origin: 'ui' as const };
  const lead = (i: number, first: string) => ({ Email: email(i).toUpperCase(), FirstName: first, LastName: `Last${i}`, Company: `SF Co ${i}`, Rating: ratings[i % 3], Title: i % 2 ? `SF title ${i}` : null });
  clock = T0;
  h.salesforce.store.insertMany('Lead', Array.from({ length: SHARED / 2 }, (_, i) => lead(i, `SFirst${i}`)), ui);
  clock = T0 + 2 * 3600_000;
  h.salesforce.store.insertMany('Lead', Array.from({ length: SHARED / 2 }, (_, k) => lead(SHARED / 2 + k, `SFirst${SHARED / 2 + k}`)), ui);
  h.salesforce.store.insertMany('Lead', Array.from({ length: PEOPLE - SHARED }, (_, k) => lead(PEOPLE + k, `SFOnly${k}`)), ui);
  // HubSpot, in between the two Salesforce halves.
  clock = T0 + 3600_000;
  h.hubspot.store.createMany(
    'contacts',
    Array.from({ length: PEOPLE }, (_, i) => ({
      properties: { email: email(i), firstname: `HFirst${i}`, lastname: `Last${i}`, company: `HS Co ${i}`, hubspotscore: String(i % 100), jobtitle: i % 2 ? `HS title ${i}` : '' },
    })),
    { actor: { source: 'CRM_UI' }, quiet: true },
  );
  clock = T0 + 4 * 3600_000;
}, 120_000);

afterAll(async () => h?.close());

describe('backfill of 10,000 + 10,000 people', () => {
  it('links 18,000 people on both sides with no duplicate and every field as its rule says', async () => {
    const result = await backfill(h.ctx, { pair: 'contacts' });
    expect(result.phase).toBe('done');
    expect(result.outcome.parked).toBe(0);
    expect(h.hubspot.store.count('contacts')).toBe(PEOPLE + PEOPLE - SHARED);
    expect(h.salesforce.store.count('Lead')).toBe(PEOPLE + PEOPLE - SHARED);
    expect(await h.ctx.links.count('contacts')).toBe(PEOPLE + PEOPLE - SHARED);

    const leads = h.salesforce.store.query('SELECT Id, Email, FirstName, LastName, Company, Title, Rating, Revloop_HubSpot_Id__c, Revloop_Lead_Score__c FROM Lead').records;
    const byHubSpot = new Map<string, Record<string, unknown>>();
    const emails = new Set<string>();
    for (const l of leads) {
      const e = String(l.Email).toLowerCase();
      expect(emails.has(e), `duplicate Lead email ${e}`).toBe(false);
      emails.add(e);
      expect(l.Revloop_HubSpot_Id__c).toBeTruthy();
      byHubSpot.set(String(l.Revloop_HubSpot_Id__c), l);
    }
    const contacts = h.hubspot.store.list('contacts', { limit: 100_000, properties: ['email', 'firstname', 'lastname', 'company', 'jobtitle', 'hubspotscore', 'rating', 'revloop_salesforce_lead_id'] }).results;
    expect(new Set(contacts.map((c) => c.properties.email)).size).toBe(contacts.length);
    for (const c of contacts) {
      const p = c.properties;
      const l = byHubSpot.get(c.id);
      expect(l, `contact ${c.id} has no Lead`).toBeDefined();
      if (!l) continue;
      expect(p.revloop_salesforce_lead_id).toBe(l.Id);
      expect(String(l.Email).toLowerCase()).toBe(p.email);
      const i = Number(/person(\d+)@/.exec(p.email ?? '')?.[1]);
      expect(p.lastname).toBe(l.LastName);
      if (i < SHARED) {
        // two-way firstname: the more recent side wins.
        expect(p.firstname).toBe(i < SHARED / 2 ? `HFirst${i}` : `SFirst${i}`);
        expect(l.FirstName).toBe(p.firstname);
        // prefer-salesforce-unless-blank company.
        expect(p.company).toBe(`SF Co ${i}`);
        expect(l.Company).toBe(`SF Co ${i}`);
      } else if (i < PEOPLE) {
        expect(l.FirstName).toBe(`HFirst${i}`);
        expect(l.Company).toBe(`HS Co ${i}`);
      } else {
        expect(p.firstname).toBe(`SFOnly${i - PEOPLE}`);
        expect(p.company).toBe(`SF Co ${i}`);
      }
      // always-hubspot score, always-salesforce rating, two-way title filling blanks.
      if (i < PEOPLE) expect(l.Revloop_Lead_Score__c).toBe(i % 100);
      expect(p.rating).toBe(l.Rating);
      expect(p.jobtitle ?? '').toBe(l.Title ?? '');
    }
  }, 240_000);

  it('writes nothing the second time', async () => {
    const before = writes(h);
    const result = await backfill(h.ctx, { pair: 'contacts' });
    expect(result.outcome).toMatchObject({ createdInHubSpot: 0, createdInSalesforce: 0, updatedHubSpot: 0, updatedSalesforce: 0, parked: 0 });
    expect(writes(h)).toEqual(before);
  }, 240_000);
});
