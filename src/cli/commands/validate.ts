/** `revloop validate [--dir DIR] [--json]`: checks the mappings; exit 0 when valid, 1 when not. */
import type { Command } from 'commander';
import { loadMappings } from '../../config/mapping/load.js';
import { formatProblem } from '../../config/mapping/problems.js';
import { RevloopError } from '../../platform/errors.js';

interface ValidateOptions {
  dir: string;
  json: boolean;
  live: boolean;
}

export async function runValidate(options: ValidateOptions, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  if (options.live) {
    throw new RevloopError('NOT_AVAILABLE_YET', 'revloop validate --live is not available yet: it needs a configured connection (issue 4). Run without --live to check the files.');
  }
  const result = await loadMappings(options.dir);
  const valid = result.errors === 0;
  if (options.json) {
    out.write(`${JSON.stringify({ valid, dir: options.dir, errors: result.errors, warnings: result.warnings, problems: result.problems }, null, 2)}\n`);
  } else {
    for (const problem of result.problems) out.write(`${formatProblem(problem)}\n`);
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
    .option('--live', 'also check against the live HubSpot and Salesforce schemas', false)
    .action(async (options: ValidateOptions) => {
      process.exitCode = await runValidate(options);
    });
}
