/** inConditions: long IN lists split so that no query's URL outgrows what Salesforce (and the simulator) accept. */
import { describe, expect, it } from 'vitest';
import { inConditions, MAX_IN_CHARS, select } from '../../../src/providers/salesforce/soql.js';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `00Q5g${String(i).padStart(10, '0')}AAA`);

describe('inConditions', () => {
  it('keeps short lists in one query, OR-ed', () => {
    const conditions = inConditions([
      { field: 'Id', values: ids(3) },
      { field: 'Email', values: ['a@x.example'] },
      { field: 'Revloop_HubSpot_Id__c', values: [] },
    ]);
    expect(conditions).toHaveLength(1);
    expect(conditions[0]?.text).toBe("(Id IN ('00Q5g0000000000AAA', '00Q5g0000000001AAA', '00Q5g0000000002AAA')) OR (Email IN ('a@x.example'))");
  });

  it('returns no query for empty lists', () => {
    expect(inConditions([{ field: 'Id', values: [] }])).toEqual([]);
  });

  it('splits 2,000 ids and 200 emails into queries that each stay under the budget, losing none and repeating none', () => {
    const emails = Array.from({ length: 200 }, (_, i) => `person.${i}@company-${i}.example`);
    const conditions = inConditions([
      { field: 'Id', values: ids(2000) },
      { field: 'Email', values: emails },
    ]);
    expect(conditions.length).toBeGreaterThan(1);
    const seen: string[] = [];
    for (const c of conditions) {
      const soql = select(['Id'], 'Lead', { where: c });
      // Percent-encoded in a URL, the query stays well under 16,384 characters.
      expect(encodeURIComponent(soql).length).toBeLessThan(14_000);
      expect(c.text.length).toBeLessThan(MAX_IN_CHARS + 200);
      seen.push(...[...c.text.matchAll(/'([^']+)'/g)].map((m) => m[1] as string));
    }
    expect(seen.sort()).toEqual([...ids(2000), ...emails].sort());
  });

  it('escapes values as every other condition does', () => {
    const [c] = inConditions([{ field: 'Email', values: ["o'brien@x.example' OR Id != null"] }]);
    expect(c?.text).toBe("Email IN ('o\\'brien@x.example\\' OR Id != null')");
  });
});
