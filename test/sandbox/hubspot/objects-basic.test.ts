import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiError, manualClock, startSandbox, type Started } from './support.js';

describe('HubSpot simulator: CRM objects (basic API)', () => {
  const clock = manualClock();
  let s: Started;

  beforeEach(async () => {
    clock.set(Date.parse('2026-03-02T09:00:00.000Z'));
    s = await startSandbox({ now: clock.now, rateLimits: { enabled: false } });
  });
  afterEach(async () => {
    await s.sandbox.close();
  });

  it('creates, reads, updates and archives a contact through the real client', async () => {
    const created = await s.client.crm.contacts.basicApi.create({
      properties: { email: 'Ada@Example.com', firstname: 'Ada', lastname: 'Lovelace' },
      associations: [],
    });
    expect(created.id).toMatch(/^\d+$/);
    expect(created.properties.email).toBe('ada@example.com');
    expect(created.properties.hs_object_id).toBe(created.id);
    expect(created.properties.createdate).toBe('2026-03-02T09:00:00.000Z');
    expect(created.createdAt).toEqual(new Date('2026-03-02T09:00:00.000Z'));
    expect(created.archived).toBe(false);

    clock.advance(60_000);
    const updated = await s.client.crm.contacts.basicApi.update(created.id, { properties: { firstname: 'Augusta' } });
    expect(updated.properties.firstname).toBe('Augusta');
    expect(updated.properties.lastmodifieddate).toBe('2026-03-02T09:01:00.000Z');
    expect(updated.updatedAt).toEqual(new Date('2026-03-02T09:01:00.000Z'));

    const read = await s.client.crm.contacts.basicApi.getById(created.id);
    expect(Object.keys(read.properties).sort()).toEqual(['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname']);
    expect(read.properties.firstname).toBe('Augusta');

    await s.client.crm.contacts.basicApi.archive(created.id);
    const gone = await apiError(() => s.client.crm.contacts.basicApi.getById(created.id));
    expect(gone.code).toBe(404);
    expect(gone.body.category).toBe('OBJECT_NOT_FOUND');
    const archived = await s.client.crm.contacts.basicApi.getById(created.id, undefined, undefined, undefined, true);
    expect(archived.archived).toBe(true);
    expect(archived.archivedAt).toEqual(new Date('2026-03-02T09:01:00.000Z'));
  });

  it('returns requested properties, null when empty, and ignores unknown ones', async () => {
    const created = await s.client.crm.contacts.basicApi.create({ properties: { email: 'b@example.com' }, associations: [] });
    const read = await s.client.crm.contacts.basicApi.getById(created.id, ['email', 'jobtitle', 'no_such_property']);
    expect(read.properties).toMatchObject({ email: 'b@example.com', jobtitle: null, hs_object_id: created.id });
    expect('no_such_property' in read.properties).toBe(false);
  });

  it('updates by idProperty=email and answers 404 for an unknown email', async () => {
    await s.client.crm.contacts.basicApi.create({ properties: { email: 'jon@website.com', firstname: 'Jon' }, associations: [] });
    const updated = await s.client.crm.contacts.basicApi.update('jon@website.com', { properties: { lastname: 'Snow' } }, 'email');
    expect(updated.properties.lastname).toBe('Snow');
    const byEmail = await s.client.crm.contacts.basicApi.getById('JON@website.com', ['lastname'], undefined, undefined, false, 'email');
    expect(byEmail.properties.lastname).toBe('Snow');
    const missing = await apiError(() => s.client.crm.contacts.basicApi.update('nobody@website.com', { properties: { lastname: 'X' } }, 'email'));
    expect(missing.code).toBe(404);
  });

  it('refuses a second contact with the same email: 409 CONFLICT naming the existing id', async () => {
    const first = await s.client.crm.contacts.basicApi.create({ properties: { email: 'dup@example.com' }, associations: [] });
    const conflict = await apiError(() =>
      s.client.crm.contacts.basicApi.create({ properties: { email: 'DUP@example.com' }, associations: [] }),
    );
    expect(conflict.code).toBe(409);
    expect(conflict.body).toMatchObject({ status: 'error', category: 'CONFLICT', message: `Contact already exists. Existing ID: ${first.id}` });
    expect(conflict.body.correlationId).toEqual(expect.any(String));
  });

  it('validates values against property types and options (VALIDATION_ERROR as HubSpot words it)', async () => {
    const error = await apiError(() =>
      s.client.crm.contacts.basicApi.create({
        properties: { email: 'not-an-email', lifecyclestage: 'bogus', no_such_property: 'x', numberofemployees: '12 ', hs_object_id: '5' },
        associations: [],
      }),
    );
    expect(error.code).toBe(400);
    expect(error.body.category).toBe('VALIDATION_ERROR');
    const message = String(error.body.message);
    expect(message.startsWith('Property values were not valid: [')).toBe(true);
    const results = JSON.parse(message.slice('Property values were not valid: '.length)) as Array<Record<string, unknown>>;
    expect(results).toContainEqual(
      expect.objectContaining({ isValid: false, error: 'INVALID_EMAIL', name: 'email', message: 'Email address not-an-email is invalid' }),
    );
    expect(results).toContainEqual(expect.objectContaining({ error: 'INVALID_OPTION', name: 'lifecyclestage' }));
    expect(results).toContainEqual(expect.objectContaining({ error: 'PROPERTY_DOESNT_EXIST', name: 'no_such_property', message: 'Property "no_such_property" does not exist' }));
    expect(results).toContainEqual(expect.objectContaining({ error: 'INVALID_LONG', name: 'numberofemployees' }));
    expect(results).toContainEqual(expect.objectContaining({ error: 'READ_ONLY_VALUE', name: 'hs_object_id' }));
    expect(results.every((r) => r.portalId === s.sandbox.portalId)).toBe(true);
    expect(error.body.errors).toContainEqual({
      message: 'Property "no_such_property" does not exist',
      code: 'PROPERTY_DOESNT_EXIST',
      context: { propertyName: ['no_such_property'] },
    });
    const lifecycle = results.find((r) => r.name === 'lifecyclestage');
    expect(lifecycle?.message).toBe(
      'bogus was not one of the allowed options: [subscriber, lead, marketingqualifiedlead, salesqualifiedlead, opportunity, customer, evangelist, other]',
    );
    expect(await s.client.crm.contacts.basicApi.getPage()).toMatchObject({ results: [] });
  });

  it('normalizes numbers, booleans, dates and datetimes the way HubSpot stores them', async () => {
    const deal = await s.client.crm.deals.basicApi.create({
      properties: { dealname: 'Big one', amount: '1500.50', closedate: '1772582400000', dealstage: 'qualifiedtobuy' },
      associations: [],
    });
    expect(deal.properties).toMatchObject({ amount: '1500.5', closedate: '2026-03-04T00:00:00.000Z', pipeline: 'default', dealstage: 'qualifiedtobuy' });
    const badStage = await apiError(() => s.client.crm.deals.basicApi.update(deal.id, { properties: { dealstage: 'nope' } }));
    expect(badStage.code).toBe(400);
    expect(String(badStage.body.message)).toContain('nope was not one of the allowed options: [appointmentscheduled, qualifiedtobuy');
  });

  it('keeps lifecyclestage moving forward only unless it is cleared first (API writes)', async () => {
    const c = await s.client.crm.contacts.basicApi.create({ properties: { email: 'lc@example.com', lifecyclestage: 'lead' }, associations: [] });
    clock.advance(1000);
    await s.client.crm.contacts.basicApi.update(c.id, { properties: { lifecyclestage: 'opportunity' } });
    clock.advance(1000);
    const back = await s.client.crm.contacts.basicApi.update(c.id, { properties: { lifecyclestage: 'lead' } });
    expect(back.properties.lifecyclestage).toBe('opportunity');
    await s.client.crm.contacts.basicApi.update(c.id, { properties: { lifecyclestage: '' } });
    clock.advance(1000);
    const reset = await s.client.crm.contacts.basicApi.update(c.id, { properties: { lifecyclestage: 'lead' } });
    expect(reset.properties.lifecyclestage).toBe('lead');
    const withHistory = await s.client.crm.contacts.basicApi.getById(c.id, ['lifecyclestage', 'hs_lifecyclestage_opportunity_date'], ['lifecyclestage']);
    expect(withHistory.properties.hs_lifecyclestage_opportunity_date).toBe('2026-03-02T09:00:01.000Z');
    expect(withHistory.propertiesWithHistory?.lifecyclestage?.map((h) => h.value)).toEqual(['lead', '', 'opportunity', 'lead']);
  });

  it('lets a person in the CRM (store actor CRM_UI) move the stage back directly', async () => {
    const c = s.sandbox.store.create('contacts', { properties: { email: 'ui@example.com', lifecyclestage: 'customer' } }, { actor: { source: 'CRM_UI', userId: 9 } });
    const moved = s.sandbox.store.update('contacts', c.id, { lifecyclestage: 'lead' }, { actor: { source: 'CRM_UI', userId: 9 } });
    expect(moved.properties.lifecyclestage).toBe('lead');
    const api = s.sandbox.store.update('contacts', c.id, { lifecyclestage: 'subscriber' }, { actor: { source: 'INTEGRATION', appId: 1 } });
    expect(api.properties.lifecyclestage).toBe('lead');
  });

  it('returns propertiesWithHistory newest first with source, and only the creation value until a change', async () => {
    const c = await s.client.crm.contacts.basicApi.create({ properties: { email: 'h@example.com', firstname: 'A' }, associations: [] });
    const first = await s.client.crm.contacts.basicApi.getById(c.id, ['firstname'], ['firstname']);
    expect(first.propertiesWithHistory?.firstname).toEqual([
      { value: 'A', timestamp: new Date('2026-03-02T09:00:00.000Z'), sourceType: 'INTEGRATION', sourceId: String(s.sandbox.privateAppId) },
    ]);
    clock.advance(5000);
    s.sandbox.store.update('contacts', c.id, { firstname: 'B' }, { actor: { source: 'CRM_UI', userId: 777 } });
    const second = await s.client.crm.contacts.basicApi.getById(c.id, ['firstname'], ['firstname']);
    expect(second.propertiesWithHistory?.firstname).toEqual([
      { value: 'B', timestamp: new Date('2026-03-02T09:00:05.000Z'), sourceType: 'CRM_UI', sourceId: 'userId:777', updatedByUserId: 777 },
      { value: 'A', timestamp: new Date('2026-03-02T09:00:00.000Z'), sourceType: 'INTEGRATION', sourceId: String(s.sandbox.privateAppId) },
    ]);
  });

  it('pages through a list with after to the end (getAll) and lists archived records separately', async () => {
    s.sandbox.store.createMany(
      'companies',
      Array.from({ length: 257 }, (_, i) => ({ properties: { name: `Company ${i}`, domain: `c${i}.example.com` } })),
      { actor: { source: 'IMPORT' } },
    );
    const all = await s.client.crm.companies.getAll(100, undefined, ['name']);
    expect(all).toHaveLength(257);
    expect(new Set(all.map((c) => c.id)).size).toBe(257);
    expect(all[0]?.properties.name).toBe('Company 0');
    const page = await s.client.crm.companies.basicApi.getPage(100);
    expect(page.paging?.next?.after).toBe(all[100]?.id);
    await s.client.crm.companies.basicApi.archive(all[5]?.id ?? '');
    const archived = await s.client.crm.companies.basicApi.getPage(10, undefined, undefined, undefined, undefined, true);
    expect(archived.results.map((r) => r.id)).toEqual([all[5]?.id]);
    expect(archived.paging).toBeUndefined();
    expect(await s.client.crm.companies.getAll()).toHaveLength(256);
  });

  it('answers 204 when archiving an id that does not exist', async () => {
    await expect(s.client.crm.deals.basicApi.archive('99999')).resolves.toBeUndefined();
  });

  it('refuses a list limit above 100 with a 400', async () => {
    const error = await apiError(() => s.client.crm.contacts.basicApi.getPage(101));
    expect(error.code).toBe(400);
    expect(error.body.category).toBe('VALIDATION_ERROR');
  });
});
