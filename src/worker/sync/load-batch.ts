/**
 * Loads what planning one batch needs, in as few calls as the batch APIs allow: the HubSpot records
 * (100 per call, with property history for two-way fields), the Salesforce records and match
 * candidates (one query per object: by id, email and external id together), HubSpot records found
 * by email for unlinked Salesforce records, Accounts for routing new people, links and ledgers.
 */
import type { MappingSet } from '../../config/mapping/mapping-set.js';
import { fieldRefsOf } from '../../config/mapping/schema/condition.js';
import type { ObjectMappingFile } from '../../config/mapping/schema/object-mapping.js';
import { Lifecycle } from '../../core/lifecycle/definition.js';
import { lifecycleFields } from '../../core/lifecycle/person-view.js';
import { attributionTargets, SOURCE_DRILL_DOWN } from '../../core/opportunities/attribution.js';
import { attributedPeople, opportunitiesByPerson, type ContactRole, type OpportunityRecord } from '../../core/opportunities/people.js';
import { changesSeenUntil, listenerAlive } from '../../state/changes-seen.js';
import type { ClobberedEntry, Provenance } from '../../state/provenance-store.js';
import { LifecycleStore } from '../../state/lifecycle-store.js';
import { hubspotPropertiesOf, salesforceFieldsOf, type BatchInput, type LoadedSalesforceRecord } from '../../core/sync/batch-plan.js';
import { normaliseDomain, normaliseEmail, type SalesforceCandidate } from '../../core/sync/identity.js';
import { fieldsToRead, salesforceFieldOf, type HubSpotRecordView } from '../../core/sync/record-plan.js';
import type { Priority } from '../../providers/budget/api-budget.js';
import type { HubSpotObjects, HubSpotRecord } from '../../providers/hubspot/hubspot-objects.js';
import type { SalesforceRecord } from '../../providers/salesforce/salesforce-records.js';
import { inConditions, select, where, type Condition } from '../../providers/salesforce/soql.js';
import type { PairObject } from '../../state/link-store.js';
import type { SyncContext } from './sync-context.js';

export interface BatchRequest {
  pair: PairObject;
  hubspotIds: readonly string[];
  salesforceIds: readonly string[];
  priority: Priority;
  /** Only these HubSpot properties (a partial backfill). */
  only?: readonly string[];
  /** Records already read by the caller (a backfill page), so they are not read again; `readAt`: when they were read. */
  preloaded?: { hubspot?: readonly HubSpotRecord[]; salesforce?: readonly SalesforceRecord[]; readAt?: number };
  /** Where Salesforce records and candidates come from; live queries by default. */
  source?: SalesforceSource;
  /** Salesforce records of the batch have no HubSpot counterpart to look up (a backfill's leftovers). */
  noHubSpotLookup?: boolean;
  /** Also read what these mappings need (a preview plans the batch under both). */
  alsoRead?: MappingSet;
}

/** What a sync batch plans from, and what its writes report back. */
export interface LoadedBatch extends BatchInput {
  /** The batch's records are no older than this: the basis of its writes' provenance. */
  readAt: number;
  /** Overwritten changes the views hold again (settled once the pair's writes land) and moot ones (settled at once). */
  clobbered: { restored: ClobberedEntry[]; moot: ClobberedEntry[] };
}

/** Finds Salesforce records for a batch: by id, email or external id, and Accounts for routing. */
export interface SalesforceSource {
  /** A copy taken at this time (a backfill's staging), not the records as they are now. */
  stagedAt?: number;
  find(object: string, fields: string[], keys: { ids: string[]; emails: string[]; externalIds: string[]; externalIdField: string }, priority: Priority): Promise<SalesforceRecord[]>;
  /** Accounts whose domain (Website) or name is one of `values`, with `fields` read. */
  accounts(how: 'domain' | 'name', values: string[], fields: string[], priority: Priority): Promise<SalesforceCandidate[]>;
}

/** The live source: SOQL, one query per object for ids, emails and external ids together. */
export function liveSource(ctx: SyncContext): SalesforceSource {
  return {
    async find(object, fields, keys, priority) {
      const conditions = inConditions([
        { field: 'Id', values: keys.ids },
        { field: 'Email', values: keys.emails },
        { field: keys.externalIdField, values: keys.externalIds },
      ]);
      return queryChunked(ctx, object, fields, conditions, priority);
    },
    async accounts(how, values, fields, priority) {
      const out: SalesforceCandidate[] = [];
      for (let i = 0; i < values.length; i += 50) {
        const chunk = values.slice(i, i + 50);
        const condition = how === 'domain' ? where.or(...chunk.map((d) => where.like('Website', d))) : where.in('Name', chunk);
        for await (const page of ctx.salesforce.query(select([...new Set(['Id', 'Name', 'Website', 'CreatedDate', ...fields])], 'Account', { where: condition }), priority)) {
          for (const a of page) out.push(accountCandidate(a));
        }
      }
      return out;
    },
  };
}

