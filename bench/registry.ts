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
  mapping: {
    description: 'validating the shipped mappings (cost of `revloop validate`)',
    targets: [{ figure: 'ms_per_validate', op: '<=', value: 200, label: 'ms per validate' }],
    load: () => import('./mapping.js'),
  },
};
