/**
 * CDC's control endpoints under /__sandbox/cdc, for a sandbox in another process: what a test or the demo uses to
 * make the org send gap and overflow events, or to drop every streaming session. The other routes of the server are
 * left to the app.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ALL_CHANGE_EVENTS_CHANNEL } from '../../../../src/sandbox/salesforce/cdc/index.js';
import { change, collect, startLocalOrg, waitFor, type LocalOrg } from './local-org.js';

const LEAD = '00Q000000000001AAA';

async function call(org: LocalOrg, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${org.baseUrl}/__sandbox/cdc${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

describe('Change Data Capture: control endpoints', () => {
  let org: LocalOrg;
  beforeEach(async () => {
    org = await startLocalOrg();
  });
  afterEach(async () => {
    await org.close();
  });

  it('injects a gap event that subscribers receive, and lists the retained events', async () => {
    const client = org.track(org.connection().streaming.createClient([]));
    const { events, ready } = collect(client, '/data/LeadChangeEvent');
    await ready;

    const injected = await call(org, 'POST', '/gap', { entityName: 'Lead', changeType: 'GAP_DELETE', recordIds: [LEAD] });
    expect(injected).toMatchObject({ status: 201, body: { replayId: 1, entityName: 'Lead' } });
    await waitFor(() => events.length === 1);
    expect(events[0]?.payload.ChangeEventHeader).toMatchObject({ changeType: 'GAP_DELETE', recordIds: [LEAD] });

    const listed = await call(org, 'GET', `/events?channel=${encodeURIComponent('/data/LeadChangeEvent')}`);
    expect(listed.body).toMatchObject({ events: [{ replayId: 1, message: { payload: { ChangeEventHeader: { changeType: 'GAP_DELETE' } } } }] });
    expect(await call(org, 'GET', '')).toMatchObject({
      status: 200,
      body: { endpoint: '/cometd/62.0', stats: { sessions: 1, gapEvents: 1, subscriptions: { '/data/LeadChangeEvent': 1 } } },
    });
  });

  it('turns the next store changes into gap events, sends overflow events, and drops sessions', async () => {
    const client = org.track(org.connection().streaming.createClient([]));
    const { events, ready } = collect(client, ALL_CHANGE_EVENTS_CHANNEL);
    await ready;

    expect(await call(org, 'POST', '/gap-next', { count: 1 })).toEqual({ status: 200, body: { pendingGaps: 1 } });
    org.feed.publish([change({ entityName: 'Lead', changeType: 'UPDATE', recordIds: [LEAD], changedFields: ['Rating'], fields: { Rating: 'Hot' } })]);
    expect((await call(org, 'POST', '/overflow', { entityName: 'Account' })).status).toBe(201);
    await waitFor(() => events.length === 2);
    expect(events.map((e) => e.payload.ChangeEventHeader.changeType)).toEqual(['GAP_UPDATE', 'GAP_OVERFLOW']);

    expect(await call(org, 'POST', '/disconnect-all')).toEqual({ status: 200, body: { dropped: 1 } });
  });

  it('answers bad requests with 400 and the problems, unknown channels with 404', async () => {
    const bad = await call(org, 'POST', '/gap', { entityName: 'Lead', changeType: 'UPDATE', recordIds: [] });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: 'BAD_REQUEST', issues: [{ path: 'changeType' }, { path: 'recordIds' }] });
    expect(await call(org, 'POST', '/gap', { entityName: 'Task', changeType: 'GAP_UPDATE', recordIds: ['00T000000000001AAA'] })).toMatchObject({
      status: 400,
      body: { error: 'BAD_REQUEST', message: 'Task is not selected for Change Data Capture' },
    });
    expect((await call(org, 'GET', '/events?channel=/data/TaskChangeEvent')).status).toBe(404);
    const other = await fetch(`${org.baseUrl}/services/data/v62.0/sobjects`);
    expect(other.status).toBe(404); // the app's own answer: CDC only takes /cometd and /__sandbox/cdc
  });
});
