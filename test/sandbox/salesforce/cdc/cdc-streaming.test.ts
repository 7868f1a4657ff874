/**
 * Change events over the Streaming API, received by jsforce's real streaming client: channels, the message shape
 * Salesforce sends to CometD subscribers, and the body of each kind of change.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ALL_CHANGE_EVENTS_CHANNEL } from '../../../../src/sandbox/salesforce/cdc/index.js';
import { change, changeEventMessageSchema, collect, startLocalOrg, waitFor, type LocalOrg } from './local-org.js';

const LEAD = '00Q000000000001AAA';
const ACCOUNT = '001000000000001AAA';

describe('Change Data Capture: live events', () => {
  let org: LocalOrg;
  beforeEach(async () => {
    org = await startLocalOrg();
  });
  afterEach(async () => {
    await org.close();
  });

  it('delivers a created lead on /data/ChangeEvents through conn.streaming.topic(), with the CometD message shape', async () => {
    const conn = org.connection();
    const received: unknown[] = [];
    const subscription = conn.streaming.topic(ALL_CHANGE_EVENTS_CHANNEL).subscribe((message) => received.push(message));
    await subscription;
    const pushTopicClient = conn.streaming._fayeClients.pushTopic;
    if (pushTopicClient !== undefined) org.track(pushTopicClient);

    org.feed.publish([
      change({
        entityName: 'Lead',
        changeType: 'CREATE',
        recordIds: [LEAD],
        transactionKey: 'tx-create-1',
        commitNumber: 42,
        fields: {
          LastName: 'Okafor',
          FirstName: 'Ada',
          Company: 'Brightwave',
          Status: 'Open - Not Contacted',
          City: 'Lagos',
          Email: 'ada@brightwave.example',
          OwnerId: '005000000000001AAA',
          CreatedDate: '2026-03-02T09:00:00.000+0000',
          LastModifiedDate: '2026-03-02T09:00:00.000+0000',
          IsConverted: false,
          SystemModstamp: '2026-03-02T09:00:00.000+0000',
        },
      }),
    ]);
    await waitFor(() => received.length === 1);

    const event = changeEventMessageSchema.parse(received[0]);
    expect(event.event.replayId).toBe(1);
    expect(event.payload.ChangeEventHeader).toEqual({
      entityName: 'Lead',
      recordIds: [LEAD],
      changeType: 'CREATE',
      changeOrigin: 'com/salesforce/api/rest/62.0',
      transactionKey: 'tx-create-1',
      sequenceNumber: 1,
      commitTimestamp: Date.parse('2026-03-02T09:00:00.000Z'),
      commitNumber: 42,
      commitUser: '005000000000001AAA',
      changedFields: [],
    });
    const { ChangeEventHeader: _header, ...body } = event.payload;
    expect(body).toEqual({
      Name: { FirstName: 'Ada', LastName: 'Okafor' },
      Address: { City: 'Lagos' },
      Company: 'Brightwave',
      Status: 'Open - Not Contacted',
      Email: 'ada@brightwave.example',
      OwnerId: '005000000000001AAA',
      CreatedDate: '2026-03-02T09:00:00.000Z',
      LastModifiedDate: '2026-03-02T09:00:00.000Z',
      IsConverted: false,
    });
  });

  it('sends an update with only the changed fields, compound components named Compound.Component, nulls kept', async () => {
    const client = org.track(org.connection().streaming.createClient([]));
    const { events, ready } = collect(client, '/data/AccountChangeEvent');
    await ready;

    org.feed.publish([
      change({
        entityName: 'Account',
        changeType: 'UPDATE',
        recordIds: [ACCOUNT],
        changedFields: ['BillingCity', 'Phone', 'LastModifiedDate'],
        fields: { BillingCity: 'Porto', Phone: null, LastModifiedDate: '2026-03-02T10:15:00.000+0000' },
      }),
    ]);
    await waitFor(() => events.length === 1);

    const [event] = events;
    expect(event?.payload.ChangeEventHeader.changeType).toBe('UPDATE');
    expect(event?.payload.ChangeEventHeader.changedFields).toEqual(['BillingAddress.City', 'Phone', 'LastModifiedDate']);
    const { ChangeEventHeader: _header, ...body } = event?.payload ?? {};
    expect(body).toEqual({ BillingAddress: { City: 'Porto' }, Phone: null, LastModifiedDate: '2026-03-02T10:15:00.000Z' });
  });

  it('sends the header only for a delete, and every non-empty field for an undelete', async () => {
    const client = org.track(org.connection().streaming.createClient([]));
    const { events, ready } = collect(client, '/data/LeadChangeEvent');
    await ready;

    org.feed.publish([change({ entityName: 'Lead', changeType: 'DELETE', recordIds: [LEAD] })]);
    org.feed.publish([
      change({
        entityName: 'Lead',
        changeType: 'UNDELETE',
        recordIds: [LEAD],
        fields: { LastName: 'Okafor', Company: 'Brightwave', Title: null },
      }),
    ]);
    await waitFor(() => events.length === 2);

    const [deleted, undeleted] = events;
    expect(Object.keys(deleted?.payload ?? {})).toEqual(['ChangeEventHeader']);
    expect(deleted?.payload.ChangeEventHeader.changedFields).toEqual([]);
    expect(undeleted?.payload.ChangeEventHeader.changeType).toBe('UNDELETE');
    expect(undeleted?.payload.Name).toEqual({ LastName: 'Okafor' });
    expect(undeleted?.payload.Company).toBe('Brightwave');
    expect(undeleted?.payload).not.toHaveProperty('Title');
  });

  it('carries each entity on its own channel and all of them on /data/ChangeEvents', async () => {
    const client = org.track(org.connection().streaming.createClient([]));
    const all = collect(client, ALL_CHANGE_EVENTS_CHANNEL);
    const leads = collect(client, '/data/LeadChangeEvent');
    const roles = collect(client, '/data/OpportunityContactRoleChangeEvent');
    await Promise.all([all.ready, leads.ready, roles.ready]);

    org.feed.publish([change({ entityName: 'Account', changeType: 'DELETE', recordIds: [ACCOUNT] })]);
    org.feed.publish([change({ entityName: 'Lead', changeType: 'DELETE', recordIds: [LEAD] })]);
    org.feed.publish([change({ entityName: 'Task', changeType: 'DELETE', recordIds: ['00T000000000001AAA'] })]);
    org.feed.publish([
      change({ entityName: 'OpportunityContactRole', changeType: 'DELETE', recordIds: ['00K000000000001AAA'] }),
    ]);
    await waitFor(() => all.events.length === 3 && leads.events.length === 1 && roles.events.length === 1);

    expect(all.events.map((e) => e.payload.ChangeEventHeader.entityName)).toEqual(['Account', 'Lead', 'OpportunityContactRole']);
    expect(leads.events[0]?.event.replayId).toBe(all.events[1]?.event.replayId);
    expect(org.cdc.stats()).toMatchObject({ published: 3, latestReplayId: 3, retained: 3 });
  });

  it('keeps the changes of one transaction together, in order, under one transactionKey', async () => {
    const client = org.track(org.connection().streaming.createClient([]));
    const { events, ready } = collect(client, ALL_CHANGE_EVENTS_CHANNEL);
    await ready;

    const transaction = { transactionKey: 'tx-convert-7', commitNumber: 77 };
    org.feed.publish([
      change({ ...transaction, sequenceNumber: 1, entityName: 'Account', changeType: 'CREATE', recordIds: [ACCOUNT], fields: { Name: 'Brightwave' } }),
      change({ ...transaction, sequenceNumber: 2, entityName: 'Contact', changeType: 'CREATE', recordIds: ['003000000000001AAA'], fields: { LastName: 'Okafor', AccountId: ACCOUNT } }),
      change({ ...transaction, sequenceNumber: 3, entityName: 'Opportunity', changeType: 'CREATE', recordIds: ['006000000000001AAA'], fields: { Name: 'Brightwave-', StageName: 'Prospecting' } }),
      change({ ...transaction, sequenceNumber: 4, entityName: 'Lead', changeType: 'UPDATE', recordIds: [LEAD], changedFields: ['IsConverted', 'Status', 'LastModifiedDate'], fields: { IsConverted: true, Status: 'Closed - Converted', LastModifiedDate: '2026-03-02T09:00:00.000+0000' } }),
    ]);
    await waitFor(() => events.length === 4);

    expect(events.map((e) => [e.payload.ChangeEventHeader.transactionKey, e.payload.ChangeEventHeader.sequenceNumber])).toEqual([
      ['tx-convert-7', 1],
      ['tx-convert-7', 2],
      ['tx-convert-7', 3],
      ['tx-convert-7', 4],
    ]);
    expect(events.map((e) => e.event.replayId)).toEqual([1, 2, 3, 4]);
    expect(events[1]?.payload.Name).toEqual({ LastName: 'Okafor' });
    expect(events[2]?.payload.Name).toBe('Brightwave-');
    // A conversion's lead update carries the conversion fields but not LastModifiedDate.
    expect(events[3]?.payload.ChangeEventHeader.changedFields).toEqual(['IsConverted', 'Status']);
    expect(events[3]?.payload).not.toHaveProperty('LastModifiedDate');
  });

  it('refuses a channel that does not exist', async () => {
    const client = org.track(org.connection().streaming.createClient([]));
    await expect(client.subscribe('/data/TaskChangeEvent', () => undefined)).rejects.toMatchObject({
      message: '400::The channel you requested to subscribe to does not exist {/data/TaskChangeEvent}',
    });
  });
});
