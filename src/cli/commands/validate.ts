import type { Command } from 'commander';
import { notAvailableYet } from '../not-available.js';

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('Validate the mappings directory.')
    .option('--dir <dir>', 'the mappings directory', 'mappings')
    .option('--json', 'print the problems as JSON', false)
    .option('--live', 'also check against the live HubSpot and Salesforce schemas', false)
    .action(notAvailableYet('validate', 'being written.'));
}
