import { describe, expect, it } from 'vitest';
import { fieldRefsOf, parseFieldRef, readCondition, type ConditionIssue } from '../../../src/config/mapping/schema/condition.js';

function read(input: unknown) {
  const issues: ConditionIssue[] = [];
  const condition = readCondition(input, issues);
  return { condition, issues };
}

describe('conditions: accepted', () => {
  it.each([
    [{ field: 'hubspot.email', exists: true }],
    [{ field: 'hubspot.hubspotscore', gte: 50 }],
    [{ field: 'hubspot.hubspotscore', gt: 10 }],
    [{ field: 'hubspot.hubspotscore', lt: '2026-01-01' }],
    [{ field: 'hubspot.hubspotscore', lte: 3 }],
    [{ field: 'salesforce.Status', eq: 'Working - Contacted' }],
    [{ field: 'salesforce.Status', ne: null }],
    [{ field: 'lead.Status', in: ['Qualified', 'Recycled'] }],
    [{ field: 'lead.Status', not_in: ['Closed - Not Converted'] }],
    [{ field: 'hubspot.recent_conversion_event_name', contains: 'Demo' }],
    [{ field: 'hubspot.recent_conversion_event_name', not_contains: 'Newsletter' }],
    [{ field: 'hubspot.recent_conversion_date', within_days: 30 }],
    [{ field: 'hubspot.recent_conversion_date', older_than_days: 90 }],
    [{ all: [{ field: 'hubspot.email', exists: true }, { not: { field: 'hubspot.hs_email_optout', eq: true } }] }],
    [{ any: [{ field: 'account.Industry', eq: 'Technology' }, { field: 'company.industry', eq: 'COMPUTER_SOFTWARE' }] }],
    [{ some: 'opportunities', where: { field: 'opportunity.IsWon', eq: true } }],
    [{ none: 'campaigns' }],
    [{ field: 'account.Owner.Email', exists: true }],
  ])('%j', (input) => {
    const { condition, issues } = read(input);
    expect(issues).toEqual([]);
    expect(condition).toBeDefined();
  });

  it('normalises comparisons and keeps where each field was written', () => {
    const { condition } = read({ all: [{ field: 'hubspot.email', exists: true }, { some: 'opportunities', where: { field: 'opportunity.IsClosed', eq: false } }] });
    expect(condition).toMatchObject({ kind: 'all', conditions: [{ kind: 'compare', op: 'exists', value: true }, { kind: 'some', relation: 'opportunities' }] });
    expect(fieldRefsOf(condition!).map((r) => [r.ref.text, r.at, r.relation])).toEqual([
      ['hubspot.email', ['all', 0, 'field'], undefined],
      ['opportunity.IsClosed', ['all', 1, 'where', 'field'], 'opportunities'],
    ]);
  });
});

describe('conditions: refused with a clear message at the right path', () => {
  it.each([
    ['not a mapping', 'x', [], 'a condition must be a mapping'],
    ['empty all', { all: [] }, ['all'], '"all" takes a non-empty list'],
    ['combinator with extra key', { any: [{ field: 'hubspot.a', exists: true }], field: 'hubspot.b' }, [], '"any" stands alone'],
    ['unknown operator', { field: 'hubspot.hubspotscore', gtee: 50 }, ['gtee'], 'did you mean "gte"?'],
    ['two operators', { field: 'hubspot.hubspotscore', gte: 1, lte: 2 }, [], 'has 2 operators'],
    ['no operator', { field: 'hubspot.hubspotscore' }, [], 'has no operator'],
    ['unknown scope', { field: 'hubspott.email', exists: true }, ['field'], 'did you mean "hubspot"?'],
    ['no scope', { field: 'email', exists: true }, ['field'], 'must start with one of'],
    ['bad name', { field: 'hubspot.e-mail', exists: true }, ['field'], 'is not a property or field name'],
    ['field not a string', { field: 3, exists: true }, ['field'], 'field must be a string'],
    ['exists not boolean', { field: 'hubspot.email', exists: 'yes' }, ['exists'], 'exists takes true or false'],
    ['in not a list', { field: 'lead.Status', in: 'Qualified' }, ['in'], 'in takes a non-empty list'],
    ['within_days negative', { field: 'hubspot.x', within_days: -1 }, ['within_days'], 'positive number of days'],
    ['gte on an object', { field: 'hubspot.x', gte: { a: 1 } }, ['gte'], 'takes a number or a date string'],
    ['contains empty', { field: 'hubspot.x', contains: '' }, ['contains'], 'non-empty string'],
    ['eq on a list', { field: 'hubspot.x', eq: [1] }, ['eq'], 'takes a single value'],
    ['unknown relation', { some: 'opportunity' }, ['some'], 'did you mean "opportunities"?'],
    ['quantifier with extra key', { some: 'opportunities', field: 'x' }, [], 'unknown key "field"'],
    ['neither field nor combinator', { feild: 'hubspot.x', eq: 1 }, [], 'did you mean "field"?'],
    ['nested error', { not: { any: [{ field: 'hubspot.x', exists: 1 }] } }, ['not', 'any', 0, 'exists'], 'exists takes true or false'],
  ])('%s', (_name, input, path, message) => {
    const { condition, issues } = read(input);
    expect(condition).toBeUndefined();
    expect(issues[0]?.path).toEqual(path);
    expect(issues[0]?.message).toContain(message);
  });

  it('limits nesting depth', () => {
    let deep: unknown = { field: 'hubspot.x', exists: true };
    for (let i = 0; i < 40; i++) deep = { not: deep };
    const { issues } = read(deep);
    expect(issues[0]?.message).toContain('nested at most');
  });

  it('parses field references', () => {
    expect(parseFieldRef('salesforce.Status')).toEqual({ scope: 'salesforce', name: 'Status', text: 'salesforce.Status' });
  });
});
