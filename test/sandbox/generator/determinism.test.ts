/**
 * The same seed gives the same data, ids and truth; another seed gives other data; sizes are exact from 10 people up;
 * the truth written to a file is the truth returned; bad options are refused with every problem named.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HubSpotStore } from '../../../src/sandbox/hubspot/store/hubspot-store.js';
import { SalesforceStore } from '../../../src/sandbox/salesforce/store/salesforce-store.js';
import { generateDataset, type GenerateOptions } from '../../../src/sandbox/generator/generate-dataset.js';
import { SandboxClock } from '../../../src/sandbox/generator/sandbox-clock.js';

const NOW = Date.parse('2026-03-01T00:00:00.000Z');

async function generate(seed: number, people: number, extra: Partial<GenerateOptions> = {}) {
  const clock = new SandboxClock(() => NOW);
  const hubspot = new HubSpotStore({ now: clock.now });
  const salesforce = new SalesforceStore({ now: clock.now });
  const truth = await generateDataset({ seed, people, now: NOW, hubspot, salesforce, clock, ...extra });
  return { truth, hubspot, salesforce };
}

/** Everything a client could read back: contacts and companies with all properties, the main Salesforce objects. */
function snapshot(hubspot: HubSpotStore, salesforce: SalesforceStore): string {
  const contacts = [];
  for (let page = hubspot.list('contacts', { limit: 100, properties: 'all' }); ; ) {
    contacts.push(...page.results);
    if (page.nextAfter === undefined) break;
    page = hubspot.list('contacts', { limit: 100, properties: 'all', after: page.nextAfter });
  }
  const companies = hubspot.list('companies', { limit: 100, properties: 'all' }).results;
  const soql = [
    'SELECT Id, Email, FirstName, LastName, Company, Status, OwnerId, CreatedDate, LastModifiedDate, IsConverted, ConvertedContactId FROM Lead',
    'SELECT Id, Email, AccountId, OwnerId, CreatedDate FROM Contact',
    'SELECT Id, Name, Website, Industry, CreatedDate FROM Account',
    'SELECT Id, Name, Amount, StageName, CloseDate, Loss_Reason__c, CreatedDate FROM Opportunity',
    'SELECT Id, CampaignId, LeadId, ContactId, CreatedDate FROM CampaignMember',
  ].map((q) => salesforce.query(q).records);
  return JSON.stringify({ contacts, companies, soql });
}

describe('generateDataset', () => {
  it('gives the same records, ids and ground truth for the same seed', async () => {
    const a = await generate(3, 400);
    const b = await generate(3, 400);
    expect(JSON.stringify(b.truth)).toBe(JSON.stringify(a.truth));
    expect(snapshot(b.hubspot, b.salesforce)).toBe(snapshot(a.hubspot, a.salesforce));
  });

  it('gives other people for another seed', async () => {
    const a = await generate(3, 200);
    const c = await generate(4, 200);
    expect(c.truth.persons.map((p) => p.email)).not.toEqual(a.truth.persons.map((p) => p.email));
  });

  it('plans the same people and histories whatever the batch size (only the order ids are handed out in differs)', async () => {
    const a = await generate(5, 300, { batchPeople: 7 });
    const b = await generate(5, 300, { batchPeople: 10_000 });
    const withoutIds = (truth: typeof a.truth) =>
      JSON.stringify(truth.persons.map(({ hubspot, salesforce, opportunities: _ids, ...person }) => ({ ...person, hubspot: hubspot?.email, salesforce: salesforce?.email })));
    expect(withoutIds(b.truth) === withoutIds(a.truth)).toBe(true);
    expect(b.truth.aggregates).toEqual(a.truth.aggregates);
  });

  it('generates exactly 10 people, and nothing at all for 0', async () => {
    const ten = await generate(1, 10);
    expect(ten.truth.persons).toHaveLength(10);
    expect(ten.truth.persons.map((p) => p.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(ten.hubspot.count('contacts') + ten.salesforce.count('Contact', 'AccountId != null') + ten.salesforce.count('Lead')).toBeGreaterThanOrEqual(10);
    const none = await generate(1, 0);
    expect(none.truth.persons).toHaveLength(0);
    expect(none.hubspot.count('contacts')).toBe(0);
    expect(none.salesforce.count('Lead')).toBe(0);
    expect(none.truth.owners.length).toBeGreaterThan(0);
  });

  it('writes the same ground truth to a JSON file, and leaves the details out of memory when asked', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'revloop-truth-'));
    try {
      const file = join(dir, 'truth.json');
      const full = await generate(9, 500);
      const lean = await generate(9, 500, { truthFile: file, keepDetails: false });
      expect(lean.truth.persons).toEqual([]);
      expect(lean.truth.detailed).toBe(false);
      expect(lean.truth.aggregates).toEqual(full.truth.aggregates);
      const written = JSON.parse(readFileSync(file, 'utf8')) as unknown;
      expect(written).toEqual(JSON.parse(JSON.stringify({ ...full.truth, detailed: true })));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses bad options, naming each problem, and stores that do not read the clock', async () => {
    const clock = new SandboxClock(() => NOW);
    const hubspot = new HubSpotStore({ now: clock.now });
    const salesforce = new SalesforceStore({ now: clock.now });
    await expect(generateDataset({ seed: -1, people: 1.5, hubspot, salesforce, clock })).rejects.toThrow(/seed[\s\S]*people/);
    await expect(generateDataset({ seed: 1, people: 1, hubspot, salesforce: new SalesforceStore(), clock })).rejects.toThrow(/generator clock/);
  });
});
