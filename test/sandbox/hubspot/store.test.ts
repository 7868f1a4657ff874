import { describe, expect, it } from 'vitest';
import { HubSpotStore, PropertyValuesError, type StoreEvent } from '../../../src/sandbox/hubspot/index.js';
import { PropertyColumn } from '../../../src/sandbox/hubspot/store/property-column.js';
import { TimeIndex } from '../../../src/sandbox/hubspot/store/time-index.js';
import { manualClock } from './support.js';

const importer = { actor: { source: 'IMPORT' as const } };

describe('HubSpot store (no HTTP)', () => {
  it('records events for every change, with the actor, unless quiet', () => {
    const clock = manualClock();
    const store = new HubSpotStore({ now: clock.now });
    const events: StoreEvent[] = [];
    store.onEvent((e) => events.push(e));
    const c = store.create('contacts', { properties: { email: 'e@example.com', firstname: 'E' } }, { actor: { source: 'FORM', sourceId: 'form-guid-1' } });
    expect(events.map((e) => e.kind)).toEqual(['creation', 'propertyChange', 'propertyChange']);
    expect(events[0]).toMatchObject({ objectType: 'contacts', objectId: c.id, actor: { source: 'FORM', sourceId: 'form-guid-1' } });
    events.length = 0;
    store.update('contacts', c.id, { firstname: 'E' }, importer);
    expect(events).toEqual([]); // nothing changed, nothing reported
    store.createMany('contacts', [{ properties: { email: 'q@example.com' } }], { ...importer, quiet: true });
    expect(events).toEqual([]);
  });

  it('keeps history only for changes after creation and serves the creation value from the record', () => {
    const clock = manualClock(Date.parse('2025-01-01T00:00:00.000Z'));
    const store = new HubSpotStore({ now: clock.now });
    const c = store.create('contacts', { properties: { email: 'h@example.com', city: 'Oslo', jobtitle: 'CTO' } }, importer);
    expect(store.table('contacts').historyOf(Number(c.id) - 10_000_001)).toEqual([]);
    clock.advance(1000);
    store.update('contacts', c.id, { city: 'Bergen' }, { actor: { source: 'CRM_UI', userId: 3 } });
    const read = store.get('contacts', c.id, { properties: ['city'], propertiesWithHistory: ['city', 'jobtitle'] });
    expect(read?.propertiesWithHistory?.city?.map((h) => [h.value, h.sourceType])).toEqual([
      ['Bergen', 'CRM_UI'],
      ['Oslo', 'IMPORT'],
    ]);
    expect(read?.propertiesWithHistory?.jobtitle).toEqual([
      { value: 'CTO', timestamp: Date.parse('2025-01-01T00:00:00.000Z'), sourceType: 'IMPORT', sourceId: 'IMPORT' },
    ]);
  });

  it('validates store writes too and applies nothing of a refused write', () => {
    const store = new HubSpotStore();
    const c = store.create('contacts', { properties: { email: 'v@example.com' } }, importer);
    expect(() => store.update('contacts', c.id, { firstname: 'Ok', hs_lead_status: 'WRONG' }, importer)).toThrow(PropertyValuesError);
    expect(store.get('contacts', c.id, { properties: ['firstname'] })?.properties.firstname).toBeNull();
    // The store's own actors may set read-only properties (HubSpot maintains them); the API may not.
    store.update('contacts', c.id, { hubspotscore: '42', hs_analytics_source: 'ORGANIC_SEARCH' }, { actor: { source: 'CALCULATED' } });
    expect(() => store.update('contacts', c.id, { hubspotscore: '43' }, { ...importer, enforceReadOnly: true })).toThrow(PropertyValuesError);
  });

  it('finds records by time range correctly after an out-of-order bulk load and later updates', () => {
    const clock = manualClock(Date.parse('2026-01-01T00:00:00.000Z'));
    const store = new HubSpotStore({ now: clock.now });
    const base = Date.parse('2024-01-01T00:00:00.000Z');
    const order = Array.from({ length: 2000 }, (_, i) => (i * 7919) % 2000); // a permutation
    store.createMany('contacts', order.map((i) => ({ properties: { email: `t${i}@example.com`, createdate: String(base + i * 3_600_000) } })), { ...importer, quiet: true });
    const range = store.search('contacts', {
      filterGroups: [{ filters: [{ propertyName: 'createdate', operator: 'BETWEEN', value: String(base + 100 * 3_600_000), highValue: String(base + 149 * 3_600_000) }] }],
      sorts: ['createdate'],
      limit: 100,
    });
    expect(range.total).toBe(50);
    expect(range.results.map((r) => r.properties.email)).toEqual(Array.from({ length: 50 }, (_, i) => `t${100 + i}@example.com`));
    clock.advance(1000);
    store.update('contacts', store.getBy('contacts', 'email', 't5@example.com')?.id ?? '', { firstname: 'New' }, importer);
    const recent = store.search('contacts', {
      filterGroups: [{ filters: [{ propertyName: 'lastmodifieddate', operator: 'GT', value: String(Date.parse('2025-12-31T00:00:00.000Z')) }] }],
    });
    expect(recent.results.map((r) => r.properties.email)).toEqual(['t5@example.com']);
  });

  it('loads 100,000 contacts with 20 properties quickly and keeps email lookups and searches fast', () => {
    const store = new HubSpotStore();
    const owners = store.owners.list().map((o) => o.id);
    const stages = ['subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer'];
    const started = performance.now();
    store.createMany(
      'contacts',
      (function* () {
        for (let i = 0; i < 100_000; i += 1) {
          yield {
            properties: {
              email: `p${i}@c${i % 9000}.example.com`, firstname: `F${i % 700}`, lastname: `L${i % 2000}`, company: `C${i % 9000}`,
              jobtitle: `T${i % 300}`, phone: `+1 555 ${String(i).padStart(7, '0')}`, mobilephone: `+1 666 ${String(i).padStart(7, '0')}`,
              address: `${i % 5000} Main St`, city: `City${i % 900}`, state: `S${i % 50}`, zip: String(10000 + (i % 9000)), country: 'Germany',
              industry: 'COMPUTER_SOFTWARE', website: `https://c${i % 9000}.example.com`, lifecyclestage: stages[i % 6], hs_lead_status: 'NEW',
              hubspot_owner_id: owners[i % owners.length], hs_analytics_source: 'ORGANIC_SEARCH', hubspotscore: String(i % 100), message: 'hi',
            },
          };
        }
      })(),
      { actor: { source: 'IMPORT' }, quiet: true },
    );
    const loadMs = performance.now() - started;
    expect(store.count('contacts')).toBe(100_000);
    expect(loadMs).toBeLessThan(20_000);
    const lookup = performance.now();
    expect(store.getBy('contacts', 'email', 'P77777@c5777.example.com')?.id).toBe(String(10_000_001 + 77_777));
    expect(performance.now() - lookup).toBeLessThan(50);
    const search = performance.now();
    const result = store.search('contacts', {
      filterGroups: [{ filters: [{ propertyName: 'lifecyclestage', operator: 'EQ', value: 'customer' }, { propertyName: 'city', operator: 'EQ', value: 'city5' }] }],
      limit: 200,
    });
    expect(result.total).toBeGreaterThan(0);
    expect(result.results.every((r) => r.properties.lastname !== undefined)).toBe(true);
    expect(performance.now() - search).toBeLessThan(2_000);
  });
});

