/**
 * Durable streaming: replay ids, retained history (-2), resuming after a lost connection with jsforce's
 * StreamingExtension.Replay, and the 72-hour retention window on the sandbox clock.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BayeuxMessage, ClientExtension } from 'faye/src/adapters/node_adapter.js';
import { StreamingExtension } from 'jsforce/lib/api/streaming.js';
import { ALL_CHANGE_EVENTS_CHANNEL } from '../../../../src/sandbox/salesforce/cdc/index.js';
import { change, collect, startLocalOrg, waitFor, type LocalOrg } from './local-org.js';

const HOUR = 3_600_000;

function leadUpdate(n: number) {
  return change({
    entityName: 'Lead',
    changeType: 'UPDATE',
    recordIds: [`00Q${String(n).padStart(12, '0')}AAA`],
    changedFields: ['Rating', 'LastModifiedDate'],
    fields: { Rating: `Hot ${n}`, LastModifiedDate: '2026-03-02T09:00:00.000+0000' },
  });
}

function ratings(events: Array<{ payload: Record<string, unknown> }>): unknown[] {
  return events.map((e) => e.payload.Rating);
}

describe('Change Data Capture: replay', () => {
  let org: LocalOrg;
  beforeEach(async () => {
    org = await startLocalOrg();
  });
  afterEach(async () => {
    await org.close();
  });

  it('replays every retained event with -2, then goes on live', async () => {
    org.feed.publish([leadUpdate(1)]);
    org.feed.publish([leadUpdate(2)]);
    org.feed.publish([leadUpdate(3)]);
    org.cdc.flush();

    const conn = org.connection();
    const client = org.track(conn.streaming.createClient([new StreamingExtension.Replay('/data/LeadChangeEvent', -2)]));
    const { events, ready } = collect(client, '/data/LeadChangeEvent');
    await ready;
    await waitFor(() => events.length === 3);
    org.feed.publish([leadUpdate(4)]);
    await waitFor(() => events.length === 4);

    expect(ratings(events)).toEqual(['Hot 1', 'Hot 2', 'Hot 3', 'Hot 4']);
    expect(events.map((e) => e.event.replayId)).toEqual([1, 2, 3, 4]);
  });

  it('gives a subscription without the replay extension (-1) new events only', async () => {
    org.feed.publish([leadUpdate(1)]);
    org.cdc.flush();
    const client = org.track(org.connection().streaming.createClient([]));
    const { events, ready } = collect(client, ALL_CHANGE_EVENTS_CHANNEL);
    await ready;
    org.feed.publish([leadUpdate(2)]);
    await waitFor(() => events.length === 1);
    expect(ratings(events)).toEqual(['Hot 2']);
  });

  it('after a disconnect, resubscribing from the last replay id receives exactly the missed events', async () => {
    const conn = org.connection();
    const first = org.track(conn.streaming.createClient([new StreamingExtension.Replay(ALL_CHANGE_EVENTS_CHANNEL, -1)]));
    const before = collect(first, ALL_CHANGE_EVENTS_CHANNEL);
    await before.ready;
    org.feed.publish([leadUpdate(1)]);
    org.feed.publish([leadUpdate(2)]);
    await waitFor(() => before.events.length === 2);
    const lastSeen = before.events[1]?.event.replayId ?? 0;
    first.disconnect();
    await waitFor(() => org.cdc.stats().sessions === 0);

    for (const n of [3, 4, 5]) org.feed.publish([leadUpdate(n)]);
    org.cdc.flush();

    const second = org.track(conn.streaming.createClient([new StreamingExtension.Replay(ALL_CHANGE_EVENTS_CHANNEL, lastSeen)]));
    const after = collect(second, ALL_CHANGE_EVENTS_CHANNEL);
    await after.ready;
    await waitFor(() => after.events.length === 3);
    org.feed.publish([leadUpdate(6)]); // a live event after the backlog proves nothing else was queued
    await waitFor(() => after.events.length === 4);

    expect(ratings(after.events)).toEqual(['Hot 3', 'Hot 4', 'Hot 5', 'Hot 6']);
    expect(before.events).toHaveLength(2);
  });

  it('when the server drops every session, the client handshakes again and resumes from its last replay id', async () => {
    const conn = org.connection();
    const refusals: BayeuxMessage[] = [];
    const watcher: ClientExtension = {
      incoming: (message, callback) => {
        if (message.channel === '/meta/connect' && message.successful === false) refusals.push(message);
        callback(message);
      },
    };
    const client = org.track(conn.streaming.createClient([new StreamingExtension.Replay('/data/LeadChangeEvent', -1), watcher]));
    const { events, ready } = collect(client, '/data/LeadChangeEvent');
    await ready;
    org.feed.publish([leadUpdate(1)]);
    await waitFor(() => events.length === 1);

    expect(org.cdc.disconnectAll()).toBe(1);
    // Published while no session exists: only the replay after the new handshake can deliver them.
    org.feed.publish([leadUpdate(2)]);
    org.feed.publish([leadUpdate(3)]);
    org.cdc.flush();
    expect(org.cdc.stats().sessions).toBe(0);

    await waitFor(() => events.length === 3);
    org.feed.publish([leadUpdate(4)]);
    await waitFor(() => events.length === 4);
    expect(ratings(events)).toEqual(['Hot 1', 'Hot 2', 'Hot 3', 'Hot 4']);
    expect(org.cdc.stats().sessions).toBe(1);
    expect(refusals[0]).toMatchObject({ error: '403::Unknown client', advice: { reconnect: 'handshake', interval: 0 } });
  });

  it('refuses a replay id older than the 72-hour retention window with Salesforce\'s error, and -2 then starts at the oldest kept', async () => {
    org.feed.publish([leadUpdate(1)]);
    org.cdc.flush();
    const [stale] = org.cdc.retained('/data/LeadChangeEvent');
    org.clock.now += 71 * HOUR;
    org.feed.publish([leadUpdate(2)]);
    org.cdc.flush();
    org.clock.now += 2 * HOUR; // event 1 is now 73 hours old, event 2 two hours old

    const conn = org.connection();
    const refused = org.track(conn.streaming.createClient([new StreamingExtension.Replay('/data/LeadChangeEvent', stale?.replayId)]));
    await expect(refused.subscribe('/data/LeadChangeEvent', () => undefined)).rejects.toMatchObject({
      message:
        '400::The replayId {1} you provided was invalid.  Please provide a valid ID, -2 to replay all events, or -1 to replay only new events.',
    });

    const all = org.track(conn.streaming.createClient([new StreamingExtension.Replay('/data/LeadChangeEvent', -2)]));
    const { events, ready } = collect(all, '/data/LeadChangeEvent');
    await ready;
    await waitFor(() => events.length === 1);
    expect(ratings(events)).toEqual(['Hot 2']);
    expect(org.cdc.retained()).toHaveLength(1);
  });

  it('refuses a replay id the bus never issued', async () => {
    org.feed.publish([leadUpdate(1)]);
    org.cdc.flush();
    const client = org.track(org.connection().streaming.createClient([new StreamingExtension.Replay(ALL_CHANGE_EVENTS_CHANNEL, 99)]));
    await expect(client.subscribe(ALL_CHANGE_EVENTS_CHANNEL, () => undefined)).rejects.toMatchObject({
      message: expect.stringMatching(/^400::The replayId \{99\} you provided was invalid\./),
    });
  });
});
