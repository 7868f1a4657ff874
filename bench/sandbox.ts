/**
 * `npm run bench -- sandbox [--people N] [--iterations K] [--seed S]`
 *
 * What the sandbox costs, so later benchmarks can show the test bed is not their bottleneck:
 *  - generation of N people (default 1,000,000) into both simulators (`startSandboxes`, CDC on), and the memory both
 *    simulators then hold: peak RSS of this process, and RSS / V8 heap / array buffers after a full collection;
 *  - the simulator's cost per call through the real clients at zero latency, with rate limits off: HubSpot batch read
 *    of 100, batch update of 100, search page of 200; Salesforce SOQL page of 2,000 (queryMore), sObject Collections
 *    update of 200, upsert of 200 by external id. Median and p99 over K calls each.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Client } from '@hubspot/api-client';
import jsforce from 'jsforce';
import { startSandboxes } from '../src/sandbox/start-sandboxes.js';
import { round, table, type Figures } from './lib/report.js';

function arg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  const v = i >= 0 ? Number(args[i + 1]) : NaN;
  return Number.isFinite(v) && v >= 0 ? v : fallback;
}

/** A full garbage collection (V8's gc, exposed for this measurement only). */
function collect(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
}

const MB = 1024 * 1024;

function nearestRank(sorted: readonly number[], p: number): number {
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? NaN;
}

async function timeCalls(iterations: number, call: (i: number) => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  await call(-1);
  const ms: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t = performance.now();
    await call(i);
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  return { p50: round(nearestRank(ms, 0.5)), p99: round(nearestRank(ms, 0.99)) };
}

