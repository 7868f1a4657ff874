/**
 * The events that are not plain change events: gap events (header only, GAP_<type>), overflow events (GAP_OVERFLOW,
 * the empty record id) and merged change events (several recordIds), as jsforce's streaming client receives them.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ALL_CHANGE_EVENTS_CHANNEL } from '../../../../src/sandbox/salesforce/cdc/index.js';
import { RevloopError } from '../../../../src/platform/errors.js';
import { USER_ID, change, collect, startLocalOrg, waitFor, type LocalOrg } from './local-org.js';

const LEADS = ['00Q000000000001AAA', '00Q000000000002AAA', '00Q000000000003AAA', '00Q000000000004AAA', '00Q000000000005AAA'];

describe('Change Data Capture: gap, overflow and merged events', () => {
  let org: LocalOrg;
  afterEach(async () => {
    await org.close();
  });

  describe('with the default settings', () => {
    beforeEach(async () => {
      org = await startLocalOrg();
    });

    it('sends an injected gap event with the header only', async () => {
      const client = org.track(org.connection().streaming.createClient([]));
      const { events, ready } = collect(client, '/data/LeadChangeEvent');
      await ready;

      const injected = org.cdc.injectGap({ entityName: 'Lead', changeType: 'GAP_UPDATE', recordIds: [LEADS[0] ?? ''] });
      await waitFor(() => events.length === 1);

      const [gap] = events;
      expect(Object.keys(gap?.payload ?? {})).toEqual(['ChangeEventHeader']);
      expect(gap?.payload.ChangeEventHeader).toMatchObject({
        entityName: 'Lead',
        changeType: 'GAP_UPDATE',
        recordIds: [LEADS[0]],
        changeOrigin: '',
        sequenceNumber: 1,
        changedFields: [],
        commitTimestamp: org.clock.now,
      });
      expect(gap?.event.replayId).toBe(injected.replayId);
      expect(org.cdc.stats().gapEvents).toBe(1);
    });

    it('sends the next changes as gap events when told to, keeping their header facts', async () => {
      const client = org.track(org.connection().streaming.createClient([]));
      const { events, ready } = collect(client, ALL_CHANGE_EVENTS_CHANNEL);
      await ready;

      org.cdc.gapNext(1);
      org.feed.publish([
        change({ entityName: 'Lead', changeType: 'CREATE', recordIds: [LEADS[0] ?? ''], transactionKey: 'tx-gap', commitUser: USER_ID, fields: { LastName: 'Ng', Company: 'Acme' } }),
      ]);
      org.feed.publish([change({ entityName: 'Lead', changeType: 'CREATE', recordIds: [LEADS[1] ?? ''], fields: { LastName: 'Li', Company: 'Acme' } })]);
      await waitFor(() => events.length === 2);

      expect(events[0]?.payload).toEqual({
        ChangeEventHeader: expect.objectContaining({ changeType: 'GAP_CREATE', transactionKey: 'tx-gap', recordIds: [LEADS[0]], changedFields: [] }),
      });
      expect(events[1]?.payload.ChangeEventHeader.changeType).toBe('CREATE');
      expect(events[1]?.payload.Company).toBe('Acme');
    });

    it('sends an injected overflow event with the empty record id', async () => {
      const client = org.track(org.connection().streaming.createClient([]));
      const { events, ready } = collect(client, '/data/OpportunityChangeEvent');
      await ready;

      org.cdc.injectOverflow({ entityName: 'Opportunity', transactionKey: 'tx-cascade' });
      await waitFor(() => events.length === 1);
      expect(events[0]?.payload).toEqual({
        ChangeEventHeader: expect.objectContaining({
          entityName: 'Opportunity',
          changeType: 'GAP_OVERFLOW',
          recordIds: ['000000000000000AAA'],
          transactionKey: 'tx-cascade',
        }),
      });
    });

    it('refuses to inject for an entity that is not selected, or with a malformed record id', () => {
      expect(() => org.cdc.injectGap({ entityName: 'Task', changeType: 'GAP_DELETE', recordIds: ['00T000000000001AAA'] })).toThrow(RevloopError);
      expect(() => org.cdc.injectGap({ entityName: 'Lead', changeType: 'GAP_DELETE', recordIds: ['not an id'] })).toThrow(/record id/);
      expect(org.cdc.stats().published).toBe(0);
    });

    it('merges identical updates of one transaction into one event listing every record', async () => {
      const client = org.track(org.connection().streaming.createClient([]));
      const { events, ready } = collect(client, ALL_CHANGE_EVENTS_CHANNEL);
      await ready;

      const sameChange = { transactionKey: 'tx-bulk-status', changedFields: ['Status', 'LastModifiedDate'] };
      const fields = { Status: 'Working - Contacted', LastModifiedDate: '2026-03-02T09:00:00.000+0000' };
      org.feed.publish([
        change({ ...sameChange, sequenceNumber: 1, entityName: 'Lead', changeType: 'UPDATE', recordIds: [LEADS[0] ?? ''], fields }),
        change({ ...sameChange, sequenceNumber: 2, entityName: 'Lead', changeType: 'UPDATE', recordIds: [LEADS[1] ?? ''], fields }),
        change({ ...sameChange, sequenceNumber: 3, entityName: 'Lead', changeType: 'UPDATE', recordIds: [LEADS[2] ?? ''], fields: { ...fields, Status: 'Qualified' } }),
      ]);
      org.feed.publish([change({ entityName: 'Lead', changeType: 'DELETE', recordIds: [LEADS[3] ?? ''] })]);
      await waitFor(() => events.length === 3);

      expect(events.map((e) => e.payload.ChangeEventHeader.recordIds)).toEqual([[LEADS[0], LEADS[1]], [LEADS[2]], [LEADS[3]]]);
      expect(events[0]?.payload.Status).toBe('Working - Contacted');
    });
  });

  it('replaces the changes of a transaction beyond the overflow threshold with one overflow event per entity', async () => {
    org = await startLocalOrg({ overflowThreshold: 3 });
    const client = org.track(org.connection().streaming.createClient([]));
    const { events, ready } = collect(client, ALL_CHANGE_EVENTS_CHANNEL);
    await ready;

    const transaction = { transactionKey: 'tx-big', commitNumber: 500 };
    org.feed.publish([
      ...LEADS.map((id, i) => change({ ...transaction, sequenceNumber: i + 1, entityName: 'Lead', changeType: 'CREATE', recordIds: [id], fields: { LastName: `L${i}`, Company: 'Acme' } })),
      change({ ...transaction, sequenceNumber: 6, entityName: 'Account', changeType: 'CREATE', recordIds: ['001000000000001AAA'], fields: { Name: 'Acme' } }),
    ]);
    org.feed.publish([change({ entityName: 'Account', changeType: 'DELETE', recordIds: ['001000000000001AAA'] })]);
    await waitFor(() => events.length === 6);

    expect(events.map((e) => [e.payload.ChangeEventHeader.entityName, e.payload.ChangeEventHeader.changeType])).toEqual([
      ['Lead', 'CREATE'],
      ['Lead', 'CREATE'],
      ['Lead', 'CREATE'],
      ['Lead', 'GAP_OVERFLOW'],
      ['Account', 'GAP_OVERFLOW'],
      ['Account', 'DELETE'],
    ]);
    expect(events[3]?.payload.ChangeEventHeader).toMatchObject({ transactionKey: 'tx-big', recordIds: ['000000000000000AAA'] });
    expect(org.cdc.stats().overflowEvents).toBe(2);
  });
});
