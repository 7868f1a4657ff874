/**
 * The field ledger: per record pair and field, the fingerprints of both sides' values at the last
 * sync decision and when it was made. Stored as one Redis hash per HubSpot record, each field packed
 * as "hubspotFp,salesforceFp,atSeconds" (fingerprints, not values: no personal data is copied), and
 * under "@" when the entry was last stored (epoch ms, base 36): a batch that read its records before
 * then may hold values older than the ledger says, and reads them again. Two shorthands keep the
 * entries small (most fields of most records are blank): "=" for a Salesforce fingerprint equal to
 * the HubSpot one, "_" for the fingerprint of a blank value.
 */
import { createHash } from 'node:crypto';
import type { ChainableCommander, Redis } from 'ioredis';
import type { FieldLedgerEntry } from '../core/sync/field-plan.js';
import { BLANK_FINGERPRINT } from '../core/sync/values.js';
import type { Keyspace } from '../platform/redis.js';
import type { PairObject } from './link-store.js';

export type RecordLedger = Record<string, FieldLedgerEntry>;

/** Records per script call: a call holds Redis for its length (about 10 µs a record). */
const SCRIPT_CHUNK = 500;

/** Each key's hash gets the fields of its argument, "field entry field entry ...". */
const SET_LUA = `
for i = 1, #KEYS do
  local args = {}
  for f, e in string.gmatch(ARGV[i], '(%S+) (%S+)') do
    args[#args + 1] = f
    args[#args + 1] = e
  end
  if #args > 0 then redis.call('HSET', KEYS[i], unpack(args)) end
end
return #KEYS`;

const ledgerScript = { lua: SET_LUA, sha: createHash('sha1').update(SET_LUA).digest('hex') };

const checkedNames = new Map<string, boolean>();

/** Whether a field name can go in a script argument (no white space), remembered per name. */
function plainName(field: string): boolean {
  let ok = checkedNames.get(field);
  if (ok === undefined) {
    ok = field.length > 0 && !/\s/.test(field);
    if (checkedNames.size < 10_000) checkedNames.set(field, ok);
  }
  return ok;
}

function throwFirst(results: Array<[Error | null, unknown]> | null): void {
  const failed = results?.find(([err]) => err);
  if (failed?.[0]) throw failed[0];
}

/** The hash field holding when the entry was last stored (never a HubSpot property name). */
const STORED_AT = '@';

const BLANK = '_';

export function packLedgerEntry(e: FieldLedgerEntry): string {
  const hubspot = e.hubspot === BLANK_FINGERPRINT ? BLANK : e.hubspot;
  const salesforce = e.salesforce === e.hubspot ? '=' : e.salesforce === BLANK_FINGERPRINT ? BLANK : e.salesforce;
  return `${hubspot},${salesforce},${Math.floor(e.at / 1000).toString(36)}`;
}

/** A stored entry (with or without the shorthands); undefined for a damaged one. */
export function unpackLedgerEntry(v: string): FieldLedgerEntry | undefined {
  const [hs, sf, at] = v.split(',');
  if (!hs || !sf || !at) return undefined;
  const hubspot = hs === BLANK ? BLANK_FINGERPRINT : hs;
  const salesforce = sf === '=' ? hubspot : sf === BLANK ? BLANK_FINGERPRINT : sf;
  return { hubspot, salesforce, at: parseInt(at, 36) * 1000 };
}

export class LedgerStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keyspace,
  ) {}

  private key(pair: PairObject, hubspotId: string): string {
    return this.keys.key('ledger', pair, hubspotId);
  }

  async get(pair: PairObject, hubspotIds: readonly string[]): Promise<Map<string, RecordLedger>> {
    return (await this.read(pair, hubspotIds)).ledgers;
  }

  /** The ledgers of these records, and when each was last stored (absent for one stored before stamps existed). */
  async read(pair: PairObject, hubspotIds: readonly string[]): Promise<{ ledgers: Map<string, RecordLedger>; storedAt: Map<string, number> }> {
    const ledgers = new Map<string, RecordLedger>();
    const storedAt = new Map<string, number>();
    if (hubspotIds.length === 0) return { ledgers, storedAt };
    const pipe = this.redis.pipeline();
    for (const id of hubspotIds) pipe.hgetall(this.key(pair, id));
    const results = (await pipe.exec()) ?? [];
    hubspotIds.forEach((id, i) => {
      const raw = (results[i]?.[1] ?? {}) as Record<string, string>;
      const ledger: RecordLedger = {};
      for (const [field, value] of Object.entries(raw)) {
        if (field === STORED_AT) {
          const at = parseInt(value, 36);
          if (Number.isFinite(at)) storedAt.set(id, at);
          continue;
        }
        const entry = unpackLedgerEntry(value);
        if (entry) ledger[field] = entry;
      }
      ledgers.set(id, ledger);
    });
    return { ledgers, storedAt };
  }

  /**
   * Stores these records' entries (fields not given keep theirs). Records go to Redis in chunks, each
   * as one script call that takes a record's entries as one "field entry field entry" argument: a
   * record has a score of fields, and sending each as its own argument cost the worker more than
   * anything else it sends Redis (Redis takes the split over; the hash is the same).
   */
  async set(pair: PairObject, updates: ReadonlyMap<string, RecordLedger>, storedAt = Date.now()): Promise<void> {
    if (updates.size === 0) return;
    const stamp = Math.floor(storedAt).toString(36);
    const keys: string[] = [];
    const packed: string[] = [];
    const plain: Array<[string, string[]]> = [];
    for (const [id, ledger] of updates) {
      const args: string[] = [];
      // Property names never hold white space (entries never do); one that did is stored argument by argument.
      let spaced = false;
      for (const field in ledger) {
        args.push(field, packLedgerEntry(ledger[field] as FieldLedgerEntry));
        if (!plainName(field)) spaced = true;
      }
      if (args.length === 0) continue;
      args.push(STORED_AT, stamp);
      if (spaced) plain.push([this.key(pair, id), args]);
      else {
        keys.push(this.key(pair, id));
        packed.push(args.join(' '));
      }
    }
    const scriptCalls = (pipe: ChainableCommander, call: (numKeys: number, args: string[]) => void): ChainableCommander => {
      for (let i = 0; i < keys.length; i += SCRIPT_CHUNK) {
        const chunk = keys.slice(i, i + SCRIPT_CHUNK);
        call(chunk.length, [...chunk, ...packed.slice(i, i + SCRIPT_CHUNK)]);
      }
      return pipe;
    };
    const pipe = this.redis.pipeline();
    scriptCalls(pipe, (n, args) => pipe.evalsha(ledgerScript.sha, n, ...args));
    for (const [key, args] of plain) pipe.hset(key, ...args);
    const results = (await pipe.exec()) ?? [];
    // A Redis that has not seen the script yet (or lost it in a restart) is given it and asked again.
    if (results.some(([err]) => err && /NOSCRIPT/.test(err.message))) {
      const retry = this.redis.pipeline();
      throwFirst(await scriptCalls(retry, (n, args) => retry.eval(ledgerScript.lua, n, ...args)).exec());
      return;
    }
    throwFirst(results);
  }

  async remove(pair: PairObject, hubspotId: string): Promise<void> {
    await this.redis.unlink(this.key(pair, hubspotId));
  }
}
