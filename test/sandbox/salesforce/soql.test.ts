/** SOQL as the sandbox runs it: operators, literals, relationships, ordering, paging limits and errors. */
import { beforeAll, describe, expect, it } from 'vitest';
import { SalesforceApiError } from '../../../src/sandbox/salesforce/errors.js';
import { candidateRows } from '../../../src/sandbox/salesforce/soql/plan.js';
import { makeEvalEnv } from '../../../src/sandbox/salesforce/soql/execute.js';
import { SalesforceStore } from '../../../src/sandbox/salesforce/store/salesforce-store.js';

const NOW = Date.parse('2026-03-11T15:00:00.000Z'); // a Wednesday

function queryError(store: SalesforceStore, soql: string): SalesforceApiError {
  try {
    store.query(soql);
  } catch (err) {
    if (err instanceof SalesforceApiError) return err;
    throw err;
  }
  throw new Error(`expected ${soql} to fail`);
}

describe('SOQL', () => {
  const clock = { now: NOW };
  const store = new SalesforceStore({ now: () => clock.now });
  const ids: Record<string, string> = {};

  beforeAll(() => {
    store.addField('Lead', { name: 'Interests__c', type: 'multipicklist', picklistValues: ['CRM', 'ERP', 'BI'] });
    ids.acme = store.insert('Account', { Name: 'Acme', Industry: 'Technology' });
    ids.globex = store.insert('Account', { Name: 'Globex' });
    ids.ada = store.insert('Contact', { FirstName: 'Ada', LastName: 'King', AccountId: ids.acme, Email: 'ada@acme.test' });
    ids.bob = store.insert('Contact', { FirstName: 'Bob', LastName: "O'Hara", AccountId: ids.acme });
    ids.cy = store.insert('Contact', { LastName: 'Cy', AccountId: ids.globex });
    ids.opp = store.insert('Opportunity', { Name: 'Big', StageName: 'Negotiation/Review', CloseDate: '2026-03-20', Amount: 50000, AccountId: ids.acme });
    store.insert('OpportunityContactRole', { OpportunityId: ids.opp, ContactId: ids.ada, Role: 'Decision Maker', IsPrimary: true });
    store.insert('OpportunityContactRole', { OpportunityId: ids.opp, ContactId: ids.bob, Role: 'Evaluator' });
    clock.now = NOW - 3 * 86_400_000;
    ids.old = store.insert('Lead', { LastName: 'Old', Company: 'A', Interests__c: 'CRM;BI', AnnualRevenue: 10 });
    clock.now = NOW;
    ids.new = store.insert('Lead', { LastName: 'New', Company: 'B', Interests__c: 'ERP', LeadSource: 'Web' });
    ids.none = store.insert('Lead', { LastName: 'None', Company: 'C' });
  });

  it('nests parent relationships two levels deep, null when the reference is empty', () => {
    const result = store.query(`SELECT Name, Account.Name, Account.Owner.Email FROM Contact WHERE Id IN ('${ids.ada}', '${ids.cy}') ORDER BY Name`);
    expect(result.records[0]).toEqual({
      attributes: { type: 'Contact', url: `/services/data/v62.0/sobjects/Contact/${ids.ada}` },
      Name: 'Ada King',
      Account: {
        attributes: { type: 'Account', url: `/services/data/v62.0/sobjects/Account/${ids.acme}` },
        Name: 'Acme',
        Owner: { attributes: { type: 'User', url: `/services/data/v62.0/sobjects/User/${store.integrationUserId}` }, Email: 'integration@revloop.sandbox' },
      },
    });
    const orphan = store.insert('Contact', { LastName: 'Zed' });
    expect(store.query(`SELECT Account.Name FROM Contact WHERE Id = '${orphan}'`).records[0]).toMatchObject({ Account: null });
  });

  it('returns child subqueries as query results, and null when there are no children', () => {
    const result = store.query(
      'SELECT Name, (SELECT ContactId, Role, IsPrimary FROM OpportunityContactRoles ORDER BY Role), (SELECT Id FROM Tasks) FROM Opportunity',
    );
    const opp = result.records[0] as Record<string, unknown>;
    expect(opp.Tasks).toBeNull();
    expect(opp.OpportunityContactRoles).toMatchObject({
      totalSize: 2,
      done: true,
      records: [
        { ContactId: ids.ada, Role: 'Decision Maker', IsPrimary: true },
        { ContactId: ids.bob, Role: 'Evaluator', IsPrimary: false },
      ],
    });
    const accounts = store.query('SELECT Name, (SELECT LastName FROM Contacts ORDER BY LastName) FROM Account ORDER BY Name').records;
    expect((accounts[0]?.Contacts as { totalSize: number }).totalSize).toBe(2);
    expect(store.query(`SELECT (SELECT Id FROM Contacts) FROM Account WHERE Name = 'Nobody'`).totalSize).toBe(0);
    const empty = store.insert('Account', { Name: 'Empty' });
    expect(store.query(`SELECT (SELECT Id FROM Contacts) FROM Account WHERE Id = '${empty}'`).records[0]?.Contacts).toBeNull();
  });

  it('counts with COUNT() and COUNT(field)', () => {
    expect(store.query('SELECT COUNT() FROM Lead')).toEqual({ totalSize: 3, done: true, records: [] });
    expect(store.query('SELECT COUNT(AnnualRevenue) FROM Lead').records).toEqual([{ attributes: { type: 'AggregateResult' }, expr0: 1 }]);
    expect(store.query('SELECT COUNT(Id) n FROM Lead WHERE LeadSource = null').records[0]).toMatchObject({ n: 2 });
  });

  it('filters with comparison, LIKE, IN, INCLUDES, NOT, parentheses and NULL', () => {
    const names = (where: string): string[] => store.query(`SELECT LastName FROM Lead WHERE ${where} ORDER BY LastName`).records.map((r) => String(r.LastName));
    expect(names("LastName = 'new'")).toEqual(['New']);
    expect(names("LastName != 'New'")).toEqual(['None', 'Old']);
    expect(names("LeadSource != 'Web'")).toEqual(['None', 'Old']);
    expect(names("LastName LIKE 'N%'")).toEqual(['New', 'None']);
    expect(names("LastName LIKE '_ld'")).toEqual(['Old']);
    expect(names("Company IN ('A', 'C')")).toEqual(['None', 'Old']);
    expect(names("Company NOT IN ('A')")).toEqual(['New', 'None']);
    expect(names("Interests__c INCLUDES ('CRM;BI', 'ERP')")).toEqual(['New', 'Old']);
    expect(names("Interests__c EXCLUDES ('ERP')")).toEqual(['None', 'Old']);
    expect(names('AnnualRevenue > 5')).toEqual(['Old']);
    expect(names('AnnualRevenue = null')).toEqual(['New', 'None']);
    expect(names("(LastName = 'Old' OR LastName = 'New') AND Company = 'B'")).toEqual(['New']);
    expect(names("NOT LastName = 'Old'")).toEqual(['New', 'None']);
    expect(names("LastName = 'Old' AND (NOT Company = 'B')")).toEqual(['Old']);
    expect(store.query("SELECT LastName FROM Contact WHERE LastName = 'O\\'Hara'").totalSize).toBe(1);
  });

  it('understands date literals and datetime values on the clock', () => {
    const names = (where: string): string[] => store.query(`SELECT LastName FROM Lead WHERE ${where} ORDER BY LastName`).records.map((r) => String(r.LastName));
    expect(names('CreatedDate = TODAY')).toEqual(['New', 'None']);
    expect(names('CreatedDate = LAST_N_DAYS:2')).toEqual(['New', 'None']);
    expect(names('CreatedDate = LAST_N_DAYS:3')).toEqual(['New', 'None', 'Old']);
    expect(names('CreatedDate < TODAY')).toEqual(['Old']);
    expect(names('CreatedDate = THIS_MONTH')).toEqual(['New', 'None', 'Old']);
    expect(names('CreatedDate = LAST_WEEK')).toEqual([]);
    expect(names('CreatedDate = THIS_WEEK')).toEqual(['New', 'None', 'Old']);
    expect(names('CreatedDate > 2026-03-10T00:00:00Z')).toEqual(['New', 'None']);
    expect(names('CreatedDate >= 2026-03-08T15:00:00.000+0000')).toEqual(['New', 'None', 'Old']);
    expect(store.query('SELECT Name FROM Opportunity WHERE CloseDate = NEXT_N_DAYS:10 AND CloseDate > 2026-03-19').totalSize).toBe(1);
  });

  it('orders by several fields with NULLS FIRST/LAST, and applies LIMIT and OFFSET', () => {
    const sources = store.query('SELECT LastName, LeadSource FROM Lead ORDER BY LeadSource DESC NULLS LAST, LastName ASC').records;
    expect(sources.map((r) => r.LastName)).toEqual(['New', 'None', 'Old']);
    const nullsFirst = store.query('SELECT LastName FROM Lead ORDER BY LeadSource NULLS FIRST, LastName DESC LIMIT 2 OFFSET 1').records;
    expect(nullsFirst.map((r) => r.LastName)).toEqual(['None', 'New']);
  });

  it('supports semi-joins on ids', () => {
    const result = store.query(`SELECT LastName FROM Contact WHERE Id IN (SELECT ContactId FROM OpportunityContactRole WHERE IsPrimary = true)`);
    expect(result.records.map((r) => r.LastName)).toEqual(['King']);
  });

  it('sees the recycle bin only with queryAll', () => {
    const gone = store.insert('Lead', { LastName: 'Gone', Company: 'G' });
    store.delete(gone);
    expect(store.query("SELECT Id FROM Lead WHERE LastName = 'Gone'").totalSize).toBe(0);
    expect(store.query("SELECT Id, IsDeleted FROM Lead WHERE LastName = 'Gone'", { includeDeleted: true }).records[0]).toMatchObject({ IsDeleted: true });
  });

  it('answers MALFORMED_QUERY, INVALID_FIELD and INVALID_TYPE in Salesforce wording', () => {
    const mixed = queryError(store, "SELECT Id FROM Lead WHERE LastName = 'a' AND Company = 'b' OR Company = 'c'");
    expect(mixed.errorCode).toBe('MALFORMED_QUERY');
    expect(mixed.message).toMatch(/ERROR at Row:1:Column:\d+\nunexpected token: 'OR'$/);
    expect(queryError(store, 'SELECT Id FROM Lead WHERE').errorCode).toBe('MALFORMED_QUERY');
    expect(queryError(store, "SELECT Id FROM Lead WHERE LastName = 'a' AND NOT Company = 'b'").message).toMatch(/unexpected token: 'NOT'/);
    const field = queryError(store, 'SELECT Id, Nope__c FROM Lead');
    expect(field.errorCode).toBe('INVALID_FIELD');
    expect(field.message).toContain("No such column 'Nope__c' on entity 'Lead'");
    expect(queryError(store, 'SELECT Id FROM Contact WHERE Acount.Name = null').message).toContain("Didn't understand relationship 'Acount'");
    const type = queryError(store, 'SELECT Id FROM Leads');
    expect(type.errorCode).toBe('INVALID_TYPE');
    expect(type.message).toContain("sObject type 'Leads' is not supported");
    expect(queryError(store, "SELECT Id FROM Lead WHERE AnnualRevenue = '5'").message).toContain(
      "value of filter criterion for field 'AnnualRevenue' must be of type double and should not be enclosed in quotes",
    );
    expect(queryError(store, "SELECT Id FROM Lead WHERE Id = 'nope'").errorCode).toBe('INVALID_QUERY_FILTER_OPERATOR');
    expect(queryError(store, 'SELECT Id FROM Lead WHERE Description = null').message).toContain("field 'Description' can not be filtered");
    expect(queryError(store, 'SELECT Id FROM Lead OFFSET 2001').errorCode).toBe('NUMBER_OUTSIDE_VALID_RANGE');
  });

  it('resolves selective filters on indexed fields through an index, not a scan', () => {
    const big = new SalesforceStore({ now: () => clock.now });
    const records = Array.from({ length: 20_000 }, (_, i) => ({ LastName: `L${i}`, Company: 'C', Email: `p${i}@x.test`, Revloop_HubSpot_Id__c: `hs${i}` }));
    big.insertMany('Lead', records, { emitChanges: false });
    clock.now += 60_000;
    const touched = big.query("SELECT Id FROM Lead WHERE Email = 'p77@x.test'").records[0]?.Id as string;
    big.update('Lead', touched, { Title: 'Touched' });
    const plan = (soql: string): number | undefined => {
      const compiled = big.compile(soql);
      return candidateRows(compiled, makeEvalEnv({ registry: big.registry, includeDeleted: false }))?.length;
    };
    expect(plan("SELECT Id FROM Lead WHERE Email = 'P5@X.TEST'")).toBe(1);
    expect(plan("SELECT Id FROM Lead WHERE Revloop_HubSpot_Id__c IN ('hs1', 'hs2') AND LastName != 'x'")).toBe(2);
    expect(plan(`SELECT Id FROM Lead WHERE Id = '${touched}'`)).toBe(1);
    expect(plan(`SELECT Id FROM Lead WHERE SystemModstamp > ${new Date(clock.now - 1000).toISOString()}`)).toBe(1);
    expect(plan("SELECT Id FROM Lead WHERE LastName = 'L5'")).toBeUndefined();
    // ORDER BY … LIMIT over many rows keeps only the first ones instead of sorting everything: same answer.
    const top = big.query('SELECT LastName FROM Lead ORDER BY LastName DESC LIMIT 3 OFFSET 1').records.map((r) => r.LastName);
    expect(top).toEqual(['L9998', 'L9997', 'L9996']);
    expect(big.query(`SELECT Id, Title FROM Lead WHERE LastModifiedDate > ${new Date(clock.now - 1000).toISOString()}`).records).toEqual([
      expect.objectContaining({ Id: touched, Title: 'Touched' }),
    ]);
  });
});
