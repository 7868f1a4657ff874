/**
 * Change Data Capture attached to the real Salesforce sandbox: changes made through the REST and SOAP APIs with
 * jsforce arrive on jsforce's streaming client as Salesforce sends them; tokens are the sandbox's own.
 */
import jsforce, { type Connection } from 'jsforce';
import { StreamingExtension } from 'jsforce/lib/api/streaming.js';
import type { Client } from 'faye';
import type { BayeuxMessage } from 'faye/src/adapters/node_adapter.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSalesforceSandbox, type SalesforceSandbox } from '../../../../src/sandbox/salesforce/index.js';
import { ALL_CHANGE_EVENTS_CHANNEL, attachChangeDataCapture, type ChangeDataCapture } from '../../../../src/sandbox/salesforce/cdc/index.js';
import { collect, waitFor } from './local-org.js';

describe('Change Data Capture on the Salesforce sandbox', () => {
  let clock: number;
  let sf: SalesforceSandbox;
  let cdc: ChangeDataCapture;
  let conn: Connection;
  const clients: Client[] = [];
  const streamingClient = (extensions: unknown[] = [], connection: Connection = conn): Client => {
    const client = connection.streaming.createClient(extensions);
    clients.push(client);
    return client;
  };

  beforeEach(async () => {
    clock = Date.parse('2026-03-02T09:00:00.000Z');
    sf = await startSalesforceSandbox({ now: () => clock });
    cdc = attachChangeDataCapture(sf, { longPollSeconds: 20 });
    conn = new jsforce.Connection({ instanceUrl: sf.instanceUrl, accessToken: sf.accessToken, version: sf.version, callOptions: { client: 'revloop' } });
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) client.disconnect();
    await sf.close();
  });

  it('delivers a lead created through the REST API, then an update with only the changed fields', async () => {
    const { events, ready } = collect(streamingClient(), '/data/LeadChangeEvent');
    await ready;

    const created = await conn.sobject('Lead').create({ FirstName: 'Ada', LastName: 'Byron', Company: 'Engines Ltd', Email: 'ada@engines.test', City: 'London' });
    await waitFor(() => events.length === 1);
    const createdEvent = events[0];
    expect(createdEvent?.payload.ChangeEventHeader).toMatchObject({
      entityName: 'Lead',
      changeType: 'CREATE',
      recordIds: [created.id],
      changeOrigin: 'com/salesforce/api/rest/62.0;client=revloop',
      commitUser: sf.integrationUserId,
      commitTimestamp: clock,
      changedFields: [],
    });
    expect(createdEvent?.payload).toMatchObject({
      Name: { FirstName: 'Ada', LastName: 'Byron' },
      Address: { City: 'London' },
      Company: 'Engines Ltd',
      Email: 'ada@engines.test',
      Status: 'Open - Not Contacted',
      CreatedDate: '2026-03-02T09:00:00.000Z',
    });
    expect(createdEvent?.payload).not.toHaveProperty('Id');
    expect(createdEvent?.payload).not.toHaveProperty('SystemModstamp');

    clock += 60_000;
    await conn.sobject('Lead').update({ Id: created.id as string, Status: 'Working - Contacted', LastName: 'Lovelace', City: null });
    await waitFor(() => events.length === 2);
    const { ChangeEventHeader: header, ...body } = events[1]?.payload ?? { ChangeEventHeader: undefined };
    expect(header?.changeType).toBe('UPDATE');
    expect([...(header?.changedFields ?? [])].sort()).toEqual(['Address.City', 'LastModifiedDate', 'Name.LastName', 'Status']);
    expect(body).toEqual({
      Name: { LastName: 'Lovelace' },
      Address: { City: null },
      Status: 'Working - Contacted',
      LastModifiedDate: '2026-03-02T09:01:00.000Z',
    });
  });

  it('gives the events of a convertLead one transactionKey, in order, ending with the lead update', async () => {
    const { events, ready } = collect(streamingClient(), ALL_CHANGE_EVENTS_CHANNEL);
    await ready;
    const lead = await conn.sobject('Lead').create({ LastName: 'Byron', Company: 'Engines Ltd' });
    await waitFor(() => events.length === 1);

    const result = await conn.soap.convertLead({ leadId: lead.id as string, convertedStatus: 'Closed - Converted', opportunityName: 'Engines deal' });
    await waitFor(() => events.some((e) => e.payload.ChangeEventHeader.entityName === 'Lead' && e.payload.ChangeEventHeader.changeType === 'UPDATE'));
    const conversion = events.slice(1);

    expect(new Set(conversion.map((e) => e.payload.ChangeEventHeader.transactionKey)).size).toBe(1);
    expect(conversion.map((e) => e.payload.ChangeEventHeader.sequenceNumber)).toEqual(conversion.map((_, i) => i + 1));
    expect(conversion.map((e) => [e.payload.ChangeEventHeader.entityName, e.payload.ChangeEventHeader.changeType])).toEqual([
      ['Account', 'CREATE'],
      ['Contact', 'CREATE'],
      ['Opportunity', 'CREATE'],
      ['OpportunityContactRole', 'CREATE'],
      ['Lead', 'UPDATE'],
    ]);
    const leadUpdate = conversion[4]?.payload;
    expect(leadUpdate).toMatchObject({
      IsConverted: true,
      Status: 'Closed - Converted',
      ConvertedDate: '2026-03-02',
      ConvertedAccountId: result.accountId,
      ConvertedContactId: result.contactId,
      ConvertedOpportunityId: result.opportunityId,
    });
    expect(leadUpdate).not.toHaveProperty('LastModifiedDate');
    expect(conversion.every((e) => e.payload.ChangeEventHeader.changeOrigin === 'com/salesforce/api/soap/62.0;client=revloop')).toBe(true);
  });

  it('after a disconnect, a client resuming from its last replay id gets exactly the changes it missed', async () => {
    const first = streamingClient([new StreamingExtension.Replay('/data/ContactChangeEvent', -1)]);
    const before = collect(first, '/data/ContactChangeEvent');
    await before.ready;
    await conn.sobject('Contact').create({ LastName: 'First' });
    await waitFor(() => before.events.length === 1);
    const lastSeen = before.events[0]?.event.replayId;
    first.disconnect();

    const missed = await conn.sobject('Contact').create([{ LastName: 'Missed 1' }, { LastName: 'Missed 2' }, { LastName: 'Missed 3' }]);
    await conn.sobject('Account').create({ Name: 'Not a contact' });

    const after = collect(streamingClient([new StreamingExtension.Replay('/data/ContactChangeEvent', lastSeen)]), '/data/ContactChangeEvent');
    await after.ready;
    await waitFor(() => after.events.length === 3);
    const live = await conn.sobject('Contact').create({ LastName: 'Live' });
    await waitFor(() => after.events.length === 4);

    expect(after.events.map((e) => e.payload.ChangeEventHeader.recordIds[0])).toEqual([...missed.map((r) => r.id), live.id]);
    expect(after.events.map((e) => (e.payload.Name as { LastName: string }).LastName)).toEqual(['Missed 1', 'Missed 2', 'Missed 3', 'Live']);
  });

  it('refuses the handshake for an expired OAuth token, and ends a session whose token is revoked', async () => {
    const expiring = sf.tokens.issue(sf.integrationUserId, sf.clientId, ['api'], { ttlMs: 60_000 });
    clock += 61_000;
    const failures: BayeuxMessage[] = [];
    const onFailure = (message: BayeuxMessage): void => {
      failures.push(message);
    };
    const expiredConn = new jsforce.Connection({ instanceUrl: sf.instanceUrl, accessToken: expiring.token, version: sf.version });
    void streamingClient([new StreamingExtension.AuthFailure(onFailure)], expiredConn).subscribe(ALL_CHANGE_EVENTS_CHANNEL, () => undefined);
    await waitFor(() => failures.length === 1);
    expect(failures[0]).toMatchObject({ error: '403::Handshake denied', ext: { sfdc: { failureReason: '401::Authentication invalid' } } });

    const revocable = sf.tokens.issue(sf.integrationUserId, sf.clientId, ['api']);
    const revocableConn = new jsforce.Connection({ instanceUrl: sf.instanceUrl, accessToken: revocable.token, version: sf.version });
    const { events, ready } = collect(streamingClient([new StreamingExtension.AuthFailure(onFailure)], revocableConn), ALL_CHANGE_EVENTS_CHANNEL);
    await ready;
    expect(sf.tokens.revoke(revocable.token)).toBe(true);
    await conn.sobject('Account').create({ Name: 'Wakes the long poll' });
    await waitFor(() => failures.length === 2);
    expect(failures[1]).toMatchObject({ channel: '/meta/connect', error: '401::Authentication invalid', advice: { reconnect: 'none' } });
    expect(events.length).toBeLessThanOrEqual(1);
  });

  it('keeps events 72 hours on the sandbox clock and closes with the sandbox', async () => {
    await conn.sobject('Account').create({ Name: 'Old news' });
    cdc.flush();
    expect(cdc.retained()).toHaveLength(1);
    clock += 72 * 3_600_000 + 1;
    expect(cdc.retained()).toHaveLength(0);
    expect(cdc.stats()).toMatchObject({ published: 1, retained: 0, latestReplayId: 1 });

    await sf.close();
    sf.store.insert('Account', { Name: 'Written after close' });
    cdc.flush();
    expect(cdc.stats().published).toBe(1); // closing the sandbox closed CDC: it no longer listens to the store
  });
});
