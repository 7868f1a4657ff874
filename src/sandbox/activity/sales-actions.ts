/**
 * Reps at work in Salesforce, as UI edits by the lead's owner (change events with an empty changeOrigin): new leads
 * they find, accepting MQLs (Working - Contacted, with the first call logged), qualifying, converting (the store's
 * convertLead, under the company's Account when one exists), recycling and disqualifying with the lifecycle's reasons.
 */
import { callRecord } from '../generator/salesforce-records.js';
import { AUTO_RECYCLE_REASON, DISQUALIFY_REASONS, GENERIC_COMPANY_WORDS, LEAD_STATUS, RECYCLE_REASONS, SALES_LEAD_SOURCES } from '../generator/vocabulary.js';
import type { WriteContext } from '../salesforce/store/write-context.js';
import { asciiName, repFor, type ActionContext } from './action-context.js';
import type { ActionResult } from './activity-kinds.js';
import type { IdPool } from './id-pool.js';
import type { Rep } from './world.js';

const LEAD_FIELDS = ['Email', 'Status', 'OwnerId', 'Company', 'Website', 'Revloop_MQL_Date__c'];

function asRep(rep: Rep): WriteContext {
  return { userId: rep.salesforceUserId, origin: 'ui' };
}

type Lead = Record<string, unknown> & { Id: string };

/** A lead from the pool that passes `accept` (a few draws), else undefined. */
function pickLead(ctx: ActionContext, pool: IdPool, accept: (lead: Lead) => boolean = () => true): Lead | undefined {
  for (let attempt = 0; attempt < 30 && pool.size > 0; attempt++) {
    const id = pool.pick(ctx.rng);
    if (id === undefined) return undefined;
    const lead = ctx.salesforce.get('Lead', id, LEAD_FIELDS);
    if (lead !== undefined && accept({ ...lead, Id: id })) return { ...lead, Id: id };
  }
  return undefined;
}


export function newSalesLead(ctx: ActionContext): ActionResult {
  const { rng, world, salesforce } = ctx;
  const sdr = rng.pick(world.reps.sdrs);
  const websites = [...world.accountsByWebsite.keys()];
  const website = websites.length > 0 && rng.chance(0.5) ? rng.pick(websites) : null;
  const accountId = website === null ? undefined : world.accountsByWebsite.get(website);
  const account = accountId === undefined ? undefined : salesforce.get('Account', accountId, ['Name']);
  const company = typeof account?.Name === 'string' ? account.Name : `${rng.pick(ctx.pools.nouns)} ${rng.pick(GENERIC_COMPANY_WORDS)}`;
  const domain = website?.replace(/^https?:\/\/(www\.)?/, '') ?? `${asciiName(company)}${ctx.next()}.com`;
  const firstName = rng.pick(ctx.pools.firstNames);
  const lastName = rng.pick(ctx.pools.lastNames);
  const id = salesforce.insert(
    'Lead',
    {
      FirstName: firstName,
      LastName: lastName,
      Email: `${asciiName(firstName)}.${asciiName(lastName)}${ctx.next()}@${domain}`,
      Company: company,
      Website: website,
      LeadSource: rng.pick(SALES_LEAD_SOURCES),
      OwnerId: sdr.salesforceUserId,
    },
    asRep(sdr),
  );
  return { system: 'salesforce', object: 'Lead', recordId: id, by: sdr.salesforceUserId, summary: `${sdr.email} entered a lead at ${company}` };
}

export function acceptMql(ctx: ActionContext): ActionResult | null {
  const lead = pickLead(ctx, ctx.world.mql);
  if (lead === undefined) return null;
  const sdr = repFor(ctx, lead.OwnerId, ctx.world.reps.sdrs);
  ctx.salesforce.update('Lead', lead.Id, { Status: LEAD_STATUS.working, OwnerId: sdr.salesforceUserId }, asRep(sdr));
  ctx.salesforce.insert('Task', callRecord(lead.Id, ctx.salesforce.now(), sdr.salesforceUserId), asRep(sdr));
  return { system: 'salesforce', object: 'Lead', recordId: lead.Id, by: sdr.salesforceUserId, summary: `${sdr.email} accepted ${String(lead.Email)} (Working - Contacted, first call logged)` };
}

