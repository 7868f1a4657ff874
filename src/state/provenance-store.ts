/**
 * Field provenance: for every synced field of a record, who last wrote it (a person or a workflow in
 * HubSpot, a person or an integration in Salesforce, revloop carrying the other side's value), when,
 * and the value before. Kept per record and side, latest entry per field, for the record timeline.
 *
 * It also catches the one race neither vendor's API can prevent: revloop reads a record, a person
 * edits it, and revloop's write (planned from the read) lands over the edit. Neither API offers a
 * conditional update for batches. revloop's entries carry `basis`, when the values they were planned
 * from were read; a change by anyone else committed after that basis but before revloop's entry was
 * overwritten unseen. Whichever of the two entries arrives second sees it, and the edit is kept as
 * "clobbered" until a sync puts it back (see the sync's load). Another revloop job's write counts as
 * such a change: two jobs on one person (live sync and a backfill unit) each plan without the other's
 * write, and the one planned from older values may land last.
 */
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { scanByPrefix, type Keyspace } from '../platform/redis.js';
import { readHashes, readHashFields, setHashes } from './hash-batch.js';

const MAX_VALUE = 200;

export const provenanceSchema = z.object({
  value: z.string().nullable(),
  previous: z.string().nullable(),
  at: z.number(),
  /** person | workflow | integration | revloop | form | import | system */
  actor: z.string(),
  /** The vendor's own name for the writer (changeSource, changeOrigin, user id). */
  source: z.string(),
  /** revloop's writes: when the values the write was planned from were read. */
  basis: z.number().optional(),
  /** revloop's write about to be sent (recorded before it, so a job cut off after it still leaves its basis). */
  pending: z.boolean().optional(),
});

export type Provenance = z.infer<typeof provenanceSchema>;

/**
 * How an entry is stored: a JSON array `[value, previous, at, actor, source, basis?, pending?]`, about
 * half the object form's size (these entries are the largest part of what a sync sends to Redis and
 * keeps per person).
 *
 * revloop's own writes, the most of them, are shorter still: `[value, previous, at, 1 | 2, ref, age?,
 * pending?]`. 1 means carried from HubSpot and 2 from Salesforce, with `ref` the rest of the source
 * (`contacts:501` for `revloop:from-hubspot:contacts:501`), and `age` the basis as milliseconds before
 * `at`. A revloop source of another shape is stored in full.
 *
 * Entries stored by earlier versions are read as they are: objects, and arrays with the actor and
 * source in full and the basis as a time.
 */
export function encodeProvenance(e: Provenance): string {
  return encodeEntry(e.value, e.previous, e.at, writerOf(e.actor, e.source), e.basis, e.pending);
}

const FROM_HUBSPOT = 'revloop:from-hubspot:';
const FROM_SALESFORCE = 'revloop:from-salesforce:';

/** The stored actor and source of an entry (`text`), and whether its basis is stored as an age. */
interface Writer {
  text: string;
  age: boolean;
}

function writerOf(actor: string, source: string): Writer {
  if (actor === 'revloop') {
    if (source.startsWith(FROM_HUBSPOT)) return { text: `1,${JSON.stringify(source.slice(FROM_HUBSPOT.length))}`, age: true };
    if (source.startsWith(FROM_SALESFORCE)) return { text: `2,${JSON.stringify(source.slice(FROM_SALESFORCE.length))}`, age: true };
  }
  return { text: `${JSON.stringify(actor)},${JSON.stringify(source)}`, age: false };
}

/** The stored form from its parts, the writer already worked out (a batch's entries share it). */
function encodeEntry(value: string | null, previous: string | null, at: number, writer: Writer, basis: number | undefined, pending: boolean | undefined): string {
  const head = `[${value === null ? 'null' : JSON.stringify(value)},${previous === null ? 'null' : JSON.stringify(previous)},${JSON.stringify(at)},${writer.text}`;
  const stored = basis === undefined ? 'null' : JSON.stringify(writer.age ? at - basis : basis);
  if (pending) return `${head},${stored},1]`;
  return basis === undefined ? `${head}]` : `${head},${stored}]`;
}

const isText = (v: unknown): v is string | null => v === null || typeof v === 'string';

