/**
 * `revloop preview [--dir DIR] [--object contacts|companies|all] [--sample N] [--sample-only] [--json] [--connection ID]`:
 * what the mappings in DIR would change against the ones in force (REVLOOP_MAPPINGS_DIR, or the
 * connection's own), on a sample first and then on the whole base, writing nothing.
 */
import type { Command } from 'commander';
import { loadMappings } from '../../config/mapping/load.js';
import type { MappingSet } from '../../config/mapping/mapping-set.js';
import { formatProblem } from '../../config/mapping/problems.js';
import { RevloopError } from '../../platform/errors.js';
import type { PairObject } from '../../state/link-store.js';
import { preview, type PreviewReport, type PreviewResult } from '../../worker/preview/run-preview.js';
import type { SyncContext } from '../../worker/sync/sync-context.js';
import { withConnection } from '../connection-context.js';
import { formatImpact } from '../format-impact.js';

export interface PreviewFlags {
  dir: string;
  object: string;
  sample: string;
  sampleOnly: boolean;
  json: boolean;
  connection?: string;
}

function pairsOf(object: string): PairObject[] {
  if (object === 'all') return ['contacts', 'companies'];
  if (object === 'contacts' || object === 'companies') return [object];
  throw new RevloopError('BAD_REQUEST', `--object must be contacts, companies or all, not "${object}"`);
}

/** Loads DIR; an invalid directory is reported problem by problem (file:line) and stops the preview. */
export async function loadChanged(dir: string, err: NodeJS.WritableStream): Promise<MappingSet> {
  const loaded = await loadMappings(dir);
  if (!loaded.set) {
    for (const problem of loaded.problems) err.write(`${formatProblem(problem)}\n`);
    throw new RevloopError('CONFIG_INVALID', `the mappings in ${dir} are invalid (${loaded.errors} error${loaded.errors === 1 ? '' : 's'}); nothing was previewed`);
  }
  return loaded.set;
}

/** Runs the preview on `ctx` and prints it (text or JSON lines). */
export async function printPreview(ctx: SyncContext, changed: MappingSet, flags: Omit<PreviewFlags, 'dir' | 'connection'>, out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<PreviewResult> {
  if (!/^\d+$/.test(flags.sample)) throw new RevloopError('BAD_REQUEST', `--sample must be a whole number, got "${flags.sample}"`);
  const order = [...changed.lifecycle.stages.map((s) => s.id), ...changed.lifecycle.detours.map((d) => d.id)];
  const onReport = (r: PreviewReport) => {
    if (flags.json) {
      if (r.kind !== 'progress') out.write(`${JSON.stringify(r)}\n`);
      return;
    }
    if (r.kind === 'progress') err.write(`\r${r.pair}: ${r.scanned.toLocaleString('en-US')} records read (${r.seconds.toFixed(1)} s)`);
    else {
      err.write('\n');
      const title = r.kind === 'sample' ? `Sample (the first ${r.scanned.toLocaleString('en-US')} ${r.pair} read)` : `Whole base: ${r.pair} (${r.seconds.toFixed(1)} s)`;
      out.write(`${formatImpact(title, r.impact, order).join('\n')}\n\n`);
    }
  };
  return preview(ctx, { changed, pairs: pairsOf(flags.object), sample: Number(flags.sample), sampleOnly: flags.sampleOnly, onReport });
}

export async function runPreviewCommand(flags: PreviewFlags, out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  pairsOf(flags.object);
  const changed = await loadChanged(flags.dir, err);
  await withConnection(flags.connection, (ctx) => printPreview(ctx, changed, flags, out, err));
  return 0;
}

export function registerPreview(program: Command): void {
  program
    .command('preview')
    .description('Report what a changed lifecycle or mapping would change (a from → to stage matrix, fields that would get another value, records created), on a sample and then the whole base. Writes nothing.')
    .option('--dir <dir>', 'the changed mappings directory', 'mappings')
    .option('--object <object>', 'contacts, companies or all', 'all')
    .option('--sample <n>', 'people in the first (sample) report; 0 for none', '1000')
    .option('--sample-only', 'stop after the sample', false)
    .option('--json', 'print each report as one JSON line', false)
    .option('--connection <id>', 'the connection (needed when there are several)')
    .action(async (flags: PreviewFlags) => {
      process.exitCode = await runPreviewCommand(flags);
    });
}
