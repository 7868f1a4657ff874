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
    const tx = this.redis.multi();
    for (const l of links) {
      const oldSf = previousSf.get(l.hubspotId);
      if (oldSf && oldSf.id !== l.salesforce.id) tx.hdel(this.sfKey(pair), oldSf.id);
      const oldHs = previousHs.get(l.salesforce.id);
      if (oldHs && oldHs !== l.hubspotId) tx.hdel(this.hsKey(pair), oldHs);
      tx.hset(this.hsKey(pair), l.hubspotId, `${l.salesforce.object}:${l.salesforce.id}`);
      tx.hset(this.sfKey(pair), l.salesforce.id, l.hubspotId);
    }
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
