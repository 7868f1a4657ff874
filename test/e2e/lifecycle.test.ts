/**
 * The one lifecycle in both systems, on the simulators through the real clients: a score crossing
 * the threshold makes an MQL in both systems with its date; the rep working the lead makes it an
 * SAL; converting makes it an SQL; an open opportunity with a contact role makes it an opportunity;
 * Closed Won a customer. A recycle sends HubSpot back to lead (cleared, then set) with the reason on
 * the contact. The acceptance SLA breaches, escalates and recycles at the right times on a fake clock,
 * and acceptance before the breach cancels it.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Queue } from 'bullmq';
import { createBullConnection } from '../../src/platform/redis.js';
import { LifecycleStore } from '../../src/state/lifecycle-store.js';
import { createQueue, QUEUES } from '../../src/worker/queues.js';
import { processDueSla } from '../../src/worker/sla/process-sla.js';
import { syncBatch } from '../../src/worker/sync/sync-batch.js';
import { startSyncHarness, type SyncHarness } from '../helpers/sync-harness.js';

const HOUR = 3_600_000;
let clock = Date.parse('2026-11-02T09:00:00Z');
const now = () => clock;
let h: SyncHarness;
let queue: Queue;
let rep: string;
let manager: string;

beforeAll(async () => {
  h = await startSyncHarness({
    hubspot: { now },
    salesforce: { now, users: [{ username: 'manager@acme.test', lastName: 'Manager', email: 'manager@acme.test' }, { username: 'rep@acme.test', lastName: 'Rep', email: 'rep@acme.test', managerUsername: 'manager@acme.test' }] },
    now,
  });
  rep = h.salesforce.store.userIdByUsername('rep@acme.test') as string;
  manager = h.salesforce.store.userIdByUsername('manager@acme.test') as string;
  queue = createQueue(QUEUES.sync, createBullConnection(h.redis.url), h.redis.root);
}, 60_000);
afterAll(async () => {
  await queue.obliterate({ force: true });
  await queue.close();
  await h?.close();
});

const person = { actor: { source: 'CRM_UI' as const, userId: 3 } };
const HS_PROPS = ['lifecyclestage', 'hs_lead_status', 'revloop_stage', 'revloop_lead_date', 'revloop_mql_date', 'revloop_sal_date', 'revloop_sql_date', 'revloop_opportunity_date', 'revloop_customer_date', 'revloop_recycled_date', 'revloop_recycle_reason', 'revloop_salesforce_lead_id', 'revloop_salesforce_contact_id'];

function hs(id: string) {
  return h.hubspot.store.get('contacts', id, { properties: HS_PROPS })?.properties ?? {};
}
function sf(object: string, id: string) {
  const fields = ['OwnerId', 'Revloop_MQL_Date__c', 'Revloop_SAL_Date__c', 'Revloop_SQL_Date__c', 'Revloop_Recycle_Reason__c'];
  return h.salesforce.store.get(object, id, object === 'Lead' ? ['Status', ...fields] : fields) ?? {};
}
async function syncHubSpot(id: string) {
  await syncBatch(h.ctx, { pair: 'contacts', hubspotIds: [id], salesforceIds: [], priority: 'live' });
}
async function syncSalesforce(...ids: string[]) {
  await syncBatch(h.ctx, { pair: 'contacts', hubspotIds: [], salesforceIds: ids, priority: 'live' });
}
async function newLead(email: string, extra: Record<string, string> = {}): Promise<{ hubspotId: string; leadId: string }> {
  const created = h.hubspot.store.create('contacts', { properties: { email, firstname: 'Pat', lastname: 'Lee', company: 'Acme', jobtitle: 'CTO', hubspotscore: '10', ...extra } }, person);
  await syncHubSpot(created.id);
  const leadId = hs(created.id).revloop_salesforce_lead_id as string;
  h.salesforce.store.update('Lead', leadId, { OwnerId: rep }, { origin: 'ui' });
  return { hubspotId: created.id, leadId };
}

describe('the lifecycle from lead to customer', () => {
  it('moves through every stage, visible on both sides with entry dates', async () => {
    const { hubspotId, leadId } = await newLead('pat@acme.test');
    expect(hs(hubspotId)).toMatchObject({ revloop_stage: 'lead', lifecyclestage: 'lead' });
    expect(sf('Lead', leadId).Status).toBe('Open - Not Contacted');

    clock += HOUR;
    h.hubspot.store.update('contacts', hubspotId, { hubspotscore: '72' }, { actor: { source: 'AUTOMATION' } });
    await syncHubSpot(hubspotId);
    const mqlAt = new Date(clock).toISOString();
    expect(hs(hubspotId)).toMatchObject({ revloop_stage: 'mql', lifecyclestage: 'marketingqualifiedlead', revloop_mql_date: mqlAt });
    expect(sf('Lead', leadId)).toMatchObject({ Status: 'Open - Not Contacted', Revloop_MQL_Date__c: expect.stringMatching(/^2026-11-02T10:00:00/) });

    clock += HOUR;
    h.salesforce.store.update('Lead', leadId, { Status: 'Working - Contacted' }, { origin: 'ui', userId: rep });
    await syncSalesforce(leadId);
    expect(hs(hubspotId)).toMatchObject({ revloop_stage: 'sal', lifecyclestage: 'salesqualifiedlead', hs_lead_status: 'IN_PROGRESS', revloop_sal_date: new Date(clock).toISOString() });
    expect(sf('Lead', leadId).Revloop_SAL_Date__c).toMatch(/^2026-11-02T11:00:00/);

    clock += HOUR;
    const converted = h.salesforce.store.convertLead({ leadId, convertedStatus: 'Closed - Converted', doNotCreateOpportunity: true }, { origin: 'ui', userId: rep });
    await syncSalesforce(leadId, converted.contactId as string);
    expect(hs(hubspotId)).toMatchObject({ revloop_stage: 'sql', lifecyclestage: 'salesqualifiedlead', revloop_salesforce_contact_id: converted.contactId, revloop_sql_date: new Date(clock).toISOString() });
    expect(sf('Contact', converted.contactId as string).Revloop_SQL_Date__c).toMatch(/^2026-11-02T12:00:00/);

    clock += HOUR;
    const opportunity = h.salesforce.store.insert('Opportunity', { Name: 'Acme platform', StageName: 'Prospecting', CloseDate: '2026-12-20', Amount: 50000, AccountId: converted.accountId }, { origin: 'ui', userId: rep });
    h.salesforce.store.insert('OpportunityContactRole', { OpportunityId: opportunity, ContactId: converted.contactId, IsPrimary: true, Role: 'Decision Maker' }, { origin: 'ui', userId: rep });
    await syncSalesforce(converted.contactId as string);
    expect(hs(hubspotId)).toMatchObject({ revloop_stage: 'opportunity', lifecyclestage: 'opportunity', revloop_opportunity_date: new Date(clock).toISOString() });

    clock += 30 * 24 * HOUR;
    h.salesforce.store.update('Opportunity', opportunity, { StageName: 'Closed Won' }, { origin: 'ui', userId: rep });
    await syncSalesforce(converted.contactId as string);
    expect(hs(hubspotId)).toMatchObject({ revloop_stage: 'customer', lifecyclestage: 'customer', revloop_customer_date: new Date(clock).toISOString() });

    const events = await new LifecycleStore(h.redis.redis, h.ctx.keys).transitions();
    expect(events.filter((e) => e.person === hubspotId).map((e) => `${e.from ?? ''}>${e.to}`)).toEqual(['>lead', 'lead>mql', 'mql>sal', 'sal>sql', 'sql>opportunity', 'opportunity>customer']);
    expect(events.find((e) => e.person === hubspotId && e.to === 'sal')).toMatchObject({ cause: 'criteria', actor: 'sales', criterion: 'sal' });
  });

  it('recycles with a reason: HubSpot back to lead, cleared then set, the reason on the contact', async () => {
    const { hubspotId, leadId } = await newLead('sam@acme.test', { hubspotscore: '80' });
    clock += HOUR;
    h.salesforce.store.update('Lead', leadId, { Status: 'Working - Contacted' }, { origin: 'ui', userId: rep });
    await syncSalesforce(leadId);
    expect(hs(hubspotId).lifecyclestage).toBe('salesqualifiedlead');
    clock += HOUR;
    h.salesforce.store.update('Lead', leadId, { Status: 'Recycled', Revloop_Recycle_Reason__c: 'Bad timing' }, { origin: 'ui', userId: rep });
    await syncSalesforce(leadId);
    expect(hs(hubspotId)).toMatchObject({ revloop_stage: 'recycled', lifecyclestage: 'lead', revloop_recycle_reason: 'Bad timing', hs_lead_status: 'BAD_TIMING' });
    const history = h.hubspot.store.get('contacts', hubspotId, { properties: ['lifecyclestage'], propertiesWithHistory: ['lifecyclestage'] } as never) as unknown as { propertiesWithHistory: { lifecyclestage: Array<{ value: string }> } };
    expect(history.propertiesWithHistory.lifecyclestage.slice(0, 2).map((v) => v.value)).toEqual(['lead', '']);
  });
});

describe('the acceptance SLA (on a fake clock)', () => {
  it('creates the breach Task at the deadline, then escalates to the manager, then recycles', async () => {
    const { hubspotId, leadId } = await newLead('demo@acme.test');
    h.hubspot.store.update('contacts', hubspotId, { recent_conversion_event_name: 'Demo request', hubspotscore: '90' }, { actor: { source: 'FORM' } });
    const mqlAt = clock;
    await syncHubSpot(hubspotId);
    expect(hs(hubspotId).revloop_stage).toBe('mql');
    const tasks = () => h.salesforce.store.query(`SELECT Subject, OwnerId FROM Task WHERE WhoId = '${leadId}'`).records;

    clock = mqlAt + 4 * HOUR - 60_000;
    expect((await processDueSla(h.ctx, { queue, windowMs: 50 })).breaches).toBe(0);
    expect(tasks()).toHaveLength(0);
    clock = mqlAt + 4 * HOUR + 60_000;
    // The breach notice goes to REVLOOP_NOTIFY_URL too (a receiver on a free port here).
    const notices: unknown[] = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        notices.push(JSON.parse(body));
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const notifyUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/sla`;
    try {
      expect((await processDueSla(h.ctx, { queue, windowMs: 50, notifyUrl })).breaches).toBe(1);
    } finally {
      receiver.close();
    }
    expect(tasks()).toEqual([expect.objectContaining({ OwnerId: rep, Subject: 'SLA breach: accept or recycle this MQL' })]);
    // A worker that died after the Task but before removing the timer: the retry creates no second Task.
    const store = new LifecycleStore(h.redis.redis, h.ctx.keys);
    await store.schedule(hubspotId, [{ phase: 'breach', at: mqlAt + 4 * HOUR }], mqlAt);
    expect((await processDueSla(h.ctx, { queue, windowMs: 50 })).breaches).toBe(1);
    expect(tasks()).toHaveLength(1);
    expect(notices).toEqual([expect.objectContaining({ event: 'sla-breach', person: hubspotId, salesforceId: leadId, segment: 'demo_request', acceptBy: new Date(mqlAt + 4 * HOUR).toISOString() })]);

    clock = mqlAt + 8 * HOUR + 60_000;
    expect((await processDueSla(h.ctx, { queue, windowMs: 50 })).escalations).toBe(1);
    expect(tasks().map((t) => t.OwnerId)).toEqual([rep, manager]);

    clock = mqlAt + 72 * HOUR + 60_000;
    expect((await processDueSla(h.ctx, { queue, windowMs: 50 })).recycled).toBe(1);
    expect(sf('Lead', leadId)).toMatchObject({ Status: 'Recycled', Revloop_Recycle_Reason__c: 'No response from sales' });
    await syncHubSpot(hubspotId);
    expect(hs(hubspotId)).toMatchObject({ revloop_stage: 'recycled', revloop_recycle_reason: 'No response from sales', lifecyclestage: 'lead' });
  });

  it('cancels the SLA when the MQL is accepted before the deadline', async () => {
    const { hubspotId, leadId } = await newLead('quick@acme.test');
    h.hubspot.store.update('contacts', hubspotId, { hubspotscore: '75' }, { actor: { source: 'AUTOMATION' } });
    const mqlAt = clock;
    await syncHubSpot(hubspotId);
    clock = mqlAt + 3 * HOUR;
    h.salesforce.store.update('Lead', leadId, { Status: 'Working - Contacted' }, { origin: 'ui', userId: rep });
    await syncSalesforce(leadId);
    clock = mqlAt + 200 * HOUR;
    await processDueSla(h.ctx, { queue, windowMs: 50 });
    expect(h.salesforce.store.query(`SELECT Id FROM Task WHERE WhoId = '${leadId}'`).records).toHaveLength(0);
    expect(sf('Lead', leadId).Status).toBe('Working - Contacted');
  });
});