export async function run(args: string[]): Promise<Figures> {
  const people = arg(args, '--people', 1_000_000);
  const iterations = Math.max(5, arg(args, '--iterations', 50));
  const seed = arg(args, '--seed', 1);

  collect();
  const baseline = process.memoryUsage();
  const t0 = performance.now();
  let shown = 0;
  const sandboxes = await startSandboxes({
    people,
    seed,
    keepDetails: false,
    hubspot: { rateLimits: { enabled: false } },
    salesforce: { dailyApiLimit: 1_000_000_000 },
    onProgress: (done, total) => {
      if (done - shown >= 100_000 || done === total) {
        shown = done;
        process.stderr.write(`generated ${done} of ${total} people (${round((performance.now() - t0) / 1000, 1)} s)\n`);
      }
    },
  });
  const generationSeconds = (performance.now() - t0) / 1000;
  const peakRss = process.resourceUsage().maxRSS * 1024;
  collect();
  const held = process.memoryUsage();

  try {
    const c = sandboxes.connection;
    const hubspot = new Client({ accessToken: c.hubspot.accessToken, basePath: c.hubspot.baseUrl, numberOfApiCallRetries: 0 });
    const contacts = sandboxes.hubspot.store.table('contacts');
    const idsAt = (start: number) => Array.from({ length: 100 }, (_, k) => contacts.idOf((start + k) % Math.max(1, contacts.rows)));
    const stride = (i: number) => ((i + 1) * 7919) % Math.max(1, contacts.rows - 100);
    const batchRead = await timeCalls(iterations, (i) =>
      hubspot.crm.contacts.batchApi.read({ inputs: idsAt(stride(i)).map((id) => ({ id })), properties: ['email', 'firstname', 'lastname', 'lifecyclestage', 'hubspotscore'], propertiesWithHistory: [] }),
    );
    const batchUpdate = await timeCalls(iterations, (i) =>
      hubspot.crm.contacts.batchApi.update({ inputs: idsAt(stride(i)).map((id) => ({ id, properties: { jobtitle: `Bench title ${i}` } })) }),
    );
    const search = await timeCalls(iterations, (i) =>
      hubspot.crm.contacts.searchApi.doSearch({
        filterGroups: [{ filters: [{ propertyName: 'lifecyclestage', operator: 'EQ' as never, value: 'lead' }] }],
        properties: ['email', 'lifecyclestage'],
        sorts: [],
        limit: 200,
        after: String(Math.max(0, i) * 200 % 9_800),
      }),
    );

    const conn = new jsforce.Connection({ instanceUrl: c.salesforce.instanceUrl, accessToken: c.salesforce.accessToken, version: c.salesforce.version });
    const first = await timeCalls(Math.min(iterations, 10), async () => await conn.query('SELECT Id, Email, FirstName, LastName, Company, Status FROM Lead'));
    let cursor = await conn.query('SELECT Id, Email, FirstName, LastName, Company, Status FROM Lead');
    const page = await timeCalls(iterations, async () => {
      if (cursor.nextRecordsUrl === undefined) cursor = await conn.query('SELECT Id, Email, FirstName, LastName, Company, Status FROM Lead');
      else cursor = await conn.queryMore(cursor.nextRecordsUrl);
    });
    const leads = (await conn.query<{ Id: string }>('SELECT Id FROM Lead WHERE IsConverted = false LIMIT 2000')).records.map((r) => r.Id);
    const collectionsUpdate = await timeCalls(iterations, (i) =>
      conn.sobject('Lead').update(Array.from({ length: 200 }, (_, k) => ({ Id: leads[(Math.max(0, i) * 200 + k) % Math.max(1, leads.length)] ?? '', Title: `Bench ${i}` })), { allOrNone: false }),
    );
    const upsert = await timeCalls(iterations, (i) =>
      conn.sobject('Lead').upsert(Array.from({ length: 200 }, (_, k) => ({ Revloop_HubSpot_Id__c: `bench-${k}`, LastName: `Bench ${k}`, Company: 'Bench Co', Title: `Round ${i}` })), 'Revloop_HubSpot_Id__c'),
    );

    const figures: Figures = {
      people,
      generation_seconds: round(generationSeconds, 1),
      peak_rss_mb: Math.round(peakRss / MB),
      rss_mb: Math.round(held.rss / MB),
      heap_used_mb: Math.round(held.heapUsed / MB),
      array_buffers_mb: Math.round(held.arrayBuffers / MB),
      baseline_rss_mb: Math.round(baseline.rss / MB),
      hubspot_batch_read_100_p50_ms: batchRead.p50,
      hubspot_batch_read_100_p99_ms: batchRead.p99,
      hubspot_batch_update_100_p50_ms: batchUpdate.p50,
      hubspot_batch_update_100_p99_ms: batchUpdate.p99,
      hubspot_search_200_p50_ms: search.p50,
      hubspot_search_200_p99_ms: search.p99,
      salesforce_soql_first_page_p50_ms: first.p50,
      salesforce_soql_page_2000_p50_ms: page.p50,
      salesforce_soql_page_2000_p99_ms: page.p99,
      salesforce_collections_update_200_p50_ms: collectionsUpdate.p50,
      salesforce_collections_update_200_p99_ms: collectionsUpdate.p99,
      salesforce_upsert_200_p50_ms: upsert.p50,
      salesforce_upsert_200_p99_ms: upsert.p99,
      iterations,
    };
    const calls = [
      ['HubSpot batch read 100', batchRead],
      ['HubSpot batch update 100', batchUpdate],
      ['HubSpot search page 200', search],
      ['Salesforce SOQL first page (query)', first],
      ['Salesforce SOQL page 2,000 (queryMore)', page],
      ['Salesforce collections update 200', collectionsUpdate],
      ['Salesforce upsert 200', upsert],
    ] as const;
    process.stdout.write(
      `${table([
        { figure: `generate ${people} people`, value: `${round(generationSeconds, 1)} s` },
        { figure: 'peak RSS (this process)', value: `${Math.round(peakRss / MB)} MB` },
        { figure: 'RSS after a full GC', value: `${Math.round(held.rss / MB)} MB` },
        { figure: 'V8 heap used', value: `${Math.round(held.heapUsed / MB)} MB` },
        { figure: 'array buffers (column stores)', value: `${Math.round(held.arrayBuffers / MB)} MB` },
        { figure: 'RSS before the simulators', value: `${Math.round(baseline.rss / MB)} MB` },
        ...calls.map(([figure, t]) => ({ figure, value: `p50 ${t.p50} ms, p99 ${t.p99} ms` })),
      ])}\n`,
    );
    return figures;
  } finally {
    await sandboxes.close();
  }
}