describe('compact storage parts', () => {
  it('PropertyColumn keeps every value when it switches from a dictionary to plain strings', () => {
    const column = new PropertyColumn();
    for (let row = 0; row < 70_000; row += 1) column.set(row, `unique-${row}`);
    expect(column.isDictionary).toBe(false);
    expect(column.get(0)).toBe('unique-0');
    expect(column.get(69_999)).toBe('unique-69999');
    column.set(5, undefined);
    expect(column.get(5)).toBeUndefined();
    expect(column.size).toBe(69_999);

    const small = new PropertyColumn();
    for (let row = 0; row < 70_000; row += 1) small.set(row, row % 3 === 0 ? 'a' : 'b');
    expect(small.isDictionary).toBe(true);
    expect(small.codeAt(3)).toBe(small.codeOf('a'));
  });

  it('TimeIndex walks records in key order within a range, after moves and removals', () => {
    const index = new TimeIndex();
    [50, 10, 40, 20, 30].forEach((key, row) => index.upsert(row, key));
    index.upsert(1, 60); // row 1 moves from 10 to 60
    index.remove(3); // row 3 (20) leaves
    const seen: number[] = [];
    index.forEachInRange(0, 100, false, (row) => {
      seen.push(row);
    });
    expect(seen).toEqual([4, 2, 0, 1]);
    const descending: number[] = [];
    index.forEachInRange(30, 55, true, (row) => {
      descending.push(row);
    });
    expect(descending).toEqual([0, 2, 4]);
    expect(index.countRange(-Infinity, Infinity)).toBe(4);
  });
});
