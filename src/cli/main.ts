/**
 * The revloop command line: a thin composition root. Each command lives in its own file under
 * commands/ and registers itself on the program.
 */
import { Command, CommanderError } from 'commander';
import { isRevloopError } from '../platform/errors.js';
import { registerCommands } from './commands/index.js';

export function buildProgram(): Command {
  const program = new Command('revloop')
    .description(
      'Closes the loop between HubSpot and Salesforce: sync, one lead lifecycle, opportunity outcomes and shared KPIs.',
    )
    .version('0.1.0')
    .showHelpAfterError('(run revloop --help for the list of commands)')
    .exitOverride();
  registerCommands(program);
  return program;
}

export async function runCli(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode;
    }
    if (isRevloopError(err)) {
      process.stderr.write(`revloop: ${err.message}\n`);
      return 1;
    }
    process.stderr.write(`revloop: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 1;
  }
}

const invokedDirectly = process.argv[1] !== undefined && /[\\/](main\.(ts|js)|revloop(\.js)?)$/.test(process.argv[1]);
if (invokedDirectly) {
  const code = await runCli(process.argv);
  // Long-running commands (start, server, worker, sandbox, demo) keep the event loop alive themselves.
  if (code !== 0) process.exit(code);
}
