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
  mapping: {
    description: 'validating the shipped mappings (cost of `revloop validate`)',
    targets: [{ figure: 'ms_per_validate', op: '<=', value: 200, label: 'ms per validate' }],
    load: () => import('./mapping.js'),
  },
};