/** A stored entry, in either form; undefined when it is neither (a damaged entry is skipped, not trusted). */
export function decodeProvenance(raw: string): Provenance | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed)) {
    const legacy = provenanceSchema.safeParse(parsed);
    return legacy.success ? legacy.data : undefined;
  }
  const [value, previous, at, actor, source, basis, pending] = parsed as unknown[];
  if (!isText(value) || !isText(previous) || typeof at !== 'number' || typeof source !== 'string') return undefined;
  if (basis !== undefined && basis !== null && typeof basis !== 'number') return undefined;
  let entry: Provenance;
  if (actor === 1 || actor === 2) {
    entry = { value, previous, at, actor: 'revloop', source: `${actor === 1 ? FROM_HUBSPOT : FROM_SALESFORCE}${source}` };
    if (typeof basis === 'number') entry.basis = at - basis;
  } else if (typeof actor === 'string') {
    entry = { value, previous, at, actor, source };
    if (typeof basis === 'number') entry.basis = basis;
  } else return undefined;
  if (pending === 1) entry.pending = true;
  return entry;
}

/** A change by a person or another writer that revloop's write, planned before it, overwrote. */
export const clobberedSchema = z.object({
  /** The overwritten value and its change. */
  value: z.string().nullable(),
  at: z.number(),
  actor: z.string(),
  source: z.string(),
  /** The value revloop wrote over it. */
  over: z.string().nullable(),
});

export type Clobbered = z.infer<typeof clobberedSchema>;

export interface ProvenanceWrite {
  id: string;
  field: string;
  value: string | null;
  at: number;
  actor: string;
  source: string;
  /** For revloop's writes: when the values it was planned from were read. */
  basis?: number;
  /** A write about to be sent; its entry is replaced once the write is done. */
  pending?: boolean;
}

/** A clobbered change as found: which record and field, and the raw entry (to settle it exactly). */
export interface ClobberedEntry {
  side: ProvenanceSide;
  id: string;
  field: string;
  clobbered: Clobbered;
  raw: string;
}

/** How long a clobbered change waits for its sync at most; a signal follows it at once. */
const CLOBBERED_TTL_S = 30 * 86_400;

/**
 * Deletes hash fields (KEYS[1]) whose value is still the one given (a newer entry stays); a record
 * left with none leaves the index (KEYS[2], member ARGV[1]).
 */
const SETTLE_SCRIPT = `
local n = 0
for i = 2, #ARGV, 2 do
  if redis.call('HGET', KEYS[1], ARGV[i]) == ARGV[i + 1] then n = n + redis.call('HDEL', KEYS[1], ARGV[i]) end
end
if redis.call('HLEN', KEYS[1]) == 0 then redis.call('ZREM', KEYS[2], ARGV[1]) end
return n`;

/**
 * Whether `write` (revloop's write planned at its basis) overwrote `change`, a change by someone else
 * or by another of revloop's jobs, committed after the write's values were read and before the
 * write's entry, with another value.
 */
function overwrote(write: { value: string | null; at: number; basis?: number | undefined }, change: { value: string | null; at: number }): boolean {
  return write.basis !== undefined && change.at > write.basis && change.at <= write.at && change.value !== write.value;
}

/**
 * When an overwritten value changed. A person's or another writer's change: when it was made. One of
 * revloop's own writes (two jobs on one person, each planned without seeing the other's write): the
 * value it carried was read at its basis, so it is no newer than that, and a change made on either
 * side after that read still wins over it once it is put back.
 */
function changeTime(e: { actor: string; at: number; basis?: number | undefined }): number {
  return e.actor === 'revloop' && e.basis !== undefined ? e.basis : e.at;
}

export type ProvenanceSide = 'hubspot' | 'salesforce';

function clip(v: string | null | undefined): string | null {
  if (v === null || v === undefined) return null;
  return v.length > MAX_VALUE ? `${v.slice(0, MAX_VALUE - 1)}…` : v;
}

