/**
 * Carries out a batch plan in the order that needs the fewest calls and no second pass:
 *  1. records that exist only in Salesforce are upserted into HubSpot (by email: never a duplicate),
 *     which gives their HubSpot ids;
 *  2. Salesforce: updates of linked pairs (with the HubSpot id for the records just created) and
 *     upserts by external id of records that exist only in HubSpot (Bulk API 2.0 when many);
 *  3. HubSpot: updates of linked pairs (with the Salesforce id of the records just created).
 * Then links, ledgers and parked records are stored. A record the vendor refuses is parked with the
 * vendor's message; the rest of the batch proceeds.
 */
import type { BatchPlan } from '../../core/sync/batch-plan.js';
import type { FieldLedgerEntry } from '../../core/sync/field-plan.js';
import type { Priority } from '../../providers/budget/api-budget.js';
import type { WriteResult } from '../../providers/hubspot/hubspot-objects.js';
import type { SalesforceWriteResult } from '../../providers/salesforce/salesforce-records.js';
import type { ParkInput } from '../../state/dead-letters.js';
import type { ClobberedEntry, ProvenanceWrite } from '../../state/provenance-store.js';
import type { PairObject, SalesforceRef } from '../../state/link-store.js';
import { Lifecycle } from '../../core/lifecycle/definition.js';
import { persistLifecycle } from './lifecycle-effects.js';
import type { SyncContext } from './sync-context.js';

export interface BatchOutcome {
  linked: number;
  createdInHubSpot: number;
  createdInSalesforce: number;
  updatedHubSpot: number;
  updatedSalesforce: number;
  parked: number;
  skipped: number;
}

type SfValues = Record<string, string | number | boolean | null>;

interface PendingPair {
  hubspotId: string;
  salesforce: SalesforceRef;
  hubspotWrites: Record<string, string>;
  salesforceWrites: SfValues;
  ledger: Record<string, FieldLedgerEntry>;
  failed: boolean;
  hubspotClearFirst?: boolean;
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k) ?? [];
    list.push(item);
    out.set(k, list);
  }
  return out;
}

export interface BatchResult {
  outcome: BatchOutcome;
  /** Every Salesforce record now paired with a HubSpot record. */
  pairedSalesforce: SalesforceRef[];
  /** HubSpot people whose Lead was converted while this batch wrote to it: to sync again (which follows the Lead to its Contact). */
  converted: string[];
  /** Salesforce records whose HubSpot contact, to be created, turned out to exist: to sync again with a lookup. */
  existed: SalesforceRef[];
  /** Pairs whose every write landed (their ledger is stored). */
  landed: Array<{ hubspotId: string; salesforceId: string }>;
  /** Changes by others that this batch's writes, planned before them, overwrote: to sync again, which puts them back. */
  clobbered: ClobberedEntry[];
  /** HubSpot records whose Salesforce counterpart, to be created, turned out to exist: to sync again. */
  existedInSalesforce: string[];
}

export interface WriteOptions {
  /** When the values the plan was made from were read: recorded with revloop's writes to catch a change that landed in between. */
  readAt?: number;
}

type PlannedWrites = Pick<PendingPair, 'hubspotId' | 'salesforce' | 'hubspotWrites' | 'salesforceWrites'>;

/**
 * revloop's writes to the fields of these pairs, as provenance on both sides (each carries the other
 * side's value); returns the changes by others found overwritten by them.
 */
