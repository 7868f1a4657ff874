/**
 * `npm run bench -- storage [--people N]`
 *
 * What revloop keeps in Redis per person and per lifecycle event, measured on a generated revenue
 * team of N people (default 20,000) after the first backfill of people and companies, the deal mirror
 * and a year of stage entries (the generator's journeys, as the transition events revloop records).
 * Every key under the connection's root is weighed with MEMORY USAGE and grouped by kind; the
 * figures are extrapolated to 1,000,000 people with their events.
 */
import { loadMappings } from '../src/config/mapping/load.js';
import { ensureRedis } from '../src/platform/local-redis.js';
import { createRedis, deleteByPrefix } from '../src/platform/redis.js';
import type { GroundTruth } from '../src/sandbox/generator/truth.js';
import { startSandboxes } from '../src/sandbox/start-sandboxes.js';
import { LifecycleStore, type TransitionEvent } from '../src/state/lifecycle-store.js';
import { backfill } from '../src/worker/backfill/run-backfill.js';
import { mirrorAllDeals } from '../src/worker/outcomes/deal-mirror.js';
import { directSyncContext } from '../src/worker/sync/direct-context.js';
import { round, table, type Figures } from './lib/report.js';
import { join } from 'node:path';

function arg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  const v = i >= 0 ? Number(args[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

/** The kind of a key under `<root>:{conn}:`: its first segment (links, ledger, lifecycle, transitions, ...). */
function kindOf(key: string, prefix: string): string {
  const rest = key.slice(prefix.length);
  return rest.split(':')[0] ?? rest;
}

export async function run(args: string[]): Promise<Figures> {
  const people = arg(args, '--people', 20_000);
  const sandboxes = await startSandboxes({ people, seed: 7, hubspot: { rateLimits: { enabled: false } }, salesforce: { dailyApiLimit: 100_000_000, changeDataCapture: false } });
  const truth = sandboxes.truth as GroundTruth;
  const redisHandle = await ensureRedis();
  const redis = createRedis(redisHandle.url);
  const root = `bench-storage-${Date.now().toString(36)}`;
  try {
    const loaded = await loadMappings(join(import.meta.dirname, '..', 'mappings'));
    if (!loaded.set) throw new Error('the shipped mappings are invalid');
    const c = sandboxes.connection;
    const ctx = directSyncContext({
      connectionId: 'bench',
      root,
      redis,
      mappings: loaded.set,
      hubspot: { baseUrl: c.hubspot.baseUrl, accessToken: c.hubspot.accessToken, appId: c.hubspot.appId },
      salesforce: { instanceUrl: c.salesforce.instanceUrl, accessToken: c.salesforce.accessToken, version: c.salesforce.version },
      limits: { hubspotTenSecond: 1_000_000, hubspotSearchPerSecond: 10_000 },
    });
    await backfill(ctx, { pair: 'contacts' });
    await backfill(ctx, { pair: 'companies' });
    await mirrorAllDeals(ctx);
    // A year of stage entries as revloop records them (its backfill recorded only where people stand now).
    const store = new LifecycleStore(redis, ctx.keys);
    await redis.del(store.transitionsKey);
    const links = await ctx.links.bySalesforce('contacts', truth.persons.filter((p) => !p.hubspot).map((p) => p.salesforce?.contactId ?? p.salesforce?.leadId ?? '').filter(Boolean));
    let batch: TransitionEvent[] = [];
    let events = 0;
    for (const p of truth.persons) {
      const sf = p.salesforce?.contactId ?? p.salesforce?.leadId ?? undefined;
      const person = p.hubspot?.id ?? (sf ? links.get(sf) : undefined);
      if (!person) continue;
      let from: string | undefined;
      for (const e of p.journey) {
        batch.push({ person, salesforceId: sf, from, to: e.stage, at: e.at, cause: 'criteria', actor: e.stage === 'mql' || e.stage === 'lead' ? 'marketing' : 'sales', reason: e.reason, segment: e.stage === 'mql' ? (p.segment ?? 'standard') : undefined });
        from = e.stage;
        events += 1;
      }
      if (batch.length >= 5000) {
        await store.record(batch);
        batch = [];
      }
    }
    await store.record(batch);

    const prefix = `${ctx.keys.prefix}:`;
    const byKind = new Map<string, { keys: number; bytes: number }>();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      const sizes = await Promise.all(keys.map((k) => redis.memory('USAGE', k, 'SAMPLES', 0)));
      keys.forEach((k, i) => {
        const kind = kindOf(k, prefix);
        const entry = byKind.get(kind) ?? { keys: 0, bytes: 0 };
        entry.keys += 1;
        entry.bytes += Number(sizes[i] ?? 0);
        byKind.set(kind, entry);
      });
    } while (cursor !== '0');
    const transitions = byKind.get('transitions')?.bytes ?? 0;
    const total = [...byKind.values()].reduce((s, e) => s + e.bytes, 0);
    const perPerson = (total - transitions) / truth.persons.length;
    const perEvent = transitions / Math.max(1, events);
    const eventsPerPerson = events / truth.persons.length;
    const millionGb = (1_000_000 * (perPerson + perEvent * eventsPerPerson)) / 1024 ** 3;
    process.stdout.write(
      `${table(
        [...byKind]
          .sort(([, a], [, b]) => b.bytes - a.bytes)
          .map(([kind, e]) => ({ kind, keys: e.keys, bytes: e.bytes, 'bytes per person': round(e.bytes / truth.persons.length, 1) })),
      )}\n\n${table([
        { figure: 'people', value: truth.persons.length },
        { figure: 'stage entries recorded', value: events },
        { figure: 'bytes per person (links, ledgers, states, provenance, deals, ...)', value: round(perPerson, 1) },
        { figure: 'bytes per stage entry (transition stream)', value: round(perEvent, 1) },
        { figure: 'estimated GB for 1,000,000 people and their entries', value: round(millionGb, 2) },
      ])}\n`,
    );
    return { people: truth.persons.length, events, bytes_per_person: round(perPerson, 1), bytes_per_event: round(perEvent, 1), events_per_person: round(eventsPerPerson, 2), gb_per_million_people: round(millionGb, 2) };
  } finally {
    await deleteByPrefix(redis, `${root}:`);
    redis.disconnect();
    await redisHandle.stop();
    await sandboxes.close();
  }
}
