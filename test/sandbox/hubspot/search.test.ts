import { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/contacts/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiError, manualClock, startSandbox, type Started } from './support.js';

type Op = `${FilterOperatorEnum}`;
const filter = (propertyName: string, operator: Op, extra: { value?: string; highValue?: string; values?: string[] } = {}) => ({
  propertyName,
  operator: operator as FilterOperatorEnum,
  ...extra,
});

describe('HubSpot simulator: CRM search', () => {
  const clock = manualClock(Date.parse('2026-01-01T00:00:00.000Z'));
  let s: Started;
  const base = Date.parse('2026-01-01T00:00:00.000Z');

  beforeAll(async () => {
    s = await startSandbox({ now: clock.now, rateLimits: { enabled: false } });
    const stages = ['lead', 'marketingqualifiedlead', 'customer'];
    // 30 people, created one minute apart, with varied properties; loaded out of creation order.
    const people = Array.from({ length: 30 }, (_, i) => ({
      properties: {
        email: `person${i}@${i % 2 === 0 ? 'acme.com' : 'globex.io'}`,
        firstname: i % 3 === 0 ? 'Maria' : `Name${i}`,
        lastname: `Lastname${String(i).padStart(2, '0')}`,
        lifecyclestage: stages[i % 3],
        numberofemployees: String(i * 10),
        createdate: String(base + (29 - i) * 60_000),
        ...(i % 5 === 0 ? {} : { jobtitle: `Senior Engineer ${i}` }),
      },
    }));
    s.sandbox.store.createMany('contacts', people, { actor: { source: 'IMPORT' } });
    clock.set(base + 3_600_000);
  });
  afterAll(async () => {
    await s.sandbox.close();
  });

  const search = (body: Record<string, unknown>) =>
    s.client.crm.contacts.searchApi.doSearch({ limit: 100, ...body } as Parameters<typeof s.client.crm.contacts.searchApi.doSearch>[0]);
  const emails = (r: { results: Array<{ properties: Record<string, string | null> }> }) => r.results.map((x) => x.properties.email);

  it('returns the default contact properties and the total', async () => {
    const r = await search({ filterGroups: [{ filters: [filter('email', 'EQ', { value: 'PERSON4@acme.com' })] }] });
    expect(r.total).toBe(1);
    expect(Object.keys(r.results[0]?.properties ?? {}).sort()).toEqual(['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname']);
  });

  it('supports every listed operator', async () => {
    const count = async (f: ReturnType<typeof filter>) => (await search({ filterGroups: [{ filters: [f] }] })).total;
    expect(await count(filter('lifecyclestage', 'EQ', { value: 'customer' }))).toBe(10);
    expect(await count(filter('lifecyclestage', 'NEQ', { value: 'customer' }))).toBe(20);
    expect(await count(filter('numberofemployees', 'GT', { value: '250' }))).toBe(4);
    expect(await count(filter('numberofemployees', 'GTE', { value: '250' }))).toBe(5);
    expect(await count(filter('numberofemployees', 'LT', { value: '30' }))).toBe(3);
    expect(await count(filter('numberofemployees', 'LTE', { value: '30' }))).toBe(4);
    expect(await count(filter('numberofemployees', 'BETWEEN', { value: '100', highValue: '150' }))).toBe(6);
    expect(await count(filter('lifecyclestage', 'IN', { values: ['lead', 'customer'] }))).toBe(20);
    expect(await count(filter('lifecyclestage', 'NOT_IN', { values: ['lead', 'customer'] }))).toBe(10);
    expect(await count(filter('jobtitle', 'HAS_PROPERTY'))).toBe(24);
    expect(await count(filter('jobtitle', 'NOT_HAS_PROPERTY'))).toBe(6);
    expect(await count(filter('email', 'CONTAINS_TOKEN', { value: '*@globex.io' }))).toBe(15);
    expect(await count(filter('jobtitle', 'CONTAINS_TOKEN', { value: 'engineer' }))).toBe(24);
    expect(await count(filter('email', 'NOT_CONTAINS_TOKEN', { value: '*@globex.io' }))).toBe(15);
    expect(await count(filter('createdate', 'GTE', { value: String(base + 20 * 60_000) }))).toBe(10);
    expect(await count(filter('createdate', 'LT', { value: '2026-01-01T00:05:00.000Z' }))).toBe(5);
  });

  it('ANDs filters within a group and ORs groups', async () => {
    const r = await search({
      filterGroups: [
        { filters: [filter('firstname', 'EQ', { value: 'maria' }), filter('lifecyclestage', 'EQ', { value: 'lead' })] },
        { filters: [filter('email', 'EQ', { value: 'person1@globex.io' })] },
      ],
    });
    expect(r.total).toBe(11);
  });

  it('sorts in both accepted forms ("-prop" strings and {propertyName, direction} objects)', async () => {
    const asc = await search({ sorts: ['createdate'], properties: ['email'] });
    expect(asc.results[0]?.properties.email).toBe('person29@globex.io');
    const desc = await search({ sorts: ['-createdate'], properties: ['email'] });
    expect(desc.results[0]?.properties.email).toBe('person0@acme.com');
    const objectForm = await search({ sorts: [{ propertyName: 'lastname', direction: 'DESCENDING' }] });
    expect(objectForm.results[0]?.properties.lastname).toBe('Lastname29');
    const numeric = await search({ sorts: [{ propertyName: 'numberofemployees', direction: 'ASCENDING' }], properties: ['numberofemployees'] });
    expect(numeric.results.slice(0, 3).map((x) => x.properties.numberofemployees)).toEqual(['0', '10', '20']);
  });

  it('pages with after to the end, each result exactly once', async () => {
    const seen: string[] = [];
    let after: string | undefined = '0';
    let pages = 0;
    while (after !== undefined) {
      const page: Awaited<ReturnType<typeof search>> = await search({ limit: 7, after, sorts: ['-createdate'] });
      expect(page.total).toBe(30);
      seen.push(...emails(page).map(String));
      after = page.paging?.next?.after;
      pages += 1;
    }
    expect(pages).toBe(5);
    expect(new Set(seen).size).toBe(30);
  });

  it('finds by the free-text query in the searchable properties', async () => {
    const r = await search({ query: 'lastname07' });
    expect(emails(r)).toEqual(['person7@globex.io']);
  });

  it('leaves archived records out', async () => {
    const target = s.sandbox.store.getBy('contacts', 'email', 'person3@globex.io');
    s.sandbox.store.archive('contacts', target?.id ?? '', { actor: { source: 'CRM_UI', userId: 1 } });
    const r = await search({ filterGroups: [{ filters: [filter('email', 'EQ', { value: 'person3@globex.io' })] }] });
    expect(r.total).toBe(0);
    s.sandbox.store.restore('contacts', target?.id ?? '', { actor: { source: 'CRM_UI', userId: 1 } });
  });

  it('finds records by last modified date after updates, in modification order', async () => {
    clock.advance(60_000);
    const p5 = s.sandbox.store.getBy('contacts', 'email', 'person5@globex.io');
    s.sandbox.store.update('contacts', p5?.id ?? '', { firstname: 'Changed' }, { actor: { source: 'CRM_UI', userId: 1 } });
    clock.advance(60_000);
    const p8 = s.sandbox.store.getBy('contacts', 'email', 'person8@acme.com');
    s.sandbox.store.update('contacts', p8?.id ?? '', { firstname: 'Changed' }, { actor: { source: 'CRM_UI', userId: 1 } });
    const r = await search({
      filterGroups: [{ filters: [filter('lastmodifieddate', 'GTE', { value: String(clock.now() - 90_000) })] }],
      sorts: [{ propertyName: 'lastmodifieddate', direction: 'ASCENDING' }],
    });
    expect(emails(r)).toEqual(['person5@globex.io', 'person8@acme.com']);
  });

  it('answers 400 for bad requests: unknown property, limit over 200, a second sort, too many groups', async () => {
    const unknown = await apiError(() => search({ filterGroups: [{ filters: [filter('no_such', 'EQ', { value: 'x' })] }] }));
    expect(unknown.code).toBe(400);
    expect(unknown.body.category).toBe('VALIDATION_ERROR');
    expect((await apiError(() => search({ limit: 201 }))).code).toBe(400);
    expect((await apiError(() => search({ sorts: ['createdate', 'email'] }))).code).toBe(400);
    const groups = Array.from({ length: 6 }, () => ({ filters: [filter('email', 'HAS_PROPERTY')] }));
    expect((await apiError(() => search({ filterGroups: groups }))).code).toBe(400);
  });
});

