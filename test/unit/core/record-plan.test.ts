import { describe, expect, it } from 'vitest';
import { checkMappingTexts } from '../../../src/config/mapping/load.js';
import type { FieldMapping } from '../../../src/config/mapping/schema/object-mapping.js';
import { fieldsToRead, planCreate, planRecord, readPath } from '../../../src/core/sync/record-plan.js';
import { applyTransforms } from '../../../src/core/sync/transforms.js';
import { z } from 'zod';
import { transformSchema } from '../../../src/config/mapping/schema/transform.js';
import { editedTexts } from '../../helpers/mappings.js';

const NOW = 1_800_000_000_000;
const set = checkMappingTexts(editedTexts()).set!;
const contacts = set.contacts;
const companies = set.companies;
const owners = { hubspotToSalesforce: new Map([['101', '005000000000001AAA']]), salesforceToHubSpot: new Map([['005000000000001AAA', '101']]) };

const transforms = (input: unknown[]) => z.array(transformSchema).parse(input);

describe('planRecord with the shipped contact mapping', () => {
  it('creates a Lead from a HubSpot contact with only the fields that flow to Salesforce', () => {
    const plan = planCreate({
      fields: contacts.fields,
      salesforceObject: 'Lead',
      target: 'salesforce',
      hubspot: {
        id: '501',
        properties: { email: ' ada@example.com ', firstname: 'Ada', lastname: 'Lovelace', company: 'Analytical', hubspotscore: '72', hs_email_optout: 'false', hubspot_owner_id: '101', rating: 'Hot', annualrevenue: '1,200,000.4' },
        propertyChangedAt: {},
        modifiedAt: NOW - 1000,
      },
      salesforce: undefined,
      owners,
      now: NOW,
    });
    expect(plan.salesforce).toEqual({
      Email: 'ada@example.com',
      FirstName: 'Ada',
      LastName: 'Lovelace',
      Company: 'Analytical',
      Revloop_Lead_Score__c: 72,
      HasOptedOutOfEmail: false,
      OwnerId: '005000000000001AAA',
      AnnualRevenue: 1200000,
    });
    expect(plan.hubspot).toEqual({});
    expect(plan.invalid).toEqual([]);
  });

  it('reads Contact company from the Account and never writes it', () => {
    const plan = planRecord({
      fields: contacts.fields,
      salesforceObject: 'Contact',
      hubspot: { id: '1', properties: { email: 'a@x.com', company: 'Old name' }, propertyChangedAt: { company: NOW - 10 }, modifiedAt: NOW - 10 },
      salesforce: { object: 'Contact', id: '003A', fields: { Email: 'a@x.com', Account: { Name: 'New name' } }, fieldChangedAt: {}, modifiedAt: NOW - 5000 },
      ledger: {},
      now: NOW,
    });
    expect(plan.hubspot.company).toBe('New name');
    expect(Object.keys(plan.salesforce)).not.toContain('Account.Name');
  });

  it('writes nothing the second time', () => {
    const hubspot = { id: '1', properties: { email: 'a@x.com', firstname: 'A', lastname: 'B' }, propertyChangedAt: {}, modifiedAt: NOW - 10 };
    const salesforce = { object: 'Lead', id: '00QA', fields: { Email: 'a@x.com', FirstName: 'Z', LastName: null as string | null, Company: 'C' }, fieldChangedAt: {}, modifiedAt: NOW - 20 };
    const first = planRecord({ fields: contacts.fields, salesforceObject: 'Lead', hubspot, salesforce, ledger: {}, now: NOW });
    expect(first.salesforce).toEqual({ FirstName: 'A', LastName: 'B' });
    expect(first.hubspot).toEqual({ company: 'C' });
    const after = {
      hubspot: { ...hubspot, properties: { ...hubspot.properties, ...first.hubspot } },
      salesforce: { ...salesforce, fields: { ...salesforce.fields, ...first.salesforce } },
    };
    const second = planRecord({ fields: contacts.fields, salesforceObject: 'Lead', ...after, ledger: first.ledger, now: NOW + 1 });
    expect(second.hubspot).toEqual({});
    expect(second.salesforce).toEqual({});
  });

  describe('a change put back after revloop overwrote it unseen', () => {
    // The overwriting write stored this ledger: both sides held 'Manager' (HubSpot's value) after it.
    const afterOverwrite = (() => {
      const hubspot = { id: '1', properties: { email: 'a@x.com', jobtitle: 'Manager' }, propertyChangedAt: { jobtitle: NOW - 5000 }, modifiedAt: NOW - 5000 };
      const salesforce = { object: 'Lead', id: '00QA', fields: { Email: 'a@x.com', Title: 'Manager' }, fieldChangedAt: {}, modifiedAt: NOW - 1000 };
      return planRecord({ fields: contacts.fields, salesforceObject: 'Lead', hubspot, salesforce, ledger: {}, now: NOW - 900 }).ledger;
    })();
    const plan = (hubspotAt: number, restoredAt: number, hubspotTitle = 'Manager') =>
      planRecord({
        fields: contacts.fields,
        salesforceObject: 'Lead',
        hubspot: { id: '1', properties: { email: 'a@x.com', jobtitle: hubspotTitle }, propertyChangedAt: { jobtitle: hubspotAt }, modifiedAt: hubspotAt },
        // The view holds the rep's overwritten edit again; Salesforce itself holds 'Manager'.
        salesforce: { object: 'Lead', id: '00QA', fields: { Email: 'a@x.com', Title: 'Director' }, fieldChangedAt: { Title: restoredAt }, modifiedAt: NOW - 800, restored: new Set(['Title']) },
        ledger: afterOverwrite,
        now: NOW,
      });

    it('wins over an older change on the other side, on both sides, despite the ledger of the overwriting write', () => {
      const p = plan(NOW - 5000, NOW - 2000);
      expect(p.hubspot).toEqual({ jobtitle: 'Director' });
      expect(p.salesforce).toEqual({ Title: 'Director' });
      expect(p.ledger.jobtitle?.hubspot).toBe(p.ledger.jobtitle?.salesforce);
    });

    it('loses to a newer change on the other side, which Salesforce then gets', () => {
      const p = plan(NOW - 1500, NOW - 2000, 'VP Sales');
      expect(p.hubspot).toEqual({});
      expect(p.salesforce).toEqual({ Title: 'VP Sales' });
    });

    it('is written back where the other side already holds it', () => {
      const p = plan(NOW - 1500, NOW - 2000, 'Director');
      expect(p.hubspot).toEqual({});
      expect(p.salesforce).toEqual({ Title: 'Director' });
    });
  });

  it('maps company industry through the picklist both ways and drops unmapped values', () => {
    const base = { propertyChangedAt: {}, modifiedAt: NOW };
    const toSf = planRecord({ fields: companies.fields, salesforceObject: 'Account', hubspot: { id: '9', properties: { name: 'Acme', industry: 'COMPUTER_SOFTWARE' }, ...base }, salesforce: { object: 'Account', id: '001A', fields: { Name: 'Acme', Industry: null }, fieldChangedAt: {}, modifiedAt: NOW - 1 }, ledger: {}, now: NOW });
    expect(toSf.salesforce.Industry).toBe('Technology');
    expect(toSf.outcomes).toEqual([]);
    const toHs = planRecord({ fields: companies.fields, salesforceObject: 'Account', hubspot: { id: '9', properties: { name: 'Acme' }, ...base }, salesforce: { object: 'Account', id: '001A', fields: { Name: 'Acme', Industry: 'Banking' }, fieldChangedAt: {}, modifiedAt: NOW - 1 }, ledger: {}, now: NOW });
    expect(toHs.hubspot.industry).toBe('BANKING');
    const unmapped = planRecord({ fields: companies.fields, salesforceObject: 'Account', hubspot: { id: '9', properties: { name: 'Acme', industry: 'DAIRY' }, ...base }, salesforce: { object: 'Account', id: '001A', fields: { Name: 'Acme', Industry: null }, fieldChangedAt: {}, modifiedAt: NOW - 1 }, ledger: {}, now: NOW, explain: true });
    expect(unmapped.salesforce).not.toHaveProperty('Industry');
    expect(unmapped.outcomes.find((o) => o.hubspot === 'industry')?.decision).toMatchObject({ action: 'none', reason: 'skipped' });
  });

  it('reports an unconvertible value as invalid instead of writing it', () => {
    const plan = planRecord({
      fields: contacts.fields,
      salesforceObject: 'Lead',
      hubspot: { id: '1', properties: { email: 'a@x.com', hubspotscore: 'lots' }, propertyChangedAt: {}, modifiedAt: NOW },
      salesforce: { object: 'Lead', id: '00QA', fields: { Email: 'a@x.com' }, fieldChangedAt: {}, modifiedAt: NOW - 1 },
      ledger: {},
      now: NOW,
    });
    expect(plan.invalid).toEqual([{ side: 'salesforce', hubspot: 'hubspotscore', salesforce: 'Revloop_Lead_Score__c', message: '"lots" is not a number' }]);
    expect(plan.salesforce).not.toHaveProperty('Revloop_Lead_Score__c');
  });

  it('only plans the selected fields of a partial backfill', () => {
    const plan = planRecord({
      fields: contacts.fields,
      salesforceObject: 'Lead',
      only: new Set(['firstname']),
      hubspot: { id: '1', properties: { email: 'new@x.com', firstname: 'A' }, propertyChangedAt: {}, modifiedAt: NOW },
      salesforce: { object: 'Lead', id: '00QA', fields: { Email: 'old@x.com' }, fieldChangedAt: {}, modifiedAt: NOW - 1 },
      ledger: {},
      now: NOW,
    });
    expect(plan.salesforce).toEqual({ FirstName: 'A' });
  });

  it('lists the fields to read per object', () => {
    const lead = fieldsToRead(contacts, 'Lead');
    expect(lead.salesforce).toContain('Company');
    expect(lead.salesforce).toContain('Revloop_HubSpot_Id__c');
    expect(lead.salesforce).not.toContain('Status');
    expect(lead.hubspot).toContain('revloop_salesforce_lead_id');
    expect(fieldsToRead(contacts, 'Contact').salesforce).toContain('Account.Name');
  });
});

