/**
 * Backfill staging: the Salesforce side of a pair, read once in full pages (2,000 per call) and kept
 * in Redis for the run, with indexes by email, external id and Account domain/name. Pairing the
 * HubSpot pages against it needs no further Salesforce reads, so a backfill costs one read of each
 * side: the batch minimum. Records paired are removed; what is left at the end exists only in
 * Salesforce. Redis, not the worker's memory, holds it: a million records stay out of the heap.
 *
 * A record is stored as the JSON array of its values in the order of its object's columns (the
 * fields of the first record staged, kept beside the records), about half the bytes of the object
 * form; a record whose fields differ from the columns is stored as an object, and either form reads.
 */
import type { Redis } from 'ioredis';
import { normaliseDomain, normaliseEmail, normaliseName } from '../../core/sync/identity.js';
import type { Keyspace } from '../../platform/redis.js';
import { raiseIndexes } from '../../state/hash-batch.js';
import type { Priority } from '../../providers/budget/api-budget.js';
import type { SalesforceRecord } from '../../providers/salesforce/salesforce-records.js';
import { accountCandidate, type SalesforceSource } from '../sync/load-batch.js';

export class Staging {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keyspace,
    readonly run: string,
    /** When the staging began: records staged are at least this old. */
    readonly startedAt: number = Date.now(),
  ) {}

  private key(...parts: string[]): string {
    return this.keys.key('staging', this.run, ...parts);
  }

  recordsKey(object: string): string {
    return this.key('records', object);
  }

  private columnsKey(object: string): string {
    return this.key('columns', object);
  }

  /** Each object's columns, once known (from Redis when another worker staged the records). */
  private readonly columns = new Map<string, readonly string[]>();

  private async columnsOf(object: string, first?: SalesforceRecord): Promise<readonly string[] | undefined> {
    const known = this.columns.get(object);
    if (known) return known;
    let raw = await this.redis.get(this.columnsKey(object));
    if (raw === null && first) {
      // The first page staged sets them; a worker staging at the same time keeps the one that won.
      const proposed = JSON.stringify(Object.keys(first));
      raw = (await this.redis.set(this.columnsKey(object), proposed, 'NX')) === 'OK' ? proposed : await this.redis.get(this.columnsKey(object));
    }
    if (raw === null) return undefined;
    const parsed: unknown = JSON.parse(raw);
    if (!Array.isArray(parsed) || !parsed.every((c) => typeof c === 'string')) throw new Error(`backfill staging: the columns of ${object} (${this.columnsKey(object)}) are damaged`);
    this.columns.set(object, parsed as string[]);
    return parsed as string[];
  }

  private static encode(r: SalesforceRecord, columns: readonly string[] | undefined): string {
    if (columns === undefined) return JSON.stringify(r);
    // The same fields in the same order (as every record of one query has), or the object form.
    const values: unknown[] = [];
    let i = 0;
    for (const k in r) {
      if (columns[i] !== k) return JSON.stringify(r);
      values.push(r[k]);
      i += 1;
    }
    return i === columns.length ? JSON.stringify(values) : JSON.stringify(r);
  }

  private async decoder(object: string): Promise<(raw: string) => SalesforceRecord> {
    const columns = await this.columnsOf(object);
    return (raw) => {
      const parsed: unknown = JSON.parse(raw);
      if (!Array.isArray(parsed)) return parsed as SalesforceRecord;
      if (columns === undefined || parsed.length !== columns.length) throw new Error(`backfill staging: a staged ${object} record does not match its columns (${this.recordsKey(object)})`);
      const r: Record<string, unknown> = {};
      for (let i = 0; i < columns.length; i += 1) r[columns[i] as string] = parsed[i];
      return r as SalesforceRecord;
    };
  }

  /**
   * Stages a page of records. Pages may come in any order and several at once (a backfill stages an
   * object from both ends of its Id order): an index entry that several records claim (one email on two
   * Leads) goes to the highest Id, as staging the object in Id order would leave it; a record of an
   * object staged later (a Contact after the Leads) takes it over.
   */
  async add(object: string, records: readonly SalesforceRecord[], externalIdField: string): Promise<void> {
    if (records.length === 0) return;
    const columns = await this.columnsOf(object, records[0]);
    const staged: string[] = [];
    for (const r of records) staged.push(r.Id, Staging.encode(r, columns));
    const emails: Array<[string, string]> = [];
    const external: Array<[string, string]> = [];
    const domains: Array<[string, string]> = [];
    const names: Array<[string, string]> = [];
    for (const r of records) {
      const email = normaliseEmail(r.Email as string | null | undefined);
      if (email && !(object === 'Lead' && r.IsConverted === true)) emails.push([email, r.Id]);
      const ext = r[externalIdField];
      if (typeof ext === 'string' && ext) external.push([ext, r.Id]);
      if (object === 'Account') {
        const d = normaliseDomain(r.Website as string | null | undefined);
        if (d) domains.push([d, r.Id]);
        const n = normaliseName(r.Name as string | null | undefined);
        if (n) names.push([n, r.Id]);
      }
    }
    await raiseIndexes(
      this.redis,
      [
        { key: this.key('by-email'), prefix: `${object}:`, entries: emails },
        { key: this.key('by-external'), prefix: `${object}:`, entries: external },
        { key: this.key('by-domain'), prefix: '', entries: domains },
        { key: this.key('by-name'), prefix: '', entries: names },
      ],
      [['hset', this.recordsKey(object), ...staged]],
    );
  }

  async records(object: string, ids: readonly string[]): Promise<SalesforceRecord[]> {
    if (ids.length === 0) return [];
    const found = (await this.redis.hmget(this.recordsKey(object), ...ids)).filter((r): r is string => r !== null);
    // The columns are asked for only when something is staged (an object with none has none).
    return found.length === 0 ? [] : found.map(await this.decoder(object));
  }

  private async refs(index: string, keys: readonly string[]): Promise<Array<{ object: string; id: string }>> {
    if (keys.length === 0) return [];
    const raw = await this.redis.hmget(this.key(index), ...keys);
    return raw.filter((r): r is string => r !== null).map((r) => {
      const sep = r.indexOf(':');
      return { object: r.slice(0, sep), id: r.slice(sep + 1) };
    });
  }

  /** Removes records that are now paired; what remains exists only in Salesforce. */
  async consume(object: string, ids: readonly string[]): Promise<void> {
    if (ids.length > 0) await this.redis.hdel(this.recordsKey(object), ...ids);
  }

  /** Leftover records of `object`, a chunk at a time (HSCAN), until none are left. */
  async *leftovers(object: string, chunk = 500): AsyncGenerator<SalesforceRecord[]> {
    let cursor = '0';
    const decode = await this.decoder(object);
    do {
      const [next, flat] = await this.redis.hscan(this.recordsKey(object), cursor, 'COUNT', chunk);
      cursor = next;
      const records: SalesforceRecord[] = [];
      for (let i = 1; i < flat.length; i += 2) records.push(decode(flat[i] as string));
      if (records.length > 0) yield records;
    } while (cursor !== '0');
  }

  async size(object: string): Promise<number> {
    return this.redis.hlen(this.recordsKey(object));
  }

  async clear(objects: readonly string[]): Promise<void> {
    await this.redis.unlink(...objects.map((o) => this.recordsKey(o)), ...objects.map((o) => this.columnsKey(o)), this.key('by-email'), this.key('by-external'), this.key('by-domain'), this.key('by-name'));
    for (const o of objects) this.columns.delete(o);
  }

  /** A source for the batch loader that answers from the staged records (live queries for the rest). */
  source(live: SalesforceSource): SalesforceSource {
    return {
      stagedAt: this.startedAt,
      find: async (object, fields, keys, priority: Priority) => {
        const found = new Map<string, SalesforceRecord>();
        for (const r of await this.records(object, keys.ids)) found.set(r.Id, r);
        const refs = [...(await this.refs('by-email', keys.emails)), ...(await this.refs('by-external', keys.externalIds))].filter((ref) => ref.object === object && !found.has(ref.id));
        for (const r of await this.records(object, refs.map((ref) => ref.id))) found.set(r.Id, r);
        // Linked records that were not staged (modified outside a --since window, or added since): read them live.
        const missing = keys.ids.filter((id) => !found.has(id));
        if (missing.length > 0) {
          for (const r of await live.find(object, fields, { ids: missing, emails: [], externalIds: [], externalIdField: keys.externalIdField }, priority)) found.set(r.Id, r);
        }
        return [...found.values()];
      },
      accounts: async (how, values) => {
        const index = how === 'domain' ? 'by-domain' : 'by-name';
        const normalised = values.map((v) => (how === 'domain' ? normaliseDomain(v) : normaliseName(v))).filter((v): v is string => v !== undefined);
        if (normalised.length === 0) return [];
        const ids = [...new Set((await this.redis.hmget(this.key(index), ...normalised)).filter((id): id is string => id !== null))];
        return (await this.records('Account', ids)).map(accountCandidate);
      },
    };
  }
}