export class ProvenanceStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keyspace,
  ) {}

  private key(side: ProvenanceSide, id: string): string {
    return this.keys.key('provenance', side, id);
  }

  private clobberedKey(side: ProvenanceSide, id: string): string {
    return this.keys.key('clobbered', side, id);
  }

  /**
   * The records of a side with clobbered changes waiting (scored by when the last was found), so a
   * batch asks once for all its records instead of once per record; almost always none has any.
   */
  private indexKey(side: ProvenanceSide): string {
    return this.keys.key('clobbered-index', side);
  }

  private indexed: Promise<void> | undefined;

  /** Indexes clobbered changes stored before the index existed (once per deployment; a marker records it). */
  private ensureIndexed(): Promise<void> {
    this.indexed ??= (async () => {
      const marker = this.keys.key('clobbered-index', 'built');
      if ((await this.redis.exists(marker)) === 1) return;
      const prefix = `${this.keys.key('clobbered')}:`;
      for await (const found of scanByPrefix(this.redis, prefix)) {
        const pipe = this.redis.pipeline();
        for (const key of found) {
          const [side, ...rest] = key.slice(prefix.length).split(':');
          if ((side === 'hubspot' || side === 'salesforce') && rest.length > 0) pipe.zadd(this.indexKey(side), Date.now(), rest.join(':'));
        }
        if (pipe.length > 0) await pipe.exec();
      }
      await this.redis.set(marker, '1');
    })().catch((err: unknown) => {
      this.indexed = undefined;
      throw err;
    });
    return this.indexed;
  }

  /**
   * Records writes to fields of records; each entry keeps the value it replaces. Returns the changes
   * found overwritten by a revloop write planned before them (stored too, until settled).
   */
  async record(side: ProvenanceSide, writes: readonly ProvenanceWrite[]): Promise<ClobberedEntry[]> {
    const found: ClobberedEntry[] = [];
    if (writes.length === 0) return found;
    // One HMGET and one HSET per record, not per field: a batch writes many fields of each record.
    const byRecord = new Map<string, Array<(typeof writes)[number]>>();
    for (const w of writes) {
      const list = byRecord.get(w.id);
      if (list) list.push(w);
      else byRecord.set(w.id, [w]);
    }
    const records = [...byRecord.entries()];
    const previous = await readHashFields(this.redis, records.map(([id, list]) => ({ key: this.key(side, id), fields: list.map((w) => w.field) })));
    const entries: Array<{ key: string; pairs: string[] }> = [];
    const pipe = this.redis.pipeline();
    // A record's entries share their actor and source: the writer is worked out once per run of equal ones.
    let lastActor = '';
    let lastSource = '';
    let lastWriter = writerOf('', '');
    const writer = (actor: string, source: string): Writer => {
      if (actor !== lastActor || source !== lastSource) {
        lastActor = actor;
        lastSource = source;
        lastWriter = writerOf(actor, source);
      }
      return lastWriter;
    };
    records.forEach(([id, list], i) => {
      const raws = previous[i] ?? [];
      const values: string[] = [];
      let clobbered: string[] | undefined;
      list.forEach((w, j) => {
        const raw = raws[j];
        const prior = typeof raw === 'string' ? decodeProvenance(raw) : undefined;
        const value = clip(w.value);
        // A write done replaces its pending entry, keeping the value from before it.
        const previous = prior ? (prior.pending && w.actor === 'revloop' ? prior.previous : prior.value) : null;
        // A change (someone's, or another revloop job's write) that revloop's write overwrote unseen, whichever entry arrived first.
        let lost: Clobbered | undefined;
        if (prior && w.actor === 'revloop' && overwrote({ value, at: w.at, basis: w.basis }, prior)) lost = { value: prior.value, at: changeTime(prior), actor: prior.actor, source: prior.source, over: value };
        else if (prior && prior.actor === 'revloop' && overwrote(prior, { value, at: w.at })) lost = { value, at: changeTime(w), actor: w.actor, source: w.source, over: prior.value };
        if (lost) {
          const rawLost = JSON.stringify(lost);
          (clobbered ??= []).push(w.field, rawLost);
          found.push({ side, id, field: w.field, clobbered: lost, raw: rawLost });
        }
        // An older event arriving late does not replace a newer entry.
        if (prior && prior.at > w.at) return;
        values.push(w.field, encodeEntry(value, previous, w.at, writer(w.actor, w.source), w.basis, w.pending));
      });
      if (values.length > 0) entries.push({ key: this.key(side, id), pairs: values });
      if (clobbered) {
        pipe.hset(this.clobberedKey(side, id), ...clobbered).expire(this.clobberedKey(side, id), CLOBBERED_TTL_S).zadd(this.indexKey(side), Date.now(), id);
      }
    });
    // Records whose clobbered changes expired unsynced leave the index with them.
    if (found.length > 0) pipe.zremrangebyscore(this.indexKey(side), '-inf', Date.now() - CLOBBERED_TTL_S * 1000);
    await Promise.all([setHashes(this.redis, entries), pipe.length > 0 ? pipe.exec() : undefined]);
    return found;
  }

  /** The clobbered changes waiting on these records, by record id (one round trip when none has any, as almost always). */
  async clobbered(side: ProvenanceSide, ids: readonly string[]): Promise<Map<string, ClobberedEntry[]>> {
    const out = new Map<string, ClobberedEntry[]>();
    if (ids.length === 0) return out;
    await this.ensureIndexed();
    const scores = await this.redis.zmscore(this.indexKey(side), ...ids);
    const waiting = ids.filter((_, i) => scores[i] !== null);
    if (waiting.length === 0) return out;
    const results = await this.redis.pipeline(waiting.map((id) => ['hgetall', this.clobberedKey(side, id)])).exec();
    waiting.forEach((id, i) => {
      const raw = (results?.[i]?.[1] ?? {}) as Record<string, string>;
      const entries: ClobberedEntry[] = [];
      for (const [field, value] of Object.entries(raw)) {
        const parsed = clobberedSchema.safeParse(JSON.parse(value));
        if (parsed.success) entries.push({ side, id, field, clobbered: parsed.data, raw: value });
      }
      if (entries.length > 0) out.set(id, entries);
    });
    return out;
  }

  /** Removes clobbered changes that were put back (or found moot); one recorded since stays. */
  async settle(entries: readonly ClobberedEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const byKey = new Map<string, { side: ProvenanceSide; id: string; args: string[] }>();
    for (const e of entries) {
      const key = this.clobberedKey(e.side, e.id);
      const found = byKey.get(key);
      if (found) found.args.push(e.field, e.raw);
      else byKey.set(key, { side: e.side, id: e.id, args: [e.field, e.raw] });
    }
    const pipe = this.redis.pipeline();
    for (const [key, { side, id, args }] of byKey) pipe.eval(SETTLE_SCRIPT, 2, key, this.indexKey(side), id, ...args);
    await pipe.exec();
  }

  async get(side: ProvenanceSide, id: string): Promise<Record<string, Provenance>> {
    const raw = await this.redis.hgetall(this.key(side, id));
    const out: Record<string, Provenance> = {};
    for (const field in raw) {
      const entry = decodeProvenance(raw[field] as string);
      if (entry) out[field] = entry;
    }
    return out;
  }

  /** The latest provenance of every field of several records (one round trip). */
  async current(side: ProvenanceSide, ids: readonly string[]): Promise<Map<string, Record<string, Provenance>>> {
    const out = new Map<string, Record<string, Provenance>>();
    if (ids.length === 0) return out;
    const hashes = await readHashes(this.redis, ids.map((id) => this.key(side, id)));
    ids.forEach((id, i) => {
      const raw = hashes[i] ?? {};
      const entries: Record<string, Provenance> = {};
      for (const field in raw) {
        const entry = decodeProvenance(raw[field] as string);
        if (entry) entries[field] = entry;
      }
      if (Object.keys(entries).length > 0) out.set(id, entries);
    });
    return out;
  }
}

/** What kind of writer a HubSpot change source is. */
export function hubspotActor(changeSource: string | undefined): string {
  switch (changeSource) {
    case 'CRM_UI':
    case 'CRM_UI_BULK_ACTION':
    case 'MOBILE_IOS':
    case 'MOBILE_ANDROID':
    case 'SALES':
      return 'person';
    case 'AUTOMATION_PLATFORM':
    case 'AUTOMATION':
    case 'WORKFLOWS':
      return 'workflow';
    case 'FORM':
      return 'form';
    case 'IMPORT':
      return 'import';
    case 'INTEGRATION':
    case 'API':
      return 'integration';
    default:
      return 'system';
  }
}
