/**
 * Backfill staging: the Salesforce side of a pair, read once in full pages (2,000 per call) and kept
 * in Redis for the run, with indexes by email, external id and Account domain/name. Pairing the
 * HubSpot pages against it needs no further Salesforce reads, so a backfill costs one read of each
 * side: the batch minimum. Records paired are removed; what is left at the end exists only in
 * Salesforce. Redis, not the worker's memory, holds it: a million records stay out of the heap.
 */
import type { Redis } from 'ioredis';
import { normaliseDomain, normaliseEmail, normaliseName } from '../../core/sync/identity.js';
import type { Keyspace } from '../../platform/redis.js';
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

  async add(object: string, records: readonly SalesforceRecord[], externalIdField: string): Promise<void> {
    if (records.length === 0) return;
    const pipe = this.redis.pipeline();
    pipe.hset(this.recordsKey(object), Object.fromEntries(records.map((r) => [r.Id, JSON.stringify(r)])));
    const emails: Record<string, string> = {};
    const external: Record<string, string> = {};
    const domains: Record<string, string> = {};
    const names: Record<string, string> = {};
    for (const r of records) {
      const email = normaliseEmail(r.Email as string | null | undefined);
      if (email && !(object === 'Lead' && r.IsConverted === true)) emails[email] = `${object}:${r.Id}`;
      const ext = r[externalIdField];
      if (typeof ext === 'string' && ext) external[ext] = `${object}:${r.Id}`;
      if (object === 'Account') {
        const d = normaliseDomain(r.Website as string | null | undefined);
        if (d) domains[d] = r.Id;
        const n = normaliseName(r.Name as string | null | undefined);
        if (n) names[n] = r.Id;
      }
    }
    // One email may be on a Lead and a Contact: the Contact (staged after Leads) wins, as in live matching.
    if (Object.keys(emails).length > 0) pipe.hset(this.key('by-email'), emails);
    if (Object.keys(external).length > 0) pipe.hset(this.key('by-external'), external);
    if (Object.keys(domains).length > 0) pipe.hset(this.key('by-domain'), domains);
    if (Object.keys(names).length > 0) pipe.hset(this.key('by-name'), names);
    await pipe.exec();
  }

  async records(object: string, ids: readonly string[]): Promise<SalesforceRecord[]> {
    if (ids.length === 0) return [];
    const raw = await this.redis.hmget(this.recordsKey(object), ...ids);
    return raw.filter((r): r is string => r !== null).map((r) => JSON.parse(r) as SalesforceRecord);
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
    do {
      const [next, flat] = await this.redis.hscan(this.recordsKey(object), cursor, 'COUNT', chunk);
      cursor = next;
      const records: SalesforceRecord[] = [];
      for (let i = 1; i < flat.length; i += 2) records.push(JSON.parse(flat[i] as string) as SalesforceRecord);
      if (records.length > 0) yield records;
    } while (cursor !== '0');
  }

  async size(object: string): Promise<number> {
    return this.redis.hlen(this.recordsKey(object));
  }

  async clear(objects: readonly string[]): Promise<void> {
    await this.redis.unlink(...objects.map((o) => this.recordsKey(o)), this.key('by-email'), this.key('by-external'), this.key('by-domain'), this.key('by-name'));
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
