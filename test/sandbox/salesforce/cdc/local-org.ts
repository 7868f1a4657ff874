/**
 * A minimal org for the Change Data Capture tests, built from the real parts CDC attaches to: the store's change feed
 * (ChangeFeed, fed by hand here), a token table standing in for the sandbox's token check, a settable clock and an
 * HTTP server on a free port whose other routes answer 404. Clients are the real jsforce streaming clients.
 */
import jsforce, { type Connection } from 'jsforce';
import type { Client } from 'faye';
import { z } from 'zod';
import { listen, type Listening } from '../../../../src/sandbox/common/listen.js';
import { ChangeFeed, type SalesforceChange } from '../../../../src/sandbox/salesforce/change-feed.js';
import {
  attachChangeDataCapture,
  type AccessCheck,
  type ChangeDataCapture,
  type ChangeDataCaptureOptions,
  type ChangeEventMessage,
} from '../../../../src/sandbox/salesforce/cdc/index.js';

/** jsforce types faye's client without disconnect(), which faye's client has (src/protocol/client.js). */
declare module 'faye' {
  interface Client {
    disconnect(): void;
  }
}

export const USER_ID = '005000000000001AAA';
export const GOOD_TOKEN = '00D000000000001!sandbox-token-good';

export interface LocalOrg {
  baseUrl: string;
  feed: ChangeFeed;
  cdc: ChangeDataCapture;
  /** Access tokens and what the token check says about each; unknown tokens are invalid. */
  tokens: Map<string, AccessCheck>;
  clock: { now: number };
  /** A jsforce connection to the org; its streaming clients are disconnected by close(). */
  connection(accessToken?: string): Connection;
  /** Registers a streaming client to disconnect on close. */
  track(client: Client): Client;
  close(): Promise<void>;
}

export async function startLocalOrg(options: ChangeDataCaptureOptions = {}): Promise<LocalOrg> {
  const feed = new ChangeFeed();
  const tokens = new Map<string, AccessCheck>([[GOOD_TOKEN, { valid: true, userId: USER_ID }]]);
  const clock = { now: Date.parse('2026-03-02T09:00:00.000Z') };
  const http: Listening = await listen((_req, res) => {
    res.writeHead(404, { 'content-type': 'application/json;charset=UTF-8' });
    res.end('[{"message":"The requested resource does not exist","errorCode":"NOT_FOUND"}]');
  });
  const cdc = attachChangeDataCapture(
    {
      server: http.server,
      store: feed,
      verify: (token) => tokens.get(token) ?? { valid: false, reason: 'invalid' },
      now: () => clock.now,
      version: '62.0',
    },
    { longPollSeconds: 20, ...options },
  );
  const clients: Client[] = [];
  return {
    baseUrl: http.baseUrl,
    feed,
    cdc,
    tokens,
    clock,
    connection: (accessToken = GOOD_TOKEN) => new jsforce.Connection({ instanceUrl: http.baseUrl, accessToken, version: '62.0' }),
    track: (client) => {
      clients.push(client);
      return client;
    },
    close: async () => {
      for (const client of clients) client.disconnect();
      await cdc.close();
      await http.close();
    },
  };
}

let commitNumber = 1000;

/** One committed change as the store's feed describes it. */
export function change(partial: Partial<SalesforceChange> & Pick<SalesforceChange, 'entityName' | 'changeType' | 'recordIds'>): SalesforceChange {
  commitNumber += 1;
  return {
    changedFields: Object.keys(partial.fields ?? {}),
    fields: {},
    commitTimestamp: Date.parse('2026-03-02T09:00:00.000Z'),
    commitNumber,
    transactionKey: `tx-${commitNumber}`,
    sequenceNumber: 1,
    changeOrigin: 'com/salesforce/api/rest/62.0',
    commitUser: USER_ID,
    ...partial,
  };
}

const headerSchema = z.strictObject({
  entityName: z.string(),
  recordIds: z.array(z.string()),
  changeType: z.enum(['CREATE', 'UPDATE', 'DELETE', 'UNDELETE', 'GAP_CREATE', 'GAP_UPDATE', 'GAP_DELETE', 'GAP_UNDELETE', 'GAP_OVERFLOW']),
  changeOrigin: z.string(),
  transactionKey: z.string(),
  sequenceNumber: z.number().int(),
  commitTimestamp: z.number().int(),
  commitNumber: z.number().int(),
  commitUser: z.string(),
  changedFields: z.array(z.string()),
});

/** The change event message exactly as a CometD subscriber must receive it (no other keys). */
export const changeEventMessageSchema = z.strictObject({
  schema: z.string().regex(/^[A-Za-z0-9_-]{22}$/),
  payload: z.object({ ChangeEventHeader: headerSchema }).catchall(z.unknown()),
  event: z.strictObject({ replayId: z.number().int().positive() }),
});

/** Subscribes a streaming client to a channel and collects what arrives, validated against the wire shape. */
export function collect(client: Client, channel: string): { events: ChangeEventMessage[]; ready: PromiseLike<void> } {
  const events: ChangeEventMessage[] = [];
  const ready = client.subscribe(channel, (data: unknown) => events.push(changeEventMessageSchema.parse(data)));
  return { events, ready };
}

/** Resolves once the condition holds; fails after timeoutMs. */
export async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
