import { describe, expect, it } from 'vitest';
import { readCondition, type Condition } from '../../../src/config/mapping/schema/condition.js';
import { evaluate, type ConditionView } from '../../../src/core/conditions.js';

const NOW = Date.parse('2026-11-29T12:00:00Z');

function cond(input: unknown): Condition {
  const issues: never[] = [];
  const c = readCondition(input, issues);
  if (!c) throw new Error(JSON.stringify(issues));
  return c;
}

const view: ConditionView = {
  hubspot: { email: 'ada@example.com', hubspotscore: '72', hs_email_optout: 'false', recent_conversion_event_name: 'Request a DEMO', recent_conversion_date: '2026-11-20T09:00:00Z', firstname: '' },
  lead: { Status: 'Working - Contacted', IsConverted: false, CreatedDate: '2026-01-05T10:00:00.000+0000' },
  account: { Industry: 'Technology', NumberOfEmployees: 250 },
  opportunities: [
    { StageName: 'Prospecting', IsClosed: false, IsWon: false, Amount: 1000 },
    { StageName: 'Closed Won', IsClosed: true, IsWon: true, Amount: 50000 },
  ],
};

describe('evaluate', () => {
  it.each([
    [{ field: 'hubspot.email', exists: true }, true],
    [{ field: 'hubspot.firstname', exists: true }, false],
    [{ field: 'hubspot.missing', exists: false }, true],
    [{ field: 'hubspot.hubspotscore', gte: 50 }, true],
    [{ field: 'hubspot.hubspotscore', gt: 72 }, false],
    [{ field: 'hubspot.hubspotscore', lte: 72 }, true],
    [{ field: 'hubspot.hubspotscore', lt: '100' }, true],
    [{ field: 'hubspot.hubspotscore', eq: 72 }, true],
    [{ field: 'hubspot.hs_email_optout', eq: false }, true],
    [{ field: 'hubspot.hs_email_optout', ne: true }, true],
    [{ field: 'hubspot.missing', ne: 'x' }, true],
    [{ field: 'hubspot.missing', eq: null }, true],
    [{ field: 'lead.Status', in: ['Qualified', 'Working - Contacted'] }, true],
    [{ field: 'lead.Status', not_in: ['Working - Contacted'] }, false],
    [{ field: 'lead.IsConverted', eq: true }, false],
    [{ field: 'hubspot.recent_conversion_event_name', contains: 'demo' }, true],
    [{ field: 'hubspot.recent_conversion_event_name', not_contains: 'webinar' }, true],
    [{ field: 'hubspot.recent_conversion_date', within_days: 30 }, true],
    [{ field: 'hubspot.recent_conversion_date', within_days: 5 }, false],
    [{ field: 'lead.CreatedDate', older_than_days: 300 }, true],
    [{ field: 'lead.CreatedDate', gt: '2026-01-01' }, true],
    [{ field: 'account.NumberOfEmployees', gte: 100 }, true],
    [{ field: 'account.Industry', gt: 5 }, false],
    [{ field: 'hubspot.hubspotscore', within_days: 3 }, false],
    [{ all: [{ field: 'hubspot.email', exists: true }, { field: 'hubspot.hubspotscore', gte: 50 }] }, true],
    [{ any: [{ field: 'hubspot.hubspotscore', gte: 90 }, { field: 'account.Industry', eq: 'Technology' }] }, true],
    [{ not: { field: 'hubspot.hubspotscore', gte: 50 } }, false],
    [{ some: 'opportunities', where: { field: 'opportunity.IsWon', eq: true } }, true],
    [{ some: 'opportunities', where: { all: [{ field: 'opportunity.IsClosed', eq: false }, { field: 'opportunity.Amount', gte: 5000 }] } }, false],
    [{ none: 'opportunities', where: { field: 'opportunity.StageName', eq: 'Closed Lost' } }, true],
    [{ some: 'campaigns' }, false],
    [{ field: 'contact.Email', exists: true }, false],
  ])('%j → %s', (input, expected) => {
    expect(evaluate(cond(input), view, NOW)).toBe(expected);
  });
});
