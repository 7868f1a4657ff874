import { describe, expect, it } from 'vitest';
import { opportunitiesByPerson } from '../../../src/core/opportunities/people.js';

const opps = [
  { Id: 'o1', AccountId: 'a1' },
  { Id: 'o2', AccountId: 'a1' },
  { Id: 'o3', AccountId: 'a2' },
];
const roles = [
  { opportunityId: 'o1', contactId: 'c1', isPrimary: true },
  { opportunityId: 'o1', contactId: 'c2' },
];
const accounts = new Map([['a1', ['c2', 'c1', 'c3']], ['a2', []]]);

describe('the people of an opportunity', () => {
  it('are its contact roles', () => {
    const byPerson = opportunitiesByPerson(opps, roles, accounts, 'none');
    expect(byPerson.get('c1')?.map((o) => o.Id)).toEqual(['o1']);
    expect(byPerson.get('c2')?.map((o) => o.Id)).toEqual(['o1']);
    expect(byPerson.has('c3')).toBe(false);
  });

  it('fall back to the account primary contact, or all its contacts, when there is no role', () => {
    expect(opportunitiesByPerson(opps, roles, accounts, 'account_primary').get('c2')?.map((o) => o.Id)).toEqual(['o1', 'o2']);
    const all = opportunitiesByPerson(opps, roles, accounts, 'account_all');
    expect(['c1', 'c2', 'c3'].map((c) => all.get(c)?.map((o) => o.Id))).toEqual([['o1', 'o2'], ['o1', 'o2'], ['o2']]);
    expect(opportunitiesByPerson(opps, [], accounts, 'account_primary').has('c1')).toBe(false);
  });
});
