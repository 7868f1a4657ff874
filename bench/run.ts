/**
 * `npm run bench -- <name> [options]` runs one benchmark; `npm run bench` runs them all, each in its
 * own process (so memory figures are its own), and prints one summary table of figure, target and
 * status, with the results under bench/results/.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BENCHMARKS } from './registry.js';
import { emit, meets, RESULTS_DIR, table, type Figures, type Target } from './lib/report.js';

async function runOne(name: string, args: string[]): Promise<void> {
  const bench = BENCHMARKS[name];
  if (!bench) {
    process.stderr.write(`unknown benchmark "${name}"; available: ${Object.keys(BENCHMARKS).join(', ')}\n`);
    process.exit(1);
  }
  const mod = await bench.load();
  const figures = await mod.run(args);
  emit(name, figures);
  // The figures are out: a handle left open must not hang the suite. Say so and leave.
  setTimeout(() => {
    process.stderr.write(`bench ${name}: something kept the process alive 10 s after its figures; exiting\n`);
    process.exit(process.exitCode ?? 0);
  }, 10_000).unref();
}

/** How far a missed figure is from its target, in its unit and in percent. */
function gapOf(target: Target, figures: Figures): string {
  const v = figures[target.figure];
  if (typeof v !== 'number') return '';
  const diff = v - target.value;
  const pct = target.value !== 0 ? ` (${diff > 0 ? '+' : ''}${Math.round((diff / target.value) * 100)} %)` : '';
  return `${diff > 0 ? '+' : ''}${Math.round(diff * 1000) / 1000}${pct}`;
}

function runAll(args: string[]): void {
  const rows: Array<Record<string, string | number>> = [];
  const summary: Record<string, Figures> = {};
  let failed = false;
  for (const [name, bench] of Object.entries(BENCHMARKS)) {
    process.stderr.write(`\n== ${name}: ${bench.description}\n`);
    const child = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'run.ts'), name, ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 64 * 1024 * 1024,
    });
    process.stdout.write(child.stdout);
    const last = child.stdout.trim().split('\n').pop() ?? '';
    let figures: Figures | undefined;
    try {
      figures = JSON.parse(last) as Figures;
    } catch {
      figures = undefined;
    }
    if (child.status !== 0 || !figures) {
      failed = true;
      rows.push({ bench: name, figure: '(run)', value: `exit ${child.status}`, target: '', status: 'FAILED', gap: '' });
      continue;
    }
    summary[name] = figures;
    for (const target of bench.targets) {
      const ok = meets(target, figures);
      if (ok === false) failed = true;
      rows.push({ bench: name, figure: target.label ?? target.figure, value: String(figures[target.figure] ?? '—'), target: `${target.op} ${target.value}`, status: ok === undefined ? 'n/a' : ok ? 'met' : 'MISSED', gap: ok === false ? gapOf(target, figures) : '' });
    }
  }
  process.stdout.write(`\n${table(rows)}\n`);
  if (failed) process.stdout.write('Why each missed target is missed: docs/BENCHMARKS.md.\n');
  writeFileSync(join(RESULTS_DIR, 'summary.json'), `${JSON.stringify({ at: new Date().toISOString(), results: summary }, null, 2)}\n`);
  process.exitCode = failed ? 1 : 0;
}

const [name, ...rest] = process.argv.slice(2).filter((a) => a !== '--');
if (name && !name.startsWith('-')) await runOne(name, rest);
else runAll(process.argv.slice(2).filter((a) => a !== '--'));
