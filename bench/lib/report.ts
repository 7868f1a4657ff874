/**
 * Shared output of every benchmark: a human table, then, as the LAST line on stdout, one JSON object
 * with the figures (what `npm run bench` collects). Results are also written to bench/results/<name>.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type Figures = Record<string, number | string | boolean>;

export interface Target {
  figure: string;
  op: '<=' | '>=' | '==';
  value: number;
  label?: string;
}

export const RESULTS_DIR = join(import.meta.dirname, '..', 'results');

export function table(rows: Array<Record<string, string | number>>): string {
  if (rows.length === 0) return '';
  const headers = Object.keys(rows[0] as object);
  const cells = rows.map((r) => headers.map((h) => String(r[h] ?? '')));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (values: string[]) => values.map((v, i) => (/^-?[\d.,]+( ?[a-zµ%/]+)?$/i.test(v) ? v.padStart(widths[i] ?? 0) : v.padEnd(widths[i] ?? 0))).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

export function meets(target: Target, figures: Figures): boolean | undefined {
  const v = figures[target.figure];
  if (typeof v !== 'number') return undefined;
  return target.op === '<=' ? v <= target.value : target.op === '>=' ? v >= target.value : v === target.value;
}

/** Prints the figures as the last stdout line and stores them. */
export function emit(name: string, figures: Figures): void {
  const record = { bench: name, ...figures };
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(join(RESULTS_DIR, `${name}.json`), `${JSON.stringify({ ...record, at: new Date().toISOString() }, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(record)}\n`);
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
