/** Outcome roll-ups: every metric from a person's opportunities, blanks without any, writes only where the contact differs. */
import { describe, expect, it } from 'vitest';
import type { RollupDefinition, RollupMetric } from '../../../src/config/mapping/schema/opportunities.js';
import { ROLLUP_METRICS } from '../../../src/config/mapping/schema/opportunities.js';
import { computeRollups, rollupWrites } from '../../../src/core/opportunities/rollups.js';
import type { OpportunityRecord } from '../../../src/core/opportunities/people.js';

const ALL: RollupDefinition[] = ROLLUP_METRICS.map((metric) => ({ metric, hubspot: metric }));

function opp(id: string, fields: Partial<OpportunityRecord>): OpportunityRecord {
  return { Id: id, IsClosed: false, IsWon: false, StageName: 'Prospecting', Amount: 0, CreatedDate: '2026-01-01T00:00:00.000+0000', ...fields };
}

const wonEarly = opp('006A', { IsClosed: true, IsWon: true, StageName: 'Closed Won', Amount: 50_000, CloseDate: '2026-03-10', CreatedDate: '2026-01-05T10:00:00.000+0000' });
const wonLate = opp('006B', { IsClosed: true, IsWon: true, StageName: 'Closed Won', Amount: 12_500.5, CloseDate: '2026-09-01', CreatedDate: '2026-06-01T10:00:00.000+0000' });
const lostPrice = opp('006C', { IsClosed: true, StageName: 'Closed Lost', Amount: 8_000, CloseDate: '2026-05-01', Loss_Reason__c: 'Price', CreatedDate: '2026-04-01T10:00:00.000+0000' });
const lostTiming = opp('006D', { IsClosed: true, StageName: 'Closed Lost', Amount: 3_000, CloseDate: '2026-07-15', Loss_Reason__c: 'Timing', CreatedDate: '2026-02-01T10:00:00.000+0000' });
const open = opp('006E', { StageName: 'Negotiation/Review', Amount: 30_000, CloseDate: '2026-12-31', CreatedDate: '2026-10-01T10:00:00.000+0000' });
const open2 = opp('006F', { StageName: 'Prospecting', Amount: '7000', CloseDate: '2027-02-01', CreatedDate: '2026-08-01T10:00:00.000+0000' });

describe('computeRollups', () => {
  it('computes every metric from all of the opportunities', () => {
    const values = computeRollups([wonEarly, wonLate, lostPrice, lostTiming, open, open2], ALL, { lossReasonField: 'Loss_Reason__c', daysFrom: Date.parse('2026-01-01T15:00:00Z') });
    const expected: Record<RollupMetric, string> = {
      open_pipeline_amount: '37000',
      opportunity_count: '6',
      open_opportunity_count: '2',
      last_opportunity_stage: 'Negotiation/Review',
      won_revenue: '62500.5',
      won_count: '2',
      first_won_date: '2026-03-10',
      last_won_date: '2026-09-01',
      last_loss_reason: 'Timing',
      last_lost_date: '2026-07-15',
      days_to_won: '68',
    };
    expect(values).toEqual(expected);
  });

  it('gives blanks without opportunities, and zeroes where there are some', () => {
    expect(Object.values(computeRollups([], ALL)).every((v) => v === '')).toBe(true);
    expect(computeRollups([lostPrice], ALL, { lossReasonField: 'Loss_Reason__c' })).toMatchObject({ open_pipeline_amount: '0', won_revenue: '0', won_count: '0', first_won_date: '', days_to_won: '', last_loss_reason: 'Price' });
  });

  it('leaves days to won blank without the stage entry, and the loss reason without its field', () => {
    expect(computeRollups([wonEarly, lostPrice], ALL)).toMatchObject({ days_to_won: '', last_loss_reason: '' });
  });
});

describe('rollupWrites', () => {
  it('writes only what differs, reading HubSpot spellings of numbers and dates as equal', () => {
    const values = { a: '50000', b: '2026-03-10', c: 'Closed Won', d: '', e: '7' };
    const current = { a: '50000.0', b: String(Date.parse('2026-03-10T00:00:00Z')), c: 'Prospecting', d: null, e: undefined };
    expect(rollupWrites(values, current)).toEqual({ c: 'Closed Won', e: '7' });
    expect(rollupWrites({ a: '' }, { a: '10' })).toEqual({ a: '' });
  });
});