const KEY_PREFIX_OBJECT: Readonly<Record<string, string>> = { '00Q': 'Lead', '003': 'Contact', '001': 'Account' };

export function objectOfId(id: string): string | undefined {
  return KEY_PREFIX_OBJECT[id.slice(0, 3)];
}

function mappingOf(ctx: SyncContext, pair: PairObject): ObjectMappingFile {
  return pair === 'contacts' ? ctx.mappings.contacts : ctx.mappings.companies;
}

export function accountCandidate(a: SalesforceRecord): SalesforceCandidate {
  const createdAt = typeof a.CreatedDate === 'string' ? Date.parse(a.CreatedDate.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) : undefined;
  return { object: 'Account', id: a.Id, domain: (a.Website as string | null) ?? null, name: (a.Name as string | null) ?? null, fields: a, ...(createdAt !== undefined && !Number.isNaN(createdAt) ? { createdAt } : {}) };
}

/** Account fields a Contact of this mapping reads through `Account.` (for people routed under an Account). */
export function accountFields(mapping: ObjectMappingFile): string[] {
  const out = new Set<string>();
  for (const f of mapping.fields) {
    const sf = typeof f.salesforce === 'string' ? f.salesforce : (f.salesforce as Readonly<Record<string, string | undefined>>).Contact;
    if (sf?.startsWith('Account.')) out.add(sf.slice('Account.'.length));
  }
  return [...out];
}

/** HubSpot properties a pair's sync reads (for contacts, the lifecycle's too). */
export function hubspotProperties(mapping: ObjectMappingFile, pair: PairObject, mappings?: MappingSet): string[] {
  const props = new Set<string>(pair === 'contacts' ? ['email', 'company', 'hs_email_domain'] : ['name', 'domain', 'website']);
  if (pair === 'contacts' && mappings) {
    for (const p of lifecycleFields(mappings).hubspot) props.add(p);
    for (const r of mappings.opportunities.rollups) props.add(r.hubspot);
    for (const f of mappings.opportunities.attribution.fields) props.add(f.hubspot);
    if (mappings.opportunities.attribution.fields.length > 0) props.add(SOURCE_DRILL_DOWN);
  }
  for (const object of mapping.pair.salesforce) for (const p of fieldsToRead(mapping, object).hubspot) props.add(p);
  for (const p of hubspotPropertiesOf(mapping.scope.hubspot)) props.add(p);
  if ('routing' in mapping && mapping.routing.match_property) props.add(mapping.routing.match_property);
  return [...props].sort();
}

/** Salesforce fields a pair's sync reads on `object` (for people, the lifecycle's too). */
export function salesforceFields(mapping: ObjectMappingFile, object: string, mappings?: MappingSet): string[] {
  const fields = new Set<string>(fieldsToRead(mapping, object).salesforce);
  if (mappings && (object === 'Lead' || object === 'Contact')) {
    for (const f of lifecycleFields(mappings).salesforce[object] ?? []) fields.add(f);
    for (const f of attributionTargets(mappings.opportunities.attribution.fields, object)) fields.add(f);
  }
  for (const f of ['Id', 'CreatedDate', 'LastModifiedDate', 'LastModifiedById', ...salesforceFieldsOf(mapping.scope.salesforce, object)]) fields.add(f);
  if (object === 'Lead') for (const f of ['Email', 'IsConverted', 'ConvertedContactId', 'ConvertedAccountId']) fields.add(f);
  if (object === 'Contact') for (const f of ['Email', 'AccountId']) fields.add(f);
  if (object === 'Account') for (const f of ['Name', 'Website']) fields.add(f);
  return [...fields].sort();
}

/**
 * A value revloop carried into HubSpot has no HubSpot change time of its own: its history entry is
 * dated when revloop wrote it, not when the value changed in Salesforce (earlier). Counted as a change
 * time, it would beat a Salesforce edit made between the two and undo it once the ledger is gone (a
 * job killed before storing it, Redis's last second lost). Such a property gets no time (-Infinity):
 * any real change on the other side is newer.
 */
function toHubSpotView(r: HubSpotRecord, own: ReadonlySet<string>): HubSpotRecordView {
  let changedAt = r.propertyChangedAt;
  if (own.size > 0) {
    for (const [name, source] of Object.entries(r.propertySource)) {
      if (source.id === undefined || !own.has(source.id) || (source.type !== 'INTEGRATION' && source.type !== 'API')) continue;
      if (changedAt === r.propertyChangedAt) changedAt = { ...changedAt };
      changedAt[name] = Number.NEGATIVE_INFINITY;
    }
  }
  return { id: r.id, properties: r.properties, propertyChangedAt: changedAt, modifiedAt: r.updatedAt };
}

