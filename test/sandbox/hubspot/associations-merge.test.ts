import { AssociationSpecAssociationCategoryEnum } from '@hubspot/api-client/lib/codegen/crm/associations/v4/index.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiError, startSandbox, type Started } from './support.js';

const HUBSPOT_DEFINED = AssociationSpecAssociationCategoryEnum.HubspotDefined;

describe('HubSpot simulator: associations (v4 and v3) and merges', () => {
  let s: Started;
  const ui = { actor: { source: 'CRM_UI' as const, userId: 5 } };

  beforeEach(async () => {
    s = await startSandbox({ rateLimits: { enabled: false } });
  });
  afterEach(async () => {
    await s.sandbox.close();
  });

  it('creates, lists and removes a single association (201, 200, 204) and shows it on v3 reads', async () => {
    const contact = s.sandbox.store.create('contacts', { properties: { email: 'a@acme.com' } }, ui);
    const company = s.sandbox.store.create('companies', { properties: { name: 'Acme', domain: 'acme.com' } }, ui);
    const labels = await s.client.crm.associations.v4.basicApi.create('contacts', contact.id, 'companies', company.id, [
      { associationCategory: HUBSPOT_DEFINED, associationTypeId: 1 },
    ]);
    expect(labels).toMatchObject({ fromObjectTypeId: '0-1', fromObjectId: contact.id, toObjectTypeId: '0-2', toObjectId: company.id });
    expect(labels.labels).toEqual(['Primary']);

    const page = await s.client.crm.associations.v4.basicApi.getPage('contacts', contact.id, 'companies');
    expect(page.results).toHaveLength(1);
    expect(page.results[0]?.toObjectId).toBe(company.id);
    expect(page.results[0]?.associationTypes.map((t) => t.typeId).sort((a, b) => a - b)).toEqual([1, 279]);

    const back = await s.client.crm.associations.v4.basicApi.getPage('companies', company.id, 'contacts');
    expect(back.results[0]?.associationTypes.map((t) => t.typeId).sort((a, b) => a - b)).toEqual([2, 280]);

    const v3 = await s.client.crm.contacts.basicApi.getById(contact.id, undefined, undefined, ['companies']);
    expect(v3.associations?.companies?.results).toEqual(
      expect.arrayContaining([
        { id: company.id, type: 'contact_to_company' },
        { id: company.id, type: 'contact_to_company_unlabeled' },
      ]),
    );

    await s.client.crm.associations.v4.basicApi.archive('contacts', contact.id, 'companies', company.id);
    expect((await s.client.crm.associations.v4.basicApi.getPage('contacts', contact.id, 'companies')).results).toEqual([]);
  });

  it('creates default associations (200) for deal↔contact and deal↔company, also by object type id', async () => {
    const deal = s.sandbox.store.create('deals', { properties: { dealname: 'D', dealstage: 'appointmentscheduled' } }, ui);
    const contact = s.sandbox.store.create('contacts', { properties: { email: 'd@acme.com' } }, ui);
    const company = s.sandbox.store.create('companies', { properties: { name: 'Acme' } }, ui);
    const made = await s.client.crm.associations.v4.basicApi.createDefault('0-3', deal.id, '0-1', contact.id);
    expect(made.results.map((r) => r.associationSpec.associationTypeId).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual([3, 4]);
    await s.client.crm.associations.v4.basicApi.createDefault('deals', deal.id, 'companies', company.id);
    expect(s.sandbox.store.associationsOf('deals', deal.id, 'companies')).toEqual([{ toId: company.id, typeIds: [341] }]);
    expect(s.sandbox.store.associationsOf('contacts', contact.id, 'deals')).toEqual([{ toId: deal.id, typeIds: [4] }]);
  });

  it('keeps one primary company per contact', async () => {
    const contact = s.sandbox.store.create('contacts', { properties: { email: 'p@acme.com' } }, ui);
    const first = s.sandbox.store.create('companies', { properties: { name: 'First' } }, ui);
    const second = s.sandbox.store.create('companies', { properties: { name: 'Second' } }, ui);
    s.sandbox.store.associate('contacts', contact.id, 'companies', first.id, [1], ui);
    s.sandbox.store.associate('contacts', contact.id, 'companies', second.id, [1], ui);
    const types = Object.fromEntries(s.sandbox.store.associationsOf('contacts', contact.id, 'companies').map((a) => [a.toId, a.typeIds]));
    expect(types[first.id]).toEqual([279]);
    expect(types[second.id]?.sort((a, b) => a - b)).toEqual([1, 279]);
  });

  it('creates a record with associations in the create body', async () => {
    const company = s.sandbox.store.create('companies', { properties: { name: 'Acme' } }, ui);
    const contact = await s.client.crm.contacts.basicApi.create({
      properties: { email: 'new@acme.com' },
      associations: [{ to: { id: company.id }, types: [{ associationCategory: HUBSPOT_DEFINED, associationTypeId: 279 }] }],
    });
    expect(s.sandbox.store.associationsOf('contacts', contact.id, 'companies')).toEqual([{ toId: company.id, typeIds: [279] }]);
  });

  it('refuses an association type that does not fit the pair (400) and a missing record (404)', async () => {
    const contact = s.sandbox.store.create('contacts', { properties: { email: 'x@acme.com' } }, ui);
    const company = s.sandbox.store.create('companies', { properties: { name: 'Acme' } }, ui);
    const wrongType = await apiError(() =>
      s.client.crm.associations.v4.basicApi.create('contacts', contact.id, 'companies', company.id, [
        { associationCategory: HUBSPOT_DEFINED, associationTypeId: 3 },
      ]),
    );
    expect(wrongType.code).toBe(400);
    const missing = await apiError(() => s.client.crm.associations.v4.basicApi.createDefault('contacts', contact.id, 'companies', '7'));
    expect(missing.code).toBe(404);
  });

  it('runs the batch endpoints: create (201/207), read (200/207), associate default, archive labels, archive (204)', async () => {
    const deal = s.sandbox.store.create('deals', { properties: { dealname: 'D' } }, ui);
    const contacts = [0, 1, 2].map((i) => s.sandbox.store.create('contacts', { properties: { email: `c${i}@acme.com` } }, ui));
    const created = await s.client.crm.associations.v4.batchApi.create('deals', 'contacts', {
      inputs: contacts.slice(0, 2).map((c) => ({ _from: { id: deal.id }, to: { id: c.id }, types: [{ associationCategory: HUBSPOT_DEFINED, associationTypeId: 3 }] })),
    });
    expect(created.results).toHaveLength(2);

    const partial = await s.client.crm.associations.v4.batchApi.create('deals', 'contacts', {
      inputs: [
        { _from: { id: deal.id }, to: { id: contacts[2]?.id ?? '' }, types: [{ associationCategory: HUBSPOT_DEFINED, associationTypeId: 3 }] },
        { _from: { id: deal.id }, to: { id: '999' }, types: [{ associationCategory: HUBSPOT_DEFINED, associationTypeId: 3 }] },
      ],
    });
    expect((partial as typeof partial & { numErrors?: number }).numErrors).toBe(1);

    const read = await s.client.crm.associations.v4.batchApi.getPage('deals', 'contacts', { inputs: [{ id: deal.id }, { id: '555' }] });
    expect(read.results[0]?.to.map((t) => t.toObjectId).sort()).toEqual(contacts.map((c) => c.id).sort());
    expect((read as typeof read & { numErrors?: number }).numErrors).toBe(1);

    const company = s.sandbox.store.create('companies', { properties: { name: 'Acme' } }, ui);
    await s.client.crm.associations.v4.batchApi.createDefault('deals', 'companies', { inputs: [{ _from: { id: deal.id }, to: { id: company.id } }] });
    s.sandbox.store.associate('deals', deal.id, 'companies', company.id, [5], ui);
    await s.client.crm.associations.v4.batchApi.archiveLabels('deals', 'companies', {
      inputs: [{ _from: { id: deal.id }, to: { id: company.id }, types: [{ associationCategory: HUBSPOT_DEFINED, associationTypeId: 5 }] }],
    });
    expect(s.sandbox.store.associationsOf('deals', deal.id, 'companies')).toEqual([{ toId: company.id, typeIds: [341] }]);

    await s.client.crm.associations.v4.batchApi.archive('deals', 'contacts', { inputs: [{ _from: { id: deal.id }, to: contacts.map((c) => ({ id: c.id })) }] });
    expect(s.sandbox.store.associationsOf('deals', deal.id, 'contacts')).toEqual([]);
  });

  it('merges two contacts into a new record: primary values win, ids recorded, old ids resolve to it', async () => {
    const primary = s.sandbox.store.create('contacts', { properties: { email: 'main@acme.com', firstname: 'Main', lifecyclestage: 'lead' } }, ui);
    const other = s.sandbox.store.create(
      'contacts',
      { properties: { email: 'alt@acme.com', firstname: 'Alt', jobtitle: 'CTO', lifecyclestage: 'customer' } },
      ui,
    );
    const company = s.sandbox.store.create('companies', { properties: { name: 'Acme' } }, ui);
    s.sandbox.store.associate('contacts', other.id, 'companies', company.id, undefined, ui);

    const merged = await s.client.crm.contacts.basicApi.merge({ primaryObjectId: primary.id, objectIdToMerge: other.id });
    expect(merged.id).not.toBe(primary.id);
    expect(merged.properties).toMatchObject({
      email: 'main@acme.com',
      firstname: 'Main',
      jobtitle: 'CTO',
      lifecyclestage: 'customer',
      hs_additional_emails: 'alt@acme.com',
      hs_merged_object_ids: `${primary.id};${other.id}`,
    });

    for (const oldId of [primary.id, other.id]) {
      const read = await s.client.crm.contacts.basicApi.getById(oldId, ['email']);
      expect(read.id).toBe(merged.id);
    }
    const byOldEmail = await s.client.crm.contacts.basicApi.getById('alt@acme.com', ['email'], undefined, undefined, false, 'email');
    expect(byOldEmail.id).toBe(merged.id);
    expect(s.sandbox.store.associationsOf('contacts', merged.id, 'companies')).toEqual([{ toId: company.id, typeIds: [279] }]);
    const all = await s.client.crm.contacts.getAll();
    expect(all.map((c) => c.id)).toEqual([merged.id]);

    const history = await s.client.crm.contacts.basicApi.getById(merged.id, ['firstname'], ['firstname']);
    expect(history.propertiesWithHistory?.firstname?.map((h) => h.value)).toEqual(['Main', 'Alt', 'Main']);

    const self = await apiError(() => s.client.crm.contacts.basicApi.merge({ primaryObjectId: merged.id, objectIdToMerge: primary.id }));
    expect(self.code).toBe(400);
  });

  it('deletes a contact for GDPR: gone for good, email free again', async () => {
    const c = s.sandbox.store.create('contacts', { properties: { email: 'gdpr@acme.com' } }, ui);
    await s.client.crm.contacts.basicApi.purge({ objectId: 'gdpr@acme.com', idProperty: 'email' });
    expect(s.sandbox.store.get('contacts', c.id)).toBeUndefined();
    expect(s.sandbox.store.get('contacts', c.id, { archived: true })).toBeUndefined();
    await expect(s.client.crm.contacts.basicApi.create({ properties: { email: 'gdpr@acme.com' }, associations: [] })).resolves.toBeDefined();
  });
});
