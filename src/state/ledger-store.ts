/**
 * The field ledger: per record pair and field, the fingerprints of both sides' values at the last
 * sync decision and when it was made. Stored as one Redis hash per HubSpot record, each field packed
 * as "hubspotFp,salesforceFp,atSeconds" (fingerprints, not values: no personal data is copied), and
 * under "@" when the entry was last stored (epoch ms, base 36): a batch that read its records before
 * then may hold values older than the ledger says, and reads them again. Two shorthands keep the
 * entries small (most fields of most records are blank): "=" for a Salesforce fingerprint equal to
 * the HubSpot one, "_" for the fingerprint of a blank value.
 */
import type { Redis } from 'ioredis';
import type { FieldLedgerEntry } from '../core/sync/field-plan.js';
import { BLANK_FINGERPRINT } from '../core/sync/values.js';
import type { Keyspace } from '../platform/redis.js';
import { readHashes, setHashes } from './hash-batch.js';
import type { PairObject } from './link-store.js';

export type RecordLedger = Record<string, FieldLedgerEntry>;

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
    const hashes = await readHashes(this.redis, hubspotIds.map((id) => this.key(pair, id)));
    hubspotIds.forEach((id, i) => {
      const raw = hashes[i] ?? {};
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

  /** Stores these records' entries (fields not given keep theirs), all records in one Redis call. */
  async set(pair: PairObject, updates: ReadonlyMap<string, RecordLedger>, storedAt = Date.now()): Promise<void> {
    if (updates.size === 0) return;
    const stamp = Math.floor(storedAt).toString(36);
    const writes: Array<{ key: string; pairs: string[] }> = [];
    for (const [id, ledger] of updates) {
      const pairs: string[] = [];
      for (const field in ledger) pairs.push(field, packLedgerEntry(ledger[field] as FieldLedgerEntry));
      if (pairs.length === 0) continue;
      pairs.push(STORED_AT, stamp);
      writes.push({ key: this.key(pair, id), pairs });
    }
    await setHashes(this.redis, writes);
  }

  async remove(pair: PairObject, hubspotId: string): Promise<void> {
    await this.redis.unlink(this.key(pair, hubspotId));
  }
}