/** LastModifiedDate is the time of every field without a per-field time (see salesforceChangeTimes). */
function toSalesforceView(object: string, r: SalesforceRecord, fieldChangedAt: Record<string, number> = {}): LoadedSalesforceRecord {
  const modified = typeof r.LastModifiedDate === 'string' ? Date.parse(r.LastModifiedDate.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) : undefined;
  const created = typeof r.CreatedDate === 'string' ? Date.parse(r.CreatedDate.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) : undefined;
  return {
    object,
    id: r.Id,
    fields: r,
    fieldChangedAt,
    modifiedAt: modified,
    ...(created !== undefined ? { createdAt: created } : {}),
    ...(object === 'Lead' ? { converted: r.IsConverted === true, convertedContactId: (r.ConvertedContactId as string | null) ?? null } : {}),
  };
}

/** How long a batch waits for the change listener to handle revloop's latest write to its records. */
const LISTENER_WAIT_MS = 3_000;

/** The listener's mark once it reaches `at`, or the last one seen when it does not within LISTENER_WAIT_MS. */
async function waitForListener(ctx: SyncContext, at: number, seen: number): Promise<number> {
  const deadline = Date.now() + LISTENER_WAIT_MS;
  let latest = seen;
  while (latest < at && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    latest = (await changesSeenUntil(ctx.redis, ctx.keys)) ?? latest;
  }
  return latest;
}

/** Same user, whatever the id's length (15 or 18 characters). */
function sameUser(a: unknown, b: string | undefined): boolean {
  return typeof a === 'string' && b !== undefined && a.slice(0, 15) === b.slice(0, 15);
}

/**
 * Per-field change times of the loaded Salesforce records, from the field provenance the change
 * listener keeps, used only where it describes the value the field holds now:
 * - a person's or another integration's change: its commit time, more precise than LastModifiedDate;
 * - revloop's own write: the value came from HubSpot and has no time of its own (-Infinity), as a
 *   value revloop carried into HubSpot has none there.
 * A record revloop modified last has a LastModifiedDate that says nothing about its other fields.
 * When the listener has handled every change up to that write, a field without provenance was not
 * changed by anyone since revloop began listening: it has no recent time either. Otherwise (the
 * listener behind or not running, or provenance naming another value: a change not read yet),
 * LastModifiedDate stays the time, so a Salesforce edit made just before revloop's write still wins.
 */
async function salesforceChangeTimes(ctx: SyncContext, salesforce: Map<string, LoadedSalesforceRecord>, provenance?: Map<string, Record<string, Provenance>>): Promise<void> {
  if (salesforce.size === 0) return;
  let seenUntil = await changesSeenUntil(ctx.redis, ctx.keys);
  const ownUser = seenUntil === undefined ? undefined : await ctx.salesforceApi.userId();
  const ids = [...salesforce.keys()];
  let times = provenance ?? (await ctx.provenance.current('salesforce', ids));
  const ownLast = (r: LoadedSalesforceRecord) => r.modifiedAt !== undefined && sameUser(r.fields.LastModifiedById, ownUser);
  // revloop's own write, made a moment ago by another job, that the listener has not handled yet: until
  // it has, every field of the record looks changed at that write, and a person's change to another field
  // made just before it is not known either. The listener, which normally handles a change within a
  // second, is waited for briefly. One that does not catch up leaves LastModifiedDate as the time, unless
  // revloop's provenance explains that write (below): then the fields without provenance have no time.
  // For such an explained write the batch waits only for a listener at work; one that is away (its worker
  // restarting) would not catch up within the wait, and every batch would pay it.
  let latestOwn = Number.NEGATIVE_INFINITY;
  let latestExplained = Number.NEGATIVE_INFINITY;
  for (const [id, r] of salesforce) {
    if (!ownLast(r)) continue;
    if (explainedBy(times.get(id), r.modifiedAt as number)) latestExplained = Math.max(latestExplained, r.modifiedAt as number);
    else latestOwn = Math.max(latestOwn, r.modifiedAt as number);
  }
  if (seenUntil !== undefined && latestExplained > seenUntil && latestExplained > latestOwn && (await listenerAlive(ctx.redis, ctx.keys))) latestOwn = latestExplained;
  if (seenUntil !== undefined && latestOwn > seenUntil) {
    seenUntil = await waitForListener(ctx, latestOwn, seenUntil);
    times = await ctx.provenance.current('salesforce', ids);
  }
  for (const [id, record] of salesforce) {
    const known = times.get(id) ?? {};
    const quiet = seenUntil !== undefined && ownLast(record) && ((record.modifiedAt as number) <= seenUntil || explainedBy(known, record.modifiedAt as number));
    const fieldChangedAt: Record<string, number> = {};
    for (const [field, entry] of Object.entries(known)) {
      if (sameValue(record.fields[field], entry.value)) fieldChangedAt[field] = entry.actor === 'revloop' ? Number.NEGATIVE_INFINITY : entry.at;
      else if (quiet && record.modifiedAt !== undefined) fieldChangedAt[field] = record.modifiedAt;
    }
    if (quiet) salesforce.set(id, { ...record, fieldChangedAt, modifiedAt: Number.NEGATIVE_INFINITY });
    else if (Object.keys(fieldChangedAt).length > 0) salesforce.set(id, { ...record, fieldChangedAt });
  }
}

