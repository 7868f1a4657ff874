/**
 * Deletions and merges on either side, applied under the mapping's delete policy:
 *  - propagate: the linked record on the other side is deleted (Salesforce) or archived (HubSpot);
 *  - unlink: the link is forgotten on both records (so the two are no longer paired), both stay;
 *  - ignore: nothing changes.
 * Merges relink: the surviving record takes the links of the merged ones; when that would pair one
 * record with two on the other side, the extra link is dropped and the duplicate reported (parked)
 * for a person to merge there too. Every decision goes to the audit log.
 */
import type { ObjectMappingFile } from '../../config/mapping/schema/object-mapping.js';
import type { PairObject, SalesforceRef } from '../../state/link-store.js';
import { select, where } from '../../providers/salesforce/soql.js';
import type { HubSpotEventJob } from '../queues.js';
import { signal } from '../signals.js';
import type { SyncContext } from '../sync/sync-context.js';
import type { Queue } from 'bullmq';

function mappingOf(ctx: SyncContext, pair: PairObject): ObjectMappingFile {
  return pair === 'contacts' ? ctx.mappings.contacts : ctx.mappings.companies;
}

function idProperty(mapping: ObjectMappingFile, object: string): string | undefined {
  return (mapping.identity.hubspot_properties as Readonly<Record<string, string | undefined>>)[object];
}

/** Removes the link of a pair on both records and in Redis. */
async function unlinkPair(ctx: SyncContext, pair: PairObject, hubspotId: string, sf: SalesforceRef, clear: { hubspot: boolean; salesforce: boolean }): Promise<void> {
  const mapping = mappingOf(ctx, pair);
  await ctx.links.unlinkHubSpot(pair, hubspotId);
  await ctx.ledger.remove(pair, hubspotId);
  if (clear.salesforce) {
    await ctx.salesforce.update(sf.object, [{ Id: sf.id, [mapping.identity.salesforce_external_id]: null }]);
  }
  const prop = idProperty(mapping, sf.object);
  if (clear.hubspot && prop) {
    await (pair === 'contacts' ? ctx.contacts : ctx.companies).update([{ id: hubspotId, properties: { [prop]: '' } }]);
  }
}

export async function applyHubSpotEvent(ctx: SyncContext, queue: Queue, job: HubSpotEventJob, windowMs: number): Promise<void> {
  const { event } = job;
  const mapping = mappingOf(ctx, event.pair);
  const now = ctx.now();
  if (event.kind === 'delete') {
    const sf = (await ctx.links.byHubSpot(event.pair, [event.id])).get(event.id);
    const record = `hubspot:${event.pair}:${event.id}`;
    if (!sf) {
      await ctx.audit.add({ at: now, action: 'delete', records: [record], message: 'deleted in HubSpot; it was not linked to Salesforce' });
      return;
    }
    const policy = mapping.delete.hubspot;
    const sfRecord = `salesforce:${sf.object}:${sf.id}`;
    if (policy === 'propagate') {
      await ctx.salesforceApi.call(`${sf.object}.delete`, (conn) => conn.sobject(sf.object).destroy(sf.id)).catch(async (err: unknown) => {
        // Already gone on the other side: nothing left to delete.
        if ((err as { code?: string }).code !== 'NOT_FOUND' && !/ENTITY_IS_DELETED|not exist/i.test(String((err as Error).message))) throw err;
      });
      await ctx.links.unlinkHubSpot(event.pair, event.id);
      await ctx.ledger.remove(event.pair, event.id);
      await ctx.audit.add({ at: now, action: 'delete', records: [record, sfRecord], message: 'deleted in HubSpot; the linked Salesforce record was deleted too (delete policy: propagate)' });
    } else if (policy === 'unlink') {
      await unlinkPair(ctx, event.pair, event.id, sf, { hubspot: false, salesforce: true });
      await ctx.audit.add({ at: now, action: 'unlink', records: [record, sfRecord], message: 'deleted in HubSpot; the Salesforce record stays, no longer linked (delete policy: unlink)' });
    } else {
      await ctx.audit.add({ at: now, action: 'delete', records: [record, sfRecord], message: 'deleted in HubSpot; the Salesforce record and the link stay (delete policy: ignore)' });
    }
    return;
  }

  // Merge: the new (surviving) record takes over the links of the merged ones.
  const merged = [...new Set([...event.mergedIds, ...(event.primaryId ? [event.primaryId] : [])])].filter((id) => id !== event.newId);
  const links = await ctx.links.byHubSpot(event.pair, [...merged, event.newId]);
  const candidates = [event.primaryId, ...merged, event.newId].filter((id): id is string => id !== undefined).map((id) => links.get(id)).filter((ref): ref is SalesforceRef => ref !== undefined);
  const unique = [...new Map(candidates.map((c) => [c.id, c])).values()];
  for (const id of merged) if (links.has(id)) await ctx.links.unlinkHubSpot(event.pair, id);
  const [keep, ...extra] = unique;
  if (keep) await ctx.links.link(event.pair, [{ hubspotId: event.newId, salesforce: keep }]);
  await ctx.audit.add({
    at: now,
    action: 'merge',
    records: [`hubspot:${event.pair}:${event.newId}`, ...merged.map((id) => `hubspot:${event.pair}:${id}`), ...unique.map((r) => `salesforce:${r.object}:${r.id}`)],
    message: keep ? `merged in HubSpot into ${event.newId}; linked to Salesforce ${keep.object} ${keep.id}` : `merged in HubSpot into ${event.newId}`,
  });
  if (extra.length > 0) {
    for (const ref of extra) await ctx.salesforce.update(ref.object, [{ Id: ref.id, [mapping.identity.salesforce_external_id]: null }]);
    await ctx.deadLetters.park(
      extra.map((ref) => ({
        pair: event.pair,
        side: 'salesforce' as const,
        record: `salesforce:${ref.object}:${ref.id}`,
        salesforceId: ref.id,
        hubspotId: event.newId,
        code: 'DUPLICATE_AFTER_MERGE',
        message: `HubSpot merged records into ${event.newId}, which stays linked to ${keep?.object} ${keep?.id}; this ${ref.object} is the same person: merge it into ${keep?.id} in Salesforce`,
        fields: [],
      })),
      now,
    );
  }
  await signal(ctx.redis, queue, ctx.keys, event.pair, 'hubspot', [event.newId], { windowMs }, now);
}

