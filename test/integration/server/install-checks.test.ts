/**
 * The install's Salesforce field check against an org with none of revloop's custom fields: every
 * missing field is listed with why revloop needs it and how to add it; a complete org passes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSalesforceFields } from '../../../src/admin/install/salesforce-fields.js';
import { loadMappings } from '../../../src/config/mapping/load.js';
import type { MappingSet } from '../../../src/config/mapping/mapping-set.js';
import { ApiBudget } from '../../../src/providers/budget/api-budget.js';
import { SalesforceApi } from '../../../src/providers/salesforce/salesforce-api.js';
import { startSalesforceSandbox, type SalesforceSandbox } from '../../../src/sandbox/salesforce/index.js';
import { SHIPPED_MAPPINGS } from '../../helpers/mappings.js';
import { useRedis, type RedisTestContext } from '../../helpers/redis.js';

let bare: SalesforceSandbox;
let full: SalesforceSandbox;
let redis: RedisTestContext;
let mappings: MappingSet;

beforeAll(async () => {
  [bare, full, redis] = await Promise.all([startSalesforceSandbox({ bareOrg: true }), startSalesforceSandbox({}), useRedis('fields')]);
  const loaded = await loadMappings(SHIPPED_MAPPINGS);
  if (!loaded.set) throw new Error('shipped mappings invalid');
  mappings = loaded.set;
});
afterAll(async () => {
  await Promise.allSettled([bare?.close(), full?.close()]);
  await redis?.cleanup();
});

function api(sf: SalesforceSandbox): SalesforceApi {
  const budget = new ApiBudget(redis.redis, `${redis.root}:{fields}`, { hubspotTenSecond: 100, hubspotSearchPerSecond: 5, salesforceDailyShare: 100 });
  return new SalesforceApi({ instanceUrl: sf.instanceUrl, accessToken: sf.accessToken, version: sf.version }, budget);
}

describe('the Salesforce field check at install', () => {
  it('lists every missing field with why and how to add it', async () => {
    const report = await checkSalesforceFields(api(bare), mappings);
    expect(report.ok).toBe(false);
    const ext = report.problems.find((p) => p.object === 'Lead' && p.field === 'Revloop_HubSpot_Id__c');
    expect(ext).toMatchObject({ problem: 'missing' });
    expect(ext?.why).toMatch(/identity\.salesforce_external_id/);
    expect(ext?.fix).toMatch(/create the field Lead\.Revloop_HubSpot_Id__c \(Text\(18\), External ID, Unique\)/);
    expect(report.problems.some((p) => p.object === 'Lead' && p.field === 'Revloop_Recycle_Reason__c')).toBe(true);
    expect(report.problems.every((p) => p.fix.length > 20)).toBe(true);
  });

  it('asks for the HubSpot id to be unique, which keeps two jobs from creating one person twice', async () => {
    const org = await startSalesforceSandbox({ bareOrg: true });
    try {
      for (const object of ['Lead', 'Contact']) org.store.addField(object, { name: 'Revloop_HubSpot_Id__c', label: 'HubSpot Id', type: 'string', length: 32, externalId: true });
      const report = await checkSalesforceFields(api(org), mappings);
      const ext = report.problems.find((p) => p.object === 'Lead' && p.field === 'Revloop_HubSpot_Id__c');
      expect(ext).toMatchObject({ problem: 'not-unique' });
      expect(ext?.fix).toMatch(/tick "Unique"/);
    } finally {
      await org.close();
    }
  });

  it('passes an org that has them', async () => {
    const report = await checkSalesforceFields(api(full), mappings);
    expect(report).toMatchObject({ ok: true, problems: [] });
    expect(report.checked.Lead).toBeGreaterThan(10);
  });
});