async function recordWrites(ctx: SyncContext, pair: PairObject, pairs: readonly PlannedWrites[], at: number, extra: { basis?: number; pending?: boolean }): Promise<ClobberedEntry[]> {
  const hubspot: ProvenanceWrite[] = [];
  const salesforce: ProvenanceWrite[] = [];
  const entry = (id: string, field: string, value: string | null, source: string): ProvenanceWrite => {
    const w: ProvenanceWrite = { id, field, value, at, actor: 'revloop', source };
    if (extra.basis !== undefined) w.basis = extra.basis;
    if (extra.pending) w.pending = true;
    return w;
  };
  for (const p of pairs) {
    const toHubSpot = `revloop:from-salesforce:${p.salesforce.object}:${p.salesforce.id}`;
    for (const field in p.hubspotWrites) hubspot.push(entry(p.hubspotId, field, p.hubspotWrites[field] as string | null, toHubSpot));
    const toSalesforce = `revloop:from-hubspot:${pair}:${p.hubspotId}`;
    for (const field in p.salesforceWrites) {
      const value = p.salesforceWrites[field];
      salesforce.push(entry(p.salesforce.id, field, value === null || value === undefined ? null : String(value), toSalesforce));
    }
  }
  const [onHubSpot, onSalesforce] = await Promise.all([ctx.provenance.record('hubspot', hubspot), ctx.provenance.record('salesforce', salesforce)]);
  return [...onHubSpot, ...onSalesforce];
}

