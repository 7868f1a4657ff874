/**
 * `revloop report` as RevOps runs it (a real process on a stored connection) in table, CSV and JSON,
 * and the weekly digest: rendered as Markdown and HTML, delivered to a webhook, kept as the latest.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestDigest, sendDigest } from '../../src/reports/digest.js';
import { LifecycleStore, type TransitionEvent } from '../../src/state/lifecycle-store.js';
import { cliEnv, runRevloop, storeHarnessConnection, type CliRun } from '../helpers/cli-harness.js';
import { startSyncHarness, type SyncHarness } from '../helpers/sync-harness.js';

const KEY = Buffer.alloc(32, 5);
const DAY = 86_400_000;
const HOUR = 3_600_000;
const now = Date.now();
let h: SyncHarness;

function revloop(...args: string[]): Promise<CliRun> {
  return runRevloop(args, cliEnv(h, KEY));
}

beforeAll(async () => {
  h = await startSyncHarness({ connectionId: 'rep' });
  await storeHarnessConnection(h, 'rep', KEY);
  // Ann: lead → MQL → accepted in 2 h → SQL, then won 5,000 through the webinar. Bo: a demo request recycled a day later. Cy: a lead.
  const actor = { actor: { source: 'FORM' as const } };
  const ann = h.hubspot.store.create('contacts', { properties: { email: 'ann@acme.test', lastname: 'Ann', hs_analytics_source: 'PAID_SEARCH' } }, actor).id;
  const bo = h.hubspot.store.create('contacts', { properties: { email: 'bo@acme.test', lastname: 'Bo' } }, actor).id;
  const cy = h.hubspot.store.create('contacts', { properties: { email: 'cy@acme.test', lastname: 'Cy' } }, actor).id;
  const ui = { origin: 'ui' as const };
  const account = h.salesforce.store.insert('Account', { Name: 'Acme' }, ui);
  const contact = h.salesforce.store.insert('Contact', { LastName: 'Ann', Email: 'ann@acme.test', AccountId: account }, ui);
  await h.ctx.links.link('contacts', [{ hubspotId: ann, salesforce: { object: 'Contact', id: contact } }]);
  const campaign = h.salesforce.store.insert('Campaign', { Name: 'Webinar A', Status: 'Completed', ActualCost: 1000 }, ui);
  h.salesforce.store.insert('CampaignMember', { CampaignId: campaign, ContactId: contact, Status: 'Responded' }, ui);
  const opp = h.salesforce.store.insert('Opportunity', { Name: 'Acme deal', AccountId: account, StageName: 'Closed Won', CloseDate: new Date(now - 2 * DAY).toISOString().slice(0, 10), Amount: 5000 }, ui);
  h.salesforce.store.insert('OpportunityContactRole', { OpportunityId: opp, ContactId: contact, IsPrimary: true }, ui);
  const t0 = now - 20 * DAY;
  const events: TransitionEvent[] = [
    { person: ann, from: undefined, to: 'lead', at: t0, cause: 'criteria', actor: 'marketing' },
    { person: ann, from: 'lead', to: 'mql', at: t0 + DAY, cause: 'criteria', actor: 'marketing', segment: 'standard' },
    { person: ann, from: 'mql', to: 'sal', at: t0 + DAY + 2 * HOUR, cause: 'criteria', actor: 'sales' },
    { person: ann, from: 'sal', to: 'sql', at: t0 + 5 * DAY, cause: 'criteria', actor: 'sales' },
    { person: bo, from: undefined, to: 'lead', at: now - 10 * DAY, cause: 'criteria', actor: 'marketing' },
    { person: bo, from: 'lead', to: 'mql', at: now - 10 * DAY + HOUR, cause: 'criteria', actor: 'marketing', segment: 'demo_request' },
    { person: bo, from: 'mql', to: 'recycled', at: now - 9 * DAY, cause: 'criteria', actor: 'sales', reason: 'Bad timing' },
    { person: cy, from: undefined, to: 'lead', at: now - 5 * DAY, cause: 'criteria', actor: 'marketing' },
  ];
  await new LifecycleStore(h.redis.redis, h.ctx.keys).record(events);
}, 60_000);
afterAll(async () => h?.close());

describe('revloop report', () => {
  it('prints the funnel as a table', async () => {
    const run = await revloop('report', 'funnel');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Funnel: all time/);
    expect(run.stdout).toMatch(/lead\s+Lead\s+3\s+3\s+1\s+66\.7/);
    expect(run.stdout).toMatch(/mql\s+Marketing qualified lead\s+2\s+2\s+0\s+50\s+0\.08/);
    expect(run.stdout).toMatch(/recycled\s+Recycled\s+1\s+1\s+1/);
  });

  it('prints the SLA and reasons as CSV', async () => {
    const run = await revloop('report', 'sla', '--format', 'csv');
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toBe('table,segment,label,met,breached,closed,pending,compliance_pct');
    expect(lines).toContain('sla,demo_request,Demo requests,0,1,0,0,0');
    expect(lines).toContain('sla,standard,Everyone else,1,0,0,0,100');
    expect(lines).toContain('sla,all,All MQLs,1,1,0,0,50');
    expect(lines).toContain('reasons,recycle,Bad timing,1');
  });

  it('prints campaigns as JSON, with ROI and revenue by source', async () => {
    const run = await revloop('report', 'campaigns', '--format', 'json');
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as { detail: { campaignRoi: Record<string, { wonFirstTouch: number; roiFirstTouch: number }>; revenueBySource: Record<string, { wonRevenue: number }> } };
    expect(report.detail.campaignRoi['Webinar A']).toMatchObject({ wonFirstTouch: 5000, roiFirstTouch: 5 });
    expect(report.detail.revenueBySource.PAID_SEARCH?.wonRevenue).toBe(5000);
  });

  it('counts a period and an MQL cohort', async () => {
    const week = await revloop('report', 'funnel', '--format', 'json', '--from', new Date(now - 12 * DAY).toISOString().slice(0, 10));
    const w = JSON.parse(week.stdout) as { detail: { stageVolume: Record<string, { total: number }> } };
    expect([w.detail.stageVolume.lead?.total, w.detail.stageVolume.mql?.total, w.detail.stageVolume.sql?.total]).toEqual([2, 1, 0]);
    const cohort = await revloop('report', 'funnel', '--format', 'json', '--cohort', '--from', new Date(now - 12 * DAY).toISOString().slice(0, 10));
    const c = JSON.parse(cohort.stdout) as { detail: { people: number; reached: Record<string, number> } };
    expect(c.detail.people).toBe(1);
    expect(c.detail.reached).toMatchObject({ lead: 1, mql: 1, recycled: 1, sal: 0 });
  });

  it('refuses a bad kind, format or date with a clear message', async () => {
    expect((await revloop('report', 'pipeline')).stderr).toContain('choose a report: funnel, campaigns, sla, velocity, reasons, digest ("pipeline" is not one)');
    expect((await revloop('report', 'funnel', '--format', 'xml')).stderr).toContain('--format must be table, csv, json, not "xml"');
    const bad = await revloop('report', 'funnel', '--from', 'last tuesday');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('--from "last tuesday" is not a date');
  });
});

describe('the weekly digest', () => {
  it('renders Markdown and HTML, delivers them to the webhook and keeps the latest', async () => {
    const received: Array<{ text: string; html: string; subject: string }> = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push(JSON.parse(body) as { text: string; html: string; subject: string });
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      // A Wednesday ten days after Bo's MQL: last week holds Bo's recycle... and Cy's lead.
      const digest = await sendDigest(h.ctx, { webhookUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/digest`, dashboardUrl: 'https://revloop.example.com', now });
      expect(digest.delivered).toBe(true);
      expect(received).toHaveLength(1);
      expect(received[0]?.text).toBe(digest.markdown);
      expect(digest.markdown).toMatch(/^# revloop weekly digest: \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}/);
      expect(digest.markdown).toContain('## Funnel');
      expect(digest.markdown).toContain('| stage | entries | week_before | to_next_pct |');
      expect(digest.markdown).toContain('Dashboard: https://revloop.example.com/');
      expect(digest.html).toMatch(/^<!doctype html><html lang="en">/);
      expect(digest.html).toContain('<caption>Funnel (entries this week and the week before)</caption>');
      expect(digest.html).not.toMatch(/<script/i);
      expect((await latestDigest(h.ctx))?.subject).toBe(digest.subject);
    } finally {
      server.close();
    }
  });

  it('prints through the CLI', async () => {
    const run = await revloop('report', 'digest');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('# revloop weekly digest');
  });
});
