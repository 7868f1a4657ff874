/** `revloop validate [--dir DIR] [--json]`: checks the mappings; exit 0 when valid, 1 when not. */
import type { Command } from 'commander';
import { loadMappings } from '../../config/mapping/load.js';
import { formatProblem } from '../../config/mapping/problems.js';
import type { MappingSet } from '../../config/mapping/mapping-set.js';
import { withConnection } from '../connection-context.js';
import { liveCheck } from '../live-check.js';

interface ValidateOptions {
  dir: string;
  json: boolean;
  live: boolean;
  connection?: string;
}

export async function runValidate(options: ValidateOptions, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const result = await loadMappings(options.dir);
  let valid = result.errors === 0;
  // Against the live portal and org: only for files that are valid on their own.
  const live = options.live && result.set ? await withConnection(options.connection, (ctx) => liveCheck(ctx, result.set as MappingSet)) : undefined;
  if (live?.some((p) => p.severity === 'error')) valid = false;
  if (options.json) {
    out.write(`${JSON.stringify({ valid, dir: options.dir, errors: result.errors, warnings: result.warnings, problems: result.problems, ...(live ? { live } : {}) }, null, 2)}\n`);
  } else {
    for (const problem of result.problems) out.write(`${formatProblem(problem)}\n`);
    for (const p of live ?? []) out.write(`live: ${p.system} ${p.object}.${p.field}: ${p.severity}: ${p.message}${p.fix ? `\n    fix: ${p.fix}` : ''}\n`);
    if (options.live && !result.set) out.write('live: not checked (fix the files first)\n');
    const counts = `${result.errors} error${result.errors === 1 ? '' : 's'}, ${result.warnings} warning${result.warnings === 1 ? '' : 's'}`;
    out.write(valid ? `${options.dir}: valid (${counts})\n` : `${options.dir}: invalid (${counts})\n`);
  }
  return valid ? 0 : 1;
}

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('Check the mapping files (lifecycle, contacts, companies, opportunities): every problem with file:line and a hint. Exit 0 when valid, 1 when not.')
    .option('--dir <dir>', 'the mappings directory', process.env.REVLOOP_MAPPINGS_DIR ?? 'mappings')
    .option('--json', 'print the result as JSON', false)
    .option('--live', 'also check against the connection\'s HubSpot properties and Salesforce fields', false)
    .option('--connection <id>', 'with --live: the connection (needed when there are several)')
    .action(async (options: ValidateOptions) => {
      process.exitCode = await runValidate(options);
    });
}
