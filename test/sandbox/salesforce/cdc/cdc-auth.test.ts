/**
 * Who may stream: the handshake needs a valid access token (jsforce sends `Authorization: OAuth <token>`); a refused
 * handshake and a revoked session are reported as Salesforce reports them, with advice reconnect none, which
 * jsforce's StreamingExtension.AuthFailure turns into a callback so the app can refresh its token and reconnect.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import faye from 'faye';
import type { BayeuxMessage, ClientExtension } from 'faye/src/adapters/node_adapter.js';
import { StreamingExtension } from 'jsforce/lib/api/streaming.js';
import { ALL_CHANGE_EVENTS_CHANNEL } from '../../../../src/sandbox/salesforce/cdc/index.js';
import { GOOD_TOKEN, USER_ID, change, collect, startLocalOrg, waitFor, type LocalOrg } from './local-org.js';

const LEAD = '00Q000000000001AAA';

/** A client extension that records refused handshakes. */
function handshakeFailures(into: BayeuxMessage[]): ClientExtension {
  return {
    incoming: (message, callback) => {
      if (message.channel === '/meta/handshake' && message.successful === false) into.push(message);
      callback(message);
    },
  };
}

describe('Change Data Capture: authentication', () => {
  let org: LocalOrg;
  beforeEach(async () => {
    org = await startLocalOrg();
  });
  afterEach(async () => {
    await org.close();
  });

  it('refuses the handshake for a wrong token; after a refresh a new client streams', async () => {
    const conn = org.connection('00D000000000001!not-a-token');
    const failures: BayeuxMessage[] = [];
    const refused = org.track(conn.streaming.createClient([new StreamingExtension.AuthFailure((m: BayeuxMessage) => failures.push(m))]));
    void refused.subscribe(ALL_CHANGE_EVENTS_CHANNEL, () => undefined);
    await waitFor(() => failures.length === 1);

    expect(failures[0]).toMatchObject({
      channel: '/meta/handshake',
      successful: false,
      error: '403::Handshake denied',
      advice: { reconnect: 'none' },
      ext: { sfdc: { failureReason: '401::Authentication invalid' }, replay: true, 'payload.format': true },
    });
    expect(org.cdc.stats().sessions).toBe(0);

    conn.accessToken = GOOD_TOKEN; // what a token refresh does
    const retried = org.track(conn.streaming.createClient([]));
    const { events, ready } = collect(retried, ALL_CHANGE_EVENTS_CHANNEL);
    await ready;
    org.feed.publish([change({ entityName: 'Lead', changeType: 'DELETE', recordIds: [LEAD] })]);
    await waitFor(() => events.length === 1);
    expect(failures).toHaveLength(1);
  });

  it('refuses an expired token at the handshake', async () => {
    org.tokens.set('00D000000000001!expired', { valid: false, reason: 'expired' });
    const failures: BayeuxMessage[] = [];
    const client = org.track(
      org.connection('00D000000000001!expired').streaming.createClient([new StreamingExtension.AuthFailure((m: BayeuxMessage) => failures.push(m))]),
    );
    void client.subscribe(ALL_CHANGE_EVENTS_CHANNEL, () => undefined);
    await waitFor(() => failures.length === 1);
    expect(failures[0]?.error).toBe('403::Handshake denied');
  });

  it('says "Request requires authentication" when no token is sent', async () => {
    const failures: BayeuxMessage[] = [];
    const client = org.track(new faye.Client(`${org.baseUrl}/cometd/62.0`));
    client.addExtension(handshakeFailures(failures));
    void client.subscribe(ALL_CHANGE_EVENTS_CHANNEL, () => undefined);
    await waitFor(() => failures.length === 1);
    expect(failures[0]?.ext).toEqual({ sfdc: { failureReason: '401::Request requires authentication' }, replay: true, 'payload.format': true });
  });

  it('ends a session whose token is revoked, on its next /meta/connect, with advice reconnect none', async () => {
    const token = '00D000000000001!will-be-revoked';
    org.tokens.set(token, { valid: true, userId: USER_ID });
    const failures: BayeuxMessage[] = [];
    const client = org.track(org.connection(token).streaming.createClient([new StreamingExtension.AuthFailure((m: BayeuxMessage) => failures.push(m))]));
    const { events, ready } = collect(client, ALL_CHANGE_EVENTS_CHANNEL);
    await ready;
    org.feed.publish([change({ entityName: 'Lead', changeType: 'DELETE', recordIds: [LEAD] })]);
    await waitFor(() => events.length === 1);

    org.tokens.set(token, { valid: false, reason: 'revoked' });
    // The held /meta/connect returns with this event (or empty); the next one finds the token revoked.
    org.feed.publish([change({ entityName: 'Lead', changeType: 'UNDELETE', recordIds: [LEAD], fields: { LastName: 'Okafor' } })]);
    await waitFor(() => failures.length === 1);
    expect(failures[0]).toMatchObject({ channel: '/meta/connect', successful: false, error: '401::Authentication invalid', advice: { reconnect: 'none' } });
    await waitFor(() => org.cdc.stats().sessions === 0);

    const seen = events.length;
    org.feed.publish([change({ entityName: 'Lead', changeType: 'DELETE', recordIds: [LEAD] })]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(events).toHaveLength(seen);
    expect(seen).toBeLessThanOrEqual(2);
  });

  it('keeps a session alive when its token merely expires (Salesforce never expires a CometD session)', async () => {
    const token = '00D000000000001!will-expire';
    org.tokens.set(token, { valid: true, userId: USER_ID });
    const client = org.track(org.connection(token).streaming.createClient([]));
    const { events, ready } = collect(client, ALL_CHANGE_EVENTS_CHANNEL);
    await ready;

    org.tokens.set(token, { valid: false, reason: 'expired' });
    org.feed.publish([change({ entityName: 'Lead', changeType: 'DELETE', recordIds: [LEAD] })]);
    await waitFor(() => events.length === 1);
    org.feed.publish([change({ entityName: 'Lead', changeType: 'UNDELETE', recordIds: [LEAD], fields: { LastName: 'Okafor' } })]);
    await waitFor(() => events.length === 2);
    expect(org.cdc.stats().sessions).toBe(1);
  });

  it('requires a supported API version in the endpoint', async () => {
    const failures: BayeuxMessage[] = [];
    const client = org.track(new faye.Client(`${org.baseUrl}/cometd/36.0`));
    client.setHeader('Authorization', `OAuth ${GOOD_TOKEN}`);
    client.addExtension(handshakeFailures(failures));
    void client.subscribe(ALL_CHANGE_EVENTS_CHANNEL, () => undefined);
    await waitFor(() => failures.length === 1);
    expect(failures[0]).toMatchObject({
      error: "400::Unsupported API version. Only API versions '50.0' and later are supported. URI format: '/cometd/62.0'",
      advice: { reconnect: 'none' },
    });
  });

  it('accepts every version from 50.0 to 64.0', async () => {
    for (const version of ['50.0', '64.0']) {
      const client = org.track(new faye.Client(`${org.baseUrl}${org.cdc.endpoint(version)}`));
      client.setHeader('Authorization', `OAuth ${GOOD_TOKEN}`);
      await client.subscribe(ALL_CHANGE_EVENTS_CHANNEL, () => undefined);
    }
    expect(org.cdc.stats().sessions).toBe(2);
  });
});