export async function writeBatch(ctx: SyncContext, pair: PairObject, plan: BatchPlan, priority: Priority, options: WriteOptions = {}): Promise<BatchResult> {
  const mapping = pair === 'contacts' ? ctx.mappings.contacts : ctx.mappings.companies;
  const hsObjects = pair === 'contacts' ? ctx.contacts : ctx.companies;
  const ext = mapping.identity.salesforce_external_id;
  const idProps = mapping.identity.hubspot_properties as Readonly<Record<string, string | undefined>>;
  const parked: ParkInput[] = [];
  const cleared: Array<Pick<ParkInput, 'pair' | 'side' | 'record'>> = [];
  const outcome: BatchOutcome = { linked: 0, createdInHubSpot: 0, createdInSalesforce: 0, updatedHubSpot: 0, updatedSalesforce: 0, parked: 0, skipped: plan.skipped.length };
  const pairs: PendingPair[] = plan.pairs.map((p) => ({ ...p, failed: false }));
  const converted: string[] = [];
  const existed: SalesforceRef[] = [];
  const existedInSalesforce: string[] = [];
  /** Salesforce id → the HubSpot record just created for it. */
  const createdHubSpot = new Map<string, string>();

  const park = (side: 'hubspot' | 'salesforce', ids: { hubspotId?: string; salesforceId?: string; salesforceObject?: string }, code: string, message: string, fields: string[] = []) => {
    const record = side === 'hubspot' ? `hubspot:${pair}:${ids.hubspotId ?? `(from ${ids.salesforceId})`}` : `salesforce:${ids.salesforceObject ?? ''}:${ids.salesforceId ?? `(from ${ids.hubspotId})`}`;
    parked.push({ pair, side, record, code, message, fields, ...(ids.hubspotId ? { hubspotId: ids.hubspotId } : {}), ...(ids.salesforceId ? { salesforceId: ids.salesforceId } : {}) });
  };
  for (const bad of plan.invalid) {
    park(bad.side, { ...(bad.hubspotId ? { hubspotId: bad.hubspotId } : {}), ...(bad.salesforceId ? { salesforceId: bad.salesforceId } : {}), ...(bad.salesforceObject ? { salesforceObject: bad.salesforceObject } : {}) }, 'INVALID_VALUE', `${bad.field}: ${bad.message}`, [bad.field]);
  }

  // The writes about to be sent, with the basis they were planned from: a change recorded since that
  // basis is found overwritten now, and one recorded later is found against these entries, even when
  // this job is cut off between its writes and the provenance of their results.
  const basis = options.readAt !== undefined ? { basis: options.readAt } : {};
  const clobberedBefore = await recordWrites(ctx, pair, plan.pairs, ctx.now(), { ...basis, pending: true });

  // 1. Records only in Salesforce → HubSpot.
  if (plan.createInHubSpot.length > 0) {
    const withEmail = plan.createInHubSpot.filter((c) => c.email !== undefined);
    const withoutEmail = plan.createInHubSpot.filter((c) => c.email === undefined);
    const results = new Map<string, WriteResult>();
    // Created, never upserted by email: a contact that exists after all (another job created it since this
    // batch looked, or a backfill's leftovers, planned without looking) comes back as a conflict and that
    // person is synced again from both sides as they are, instead of being overwritten with this batch's values.
    if (withEmail.length > 0) {
      const r = await hsObjects.create(withEmail.map((c) => ({ key: c.salesforce.id, properties: { ...c.values, email: c.email as string } })), priority, { unique: true });
      for (const [k, v] of r) results.set(k, v);
    }
    if (withoutEmail.length > 0) {
      const r = await hsObjects.create(withoutEmail.map((c) => ({ key: c.salesforce.id, properties: c.values })), priority);
      for (const [k, v] of r) results.set(k, v);
    }
    for (const c of plan.createInHubSpot) {
      const result = results.get(c.salesforce.id);
      if (c.email !== undefined && result?.ok === false && (result.category === 'CONFLICT' || /already exists/i.test(result.message))) {
        existed.push(c.salesforce);
        continue;
      }
      if (!result?.ok) {
        park('hubspot', { salesforceId: c.salesforce.id, salesforceObject: c.salesforce.object }, result?.ok === false ? result.category : 'MISSING_RESULT', result?.ok === false ? result.message : 'no result');
        continue;
      }
      outcome.createdInHubSpot += result.created === false ? 0 : 1;
      // The new HubSpot id goes onto the Salesforce record (step 2) and the pair is linked afterwards.
      pairs.push({ hubspotId: result.id, salesforce: c.salesforce, hubspotWrites: {}, salesforceWrites: { ...c.salesforceValues, [ext]: result.id }, ledger: c.ledger, failed: false });
      createdHubSpot.set(c.salesforce.id, result.id);
      cleared.push({ pair, side: 'hubspot', record: `hubspot:${pair}:(from ${c.salesforce.id})` });
    }
  }

  // The records just created in HubSpot get their ids written onto their Salesforce records in step 2:
  // recorded pending first, as the writes planned above were, so until this batch is done that write is
  // explained (another job reading the record takes its LastModifiedDate for revloop's, not a newer value).
  const pairedByCreation = pairs.slice(plan.pairs.length);
  if (pairedByCreation.length > 0) {
    // Linked at once, not only at the end: a job cut off or retried after this point (a later call's
    // failure, a worker killed) finds these pairs linked and updates them, instead of creating their
    // HubSpot records again (companies have no unique key HubSpot would refuse a second one on).
    await ctx.links.link(pair, pairedByCreation.map((p) => ({ hubspotId: p.hubspotId, salesforce: p.salesforce })));
    clobberedBefore.push(...(await recordWrites(ctx, pair, pairedByCreation, ctx.now(), { ...basis, pending: true })));
  }

  // 2. Salesforce: updates of pairs, upserts of records only in HubSpot.
  for (const [object, group] of groupBy(pairs.filter((p) => Object.keys(p.salesforceWrites).length > 0), (p) => p.salesforce.object)) {
    const results: SalesforceWriteResult[] = await ctx.salesforce.update(object, group.map((p) => ({ Id: p.salesforce.id, ...p.salesforceWrites })), priority);
    group.forEach((p, i) => {
      const r = results[i];
      if (r?.ok) {
        outcome.updatedSalesforce += 1;
        cleared.push({ pair, side: 'salesforce', record: `salesforce:${object}:${p.salesforce.id}` });
      } else if (r?.ok === false && r.code === 'CANNOT_UPDATE_CONVERTED_LEAD' && object === 'Lead') {
        // Converted by a rep since this batch read it: not an error; the next sync relinks to the Contact.
        p.failed = true;
        converted.push(p.hubspotId);
      } else {
        p.failed = true;
        park('salesforce', { hubspotId: p.hubspotId, salesforceId: p.salesforce.id, salesforceObject: object }, r?.ok === false ? r.code : 'MISSING_RESULT', r?.ok === false ? r.message : 'no result', r?.ok === false ? r.fields : []);
      }
    });
  }
  // Creations are inserts, never upserts: the external id is unique, so a record another job created
  // meanwhile for the same HubSpot record (live sync and a backfill page, say) is refused, not
  // overwritten with this batch's values, and that person is synced again from both sides as they are.
  for (const [object, group] of groupBy(plan.createInSalesforce, (c) => c.object)) {
    const records = group.map((c) => c.values);
    const results = records.length >= ctx.bulkThreshold ? await ctx.salesforce.bulkInsert(object, ext, records, priority) : await ctx.salesforce.createUnique(object, records, priority);
    group.forEach((c, i) => {
      const r = results[i];
      if (r?.ok === false && r.code === 'DUPLICATE_VALUE' && r.message.includes(ext)) {
        existedInSalesforce.push(c.hubspotId);
        return;
      }
      if (!r?.ok) {
        park('salesforce', { hubspotId: c.hubspotId, salesforceObject: object }, r?.ok === false ? r.code : 'MISSING_RESULT', r?.ok === false ? r.message : 'no result', r?.ok === false ? r.fields : []);
        return;
      }
      outcome.createdInSalesforce += r.created === false ? 0 : 1;
      cleared.push({ pair, side: 'salesforce', record: `salesforce:${object}:(from ${c.hubspotId})` });
      const prop = idProps[object];
      pairs.push({ hubspotId: c.hubspotId, salesforce: { object, id: r.id }, hubspotWrites: { ...c.hubspotValues, ...(prop ? { [prop]: r.id } : {}) }, salesforceWrites: {}, ledger: c.ledger, failed: false });
    });
  }

  // Attribution onto opportunities (each once, from its attributed person).
  if (plan.opportunityWrites.length > 0) {
    const results = await ctx.salesforce.update('Opportunity', plan.opportunityWrites.map((w) => ({ Id: w.id, ...w.fields })), priority);
    plan.opportunityWrites.forEach((w, i) => {
      const r = results[i];
      if (r?.ok) cleared.push({ pair, side: 'salesforce', record: `salesforce:Opportunity:${w.id}` });
      else park('salesforce', { hubspotId: w.hubspotId, salesforceId: w.id, salesforceObject: 'Opportunity' }, r?.ok === false ? r.code : 'MISSING_RESULT', r?.ok === false ? r.message : 'no result', r?.ok === false ? r.fields : []);
    });
  }

  // 3. HubSpot updates of pairs. A lifecycle stage that moves back is cleared first (HubSpot only moves it forward).
  // A pair whose clear fails is parked with HubSpot's answer, and none of its HubSpot writes are sent.
  const clearing = pairs.filter((p) => p.hubspotClearFirst && !p.failed);
  const clearedStage = new Set<PendingPair>();
  if (clearing.length > 0) {
    const results = await hsObjects.update(clearing.map((p) => ({ id: p.hubspotId, properties: { lifecyclestage: '' } })), priority);
    for (const p of clearing) {
      const r = results.get(p.hubspotId);
      if (r?.ok) {
        clearedStage.add(p);
        continue;
      }
      p.failed = true;
      park('hubspot', { hubspotId: p.hubspotId, salesforceId: p.salesforce.id }, r?.ok === false ? r.category : 'MISSING_RESULT', `lifecyclestage (cleared first to move it back): ${r?.ok === false ? r.message : 'no result'}`, ['lifecyclestage']);
    }
  }
  const hsUpdates = pairs.filter((p) => Object.keys(p.hubspotWrites).length > 0 && !(p.hubspotClearFirst && p.failed));
  const stageAlone: PendingPair[] = [];
  if (hsUpdates.length > 0) {
    const results = await hsObjects.update(hsUpdates.map((p) => ({ id: p.hubspotId, properties: p.hubspotWrites })), priority);
    for (const p of hsUpdates) {
      const r = results.get(p.hubspotId);
      if (r?.ok) {
        outcome.updatedHubSpot += 1;
        cleared.push({ pair, side: 'hubspot', record: `hubspot:${pair}:${p.hubspotId}` });
      } else {
        p.failed = true;
        park('hubspot', { hubspotId: p.hubspotId, salesforceId: p.salesforce.id }, r?.ok === false ? r.category : 'MISSING_RESULT', r?.ok === false ? r.message : 'no result');
        // Its stage was cleared and the write that sets it refused (another field's value, say): the
        // stage goes on its own, so the contact is not left without one (a blank revloop wrote is an
        // echo no change event would repair).
        const stage = p.hubspotWrites.lifecyclestage;
        if (clearedStage.has(p) && stage !== undefined && stage !== '') stageAlone.push(p);
      }
    }
  }
  if (stageAlone.length > 0) {
    const results = await hsObjects.update(stageAlone.map((p) => ({ id: p.hubspotId, properties: { lifecyclestage: p.hubspotWrites.lifecyclestage as string } })), priority);
    for (const p of stageAlone) {
      const r = results.get(p.hubspotId);
      // Parked already with the first refusal; its retry writes the stage with the rest.
      if (!r?.ok) ctx.logger.warn({ hubspotId: p.hubspotId, field: 'lifecyclestage', error: r?.ok === false ? r.message : 'no result' }, 'a cleared lifecycle stage could not be set again');
    }
  }

  // Provenance: revloop wrote these fields, carrying the other side's value, planned from values read at `basis`.
  const written = pairs.filter((p) => !p.failed);
  const clobbered = [...clobberedBefore, ...(await recordWrites(ctx, pair, written, ctx.now(), basis))];
  for (const c of clobbered) ctx.logger.info({ side: c.side, id: c.id, field: c.field, value: c.clobbered.value, at: new Date(c.clobbered.at).toISOString(), actor: c.clobbered.actor, over: c.clobbered.over }, 'a change made while the batch was planned was overwritten; it is put back');

  // Links for every pair whose records both exist (those paired by a HubSpot creation are linked
  // already); ledgers only where every write succeeded.
  const linkedEarly = new Set(pairedByCreation);
  await ctx.links.link(pair, pairs.filter((p) => !linkedEarly.has(p)).map((p) => ({ hubspotId: p.hubspotId, salesforce: p.salesforce })));
  outcome.linked = pairs.length;
  await ctx.ledger.set(pair, new Map(pairs.filter((p) => !p.failed).map((p) => [p.hubspotId, p.ledger])), ctx.now());
  // Every pair whose writes all landed (or needed none) is in sync: whatever was parked for it before
  // (a refused value since corrected, a batch that failed for good) is settled.
  for (const p of pairs) {
    if (p.failed) continue;
    cleared.push({ pair, side: 'hubspot', record: `hubspot:${pair}:${p.hubspotId}` }, { pair, side: 'salesforce', record: `salesforce:${p.salesforce.object}:${p.salesforce.id}` });
  }
  const parkedKeys = new Set(parked.map((p) => `${p.side}|${p.record}`));
  await ctx.deadLetters.clear(cleared.filter((c) => !parkedKeys.has(`${c.side}|${c.record}`)));
  await ctx.deadLetters.park(parked, ctx.now());
  outcome.parked = parked.length;

  // The lifecycle of every person whose writes landed.
  if (pair === 'contacts' && plan.lifecycle.length > 0) {
    const byHubSpot = new Map(pairs.map((p) => [p.hubspotId, p]));
    const bySalesforce = new Map(pairs.map((p) => [p.salesforce.id, p]));
    await persistLifecycle(
      ctx,
      new Lifecycle(ctx.mappings.lifecycle),
      plan.lifecycle.map((l) => {
        const id = l.hubspotId ?? (l.salesforce ? createdHubSpot.get(l.salesforce.id) : undefined);
        const p = (id ? byHubSpot.get(id) : undefined) ?? (l.salesforce ? bySalesforce.get(l.salesforce.id) : undefined);
        return { hubspotId: l.hubspotId, salesforce: l.salesforce, decision: l.decision, records: l.records, resolvedHubSpotId: id, failed: p?.failed ?? true };
      }),
    );
  }
  return { outcome, pairedSalesforce: pairs.map((p) => p.salesforce), converted, existed, landed: written.map((p) => ({ hubspotId: p.hubspotId, salesforceId: p.salesforce.id })), clobbered, existedInSalesforce };
}
