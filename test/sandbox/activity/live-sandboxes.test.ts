/**
 * The activity driver on running sandboxes (startSandboxes, as `revloop sandbox` runs them): a rep's acceptance
 * reaches jsforce's streaming client as a Lead change event from the UI, and a form conversion reaches a webhook
 * endpoint as HubSpot signs and sends it, with the FORM change source. Real clients, real HTTP, no mocks.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import jsforce from 'jsforce';
import type { Client } from 'faye';
import { Signature } from '@hubspot/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActivityDriver } from '../../../src/sandbox/activity/index.js';
import { startSandboxes, type Sandboxes } from '../../../src/sandbox/start-sandboxes.js';

declare module 'faye' {
  interface Client {
    disconnect(): void;
  }
}

interface Delivery {
  body: string;
  signature: string;
  timestamp: string;
}

async function waitFor(condition: () => boolean, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('activity on running sandboxes', () => {
  let sandboxes: Sandboxes;
  let receiver: Server;
  let targetUrl: string;
  let streaming: Client;
  const deliveries: Delivery[] = [];
  const changeEvents: Array<{ payload: Record<string, unknown> & { ChangeEventHeader: Record<string, unknown> } }> = [];

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        deliveries.push({ body, signature: String(req.headers['x-hubspot-signature-v3']), timestamp: String(req.headers['x-hubspot-request-timestamp']) });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    targetUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/hubspot`;
    sandboxes = await startSandboxes({
      people: 1500,
      seed: 3,
      hubspot: { webhooks: { targetUrl, subscriptions: [{ subscriptionType: 'contact.propertyChange', propertyName: 'recent_conversion_event_name' }] } },
    });
    const c = sandboxes.connection.salesforce;
    const conn = new jsforce.Connection({ instanceUrl: c.instanceUrl, accessToken: c.accessToken, version: c.version });
    streaming = conn.streaming.createClient([]);
    await streaming.subscribe('/data/LeadChangeEvent', (message: unknown) => changeEvents.push(message as (typeof changeEvents)[number]));
  }, 60_000);

  afterAll(async () => {
    streaming.disconnect();
    await sandboxes.close();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });

  it('sends a rep acceptance as a Lead change event from the UI, and a form conversion as a signed webhook', async () => {
    const driver = new ActivityDriver({ hubspot: sandboxes.hubspot.store, salesforce: sandboxes.salesforce.store, seed: 9 });
    const accepted = driver.step('accept-mql');
    expect(accepted).not.toBeNull();
    await waitFor(() => changeEvents.some((e) => (e.payload.ChangeEventHeader.recordIds as string[]).includes(accepted?.recordId ?? '')));
    const event = changeEvents.find((e) => (e.payload.ChangeEventHeader.recordIds as string[]).includes(accepted?.recordId ?? ''));
    expect(event?.payload.ChangeEventHeader).toMatchObject({ entityName: 'Lead', changeType: 'UPDATE', changeOrigin: '', commitUser: accepted?.by });
    expect(event?.payload.Status).toBe('Working - Contacted');

    const engaged = driver.step('marketing-engagement');
    expect(engaged).not.toBeNull();
    await waitFor(() => deliveries.some((d) => d.body.includes(`"objectId":${engaged?.recordId ?? ''}`)));
    const delivery = deliveries.find((d) => d.body.includes(`"objectId":${engaged?.recordId ?? ''}`));
    const events = JSON.parse(delivery?.body ?? '[]') as Array<Record<string, unknown>>;
    expect(events.find((e) => String(e.objectId) === engaged?.recordId)).toMatchObject({ subscriptionType: 'contact.propertyChange', propertyName: 'recent_conversion_event_name', changeSource: 'FORM' });
    const valid = Signature.isValid({
      signatureVersion: 'v3',
      signature: delivery?.signature ?? '',
      method: 'POST',
      clientSecret: sandboxes.connection.hubspot.clientSecret,
      requestBody: delivery?.body ?? '',
      url: targetUrl,
      timestamp: Number(delivery?.timestamp),
    });
    expect(valid).toBe(true);
    driver.close();
  }, 30_000);
});