/** How long a pending write's entry may explain a LastModifiedDate after it (a job cut off leaves its entry pending). */
const PENDING_EXPLAINS_MS = 60_000;

/**
 * Whether a write revloop recorded is the modification at `modifiedAt` (a record revloop's user modified
 * last): a pending entry (recorded just before the write) from shortly before it, or a done entry planned
 * before it and recorded after it. Such a LastModifiedDate is revloop's own write, not any field's change
 * time, even before the listener has handled it. A person's change to another field just before that
 * write is the one thing this cannot see until the listener reads it: the batch waits for the listener
 * first, and only one that stays away longer than that leaves this to decide alone.
 */
function explainedBy(known: Readonly<Record<string, Provenance>> | undefined, modifiedAt: number): boolean {
  if (!known) return false;
  return Object.values(known).some(
    (e) => e.actor === 'revloop' && e.basis !== undefined && e.basis <= modifiedAt && (e.pending ? e.at <= modifiedAt && modifiedAt - e.at <= PENDING_EXPLAINS_MS : e.at >= modifiedAt),
  );
}

/** Whether a field's value now is the one recorded (recorded values longer than 200 characters are clipped with …). */
function sameValue(now: unknown, recorded: string | null): boolean {
  const value = now === null || now === undefined || now === '' ? null : String(now);
  const wanted = recorded === '' ? null : recorded;
  return value === wanted || (wanted !== null && value !== null && wanted.endsWith('…') && value.startsWith(wanted.slice(0, -1)));
}

/** A recorded (string) value in the type the field holds now. */
function typedLike(now: unknown, recorded: string | null): string | number | boolean | null {
  if (recorded === null) return null;
  if (typeof now === 'number' && recorded.trim() !== '' && Number.isFinite(Number(recorded))) return Number(recorded);
  if (typeof now === 'boolean' && (recorded === 'true' || recorded === 'false')) return recorded === 'true';
  return recorded;
}

/**
 * Puts back changes that revloop's own writes overwrote unseen (see ProvenanceStore): where a field
 * still holds the value revloop wrote over the change, the view holds the change again, with its
 * time, and is marked restored (the plan decides it as contested and writes it back). Where the field
 * holds anything else, someone changed it since: the overwritten change is moot.
 *
 * A value that another of revloop's writes carried is put back only into a field the mappings carry
 * (`mapped`), where the plan decides it against the other side by time. revloop's other writes (the
 * lifecycle's stage and dates, roll-ups, link ids) are worked out again by every sync from both sides
 * as they are; an older one of them put back would only undo a newer one.
 */
async function restoreClobbered(ctx: SyncContext, hubspot: Map<string, HubSpotRecordView>, salesforce: Map<string, LoadedSalesforceRecord>, mapped: (side: 'hubspot' | 'salesforce', field: string, object?: string) => boolean): Promise<LoadedBatch['clobbered']> {
  const out: LoadedBatch['clobbered'] = { restored: [], moot: [] };
  const [onHubSpot, onSalesforce] = await Promise.all([ctx.provenance.clobbered('hubspot', [...hubspot.keys()]), ctx.provenance.clobbered('salesforce', [...salesforce.keys()])]);
  const restorable = (entries: readonly ClobberedEntry[], object?: string): ClobberedEntry[] =>
    entries.filter((e) => {
      const keep = e.clobbered.actor !== 'revloop' || mapped(e.side, e.field, object);
      if (!keep) out.moot.push(e);
      return keep;
    });
  for (const [id, entries] of onHubSpot) {
    const view = hubspot.get(id);
    const back = view && putBack(restorable(entries), view.properties, view.propertyChangedAt, view.restored, (_now, recorded) => recorded, out);
    if (view && back) hubspot.set(id, { ...view, properties: back.values as HubSpotRecordView['properties'], propertyChangedAt: back.changedAt, restored: back.restored });
  }
  for (const [id, entries] of onSalesforce) {
    const record = salesforce.get(id);
    const back = record && putBack(restorable(entries, record.object), record.fields, record.fieldChangedAt, record.restored, typedLike, out);
    if (record && back) salesforce.set(id, { ...record, fields: back.values, fieldChangedAt: back.changedAt, restored: back.restored });
  }
  return out;
}

