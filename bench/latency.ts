/**
 * `npm run bench -- latency [--rate 50] [--seconds 60] [--latency 50] [--window 1000]`
 *
 * Live change capture end to end with every simulated API call taking `--latency` ms: people edited
 * at `--rate` changes per second (alternately in HubSpot and in Salesforce, each person once), and
 * for each change the time until the other system holds the new value. revloop runs in this process
 * exactly as `revloop start` runs (server for webhooks, workers, change listener); the simulators too.
 * `--window` is REVLOOP_BATCH_WINDOW_MS: longer windows batch more changes per call, shorter ones
 * carry each change sooner.
 */
import { join } from 'node:path';
import { sandboxEndpoints, startLocalStack } from '../src/local/local-stack.js';
import { ensureRedis } from '../src/platform/local-redis.js';
import { deleteByPrefix } from '../src/platform/redis.js';
import { startHubSpotSandbox } from '../src/sandbox/hubspot/index.js';
import { startSalesforceSandbox } from '../src/sandbox/salesforce/index.js';
import { backfill } from '../src/worker/backfill/run-backfill.js';
import { round, table, type Figures } from './lib/report.js';

function arg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  const v = i >= 0 ? Number(args[i + 1]) : NaN;
  return Number.isFinite(v) && v >= 0 ? v : fallback;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function run(args: string[]): Promise<Figures> {
  const rate = arg(args, '--rate', 50);
  const seconds = arg(args, '--seconds', 60);
  const latency = arg(args, '--latency', 50);
  const windowMs = arg(args, '--window', 1000);
  const changes = Math.round(rate * seconds);
  const people = Math.max(changes, 10);
  const redis = await ensureRedis();
  const root = `bench-latency-${Date.now().toString(36)}`;
  const hubspot = await startHubSpotSandbox({ webhooks: { batchWindowMs: 50 } });
  const salesforce = await startSalesforceSandbox({ dailyApiLimit: 100_000_000 });
  const stack = await startLocalStack({
    redisUrl: redis.url,
    root,
    ...sandboxEndpoints(hubspot, salesforce),
    mappingsDir: join(import.meta.dirname, '..', 'mappings'),
    windowMs,
    limits: { hubspotTenSecond: 190 },
  });
  try {
    // People linked on both sides first (without latency), then the latency is switched on.
    hubspot.store.createMany('contacts', Array.from({ length: people }, (_, i) => ({ properties: { email: `lat${i}@example.com`, lastname: `L${i}`, jobtitle: 'start' } })), { actor: { source: 'CRM_UI' }, quiet: true });
    await backfill(stack.ctx, { pair: 'contacts' });
    hubspot.webhooks.configure({ targetUrl: stack.webhookUrl, subscriptions: [{ subscriptionType: 'contact.propertyChange' }, { subscriptionType: 'contact.creation' }], batchWindowMs: 50 });
    const leads = new Map(salesforce.store.query('SELECT Id, Email FROM Lead').records.map((r) => [String(r.Email), r.Id as string]));
    const contacts = hubspot.store.list('contacts', { limit: people + 10, properties: ['email'] }).results.map((c) => ({ id: c.id, email: c.properties.email as string }));
    await sleep(1500);
    hubspot.faults.configure({ latencyMs: latency });
    salesforce.faults.configure({ latencyMs: latency });

    // Where each new value shows up on the other side.
    const sent = new Map<string, number>();
    const seen = new Map<string, number>();
    // A value made in Salesforce ("-sf") counts when HubSpot holds it, and the other way round.
    hubspot.store.onEvent((e) => {
      const v = e.kind === 'propertyChange' && e.propertyName === 'jobtitle' ? e.propertyValue : undefined;
      if (v?.endsWith('-sf') && sent.has(v) && !seen.has(v)) seen.set(v, performance.now());
    });
    salesforce.store.onChange((c) => {
      const v = c.fields.Title;
      if (typeof v === 'string' && v.endsWith('-hs') && sent.has(v) && !seen.has(v)) seen.set(v, performance.now());
    });
    const callsBefore = hubspot.counter.total + salesforce.counter.total;
    const started = performance.now();
    for (let k = 0; k < changes; k++) {
      const due = started + (k * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      const person = contacts[k] as { id: string; email: string };
      const value = `v${k}-${k % 2 ? 'sf' : 'hs'}`;
      sent.set(value, performance.now());
      if (k % 2) salesforce.store.update('Lead', leads.get(person.email) as string, { Title: value }, { origin: 'ui' });
      else hubspot.store.update('contacts', person.id, { jobtitle: value }, { actor: { source: 'CRM_UI', userId: 1 } });
    }
    const deadline = performance.now() + 15_000;
    while (seen.size < sent.size && performance.now() < deadline) await sleep(100);
    await sleep(Math.min(3000, windowMs * 2));
    const calls = hubspot.counter.total + salesforce.counter.total - callsBefore;
    const latencies = [...sent].filter(([v]) => seen.has(v)).map(([v, t]) => (seen.get(v) as number) - t).sort((a, b) => a - b);
    const lost = sent.size - latencies.length;
    const figures: Figures = {
      rate,
      changes: sent.size,
      p50_ms: Math.round(percentile(latencies, 50)),
      p99_ms: Math.round(percentile(latencies, 99)),
      calls_per_change: round(calls / sent.size, 3),
      lost,
      latency_ms: latency,
      window_ms: windowMs,
      max_ms: Math.round(latencies[latencies.length - 1] ?? NaN),
    };
    process.stdout.write(
      `${table([
        { figure: 'changes (half in each system)', value: sent.size, target: '' },
        { figure: `simulated latency per API call`, value: `${latency} ms`, target: '' },
        { figure: 'batch window', value: `${windowMs} ms`, target: '' },
        { figure: 'p50 change to other side', value: `${figures.p50_ms} ms`, target: '<= 1000 ms' },
        { figure: 'p99 change to other side', value: `${figures.p99_ms} ms`, target: '<= 3000 ms' },
        { figure: 'slowest', value: `${figures.max_ms} ms`, target: '' },
        { figure: 'API calls per change', value: String(figures.calls_per_change), target: '<= 0.1' },
        { figure: 'changes lost', value: lost, target: '0' },
      ])}\n`,
    );
    return figures;
  } finally {
    await stack.stop();
    await Promise.allSettled([hubspot.close(), salesforce.close()]);
    const { createRedis } = await import('../src/platform/redis.js');
    const r = createRedis(redis.url);
    await deleteByPrefix(r, `${root}:`);
    r.disconnect();
    await redis.stop();
  }
}
