/**
 * A 10,000-person dataset, checked against the stores it was written into: every id the ground truth names exists
 * with the values, stages, statuses and times the truth says; opportunities, roles, campaigns and owners match; emails
 * are unique per system; and the aggregate figures follow from the per-person truth.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { HubSpotStore } from '../../../src/sandbox/hubspot/store/hubspot-store.js';
import { SalesforceStore } from '../../../src/sandbox/salesforce/store/salesforce-store.js';
import { generateDataset } from '../../../src/sandbox/generator/generate-dataset.js';
import { SandboxClock } from '../../../src/sandbox/generator/sandbox-clock.js';
import type { GroundTruth, PersonTruth } from '../../../src/sandbox/generator/truth.js';

const NOW = Date.parse('2026-03-01T00:00:00.000Z');
const iso = (at: number) => new Date(at).toISOString();
/** Salesforce renders datetimes as 2026-03-01T00:00:00.000+0000. */
const sfTime = (value: unknown) => (typeof value === 'string' ? Date.parse(value.replace(/\+0000$/, 'Z')) : NaN);
const first = (p: PersonTruth, stage: string) => p.journey.find((e) => e.stage === stage);
const last = (p: PersonTruth, stage: string) => [...p.journey].reverse().find((e) => e.stage === stage);

let hubspot: HubSpotStore;
let salesforce: SalesforceStore;
let truth: GroundTruth;

beforeAll(async () => {
  const clock = new SandboxClock(() => NOW);
  hubspot = new HubSpotStore({ now: clock.now });
  salesforce = new SalesforceStore({ now: clock.now });
  truth = await generateDataset({ seed: 11, people: 10_000, now: NOW, hubspot, salesforce, clock });
}, 120_000);

