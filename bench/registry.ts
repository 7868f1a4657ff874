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
  mapping: {
    description: 'validating the shipped mappings (cost of `revloop validate`)',
    targets: [{ figure: 'ms_per_validate', op: '<=', value: 200, label: 'ms per validate' }],
    load: () => import('./mapping.js'),
  },
};