export function qualify(ctx: ActionContext): ActionResult | null {
  const lead = pickLead(ctx, ctx.world.working);
  if (lead === undefined) return null;
  const sdr = repFor(ctx, lead.OwnerId, ctx.world.reps.sdrs);
  ctx.salesforce.update('Lead', lead.Id, { Status: LEAD_STATUS.qualified }, asRep(sdr));
  return { system: 'salesforce', object: 'Lead', recordId: lead.Id, by: sdr.salesforceUserId, summary: `${sdr.email} qualified ${String(lead.Email)}` };
}

export function convert(ctx: ActionContext): ActionResult | null {
  const lead = pickLead(ctx, ctx.world.qualified);
  if (lead === undefined) return null;
  const ae = ctx.rng.pick(ctx.world.reps.aes);
  const website = typeof lead.Website === 'string' ? lead.Website.toLowerCase() : undefined;
  const accountId = website === undefined ? undefined : ctx.world.accountsByWebsite.get(website);
  const result = ctx.salesforce.convertLead(
    {
      leadId: lead.Id,
      convertedStatus: LEAD_STATUS.converted,
      ownerId: ae.salesforceUserId,
      opportunityName: `${String(lead.Company)} – New Business`,
      ...(accountId === undefined ? {} : { accountId }),
    },
    asRep(ae),
  );
  if (!result.success) throw new Error(`convertLead ${lead.Id}: ${result.errors.map((e) => e.message).join('; ')}`);
  if (result.opportunityId !== null) {
    ctx.salesforce.update('Opportunity', result.opportunityId, { Amount: Math.round(ctx.rng.logNormal(25_000, 0.7) / 100) * 100, StageName: 'Qualification' }, asRep(ae));
  }
  return { system: 'salesforce', object: 'Lead', recordId: lead.Id, by: ae.salesforceUserId, summary: `${ae.email} converted ${String(lead.Email)} (contact ${result.contactId ?? ''}, opportunity ${result.opportunityId ?? ''})` };
}

/** Recycle (Recycled + reason) or disqualify (Closed - Not Converted + reason) an MQL or a lead being worked. */
function sendBack(ctx: ActionContext, kind: 'recycle' | 'disqualify'): ActionResult | null {
  const fromWorking = ctx.rng.chance(0.5);
  const lead = pickLead(ctx, fromWorking ? ctx.world.working : ctx.world.mql) ?? pickLead(ctx, fromWorking ? ctx.world.mql : ctx.world.working);
  if (lead === undefined) return null;
  const sdr = repFor(ctx, lead.OwnerId, ctx.world.reps.sdrs);
  const reason = kind === 'recycle' ? ctx.rng.pick(RECYCLE_REASONS.filter((r) => r !== AUTO_RECYCLE_REASON)) : ctx.rng.pick(DISQUALIFY_REASONS);
  const fields =
    kind === 'recycle'
      ? { Status: LEAD_STATUS.recycled, Revloop_Recycle_Reason__c: reason }
      : { Status: LEAD_STATUS.disqualified, Revloop_Disqualify_Reason__c: reason };
  ctx.salesforce.update('Lead', lead.Id, fields, asRep(sdr));
  return { system: 'salesforce', object: 'Lead', recordId: lead.Id, by: sdr.salesforceUserId, summary: `${sdr.email} ${kind === 'recycle' ? 'recycled' : 'disqualified'} ${String(lead.Email)}: ${reason}` };
}

export const recycle = (ctx: ActionContext): ActionResult | null => sendBack(ctx, 'recycle');
export const disqualify = (ctx: ActionContext): ActionResult | null => sendBack(ctx, 'disqualify');