/** Whether a field is one the mappings carry between the sides (any rule but dont-sync). */
function carriedBy(mappings: ReadonlyArray<ObjectMappingFile | undefined>): (side: 'hubspot' | 'salesforce', field: string, object?: string) => boolean {
  return (side, field, object) =>
    mappings.some((m) => m?.fields.some((f) => f.rule !== 'dont-sync' && (side === 'hubspot' ? f.hubspot === field : object !== undefined && salesforceFieldOf(f, object) === field)) === true);
}

/**
 * One record's overwritten changes put back into copies of its values and change times (`typed` gives
 * a recorded value the field's type); undefined when none still holds the value revloop wrote over it.
 */
function putBack(
  entries: readonly ClobberedEntry[],
  values: Readonly<Record<string, unknown>>,
  times: Readonly<Record<string, number>>,
  before: ReadonlySet<string> | undefined,
  typed: (now: unknown, recorded: string | null) => unknown,
  out: LoadedBatch['clobbered'],
): { values: Record<string, unknown>; changedAt: Record<string, number>; restored: Set<string> } | undefined {
  const copy: Record<string, unknown> = { ...values };
  const changedAt: Record<string, number> = { ...times };
  const restored = new Set(before ?? []);
  for (const e of entries) {
    if (!sameValue(copy[e.field], e.clobbered.over)) {
      out.moot.push(e);
      continue;
    }
    copy[e.field] = typed(copy[e.field], e.clobbered.value);
    changedAt[e.field] = e.clobbered.at;
    restored.add(e.field);
    out.restored.push(e);
  }
  return restored.size > 0 ? { values: copy, changedAt, restored } : undefined;
}

function twoWayProperties(mapping: ObjectMappingFile): string[] {
  return mapping.fields.filter((f) => f.rule === 'two-way').map((f) => f.hubspot);
}

async function readHubSpot(ctx: SyncContext, objects: HubSpotObjects, ids: readonly string[], props: string[], history: string[], priority: Priority, into: Map<string, HubSpotRecordView>): Promise<void> {
  const missing = [...new Set(ids)].filter((id) => !into.has(id));
  if (missing.length === 0) return;
  const read = await objects.read(missing, props, { withHistory: history, priority });
  for (const [id, r] of read) into.set(id, toHubSpotView(r, ctx.ownHubSpotSources));
}