describe('concat and transforms', () => {
  it('concatenates HubSpot properties one way and never writes the parts back', () => {
    const field: FieldMapping = {
      hubspot: 'full_name',
      salesforce: 'Name__c',
      rule: 'always-hubspot',
      hubspot_type: 'string',
      salesforce_type: 'string',
      blank: 'keep',
      transform: transforms([{ concat: { hubspot: ['firstname', 'lastname'], separator: ' ' } }]),
    };
    const plan = planRecord({
      fields: [field],
      salesforceObject: 'Lead',
      hubspot: { id: '1', properties: { firstname: 'Ada', lastname: 'Lovelace' }, propertyChangedAt: {}, modifiedAt: NOW },
      salesforce: { object: 'Lead', id: '00Q', fields: { Name__c: null }, fieldChangedAt: {}, modifiedAt: NOW - 1 },
      ledger: {},
      now: NOW,
    });
    expect(plan.salesforce).toEqual({ Name__c: 'Ada Lovelace' });
  });

  it.each([
    [['trim', 'lowercase'], '  Ada@X.com ', 'toSalesforce', 'ada@x.com'],
    [['uppercase'], 'de', 'toSalesforce', 'DE'],
    [[{ default: 'Unknown' }], '', 'toSalesforce', 'Unknown'],
    [[{ truncate: 3 }], 'abcdef', 'toSalesforce', 'abc'],
    [[{ number: { decimals: 1, rounding: 'floor' } }], '2.99', 'toSalesforce', 2.9],
    [[{ number: { decimals: 0, rounding: 'ceil' } }], 2.01, 'toHubSpot', 3],
    [[{ date: { format: 'iso_date' } }], '1767571200000', 'toSalesforce', '2026-01-05'],
    [[{ date: { format: 'epoch_ms' } }], '2026-01-05', 'toHubSpot', '1767571200000'],
    [[{ date: { format: 'iso_datetime' } }], '2026-01-05', 'toSalesforce', '2026-01-05T00:00:00.000Z'],
    [[{ picklist: { map: { A: 'Alpha' }, unmapped: 'default', default: 'Other' } }], 'B', 'toSalesforce', 'Other'],
    [[{ picklist: { map: { A: 'Alpha' } } }], 'Zeta', 'toHubSpot', 'Zeta'],
  ])('%j on %j (%s) gives %j', (list, input, direction, output) => {
    expect(applyTransforms(transforms(list), input as string, direction as 'toSalesforce')).toEqual({ kind: 'value', value: output });
  });

  it('skips an owner with no match and refuses a bad number', () => {
    expect(applyTransforms(transforms(['owner']), '999', 'toSalesforce')).toMatchObject({ kind: 'skip' });
    expect(applyTransforms(transforms([{ number: { decimals: 0 } }]), 'n/a', 'toSalesforce')).toEqual({ kind: 'invalid', message: '"n/a" is not a number' });
    expect(applyTransforms(transforms([{ date: { format: 'iso_date' } }]), 'someday', 'toSalesforce')).toEqual({ kind: 'invalid', message: '"someday" is not a date' });
  });

  it('reads nested parent fields', () => {
    expect(readPath({ Account: { Owner: { Email: 'o@x.com' } } }, 'Account.Owner.Email')).toBe('o@x.com');
    expect(readPath({ Account: null }, 'Account.Name')).toBeNull();
  });
});