describe('a generated dataset against its stores', () => {
  it('has exactly the people asked for, split across the systems the way a real pair of systems is', () => {
    const c = truth.aggregates.counts;
    expect(truth.persons).toHaveLength(10_000);
    expect(c.people).toBe(10_000);
    expect(hubspot.count('contacts')).toBe(c.inHubSpot);
    expect(salesforce.count('Lead')).toBe(c.leads);
    expect(salesforce.count('Contact')).toBe(c.contacts);
    expect(salesforce.count('Lead', 'IsConverted = true')).toBe(c.convertedLeads);
    expect(hubspot.count('companies')).toBe(c.hubspotCompanies);
    expect(salesforce.count('Account')).toBe(c.accounts);
    expect(salesforce.count('Opportunity')).toBe(c.opportunities);
    for (const share of [c.hubspotOnly, c.salesforceOnly, c.inBoth]) expect(share / c.people).toBeGreaterThan(0.1);
    const both = truth.persons.filter((p) => p.hubspot !== null && p.salesforce !== null);
    expect(both.filter((p) => p.salesforce?.email !== p.hubspot?.email && p.salesforce?.email.toLowerCase() === p.hubspot?.email).length).toBeGreaterThan(20);
    expect(both.filter((p) => p.conflicts.length > 0).length).toBeGreaterThan(20);
  });

  it('has every HubSpot contact with the email, stage, score, owner, source and stage dates of the truth', () => {
    let checked = 0;
    for (const p of truth.persons) {
      if (p.hubspot === null) continue;
      const record = hubspot.get('contacts', p.hubspot.id, {
        properties: ['email', 'lifecyclestage', 'hubspotscore', 'hubspot_owner_id', 'hs_analytics_source', 'recent_conversion_event_name', 'hs_lifecyclestage_marketingqualifiedlead_date'],
      });
      expect(record, `person ${p.index}`).toBeDefined();
      const props = record?.properties ?? {};
      expect(props.email).toBe(p.hubspot.email);
      expect(props.email).toBe(p.email);
      expect(props.lifecyclestage).toBe(p.hubspot.lifecyclestage);
      expect(Number(props.hubspotscore)).toBe(p.score);
      expect(props.hubspot_owner_id ?? null).toBe(p.hubspot.ownerId);
      expect(props.hs_analytics_source).toBe(p.source);
      expect(record?.createdAt).toBe(p.hubspot.createdAt);
      const mql = first(p, 'mql');
      if (mql !== undefined) {
        expect(props.hs_lifecyclestage_marketingqualifiedlead_date).toBe(iso(mql.at));
        expect((props.recent_conversion_event_name ?? '').includes('Demo')).toBe(p.segment === 'demo_request');
        // The score decays below the threshold a day after a recycle.
        const decayed = p.stage === 'recycled' && (last(p, 'recycled')?.at ?? NOW) + 86_400_000 < NOW;
        expect(Number(props.hubspotscore) >= 50).toBe(!decayed);
      } else {
        expect(Number(props.hubspotscore)).toBeLessThan(50);
      }
      checked += 1;
    }
    expect(checked).toBe(truth.aggregates.counts.inHubSpot);
  });

  it('has every Lead and Contact with the email, status, reason, owner and times of the truth', () => {
    const statusOf: Record<string, string[]> = {
      lead: ['Open - Not Contacted', 'Closed - Not Converted'],
      mql: ['Open - Not Contacted'],
      sal: ['Working - Contacted'],
      sql: ['Qualified', 'Closed - Converted'],
      recycled: ['Recycled'],
      disqualified: ['Closed - Not Converted'],
    };
    for (const p of truth.persons) {
      const sf = p.salesforce;
      if (sf === null) continue;
      if (sf.leadId !== null) {
        const lead = salesforce.get('Lead', sf.leadId, ['Email', 'Status', 'IsConverted', 'ConvertedContactId', 'OwnerId', 'Revloop_Recycle_Reason__c', 'Revloop_Disqualify_Reason__c']);
        expect(lead?.Email, `person ${p.index}`).toBe(sf.email);
        expect(lead?.Status).toBe(sf.leadStatus);
        expect(lead?.IsConverted).toBe(sf.convertedAt !== null);
        expect(lead?.ConvertedContactId ?? null).toBe(sf.convertedAt === null ? null : sf.contactId);
        if (sf.convertedAt === null) expect(lead?.OwnerId).toBe(sf.ownerId);
        if (statusOf[p.stage] !== undefined) expect(statusOf[p.stage]).toContain(lead?.Status);
        expect(lead?.Revloop_Recycle_Reason__c ?? null).toBe(last(p, 'recycled')?.reason ?? null);
        expect(lead?.Revloop_Disqualify_Reason__c ?? null).toBe(last(p, 'disqualified')?.reason ?? null);
      }
      if (sf.contactId !== null) {
        const contact = salesforce.get('Contact', sf.contactId, ['Email', 'AccountId', 'CreatedDate', 'OwnerId']);
        expect(contact?.Email).toBe(sf.email);
        expect(contact?.AccountId).toBe(sf.accountId);
        expect(contact?.OwnerId).toBe(sf.ownerId);
        if (sf.convertedAt !== null) expect(sfTime(contact?.CreatedDate)).toBe(sf.convertedAt);
      }
      if (['opportunity', 'customer'].includes(p.stage)) expect(sf.contactId).not.toBeNull();
    }
  });

  it('logs one completed call per acceptance, at the acceptance', () => {
    const accepted = truth.persons.flatMap((p) => p.journey.filter((e) => e.stage === 'sal').map((e) => ({ p, at: e.at })));
    expect(salesforce.count('Task', "Status = 'Completed' AND TaskSubtype = 'Call'")).toBe(accepted.length);
    for (const { p, at } of accepted.slice(0, 200)) {
      const who = p.salesforce?.contactId ?? p.salesforce?.leadId ?? '';
      const tasks = salesforce.query(`SELECT CreatedDate, CompletedDateTime FROM Task WHERE WhoId = '${who}'`).records;
      expect(tasks.map((t) => sfTime(t.CreatedDate))).toContain(at);
      expect(tasks.map((t) => sfTime(t.CompletedDateTime))).toContain(at);
    }
  });

  it('has every opportunity with its amount, stage, dates, loss reason and people (roles or the Account)', () => {
    expect(truth.opportunities.some((o) => o.via === 'account')).toBe(true);
    expect(truth.opportunities.some((o) => o.roles.length > 1)).toBe(true);
    expect(truth.opportunities.some((o) => !o.isClosed)).toBe(true);
    for (const o of truth.opportunities) {
      const record = salesforce.get('Opportunity', o.id, ['Name', 'Amount', 'StageName', 'CloseDate', 'IsClosed', 'IsWon', 'Loss_Reason__c', 'AccountId', 'OwnerId', 'CreatedDate', 'LastModifiedDate', 'Type']);
      expect(record).toMatchObject({
        Name: o.name,
        Amount: o.amount,
        StageName: o.stage,
        CloseDate: o.closeDate,
        IsClosed: o.isClosed,
        IsWon: o.isWon,
        Loss_Reason__c: o.lossReason,
        AccountId: o.accountId,
        OwnerId: o.ownerId,
        Type: o.type,
      });
      expect(sfTime(record?.CreatedDate)).toBe(o.createdAt);
      if (o.closedAt !== null) expect(sfTime(record?.LastModifiedDate)).toBe(o.closedAt);
      const roles = salesforce.query(`SELECT ContactId, IsPrimary, Role FROM OpportunityContactRole WHERE OpportunityId = '${o.id}'`).records;
      expect(roles.map((r) => `${String(r.ContactId)}|${String(r.IsPrimary)}|${String(r.Role)}`).sort()).toEqual(o.roles.map((r) => `${r.contactId}|${r.isPrimary}|${r.role}`).sort());
      expect(o.via === 'account').toBe(o.roles.length === 0);
      const attributed = truth.persons[o.attributedPerson ?? -1];
      expect(attributed?.salesforce?.accountId).toBe(o.accountId);
      if (o.via === 'account') expect(attributed?.stage).toBe('customer');
    }
  });

  it('has the campaigns with their costs, and one member per person and campaign touched in Salesforce', () => {
    for (const c of truth.campaigns) {
      const record = salesforce.get('Campaign', c.id, ['Name', 'ActualCost', 'BudgetedCost', 'Status', 'StartDate', 'EndDate']);
      expect(record).toMatchObject({ Name: c.name, ActualCost: c.actualCost, BudgetedCost: c.budgetedCost, Status: c.status, StartDate: c.startDate, EndDate: c.endDate });
      expect(salesforce.count('CampaignMember', `CampaignId = '${c.id}'`)).toBe(c.members);
    }
    expect(truth.campaigns.some((c) => c.members > 0 && c.actualCost > 0)).toBe(true);
    const touchedInSalesforce = truth.persons.filter((p) => p.salesforce !== null).reduce((n, p) => n + new Set(p.campaigns.map((t) => t.campaign)).size, 0);
    expect(salesforce.count('CampaignMember')).toBe(touchedInSalesforce);
  });

  it('has each team member as a HubSpot owner and a Salesforce user with the same email; reps report to a manager', () => {
    const users = new Map(salesforce.query('SELECT Id, Email, ManagerId FROM User').records.map((u) => [String(u.Id), u]));
    for (const owner of truth.owners) {
      expect(hubspot.owners.get(owner.hubspotOwnerId)?.email).toBe(owner.email);
      const user = users.get(owner.salesforceUserId);
      expect(user?.Email).toBe(owner.email);
      const manager = truth.owners.find((o) => o.key === owner.manager);
      expect(user?.ManagerId ?? null).toBe(manager?.salesforceUserId ?? null);
      if (owner.role !== 'manager') expect(manager?.role).toBe('manager');
    }
  });

  it('keeps emails unique in each system (converted leads aside)', () => {
    const hubspotEmails = truth.persons.filter((p) => p.hubspot !== null).map((p) => p.hubspot?.email);
    expect(new Set(hubspotEmails).size).toBe(hubspotEmails.length);
    const live = [
      ...salesforce.query('SELECT Email FROM Lead WHERE IsConverted = false').records,
      ...salesforce.query('SELECT Email FROM Contact').records,
    ].map((r) => String(r.Email).toLowerCase());
    expect(new Set(live).size).toBe(live.length);
  });

  it('puts every event in the past window, in order', () => {
    for (const p of truth.persons) {
      expect(p.journey.length).toBeGreaterThan(0);
      expect(p.journey[0]?.at).toBe(p.createdAt);
      for (let i = 1; i < p.journey.length; i++) expect(p.journey[i]?.at).toBeGreaterThanOrEqual(p.journey[i - 1]?.at ?? 0);
      expect(p.journey.at(-1)?.at).toBeLessThan(NOW);
      expect(p.createdAt).toBeGreaterThanOrEqual(truth.windowStart);
      expect(p.stage).toBe(p.journey.at(-1)?.stage);
    }
  });

  it('computes the aggregates from the per-person truth', () => {
    const a = truth.aggregates;
    const reached = (stage: string) => truth.persons.filter((p) => p.journey.some((e) => e.stage === stage)).length;
    for (const stage of Object.keys(a.reached)) {
      expect(a.reached[stage as keyof typeof a.reached]).toBe(reached(stage));
      const entries = truth.persons.reduce((n, p) => n + p.journey.filter((e) => e.stage === stage).length, 0);
      expect(a.stageVolume[stage as keyof typeof a.stageVolume].total).toBe(entries);
      expect(Object.values(a.stageVolume[stage as keyof typeof a.stageVolume].byMonth).reduce((x, y) => x + y, 0)).toBe(entries);
    }
    expect(a.conversion.mqlToSal).toBeCloseTo(reached('sal') / reached('mql'), 12);
    const sla = truth.persons.flatMap((p) => p.sla);
    expect(a.sla.met).toBe(sla.filter((s) => s.outcome === 'met').length);
    expect(a.sla.breached).toBe(sla.filter((s) => s.outcome === 'breached').length);
    expect(a.sla.met + a.sla.breached + a.sla.closed + a.sla.pending).toBe(reached('mql') === 0 ? 0 : a.stageVolume.mql.total);
    const won = truth.opportunities.filter((o) => o.isWon).reduce((n, o) => n + o.amount, 0);
    const pipeline = truth.opportunities.filter((o) => !o.isClosed).reduce((n, o) => n + o.amount, 0);
    expect(a.opportunities.wonRevenue).toBe(won);
    expect(a.opportunities.pipeline).toBe(pipeline);
    expect(Object.values(a.revenueBySource).reduce((n, r) => n + r.wonRevenue, 0)).toBe(won);
    expect(Object.values(a.revenueByCampaign.evenSplit).reduce((n, r) => n + r.wonRevenue, 0)).toBeCloseTo(won, 4);
    const salDays = truth.persons.flatMap((p) => p.journey.flatMap((e, i) => (e.stage === 'sal' && p.journey[i - 1]?.stage === 'mql' ? [(e.at - (p.journey[i - 1]?.at ?? 0)) / 86_400_000] : []))).sort((x, y) => x - y);
    expect(a.velocity['mql→sal']?.count).toBe(salDays.length);
    expect(a.velocity['mql→sal']?.medianDays).toBe(salDays[Math.ceil(salDays.length / 2) - 1]);
  });
});
