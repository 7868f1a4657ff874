/** Every benchmark, its targets (from the issues that ask for them) and how to load it. */
import type { Figures, Target } from './lib/report.js';

export interface BenchmarkModule {
  run(args: string[]): Promise<Figures>;
}

export interface Benchmark {
  description: string;
  targets: Target[];
  load(): Promise<BenchmarkModule>;
}

export const BENCHMARKS: Record<string, Benchmark> = {
  backfill: {
    description: 'a backfill of 100,000 people: calls against the batch minimum, speed with and without rate limits, against a one-call-per-record sync',
    targets: [
      { figure: 'calls_ratio', op: '<=', value: 1.05, label: 'calls / batch minimum' },
      { figure: 'ceiling_ratio', op: '>=', value: 0.9, label: 'rate under limits / ceiling' },
      { figure: 'records_per_s', op: '>=', value: 5000, label: 'records/s (zero latency)' },
      { figure: 'speedup_vs_naive', op: '>=', value: 5, label: 'x the naive rate' },
    ],
    load: () => import('./backfill.js'),
  },
  latency: {
    description: 'live change capture with 50 ms per API call: time from a change to the other system, API calls per change',
    targets: [
      { figure: 'p50_ms', op: '<=', value: 1000, label: 'p50 ms' },
      { figure: 'p99_ms', op: '<=', value: 3000, label: 'p99 ms' },
      { figure: 'calls_per_change', op: '<=', value: 0.1, label: 'calls per change' },
      { figure: 'lost', op: '==', value: 0, label: 'changes lost' },
    ],
    load: () => import('./latency.js'),
  },
  outcomes: {
    description: '10,000 opportunities closing at once: time until every contact shows its roll-ups, HubSpot calls against the minimum',
    targets: [
      { figure: 'calls_ratio', op: '<=', value: 2.5, label: 'HubSpot calls / minimum' },
      { figure: 'seconds', op: '<=', value: 60, label: 'seconds until every contact is right' },
    ],
    load: () => import('./outcomes.js'),
  },
  storage: {
    description: 'what revloop keeps in Redis per person and per lifecycle event, extrapolated to 1,000,000 people',
    targets: [{ figure: 'gb_per_million_people', op: '<=', value: 4, label: 'GB for 1M people with their events' }],
    load: () => import('./storage.js'),
  },
  preview: {
    description: 'revloop preview of a changed lifecycle on 100,000 generated people: the whole base planned twice, nothing written',
    targets: [
      { figure: 'seconds', op: '<=', value: 60, label: 'seconds for the whole base' },
      { figure: 'writes', op: '==', value: 0, label: 'write calls' },
    ],
    load: () => import('./preview.js'),
  },
  sandbox: {
    description: 'both simulators holding 1,000,000 generated people: generation time, memory, cost per call through the real clients',
    targets: [
      { figure: 'peak_rss_mb', op: '<=', value: 1536, label: 'peak RSS MB' },
      { figure: 'generation_seconds', op: '<=', value: 300, label: 'generation s' },
      { figure: 'hubspot_batch_read_100_p50_ms', op: '<=', value: 20, label: 'HubSpot batch read 100 p50 ms' },
      { figure: 'hubspot_batch_update_100_p50_ms', op: '<=', value: 30, label: 'HubSpot batch update 100 p50 ms' },
      { figure: 'hubspot_search_200_p50_ms', op: '<=', value: 100, label: 'HubSpot search 200 p50 ms' },
      { figure: 'salesforce_soql_page_2000_p50_ms', op: '<=', value: 60, label: 'SOQL page 2,000 p50 ms' },
      { figure: 'salesforce_collections_update_200_p50_ms', op: '<=', value: 30, label: 'collections update 200 p50 ms' },
      { figure: 'salesforce_upsert_200_p50_ms', op: '<=', value: 30, label: 'upsert 200 p50 ms' },
    ],
    load: () => import('./sandbox.js'),
  },
  scale: {
    description: 'a backfill of 1,000,000 people by a `revloop worker` process, killed at 50 % and resumed by another: worker memory, speed, resumption, no duplicates',
    targets: [
      { figure: 'peak_rss_mb', op: '<=', value: 400, label: 'worker peak RSS MB' },
      { figure: 'resumed', op: '==', value: 1, label: 'resumed from the checkpoint' },
      { figure: 'duplicates', op: '==', value: 0, label: 'duplicates' },
      { figure: 'missing', op: '==', value: 0, label: 'people missing' },
      { figure: 'parked', op: '==', value: 0, label: 'records parked' },
    ],
    load: () => import('./scale.js'),
  },
  mapping: {
    description: 'validating the shipped mappings (cost of `revloop validate`)',
    targets: [{ figure: 'ms_per_validate', op: '<=', value: 200, label: 'ms per validate' }],
    load: () => import('./mapping.js'),
  },
};