export async function loadBatch(ctx: SyncContext, request: BatchRequest): Promise<LoadedBatch> {
  const { pair, priority } = request;
  const mapping = mappingOf(ctx, pair);
  const objects = mapping.pair.salesforce as readonly string[];
  const hsObjects = pair === 'contacts' ? ctx.contacts : ctx.companies;
  const also = request.alsoRead;
  const alsoMapping = also ? (pair === 'contacts' ? also.contacts : also.companies) : undefined;
  const union = (a: string[], b: string[] | undefined) => (b ? [...new Set([...a, ...b])] : a);
  const props = union(hubspotProperties(mapping, pair, ctx.mappings), alsoMapping && hubspotProperties(alsoMapping, pair, also));
  const history = union(twoWayProperties(mapping), alsoMapping && twoWayProperties(alsoMapping));
  const sfFields = (object: string) => union(salesforceFields(mapping, object, ctx.mappings), alsoMapping && salesforceFields(alsoMapping, object, also));
  const ext = mapping.identity.salesforce_external_id;

  // The records of this batch are no older than this: when the loading began, or the caller read them.
  const asOf = Math.min(ctx.now(), request.preloaded?.readAt ?? Number.POSITIVE_INFINITY, request.source?.stagedAt ?? Number.POSITIVE_INFINITY);
  const hubspot = new Map<string, HubSpotRecordView>();
  for (const r of request.preloaded?.hubspot ?? []) hubspot.set(r.id, toHubSpotView(r, ctx.ownHubSpotSources));
  const links = await ctx.links.byHubSpot(pair, request.hubspotIds);
  const reverseLinks = await ctx.links.bySalesforce(pair, request.salesforceIds);
  // One read for the batch's HubSpot records and the counterparts of its linked Salesforce records.
  await readHubSpot(ctx, hsObjects, [...request.hubspotIds, ...reverseLinks.values()], props, history, priority, hubspot);

  // Salesforce ids to read, per object: the batch's own, the linked ones, and those named on HubSpot records.
  const idsByObject = new Map<string, Set<string>>(objects.map((o) => [o, new Set<string>()]));
  const addId = (id: string | null | undefined, object?: string) => {
    if (!id) return;
    const o = object ?? objectOfId(id);
    if (o) idsByObject.get(o)?.add(id);
  };
  for (const id of request.salesforceIds) addId(id);
  for (const ref of links.values()) addId(ref.id, ref.object);
  const idProps = mapping.identity.hubspot_properties as Readonly<Record<string, string | undefined>>;
  const unlinkedEmails: string[] = [];
  const unlinkedHubSpot: string[] = [];
  for (const id of request.hubspotIds) {
    const r = hubspot.get(id);
    if (!r) continue;
    let named = links.has(id);
    for (const object of objects) {
      const prop = idProps[object];
      const value = prop ? r.properties[prop] : undefined;
      if (value) {
        addId(value, object);
        named = true;
      }
    }
    if (!named) {
      unlinkedHubSpot.push(id);
      const email = normaliseEmail(r.properties.email);
      if (email) unlinkedEmails.push(email);
    }
  }

  const salesforce = new Map<string, LoadedSalesforceRecord>();
  for (const r of request.preloaded?.salesforce ?? []) {
    const object = objectOfId(r.Id);
    if (object) salesforce.set(r.Id, toSalesforceView(object, r));
  }
  const source = request.source ?? liveSource(ctx);
  for (const object of objects) {
    const ids = [...(idsByObject.get(object) ?? [])].filter((id) => !salesforce.has(id));
    const keys = {
      ids,
      emails: pair === 'contacts' ? unlinkedEmails : [],
      // Always: a record carrying revloop's own id for one of them is its record (see matchHubSpotRecord).
      externalIds: unlinkedHubSpot,
      externalIdField: ext,
    };
    for (const r of await source.find(object, sfFields(object), keys, priority)) salesforce.set(r.Id, toSalesforceView(object, r));
  }
  // Converted Leads: load the Contacts they became.
  const converted = [...salesforce.values()].filter((r) => r.converted && r.convertedContactId && !salesforce.has(r.convertedContactId)).map((r) => r.convertedContactId as string);
  if (converted.length > 0 && objects.includes('Contact')) {
    const found = await source.find('Contact', sfFields('Contact'), { ids: converted, emails: [], externalIds: [], externalIdField: ext }, priority);
    for (const r of found) salesforce.set(r.Id, toSalesforceView('Contact', r));
  }

  // HubSpot records for Salesforce records of the batch: by link / external id, else by email.
  const hubspotByEmail = new Map<string, HubSpotRecordView>();
  const hsToRead: string[] = [];
  const emailsToRead: string[] = [];
  if (request.noHubSpotLookup) {
    // Looked up nonetheless: the records linked since this batch began (live sync created their
    // HubSpot counterparts meanwhile), so their staged values are planned against those, not upserted over them.
    for (const [id, hubspotId] of await ctx.links.bySalesforce(pair, request.salesforceIds)) {
      if (reverseLinks.has(id)) continue;
      reverseLinks.set(id, hubspotId);
      hsToRead.push(hubspotId);
    }
  }
  for (const id of request.noHubSpotLookup ? [] : request.salesforceIds) {
    const r = salesforce.get(id);
    if (!r) continue;
    const linked = reverseLinks.get(id) ?? (r.fields[ext] as string | null | undefined) ?? undefined;
    if (linked) hsToRead.push(linked);
    else if (pair === 'contacts') {
      const email = normaliseEmail(r.fields.Email as string | null | undefined);
      if (email) emailsToRead.push(email);
    }
  }
  await readHubSpot(ctx, hsObjects, hsToRead, props, history, priority, hubspot);
  if (emailsToRead.length > 0) {
    const found = await hsObjects.read(emailsToRead, props, { withHistory: history, idProperty: 'email', priority });
    for (const [email, r] of found) {
      hubspotByEmail.set(email, toHubSpotView(r, ctx.ownHubSpotSources));
      hubspot.set(r.id, toHubSpotView(r, ctx.ownHubSpotSources));
    }
  }

  const accounts = pair === 'contacts' && 'routing' in mapping ? await loadRoutingAccounts(source, mapping, unlinkedHubSpot.map((id) => hubspot.get(id)).filter((r): r is HubSpotRecordView => r !== undefined), priority, alsoMapping) : [];
  const ledgerIds = [...new Set([...request.hubspotIds, ...hsToRead, ...reverseLinks.values(), ...[...hubspotByEmail.values()].map((r) => r.id)])];
  const { ledgers, storedAt } = await ctx.ledger.read(pair, ledgerIds);
  // Another job may have written a pair and stored its ledger after this batch read the records (a
  // backfill's page or staging is seconds to minutes old): against that ledger an older value looks
  // changed and would be written back over the newer one. Those pairs are read again, now, after
  // their ledger, so every difference from it is a real change.
  // Salesforce records read again, live, now (each at most once).
  const readNow = new Set<string>();
  const readAgain = async (refs: ReadonlyArray<{ object: string; id: string }>) => {
    for (const object of objects) {
      const ids = refs.filter((ref) => ref.object === object && !readNow.has(ref.id)).map((ref) => ref.id);
      if (ids.length === 0) continue;
      for (const id of ids) readNow.add(id);
      for (const r of await liveSource(ctx).find(object, sfFields(object), { ids, emails: [], externalIds: [], externalIdField: ext }, priority)) salesforce.set(r.Id, toSalesforceView(object, r));
    }
  };
  const stale = ledgerIds.filter((id) => (storedAt.get(id) ?? Number.NEGATIVE_INFINITY) > asOf);
  if (stale.length > 0) {
    const read = await hsObjects.read(stale, props, { withHistory: history, priority });
    for (const [id, r] of read) {
      const view = toHubSpotView(r, ctx.ownHubSpotSources);
      hubspot.set(id, view);
      for (const [email, byEmail] of hubspotByEmail) if (byEmail.id === id) hubspotByEmail.set(email, view);
    }
    const staleLinks = await ctx.links.byHubSpot(pair, stale);
    for (const [hubspotId, ref] of staleLinks) {
      links.set(hubspotId, ref);
      reverseLinks.set(ref.id, hubspotId);
    }
    await readAgain([...staleLinks.values()]);
  }
  // A Salesforce record with a change recorded after it was read (a backfill's staging is minutes old;
  // the listener recorded a rep's edit since) is read again, now: planned from the old copy, its older
  // value would pass for the other side's change, and nothing would sync the person again to undo it.
  const provenance = await ctx.provenance.current('salesforce', [...salesforce.keys()]);
  await readAgain([...salesforce.values()].filter((r) => Object.values(provenance.get(r.id) ?? {}).some((e) => e.at > asOf)));
  await salesforceChangeTimes(ctx, salesforce, provenance);
  const clobbered = await restoreClobbered(ctx, hubspot, salesforce, carriedBy([mapping, alsoMapping]));
  for (const [email, view] of hubspotByEmail) hubspotByEmail.set(email, hubspot.get(view.id) ?? view);
  const usesOwners = (m: ObjectMappingFile | undefined) => m?.fields.some((f) => f.transform.some((t) => t.kind === 'owner')) === true;
  const owners = usesOwners(mapping) || usesOwners(alsoMapping) ? await ctx.owners() : undefined;
  const lifecycle = pair === 'contacts' ? await loadLifecycle(ctx, [...hubspot.keys()], [...salesforce.values()], priority, also) : undefined;
  return {
    ...(lifecycle ? { lifecycle } : {}),
    pair,
    mapping,
    hubspot,
    salesforce,
    hubspotByEmail,
    links,
    reverseLinks,
    hubspotIds: request.hubspotIds,
    salesforceIds: request.salesforceIds,
    accounts,
    ledgers,
    ...(owners ? { owners } : {}),
    ...(request.only ? { only: new Set(request.only) } : {}),
    now: ctx.now(),
    readAt: asOf,
    clobbered,
  };
}

