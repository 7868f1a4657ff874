/** Plain-text rendering of a preview's impact: the stage matrix, field changes, creations, invalid values. */
import type { ImpactReport } from '../core/preview/impact.js';

function pad(s: string, n: number, right = false): string {
  return right ? s.padStart(n) : s.padEnd(n);
}

/** The from → to matrix: rows are the stages now (mappings in force), columns the stages under the change. */
export function formatMatrix(impact: ImpactReport, order: readonly string[] = []): string[] {
  const stages = new Set<string>(order);
  for (const [from, row] of Object.entries(impact.matrix)) {
    stages.add(from);
    for (const to of Object.keys(row)) stages.add(to);
  }
  const present = [...stages].filter((s) => impact.matrix[s] || Object.values(impact.matrix).some((row) => row[s]));
  if (present.length === 0) return ['(no people)'];
  const width = Math.max(10, ...present.map((s) => s.length + 1));
  const lines = [`${pad('from \\ to', width)}${present.map((s) => pad(s, width, true)).join('')}`];
  for (const from of present) {
    const row = impact.matrix[from] ?? {};
    lines.push(`${pad(from, width)}${present.map((to) => pad(row[to] ? row[to].toLocaleString('en-US') : '.', width, true)).join('')}`);
  }
  return lines;
}

export function formatImpact(title: string, impact: ImpactReport, order: readonly string[] = []): string[] {
  const lines = [`${title}: ${impact.records.toLocaleString('en-US')} records, ${impact.moving.toLocaleString('en-US')} would change stage`];
  if (Object.keys(impact.matrix).length > 0) lines.push('', 'Stage now (rows) → stage with the change (columns):', ...formatMatrix(impact, order));
  const fields = impact.fields.filter((f) => f.changes > 0 || f.dropped > 0);
  lines.push('', fields.length === 0 ? 'No field would get another value.' : 'Fields that would get another value:');
  for (const f of fields) {
    lines.push(`  ${f.system}.${f.object}.${f.field}: ${f.changes.toLocaleString('en-US')} records${f.dropped > 0 ? `, ${f.dropped.toLocaleString('en-US')} no longer written` : ''}`);
    for (const s of f.samples.slice(0, 3)) lines.push(`      ${s.record}: now ${JSON.stringify(s.now)}, in force ${JSON.stringify(s.current)}, with the change ${JSON.stringify(s.changed)}`);
  }
  const creations = Object.entries(impact.creations).filter(([, c]) => c.current !== c.changed);
  if (creations.length > 0) {
    lines.push('', 'Records created:');
    for (const [what, c] of creations) lines.push(`  ${what}: ${c.current.toLocaleString('en-US')} in force → ${c.changed.toLocaleString('en-US')} with the change`);
  }
  const invalid = Object.entries(impact.invalid);
  if (invalid.length > 0) {
    lines.push('', 'Values the change could not write (these records would be parked):');
    for (const [field, v] of invalid) lines.push(`  ${field}: ${v.count.toLocaleString('en-US')} (e.g. ${v.example})`);
  }
  return lines;
}