/** Salesforce records deleted: merge losers relink to their master; other deletions follow the policy. */
export async function applySalesforceDeletes(ctx: SyncContext, queue: Queue, object: string, ids: readonly string[], windowMs: number): Promise<void> {
  const pair: PairObject = object === 'Account' ? 'companies' : 'contacts';
  const mapping = mappingOf(ctx, pair);
  const now = ctx.now();
  const links = await ctx.links.bySalesforce(pair, ids);
  if (links.size === 0) return;
  const deleted = new Map<string, string | null>();
  for await (const page of ctx.salesforce.query(select(['Id', 'MasterRecordId'], object, { where: where.and(where.in('Id', [...links.keys()]), where.eq('IsDeleted', true)) }), 'live', true)) {
    for (const r of page) deleted.set(r.Id, (r.MasterRecordId as string | null) ?? null);
  }
  const hsObjects = pair === 'contacts' ? ctx.contacts : ctx.companies;
  for (const [sfId, hubspotId] of links) {
    const master = deleted.get(sfId) ?? null;
    const sfRecord = `salesforce:${object}:${sfId}`;
    const hsRecord = `hubspot:${pair}:${hubspotId}`;
    if (master) {
      const masterLink = (await ctx.links.bySalesforce(pair, [master])).get(master);
      await ctx.links.unlinkSalesforce(pair, sfId);
      if (masterLink && masterLink !== hubspotId) {
        await ctx.deadLetters.park(
          [{ pair, side: 'hubspot', record: hsRecord, hubspotId, salesforceId: master, code: 'DUPLICATE_AFTER_MERGE', message: `Salesforce merged ${sfId} into ${master}, which is linked to HubSpot ${masterLink}; this HubSpot record is the same person: merge it into ${masterLink} in HubSpot`, fields: [] }],
          now,
        );
        await ctx.audit.add({ at: now, action: 'merge', records: [sfRecord, `salesforce:${object}:${master}`, hsRecord], message: `merged in Salesforce into ${master}; HubSpot ${hubspotId} left unlinked (${master} is linked to ${masterLink})` });
        continue;
      }
      await ctx.links.link(pair, [{ hubspotId, salesforce: { object, id: master } }]);
      await ctx.audit.add({ at: now, action: 'relink', records: [sfRecord, `salesforce:${object}:${master}`, hsRecord], message: `merged in Salesforce into ${master}; HubSpot ${hubspotId} now linked to it` });
      await signal(ctx.redis, queue, ctx.keys, pair, 'hubspot', [hubspotId], { windowMs }, now);
      continue;
    }
    const policy = mapping.delete.salesforce;
    if (policy === 'propagate') {
      await hsObjects.archive([hubspotId]);
      await ctx.links.unlinkSalesforce(pair, sfId);
      await ctx.ledger.remove(pair, hubspotId);
      await ctx.audit.add({ at: now, action: 'delete', records: [sfRecord, hsRecord], message: 'deleted in Salesforce; the linked HubSpot record was archived too (delete policy: propagate)' });
    } else if (policy === 'unlink') {
      await ctx.links.unlinkSalesforce(pair, sfId);
      await ctx.ledger.remove(pair, hubspotId);
      const prop = idProperty(mapping, object);
      if (prop) await hsObjects.update([{ id: hubspotId, properties: { [prop]: '' } }]);
      await ctx.audit.add({ at: now, action: 'unlink', records: [sfRecord, hsRecord], message: 'deleted in Salesforce; the HubSpot record stays, no longer linked (delete policy: unlink)' });
    } else {
      await ctx.audit.add({ at: now, action: 'delete', records: [sfRecord, hsRecord], message: 'deleted in Salesforce; the HubSpot record and the link stay (delete policy: ignore)' });
    }
  }
}