describe('HubSpot simulator: the 10,000-result search ceiling', () => {
  let s: Started;

  beforeAll(async () => {
    s = await startSandbox({ rateLimits: { enabled: false } });
    s.sandbox.store.createMany(
      'contacts',
      Array.from({ length: 10_050 }, (_, i) => ({ properties: { email: `bulk${i}@example.com`, lifecyclestage: 'lead' } })),
      { actor: { source: 'IMPORT' }, quiet: true },
    );
  });
  afterAll(async () => {
    await s.sandbox.close();
  });

  it('reports the full total, pages up to 10,000, and answers 400 past it', async () => {
    const body = { filterGroups: [{ filters: [{ propertyName: 'lifecyclestage', operator: FilterOperatorEnum.Eq, value: 'lead' }] }], limit: 200 };
    const near = await s.client.crm.contacts.searchApi.doSearch({ ...body, after: '9800' });
    expect(near.total).toBe(10_050);
    expect(near.results).toHaveLength(200);
    expect(near.paging?.next?.after).toBe('10000');
    const past = await apiError(() => s.client.crm.contacts.searchApi.doSearch({ ...body, after: '10000' }));
    expect(past.code).toBe(400);
    expect(past.body.category).toBe('VALIDATION_ERROR');
    expect(String(past.body.message)).toContain('10000');
  });
});
