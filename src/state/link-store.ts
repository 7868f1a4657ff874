/**
 * Identity links in Redis: HubSpot record ↔ Salesforce record, per object pair, in both directions.
 * The same links are also written on the records themselves (HubSpot id properties, the Salesforce
 * external-id field), so they survive the loss of Redis; this store makes lookups free of API calls.
 */
import type { Redis } from 'ioredis';
import type { Keyspace } from '../platform/redis.js';

export type PairObject = 'contacts' | 'companies';

export interface SalesforceRef {
  object: string;
  id: string;
}

export class LinkStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keyspace,
  ) {}

  private hsKey(pair: PairObject): string {
    return this.keys.key('links', pair, 'hs');
  }

  private sfKey(pair: PairObject): string {
    return this.keys.key('links', pair, 'sf');
  }

  async byHubSpot(pair: PairObject, ids: readonly string[]): Promise<Map<string, SalesforceRef>> {
    const out = new Map<string, SalesforceRef>();
    if (ids.length === 0) return out;
    const values = await this.redis.hmget(this.hsKey(pair), ...ids);
    ids.forEach((id, i) => {
      const v = values[i];
      if (!v) return;
      const sep = v.indexOf(':');
      out.set(id, { object: v.slice(0, sep), id: v.slice(sep + 1) });
    });
    return out;
  }

  async bySalesforce(pair: PairObject, ids: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (ids.length === 0) return out;
    const values = await this.redis.hmget(this.sfKey(pair), ...ids);
    ids.forEach((id, i) => {
      const v = values[i];
      if (v) out.set(id, v);
    });
    return out;
  }

  /** Records links atomically, replacing any earlier link of either record. */
  async link(pair: PairObject, links: ReadonlyArray<{ hubspotId: string; salesforce: SalesforceRef }>): Promise<void> {
    if (links.length === 0) return;
    const previousSf = await this.byHubSpot(pair, links.map((l) => l.hubspotId));
    const previousHs = await this.bySalesforce(pair, links.map((l) => l.salesforce.id));
    // One command per hash, not per link: the stale halves of earlier links first, then the new links
    // (a record in two of this batch's links ends with the last, as when they were written one by one).
    const staleSf: string[] = [];
    const staleHs: string[] = [];
    const hs: string[] = [];
    const sf: string[] = [];
    const linkedSf = new Set(links.map((l) => l.salesforce.id));
    const linkedHs = new Set(links.map((l) => l.hubspotId));
    for (const l of links) {
      const oldSf = previousSf.get(l.hubspotId);
      if (oldSf && oldSf.id !== l.salesforce.id && !linkedSf.has(oldSf.id)) staleSf.push(oldSf.id);
      const oldHs = previousHs.get(l.salesforce.id);
      if (oldHs && oldHs !== l.hubspotId && !linkedHs.has(oldHs)) staleHs.push(oldHs);
      hs.push(l.hubspotId, `${l.salesforce.object}:${l.salesforce.id}`);
      sf.push(l.salesforce.id, l.hubspotId);
    }
    const tx = this.redis.multi();
    if (staleSf.length > 0) tx.hdel(this.sfKey(pair), ...staleSf);
    if (staleHs.length > 0) tx.hdel(this.hsKey(pair), ...staleHs);
    tx.hset(this.hsKey(pair), ...hs);
    tx.hset(this.sfKey(pair), ...sf);
    await tx.exec();
  }

  async unlinkHubSpot(pair: PairObject, hubspotId: string): Promise<SalesforceRef | undefined> {
    const current = (await this.byHubSpot(pair, [hubspotId])).get(hubspotId);
    const tx = this.redis.multi().hdel(this.hsKey(pair), hubspotId);
    if (current) tx.hdel(this.sfKey(pair), current.id);
    await tx.exec();
    return current;
  }

  async unlinkSalesforce(pair: PairObject, salesforceId: string): Promise<string | undefined> {
    const current = (await this.bySalesforce(pair, [salesforceId])).get(salesforceId);
    const tx = this.redis.multi().hdel(this.sfKey(pair), salesforceId);
    if (current) tx.hdel(this.hsKey(pair), current);
    await tx.exec();
    return current;
  }

  async count(pair: PairObject): Promise<number> {
    return this.redis.hlen(this.hsKey(pair));
  }
}
