/**
 * The activity driver, stepped one change at a time on a generated dataset: each kind of change has the effect a
 * user would see in HubSpot or Salesforce, made as that user (HubSpot FORM and AUTOMATION sources, Salesforce UI edits
 * by the record's rep), and the run is deterministic for a seed; start/stop keeps the rate.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { ActivityDriver, type ActivityEvent, type ActivityKind } from '../../../src/sandbox/activity/index.js';
import { generateDataset } from '../../../src/sandbox/generator/generate-dataset.js';
import { SandboxClock } from '../../../src/sandbox/generator/sandbox-clock.js';
import type { GroundTruth } from '../../../src/sandbox/generator/truth.js';
import { OPEN_STAGES, RECYCLE_REASONS, DISQUALIFY_REASONS, LOSS_REASONS } from '../../../src/sandbox/generator/vocabulary.js';
import { HubSpotStore } from '../../../src/sandbox/hubspot/store/hubspot-store.js';
import type { StoreEvent } from '../../../src/sandbox/hubspot/store/store-events.js';
import type { SalesforceChange } from '../../../src/sandbox/salesforce/change-feed.js';
import { SalesforceStore } from '../../../src/sandbox/salesforce/store/salesforce-store.js';

const HISTORY_NOW = Date.parse('2026-03-01T00:00:00.000Z');

interface World {
  truth: GroundTruth;
  hubspot: HubSpotStore;
  salesforce: SalesforceStore;
  driver: ActivityDriver;
  clock: { now: number };
  hubspotEvents: StoreEvent[];
  changes: SalesforceChange[];
}

async function world(seed = 21, people = 3000): Promise<World> {
  const time = { now: HISTORY_NOW };
  const clock = new SandboxClock(() => time.now);
  const hubspot = new HubSpotStore({ now: clock.now });
  const salesforce = new SalesforceStore({ now: clock.now });
  const truth = await generateDataset({ seed: 4, people, now: HISTORY_NOW, hubspot, salesforce, clock });
  time.now = HISTORY_NOW + 3_600_000;
  const hubspotEvents: StoreEvent[] = [];
  const changes: SalesforceChange[] = [];
  hubspot.onEvent((e) => hubspotEvents.push(e));
  salesforce.onChange((c) => changes.push(c));
  return { truth, hubspot, salesforce, driver: new ActivityDriver({ hubspot, salesforce, seed }), clock: time, hubspotEvents, changes };
}

function must(event: ActivityEvent | null, kind: ActivityKind): ActivityEvent {
  expect(event, `${kind} found something to do`).not.toBeNull();
  if (event === null) throw new Error(`no ${kind}`);
  expect(event.kind).toBe(kind);
  return event;
}

describe('ActivityDriver', () => {
  let w: World;
  beforeEach(async () => {
    w = await world();
  }, 60_000);

  it('marketing engagement adds a conversion through a form and raises the score through the scoring workflow', () => {
    const event = must(w.driver.step('marketing-engagement'), 'marketing-engagement');
    const contact = w.hubspot.get('contacts', event.recordId, { properties: ['recent_conversion_date', 'hubspotscore'], propertiesWithHistory: ['hubspotscore'] });
    expect(contact?.properties.recent_conversion_date).toBe(new Date(w.clock.now).toISOString());
    const scores = contact?.propertiesWithHistory?.hubspotscore ?? [];
    expect(Number(scores[0]?.value)).toBeGreaterThan(Number(scores[1]?.value));
    expect(scores[0]).toMatchObject({ sourceType: 'AUTOMATION_PLATFORM', timestamp: w.clock.now });
    const sources = w.hubspotEvents.filter((e) => e.objectId === event.recordId && e.kind === 'propertyChange').map((e) => e.actor.source);
    expect(sources).toEqual(expect.arrayContaining(['FORM', 'AUTOMATION']));
  });

  it('new people arrive on both sides: a form in HubSpot, a lead a rep enters in Salesforce', () => {
    const person = must(w.driver.step('new-marketing-person'), 'new-marketing-person');
    const contact = w.hubspot.get('contacts', person.recordId, { properties: ['lifecyclestage', 'email', 'hs_analytics_source'] });
    expect(contact?.properties.lifecyclestage).toBe('lead');
    expect(w.hubspotEvents.some((e) => e.kind === 'creation' && e.objectId === person.recordId && e.actor.source === 'FORM')).toBe(true);
    const lead = must(w.driver.step('new-sales-lead'), 'new-sales-lead');
    expect(w.salesforce.get('Lead', lead.recordId, ['Status', 'OwnerId'])).toMatchObject({ Status: 'Open - Not Contacted', OwnerId: lead.by });
    expect(w.changes.find((c) => c.recordIds[0] === lead.recordId)).toMatchObject({ changeType: 'CREATE', changeOrigin: '', commitUser: lead.by });
  });

  it('a rep accepts an MQL (Working - Contacted, first call logged) as a UI edit, then qualifies and converts it', () => {
    const accepted = must(w.driver.step('accept-mql'), 'accept-mql');
    const lead = w.salesforce.get('Lead', accepted.recordId, ['Status', 'OwnerId', 'Email']);
    expect(lead).toMatchObject({ Status: 'Working - Contacted', OwnerId: accepted.by });
    const contact = w.hubspot.getBy('contacts', 'email', String(lead?.Email), { properties: ['lifecyclestage'] });
    expect(contact?.properties.lifecyclestage).toBe('marketingqualifiedlead');
    const calls = w.salesforce.query(`SELECT Subject, Status, OwnerId, CreatedDate FROM Task WHERE WhoId = '${accepted.recordId}' AND CreatedDate = ${new Date(w.clock.now).toISOString()}`).records;
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ Subject: 'Call', Status: 'Completed', OwnerId: accepted.by });
    expect(w.changes.find((c) => c.entityName === 'Lead' && c.recordIds[0] === accepted.recordId)).toMatchObject({ changeType: 'UPDATE', changeOrigin: '', commitUser: accepted.by, fields: { Status: 'Working - Contacted' } });

    for (let i = 0; i < 50 && w.driver.stats().pools.working > 0; i++) must(w.driver.step('qualify'), 'qualify');
    const converted = must(w.driver.step('convert'), 'convert');
    const after = w.salesforce.get('Lead', converted.recordId, ['IsConverted', 'ConvertedContactId', 'ConvertedOpportunityId', 'Status']);
    expect(after).toMatchObject({ IsConverted: true, Status: 'Closed - Converted' });
    const opportunity = w.salesforce.get('Opportunity', String(after?.ConvertedOpportunityId), ['StageName', 'Amount', 'OwnerId']);
    expect(opportunity).toMatchObject({ StageName: 'Qualification', OwnerId: converted.by });
    expect(opportunity?.Amount).toBeGreaterThan(0);
    expect(w.driver.stats().pools.qualified).toBeGreaterThanOrEqual(0);
  });

  it("recycles and disqualifies with the lifecycle's reasons", () => {
    const recycled = must(w.driver.step('recycle'), 'recycle');
    const r = w.salesforce.get('Lead', recycled.recordId, ['Status', 'Revloop_Recycle_Reason__c']);
    expect(r?.Status).toBe('Recycled');
    expect(RECYCLE_REASONS.slice(0, -1)).toContain(r?.Revloop_Recycle_Reason__c);
    const disqualified = must(w.driver.step('disqualify'), 'disqualify');
    const d = w.salesforce.get('Lead', disqualified.recordId, ['Status', 'Revloop_Disqualify_Reason__c']);
    expect(d?.Status).toBe('Closed - Not Converted');
    expect(DISQUALIFY_REASONS).toContain(d?.Revloop_Disqualify_Reason__c);
  });

  it('moves opportunities to their next stage and closes them won or lost with a loss reason', () => {
    const before = w.driver.stats().pools.openOpportunities;
    expect(before).toBeGreaterThan(0);
    const moved = must(w.driver.step('advance-opportunity'), 'advance-opportunity');
    const [from, to] = moved.summary.split(': ')[1]?.split(' → ') ?? [];
    expect(OPEN_STAGES.indexOf(to as (typeof OPEN_STAGES)[number])).toBe(OPEN_STAGES.indexOf(from as (typeof OPEN_STAGES)[number]) + 1);
    let lost = false;
    for (let i = 0; i < 40 && w.driver.stats().pools.openOpportunities > 0; i++) {
      const closed = must(w.driver.step('close-opportunity'), 'close-opportunity');
      const o = w.salesforce.get('Opportunity', closed.recordId, ['IsClosed', 'IsWon', 'Loss_Reason__c', 'CloseDate']);
      expect(o).toMatchObject({ IsClosed: true, CloseDate: new Date(w.clock.now).toISOString().slice(0, 10) });
      if (o?.IsWon === false) {
        lost = true;
        expect(LOSS_REASONS).toContain(o.Loss_Reason__c);
      } else expect(o?.Loss_Reason__c).toBeNull();
    }
    expect(lost).toBe(true);
    expect(w.driver.stats().pools.openOpportunities).toBeLessThan(before);
  });

  it('follows changes others make: a lead set to Qualified becomes convertible; a contact made an MQL in HubSpot becomes acceptable', () => {
    const pools = () => w.driver.stats().pools;
    const person = w.truth.persons.find((p) => p.stage === 'lead' && p.hubspot !== null && p.salesforce?.leadStatus === 'Open - Not Contacted');
    const qualifiedBefore = pools().qualified;
    const open = w.salesforce.query(`SELECT Id FROM Lead WHERE Status = 'Open - Not Contacted' AND Id != '${person?.salesforce?.leadId ?? ''}' LIMIT 1`).records[0];
    w.salesforce.update('Lead', String(open?.Id), { Status: 'Qualified' });
    expect(pools().qualified).toBe(qualifiedBefore + 1);

    const before = pools();
    w.hubspot.update('contacts', person?.hubspot?.id ?? '', { lifecyclestage: 'marketingqualifiedlead' }, { actor: { source: 'INTEGRATION', appId: 54321 } });
    expect(pools().mql).toBe(before.mql + 1);
    expect(pools().open).toBe(before.open - 1);
    const waiting = pools().mql;
    for (let i = 0; i < waiting; i++) must(w.driver.step('accept-mql'), 'accept-mql');
    expect(pools().mql).toBe(0);
    expect(w.salesforce.get('Lead', person?.salesforce?.leadId ?? '', ['Status'])?.Status).toBe('Working - Contacted');
  });
});

describe('ActivityDriver runs', () => {
  it('is deterministic for a seed and a starting state', async () => {
    const a = await world(5, 800);
    const b = await world(5, 800);
    const run = (d: ActivityDriver) => Array.from({ length: 120 }, () => d.step()).map((e) => `${e?.kind}|${e?.recordId}|${e?.summary}`);
    expect(run(b.driver)).toEqual(run(a.driver));
    expect(a.driver.stats().errors).toBe(0);
    expect(Object.values(a.driver.stats().byKind).filter((n) => n > 0).length).toBeGreaterThanOrEqual(8);
  }, 60_000);

  it('makes about `rate` changes a second between start and stop, and none after', async () => {
    const w = await world(6, 500);
    const driver = new ActivityDriver({ hubspot: w.hubspot, salesforce: w.salesforce, seed: 1, rate: 50 });
    driver.start();
    expect(driver.stats().running).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    driver.stop();
    const steps = driver.stats().steps + driver.stats().skipped;
    expect(steps).toBeGreaterThanOrEqual(30);
    expect(steps).toBeLessThanOrEqual(70);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(driver.stats().steps + driver.stats().skipped).toBe(steps);
    expect(driver.stats().running).toBe(false);
    driver.close();
  }, 60_000);
});
