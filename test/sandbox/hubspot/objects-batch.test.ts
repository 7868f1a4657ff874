import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { apiError, startSandbox, type Started } from './support.js';

describe('HubSpot simulator: CRM batch endpoints', () => {
  let s: Started;

  beforeAll(async () => {
    s = await startSandbox({ rateLimits: { enabled: false } });
  });
  afterAll(async () => {
    await s.sandbox.close();
  });
  beforeEach(() => {
    for (const c of s.sandbox.store.list('contacts', { limit: 1000 }).results) s.sandbox.store.archive('contacts', c.id, { actor: { source: 'CRM_UI', userId: 1 } });
  });

  it('creates up to 100 records in one call (201) and reads them back (200)', async () => {
    const inputs = Array.from({ length: 100 }, (_, i) => ({ properties: { email: `b${i}@example.com`, firstname: `F${i}` }, associations: [] }));
    const created = await s.client.crm.contacts.batchApi.create({ inputs });
    expect(created.status).toBe('COMPLETE');
    expect(created.results).toHaveLength(100);
    expect(created.completedAt).toBeInstanceOf(Date);
    const ids = created.results.map((r) => r.id);
    const read = await s.client.crm.contacts.batchApi.read({ inputs: ids.slice(0, 3).map((id) => ({ id })), properties: ['firstname'], propertiesWithHistory: [] });
    expect(read.results.map((r) => r.properties.firstname).sort()).toEqual(['F0', 'F1', 'F2']);
  });

  it('refuses more than 100 inputs with a 400', async () => {
    const inputs = Array.from({ length: 101 }, (_, i) => ({ properties: { email: `x${i}@example.com` }, associations: [] }));
    const error = await apiError(() => s.client.crm.contacts.batchApi.create({ inputs }));
    expect(error.code).toBe(400);
    expect(error.body.category).toBe('VALIDATION_ERROR');
    expect(String(error.body.message)).toContain('At most 100 inputs');
  });

  it('answers 207 with per-id errors when a batch read names missing ids', async () => {
    const c = s.sandbox.store.create('contacts', { properties: { email: 'here@example.com' } }, { actor: { source: 'IMPORT' } });
    const read = await s.client.crm.contacts.batchApi.read({ inputs: [{ id: c.id }, { id: '123' }], properties: [], propertiesWithHistory: [] });
    expect(read.results.map((r) => r.id)).toEqual([c.id]);
    const withErrors = read as typeof read & { numErrors?: number; errors?: Array<{ category: string; context: Record<string, string[]> }> };
    expect(withErrors.numErrors).toBe(1);
    expect(withErrors.errors?.[0]).toMatchObject({ category: 'OBJECT_NOT_FOUND', context: { ids: ['123'] } });
  });

  it('reads by idProperty=email', async () => {
    s.sandbox.store.create('contacts', { properties: { email: 'by-email@example.com', firstname: 'E' } }, { actor: { source: 'IMPORT' } });
    const read = await s.client.crm.contacts.batchApi.read({
      inputs: [{ id: 'by-email@example.com' }],
      idProperty: 'email',
      properties: ['firstname'],
      propertiesWithHistory: [],
    });
    expect(read.results[0]?.properties.firstname).toBe('E');
  });

  it('without objectWriteTraceId a batch is all-or-nothing: one bad input fails it and nothing is written', async () => {
    const before = s.sandbox.store.count('contacts');
    const error = await apiError(() =>
      s.client.crm.contacts.batchApi.create({
        inputs: [
          { properties: { email: 'good@example.com' }, associations: [] },
          { properties: { email: 'bad-email' }, associations: [] },
        ],
      }),
    );
    expect(error.code).toBe(400);
    expect(error.body.category).toBe('VALIDATION_ERROR');
    expect(s.sandbox.store.count('contacts')).toBe(before);

    s.sandbox.store.create('contacts', { properties: { email: 'taken@example.com' } }, { actor: { source: 'IMPORT' } });
    const conflict = await apiError(() =>
      s.client.crm.contacts.batchApi.create({
        inputs: [
          { properties: { email: 'fresh@example.com' }, associations: [] },
          { properties: { email: 'taken@example.com' }, associations: [] },
        ],
      }),
    );
    expect(conflict.code).toBe(409);
    expect(String(conflict.body.message)).toMatch(/^Contact already exists\. Existing ID: \d+$/);
    expect(s.sandbox.store.getBy('contacts', 'email', 'fresh@example.com')).toBeUndefined();
  });

  it('with objectWriteTraceId on every input failures come back per input in a 207 and the rest is written', async () => {
    s.sandbox.store.create('contacts', { properties: { email: 'exists@example.com' } }, { actor: { source: 'IMPORT' } });
    const created = await s.client.crm.contacts.batchApi.create({
      inputs: [
        { properties: { email: 'ok1@example.com' }, associations: [], objectWriteTraceId: 't1' },
        { properties: { email: 'exists@example.com' }, associations: [], objectWriteTraceId: 't2' },
        { properties: { email: 'ok2@example.com', lifecyclestage: 'nope' }, associations: [], objectWriteTraceId: 't3' },
      ],
    });
    const multi = created as typeof created & { numErrors?: number; errors?: Array<{ category: string; context: Record<string, string[]>; message: string }> };
    expect(multi.results.map((r) => r.properties.email)).toEqual(['ok1@example.com']);
    expect(multi.numErrors).toBe(2);
    expect(multi.errors?.map((e) => [e.category, e.context.objectWriteTraceId])).toEqual([
      ['CONFLICT', ['t2']],
      ['VALIDATION_ERROR', ['t3']],
    ]);
    expect(s.sandbox.store.getBy('contacts', 'email', 'ok1@example.com')).toBeDefined();
  });

  it('updates a batch by id and by email, refuses duplicate ids, and 404s a missing id without trace ids', async () => {
    const a = s.sandbox.store.create('contacts', { properties: { email: 'u1@example.com' } }, { actor: { source: 'IMPORT' } });
    s.sandbox.store.create('contacts', { properties: { email: 'u2@example.com' } }, { actor: { source: 'IMPORT' } });
    const updated = await s.client.crm.contacts.batchApi.update({
      inputs: [
        { id: a.id, properties: { firstname: 'One' } },
        { id: 'u2@example.com', idProperty: 'email', properties: { firstname: 'Two' } },
      ],
    });
    expect(updated.results.map((r) => r.properties.firstname).sort()).toEqual(['One', 'Two']);
    const duplicate = await apiError(() =>
      s.client.crm.contacts.batchApi.update({ inputs: [{ id: a.id, properties: {} }, { id: a.id, properties: {} }] }),
    );
    expect(duplicate.code).toBe(400);
    const missing = await apiError(() => s.client.crm.contacts.batchApi.update({ inputs: [{ id: '1', properties: { firstname: 'X' } }] }));
    expect(missing.code).toBe(404);
    expect(missing.body.category).toBe('OBJECT_NOT_FOUND');
  });

  it('upserts by email: updates existing records (new: false) and creates the others (new: true)', async () => {
    s.sandbox.store.create('contacts', { properties: { email: 'old@example.com', firstname: 'Old' } }, { actor: { source: 'IMPORT' } });
    const result = await s.client.crm.contacts.batchApi.upsert({
      inputs: [
        { id: 'old@example.com', idProperty: 'email', properties: { firstname: 'Renewed' } },
        { id: 'new@example.com', idProperty: 'email', properties: { firstname: 'Brand' } },
      ],
    });
    const byEmail = Object.fromEntries(result.results.map((r) => [r.properties.email, r]));
    expect(byEmail['old@example.com']).toMatchObject({ _new: false });
    expect(byEmail['old@example.com']?.properties.firstname).toBe('Renewed');
    expect(byEmail['new@example.com']).toMatchObject({ _new: true });
    expect(s.sandbox.store.getBy('contacts', 'email', 'new@example.com', { properties: ['firstname'] })?.properties.firstname).toBe('Brand');
  });

  it('archives a batch (204) and answers 204 for ids that do not exist', async () => {
    const a = s.sandbox.store.create('contacts', { properties: { email: 'arch@example.com' } }, { actor: { source: 'IMPORT' } });
    await s.client.crm.contacts.batchApi.archive({ inputs: [{ id: a.id }, { id: '42' }] });
    expect(s.sandbox.store.get('contacts', a.id)).toBeUndefined();
    expect(s.sandbox.store.get('contacts', a.id, { archived: true })?.archived).toBe(true);
  });
});