/** The lifecycle's inputs for the people of a batch: their stored states and their opportunities. */
async function loadLifecycle(ctx: SyncContext, hubspotIds: string[], people: LoadedSalesforceRecord[], priority: Priority, also?: MappingSet): Promise<BatchInput['lifecycle']> {
  const definition = new Lifecycle(ctx.mappings.lifecycle);
  const states = await new LifecycleStore(ctx.redis, ctx.keys).get(hubspotIds);
  const contacts = people.filter((p) => p.object === 'Contact' && !p.deleted);
  const loaded = contacts.length > 0 ? await loadOpportunities(ctx, contacts, priority, also) : { byPerson: new Map<string, OpportunityRecord[]>(), attributedTo: new Map<string, string>() };
  const o = ctx.mappings.opportunities;
  return {
    definition,
    states,
    opportunities: loaded.byPerson,
    attributedTo: loaded.attributedTo,
    attribution: o.attribution.fields,
    rollups: { definitions: o.rollups, lossReasonField: o.salesforce.loss_reason_field, daysFrom: o.days_to_won_from },
  };
}

/** Opportunities of these Contacts: through their contact roles, and their accounts' role-less ones per the fallback. */
export async function loadOpportunities(ctx: SyncContext, contacts: ReadonlyArray<{ id: string; fields: Readonly<Record<string, unknown>> }>, priority: Priority, also?: MappingSet): Promise<{ byPerson: Map<string, OpportunityRecord[]>; attributedTo: Map<string, string> }> {
  const fields = [...new Set([...opportunityFields(ctx.mappings), ...(also ? opportunityFields(also) : [])])];
  const contactIds = contacts.map((c) => c.id);
  const accountIds = [...new Set(contacts.map((c) => c.fields.AccountId).filter((a): a is string => typeof a === 'string'))];
  const roles: ContactRole[] = [];
  const opportunities = new Map<string, OpportunityRecord>();
  const roleRows = await ctx.salesforce.findIn('OpportunityContactRole', ['Id', 'ContactId', 'OpportunityId', 'IsPrimary', 'Role', ...fields.map((f) => `Opportunity.${f}`)], 'ContactId', contactIds, undefined, priority);
  for (const r of roleRows) {
    roles.push({ opportunityId: String(r.OpportunityId), contactId: String(r.ContactId), isPrimary: r.IsPrimary === true, role: (r.Role as string | null) ?? null });
    const o = r.Opportunity as Record<string, unknown> | null;
    if (o && typeof o.Id === 'string') opportunities.set(o.Id, o as OpportunityRecord);
  }
  const fallback = ctx.mappings.opportunities.people.fallback;
  const accountContacts = new Map<string, string[]>();
  if (fallback !== 'none' && accountIds.length > 0) {
    const accountOpps = await ctx.salesforce.findIn('Opportunity', fields, 'AccountId', accountIds, undefined, priority, [{ relationship: 'OpportunityContactRoles', fields: ['Id'] }]);
    const roleless = accountOpps.filter((o) => !((o.OpportunityContactRoles as { totalSize?: number } | null)?.totalSize));
    for (const o of roleless) opportunities.set(o.Id, o as OpportunityRecord);
    if (roleless.length > 0) {
      const members = await ctx.salesforce.findIn('Contact', ['Id', 'AccountId', 'CreatedDate'], 'AccountId', [...new Set(roleless.map((o) => o.AccountId as string))], undefined, priority);
      members.sort((a, b) => String(a.CreatedDate).localeCompare(String(b.CreatedDate)) || a.Id.localeCompare(b.Id));
      for (const m of members) accountContacts.set(String(m.AccountId), [...(accountContacts.get(String(m.AccountId)) ?? []), m.Id]);
    }
  }
  return { byPerson: opportunitiesByPerson(opportunities.values(), roles, accountContacts, fallback), attributedTo: attributedPeople(opportunities.values(), roles, accountContacts, fallback) };
}

