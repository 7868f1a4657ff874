/** `revloop demo [--port N] [--people N] [--seed N] [--rate N]`: see src/local/demo.ts. Stops cleanly on Ctrl-C. */
import type { Command } from 'commander';
import { RevloopError } from '../../platform/errors.js';

interface DemoFlags {
  port: string;
  host: string;
  people: string;
  seed: string;
  rate: string;
  mappings?: string;
  logLevel: string;
}

function integer(flag: string, value: string): number {
  if (!/^\d+$/.test(value.trim())) throw new RevloopError('BAD_REQUEST', `--${flag} must be a whole number, got "${value}"`);
  return Number(value);
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('Start the sandboxes (generated people, simulated teams at work), Redis (if none is configured), the server and a worker on the embedded default mappings, run the initial sync, then print the dashboard URL.')
    .option('--port <n>', 'port of the server (a free one if taken)', '3000')
    .option('--host <host>', 'address the server listens on', '127.0.0.1')
    .option('--people <n>', 'people to generate', '1500')
    .option('--seed <n>', 'seed of the generated data', '7')
    .option('--rate <n>', 'simulated changes a second (0: none)', '2')
    .option('--mappings <dir>', 'mappings directory (default: the embedded mappings/)')
    .option('--log-level <level>', "revloop's own log lines on stderr", 'warn')
    .action(async (flags: DemoFlags) => {
      const rate = Number(flags.rate);
      if (!Number.isFinite(rate)) throw new RevloopError('BAD_REQUEST', `--rate must be a number, got "${flags.rate}"`);
      const { startDemo } = await import('../../local/demo.js');
      const demo = await startDemo({
        port: integer('port', flags.port),
        host: flags.host,
        people: integer('people', flags.people),
        seed: integer('seed', flags.seed),
        rate,
        ...(flags.mappings ? { mappingsDir: flags.mappings } : {}),
        logLevel: flags.logLevel as 'warn',
      });
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          process.stdout.write(`\n${signal}: stopping the demo…\n`);
          void demo.stop().then(() => {
            process.stdout.write('stopped.\n');
            resolve();
            // Everything is closed; a socket still winding down must not keep the terminal waiting.
            setTimeout(() => process.exit(0), 2000).unref();
          });
        };
        process.once('SIGINT', () => stop('SIGINT'));
        process.once('SIGTERM', () => stop('SIGTERM'));
      });
    });
}
