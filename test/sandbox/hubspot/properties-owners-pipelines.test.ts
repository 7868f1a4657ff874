import { PropertyCreateFieldTypeEnum, PropertyCreateTypeEnum } from '@hubspot/api-client/lib/codegen/crm/properties/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiError, startSandbox, type Started } from './support.js';

describe('HubSpot simulator: properties, groups, owners, pipelines', () => {
  let s: Started;

  beforeAll(async () => {
    s = await startSandbox({ rateLimits: { enabled: false } });
  });
  afterAll(async () => {
    await s.sandbox.close();
  });

  it('lists the standard contact, company and deal properties with their types, field types and options', async () => {
    const contacts = await s.client.crm.properties.coreApi.getAll('contacts');
    const byName = Object.fromEntries(contacts.results.map((p) => [p.name, p]));
    for (const name of [
      'email', 'firstname', 'lastname', 'company', 'jobtitle', 'phone', 'mobilephone', 'address', 'city', 'state', 'zip', 'country',
      'industry', 'website', 'annualrevenue', 'numberofemployees', 'salutation', 'hs_lead_status', 'lifecyclestage', 'hubspotscore',
      'hs_analytics_source', 'hs_latest_source', 'hubspot_owner_id', 'hs_email_optout', 'hs_analytics_first_touch_converting_campaign',
      'hs_analytics_last_touch_converting_campaign', 'message', 'createdate', 'lastmodifieddate', 'hs_object_id',
    ]) {
      expect(byName[name], name).toBeDefined();
    }
    expect(byName.lifecyclestage).toMatchObject({ type: 'enumeration', fieldType: 'radio', hubspotDefined: true });
    expect(byName.lifecyclestage?.options.map((o) => o.value)).toEqual([
      'subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer', 'evangelist', 'other',
    ]);
    expect(byName.hs_email_optout).toMatchObject({ type: 'bool', fieldType: 'booleancheckbox' });
    expect(byName.phone).toMatchObject({ type: 'string', fieldType: 'phonenumber' });
    expect(byName.hubspotscore).toMatchObject({ type: 'number', modificationMetadata: { readOnlyValue: true } });
    expect(byName.hubspot_owner_id?.options.map((o) => o.value)).toEqual(s.sandbox.store.owners.list().map((o) => o.id));
    expect(byName.industry).toMatchObject({ type: 'string', fieldType: 'text', options: [] });

    const companies = await s.client.crm.properties.coreApi.getAll('companies');
    const companyProps = Object.fromEntries(companies.results.map((p) => [p.name, p]));
    for (const name of ['name', 'domain', 'industry', 'annualrevenue', 'numberofemployees', 'city', 'country', 'phone', 'website', 'description']) {
      expect(companyProps[name], name).toBeDefined();
    }
    expect(companyProps.industry?.options.find((o) => o.value === 'COMPUTER_SOFTWARE')?.label).toBe('Computer Software');
    expect(companyProps.annualrevenue).toMatchObject({ type: 'number', showCurrencySymbol: true });

    const deals = await s.client.crm.properties.coreApi.getAll('deals');
    const dealProps = Object.fromEntries(deals.results.map((p) => [p.name, p]));
    expect(dealProps.dealstage?.options.map((o) => o.value)).toContain('closedwon');
    expect(dealProps.closedate).toMatchObject({ type: 'datetime', fieldType: 'date' });
    for (const name of ['dealname', 'amount', 'pipeline', 'hubspot_owner_id']) expect(dealProps[name], name).toBeDefined();
  });

  it('creates, reads, updates and archives a custom property, which then takes values', async () => {
    const created = await s.client.crm.properties.coreApi.create('contacts', {
      name: 'revloop_stage',
      label: 'revloop stage',
      type: PropertyCreateTypeEnum.Enumeration,
      fieldType: PropertyCreateFieldTypeEnum.Select,
      groupName: 'contactinformation',
      options: [
        { label: 'MQL', value: 'mql', hidden: false, displayOrder: 0 },
        { label: 'SAL', value: 'sal', hidden: false, displayOrder: 1 },
      ],
    });
    expect(created).toMatchObject({ name: 'revloop_stage', hubspotDefined: false, modificationMetadata: { archivable: true } });
    const read = await s.client.crm.properties.coreApi.getByName('contacts', 'revloop_stage');
    expect(read.options.map((o) => o.value)).toEqual(['mql', 'sal']);

    const conflict = await apiError(() =>
      s.client.crm.properties.coreApi.create('contacts', {
        name: 'revloop_stage', label: 'again', type: PropertyCreateTypeEnum.String, fieldType: PropertyCreateFieldTypeEnum.Text, groupName: 'contactinformation',
      }),
    );
    expect(conflict.code).toBe(409);

    const contact = await s.client.crm.contacts.basicApi.create({ properties: { email: 'p@x.com', revloop_stage: 'sal' }, associations: [] });
    expect(contact.properties.revloop_stage).toBe('sal');
    const bad = await apiError(() => s.client.crm.contacts.basicApi.update(contact.id, { properties: { revloop_stage: 'sql' } }));
    expect(bad.code).toBe(400);
    expect(String(bad.body.message)).toContain('sql was not one of the allowed options: [mql, sal]');

    const updated = await s.client.crm.properties.coreApi.update('contacts', 'revloop_stage', {
      label: 'Stage (revloop)',
      options: [
        { label: 'MQL', value: 'mql', hidden: false, displayOrder: 0 },
        { label: 'SAL', value: 'sal', hidden: false, displayOrder: 1 },
        { label: 'SQL', value: 'sql', hidden: false, displayOrder: 2 },
      ],
    });
    expect(updated.label).toBe('Stage (revloop)');
    await s.client.crm.contacts.basicApi.update(contact.id, { properties: { revloop_stage: 'sql' } });

    await s.client.crm.properties.coreApi.archive('contacts', 'revloop_stage');
    expect((await apiError(() => s.client.crm.properties.coreApi.getByName('contacts', 'revloop_stage'))).code).toBe(404);
    expect((await s.client.crm.properties.coreApi.getByName('contacts', 'revloop_stage', true)).archived).toBe(true);
    const afterArchive = await apiError(() => s.client.crm.contacts.basicApi.update(contact.id, { properties: { revloop_stage: 'sql' } }));
    expect(String(afterArchive.body.message)).toContain('PROPERTY_DOESNT_EXIST');
  });

  it('refuses bad definitions: wrong field type, unknown group, bad name, HubSpot-defined archive', async () => {
    const wrongField = await apiError(() =>
      s.client.crm.properties.coreApi.create('contacts', {
        name: 'score_x', label: 'x', type: PropertyCreateTypeEnum.Number, fieldType: PropertyCreateFieldTypeEnum.Select, groupName: 'contactinformation',
      }),
    );
    expect(wrongField.code).toBe(400);
    const noGroup = await apiError(() =>
      s.client.crm.properties.coreApi.create('contacts', {
        name: 'score_y', label: 'y', type: PropertyCreateTypeEnum.Number, fieldType: PropertyCreateFieldTypeEnum.Number, groupName: 'nope',
      }),
    );
    expect(noGroup.code).toBe(400);
    const badName = await apiError(() =>
      s.client.crm.properties.coreApi.create('contacts', {
        name: 'Bad Name', label: 'y', type: PropertyCreateTypeEnum.String, fieldType: PropertyCreateFieldTypeEnum.Text, groupName: 'contactinformation',
      }),
    );
    expect(badName.code).toBe(400);
    expect((await apiError(() => s.client.crm.properties.coreApi.archive('contacts', 'email'))).code).toBe(400);
  });

  it('runs the property batch endpoints (create 201/207, read 200/207, archive 204)', async () => {
    const made = await s.client.crm.properties.batchApi.create('deals', {
      inputs: [
        { name: 'revloop_loss_reason', label: 'Loss reason', type: PropertyCreateTypeEnum.String, fieldType: PropertyCreateFieldTypeEnum.Text, groupName: 'dealinformation' },
        { name: 'amount', label: 'dup', type: PropertyCreateTypeEnum.Number, fieldType: PropertyCreateFieldTypeEnum.Number, groupName: 'dealinformation' },
      ],
    });
    expect(made.results.map((p) => p.name)).toEqual(['revloop_loss_reason']);
    expect((made as typeof made & { numErrors?: number }).numErrors).toBe(1);
    const read = await s.client.crm.properties.batchApi.read('deals', { inputs: [{ name: 'amount' }, { name: 'ghost' }], archived: false });
    expect(read.results.map((p) => p.name)).toEqual(['amount']);
    await s.client.crm.properties.batchApi.archive('deals', { inputs: [{ name: 'revloop_loss_reason' }] });
    expect((await apiError(() => s.client.crm.properties.coreApi.getByName('deals', 'revloop_loss_reason'))).code).toBe(404);
  });

  it('manages property groups', async () => {
    const groups = await s.client.crm.properties.groupsApi.getAll('contacts');
    expect(groups.results.map((g) => g.name)).toContain('contactinformation');
    const created = await s.client.crm.properties.groupsApi.create('contacts', { name: 'revloop', label: 'revloop', displayOrder: 5 });
    expect(created).toMatchObject({ name: 'revloop', archived: false });
    expect((await s.client.crm.properties.groupsApi.getByName('contacts', 'revloop')).label).toBe('revloop');
    expect((await s.client.crm.properties.groupsApi.update('contacts', 'revloop', { label: 'revloop sync' })).label).toBe('revloop sync');
    await s.client.crm.properties.groupsApi.archive('contacts', 'revloop');
    expect((await apiError(() => s.client.crm.properties.groupsApi.getByName('contacts', 'revloop'))).code).toBe(404);
  });

  it('lists owners with paging, gets one by id and by userId, and 404s an unknown owner', async () => {
    const first = await s.client.crm.owners.ownersApi.getPage(undefined, undefined, 4);
    expect(first.results).toHaveLength(4);
    expect(first.results[0]).toMatchObject({ type: 'PERSON', archived: false });
    expect(first.results[0]?.email).toMatch(/@/);
    const rest = await s.client.crm.owners.ownersApi.getPage(undefined, first.paging?.next?.after, 4);
    expect(rest.results).toHaveLength(2);
    expect(rest.paging).toBeUndefined();
    const byEmail = await s.client.crm.owners.ownersApi.getPage(first.results[1]?.email);
    expect(byEmail.results.map((o) => o.id)).toEqual([first.results[1]?.id]);
    const owner = first.results[0];
    expect((await s.client.crm.owners.ownersApi.getById(Number(owner?.id))).email).toBe(owner?.email);
    expect((await s.client.crm.owners.ownersApi.getById(owner?.userId ?? 0, 'userId')).id).toBe(owner?.id);
    expect((await apiError(() => s.client.crm.owners.ownersApi.getById(1))).code).toBe(404);
  });

  it("serves the default deal pipeline with HubSpot's default stages", async () => {
    const all = await s.client.crm.pipelines.pipelinesApi.getAll('deals');
    expect(all.results).toHaveLength(1);
    const pipeline = all.results[0];
    expect(pipeline).toMatchObject({ id: 'default', label: 'Sales Pipeline' });
    expect(pipeline?.stages.map((st) => [st.id, st.metadata?.probability, st.metadata?.isClosed])).toEqual([
      ['appointmentscheduled', '0.2', 'false'],
      ['qualifiedtobuy', '0.4', 'false'],
      ['presentationscheduled', '0.6', 'false'],
      ['decisionmakerboughtin', '0.8', 'false'],
      ['contractsent', '0.9', 'false'],
      ['closedwon', '1.0', 'true'],
      ['closedlost', '0.0', 'true'],
    ]);
    expect((await s.client.crm.pipelines.pipelinesApi.getById('0-3', 'default')).label).toBe('Sales Pipeline');
    expect((await s.client.crm.pipelines.pipelineStagesApi.getById('deals', 'default', 'closedwon')).label).toBe('Closed Won');
    expect((await apiError(() => s.client.crm.pipelines.pipelinesApi.getById('deals', 'nope'))).code).toBe(404);
  });
});
