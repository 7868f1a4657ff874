import { describe, expect, it } from 'vitest';
import { CandidateIndex, matchHubSpotRecord, normaliseDomain, normaliseEmail, normaliseName, routeNewPerson } from '../../../src/core/sync/identity.js';

const people = new CandidateIndex([
  { object: 'Lead', id: '00Q1', email: 'Ada@Example.com ', createdAt: 1 },
  { object: 'Contact', id: '0031', email: 'ada@example.com', createdAt: 2 },
  { object: 'Lead', id: '00Q2', email: 'grace@example.com', externalId: '77', createdAt: 3 },
  { object: 'Lead', id: '00Q3', email: 'grace@example.com', createdAt: 1 },
  { object: 'Lead', id: '00Q4', email: 'old@example.com', converted: true },
  { object: 'Lead', id: '00Q5', externalId: '99' },
]);

describe('matching a HubSpot contact', () => {
  it('follows a stored link first, then the ids on the record', () => {
    expect(matchHubSpotRecord({ id: '1', email: 'x@y.com', linkedIds: {} }, people, ['email'], { object: 'Lead', id: '00Q5' })).toEqual({ kind: 'linked', object: 'Lead', id: '00Q5', via: 'link' });
    expect(matchHubSpotRecord({ id: '1', email: 'x@y.com', linkedIds: { Lead: '00Q2' } }, people, ['email'])).toEqual({ kind: 'linked', object: 'Lead', id: '00Q2', via: 'link' });
  });

  it('ignores a link to a record that no longer exists and matches by email', () => {
    expect(matchHubSpotRecord({ id: '1', email: 'ADA@example.com', linkedIds: { Lead: '00Qgone' } }, people, ['email', 'external_id'])).toMatchObject({ id: '0031', via: 'email', ambiguous: ['Lead 00Q1'] });
  });

  it('prefers the candidate already carrying this HubSpot id', () => {
    expect(matchHubSpotRecord({ id: '77', email: 'grace@example.com', linkedIds: {} }, people, ['email'])).toMatchObject({ id: '00Q2', ambiguous: ['Lead 00Q3'] });
  });

  it('matches by external id when email finds nothing', () => {
    expect(matchHubSpotRecord({ id: '99', email: 'nobody@example.com', linkedIds: {} }, people, ['email', 'external_id'])).toEqual({ kind: 'linked', object: 'Lead', id: '00Q5', via: 'external_id' });
  });

  it('finds the record carrying this HubSpot id even when the mapping matches by email only', () => {
    expect(matchHubSpotRecord({ id: '99', email: 'nobody@example.com', linkedIds: {} }, people, ['email'])).toEqual({ kind: 'linked', object: 'Lead', id: '00Q5', via: 'external_id' });
    // The configured keys still come first.
    expect(matchHubSpotRecord({ id: '77', email: 'ada@example.com', linkedIds: {} }, people, ['email'])).toMatchObject({ id: '0031', via: 'email' });
  });

  it('never matches converted leads', () => {
    expect(matchHubSpotRecord({ id: '5', email: 'old@example.com', linkedIds: {} }, people, ['email'])).toEqual({ kind: 'none' });
  });
});

describe('routing a new person', () => {
  const accounts = new CandidateIndex([
    { object: 'Account', id: '0011', domain: 'https://www.acme.com/about', name: 'Acme, Inc.' },
    { object: 'Account', id: '0012', domain: 'globex.io', name: 'Globex' },
  ]);
  it('puts a person under the Account with their email domain', () => {
    expect(routeNewPerson('domain', { email: 'wile@acme.com' }, accounts)).toMatchObject({ object: 'Contact', accountId: '0011' });
    expect(routeNewPerson('domain', { email: 'x@unknown.org' }, accounts)).toEqual({ object: 'Lead' });
    expect(routeNewPerson('name', { company: 'ACME' }, accounts)).toMatchObject({ object: 'Contact', accountId: '0011' });
    expect(routeNewPerson('never', { email: 'wile@acme.com' }, accounts)).toEqual({ object: 'Lead' });
  });
});

describe('normalising keys', () => {
  it.each([
    [normaliseEmail(' A@B.Com '), 'a@b.com'],
    [normaliseEmail(''), undefined],
    [normaliseDomain('HTTP://WWW.Acme.COM:8080/x'), 'acme.com'],
    [normaliseDomain('ada@mail.acme.co.uk'), 'mail.acme.co.uk'],
    [normaliseDomain('not a domain'), undefined],
    [normaliseName(' Acme  Corp. '), 'acme'],
    [normaliseName(null), undefined],
  ])('%s', (actual, expected) => expect(actual).toBe(expected));
});
