/**
 * The backfill's staging keeps Salesforce records as value arrays under their object's columns:
 * what comes back (by id, and as leftovers, and in another worker that resumes the run) is exactly
 * what was staged, a record of another shape included, and it takes about half the bytes.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Keyspace } from '../../../src/platform/redis.js';
import type { SalesforceRecord } from '../../../src/providers/salesforce/salesforce-records.js';
import { Staging } from '../../../src/worker/backfill/staging.js';
import { useRedis, type RedisTestContext } from '../../helpers/redis.js';

let ctx: RedisTestContext;
const keys = () => new Keyspace('staging', ctx.root);

beforeEach(async () => {
  ctx = await useRedis('staging');
});

afterEach(async () => {
  await ctx.cleanup();
});

const lead = (i: number, extra: Partial<SalesforceRecord> = {}): SalesforceRecord =>
  ({ Id: `00Q${i}`, Email: `p${i}@example.com`, FirstName: i % 2 ? `First ${i}` : null, LastName: `Last "${i}", é`, Title: null, IsConverted: false, AnnualRevenue: i * 1000.5, Account: i % 3 ? null : { Name: `Acme ${i}`, Website: 'acme.example' }, ...extra }) as SalesforceRecord;

async function all(staging: Staging, object: string): Promise<SalesforceRecord[]> {
  const out: SalesforceRecord[] = [];
  for await (const chunk of staging.leftovers(object, 7)) out.push(...chunk);
  return out.sort((a, b) => a.Id.localeCompare(b.Id));
}

describe('backfill staging', () => {
  it('reads back exactly what was staged, by id, as leftovers and from another worker', async () => {
    const staging = new Staging(ctx.redis, keys(), 'run-1', 1);
    const records = Array.from({ length: 40 }, (_, i) => lead(i + 10));
    // Another shape: fields in another order, and one more field.
    const reordered = { LastName: 'Odd', Id: '00Q90', Email: 'odd@example.com', FirstName: null, Title: 'CEO', IsConverted: true, AnnualRevenue: null, Account: null } as SalesforceRecord;
    const wider = { ...lead(91), Extra__c: 'x' } as SalesforceRecord;
    await staging.add('Lead', records.slice(0, 20), 'Revloop_HubSpot_Id__c');
    await staging.add('Lead', [...records.slice(20), reordered, wider], 'Revloop_HubSpot_Id__c');
    const expected = [...records, reordered, wider].sort((a, b) => a.Id.localeCompare(b.Id));

    const byId = await staging.records('Lead', ['00Q12', '00Q90', '00Q91', '00Q404']);
    expect(byId).toEqual([lead(12), reordered, wider]);
    expect(byId.map((r) => Object.keys(r))).toEqual([Object.keys(lead(12)), Object.keys(reordered), Object.keys(wider)]);
    expect(await all(staging, 'Lead')).toEqual(expected);

    // A worker that takes the run over knows the columns from Redis.
    const other = new Staging(ctx.redis, keys(), 'run-1', 1);
    expect(await all(other, 'Lead')).toEqual(expected);

    // A record of the usual shape is stored as its values; about half the object form.
    const raw = await ctx.redis.hget(staging.recordsKey('Lead'), '00Q12');
    expect(JSON.parse(raw ?? 'null')).toEqual(Object.values(lead(12)));
    expect((raw ?? '').length).toBeLessThan(JSON.stringify(lead(12)).length * 0.6);
  });

  it('forgets the columns with the records, and says so when they are damaged', async () => {
    const staging = new Staging(ctx.redis, keys(), 'run-2', 1);
    await staging.add('Lead', [lead(1)], 'Revloop_HubSpot_Id__c');
    await staging.clear(['Lead']);
    expect(await ctx.redis.exists(keys().key('staging', 'run-2', 'columns', 'Lead'))).toBe(0);
    await staging.add('Lead', [{ Id: '00Q2', Email: 'b@example.com' } as SalesforceRecord], 'Revloop_HubSpot_Id__c');
    expect(await staging.records('Lead', ['00Q2'])).toEqual([{ Id: '00Q2', Email: 'b@example.com' }]);

    await ctx.redis.set(keys().key('staging', 'run-2', 'columns', 'Lead'), '{"not":"columns"}');
    const other = new Staging(ctx.redis, keys(), 'run-2', 1);
    await expect(other.records('Lead', ['00Q2'])).rejects.toThrow(/columns of Lead .*damaged/);
  });
});