/** Opportunity fields the lifecycle's criteria and the outcome roll-ups read. */
export function opportunityFields(mappings: MappingSet): string[] {
  const fields = new Set(['Id', 'AccountId', 'IsClosed', 'IsWon', 'StageName', 'Amount', 'CloseDate', 'Type', 'CreatedDate']);
  if (mappings.opportunities.salesforce.loss_reason_field) fields.add(mappings.opportunities.salesforce.loss_reason_field);
  for (const f of attributionTargets(mappings.opportunities.attribution.fields, 'Opportunity')) fields.add(f);
  for (const s of [...mappings.lifecycle.stages, ...mappings.lifecycle.detours]) {
    if (!s.entry) continue;
    for (const { ref, relation } of fieldRefsOf(s.entry)) if (relation === 'opportunities') fields.add(ref.name);
  }
  return [...fields];
}

/** Runs one query per condition (each kept short by inConditions); a record matched twice is returned once. */
async function queryChunked(ctx: SyncContext, object: string, fields: string[], conditions: Condition[], priority: Priority): Promise<SalesforceRecord[]> {
  const records = new Map<string, SalesforceRecord>();
  for (const condition of conditions) {
    for await (const page of ctx.salesforce.query(select(fields, object, { where: condition }), priority)) for (const r of page) records.set(r.Id, r);
  }
  return [...records.values()];
}


async function loadRoutingAccounts(source: SalesforceSource, mapping: ObjectMappingFile, people: HubSpotRecordView[], priority: Priority, also?: ObjectMappingFile): Promise<SalesforceCandidate[]> {
  if (!('routing' in mapping) || mapping.routing.contact_when_account_matches === 'never' || people.length === 0) return [];
  const how = mapping.routing.contact_when_account_matches;
  const prop = mapping.routing.match_property;
  const values = new Set<string>();
  for (const p of people) {
    const raw = prop ? p.properties[prop] : undefined;
    const value = how === 'domain' ? normaliseDomain(raw ?? p.properties.email) : (raw ?? p.properties.company)?.trim();
    if (value) values.add(value);
  }
  return values.size === 0 ? [] : source.accounts(how, [...values], [...new Set([...accountFields(mapping), ...(also ? accountFields(also) : [])])], priority);
}
