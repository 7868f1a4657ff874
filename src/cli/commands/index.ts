import type { Command } from 'commander';
import { loadEnv } from '../../config/env.js';
import { registerBackfill } from './backfill.js';
import { registerDemo } from './demo.js';
import { registerDlq } from './dlq.js';
import { registerPreview } from './preview.js';
import { registerReport } from './report.js';
import { registerSandbox } from './sandbox.js';
import { registerValidate } from './validate.js';

/** Registers every revloop command. Commands whose feature has not landed say so and exit 1. */
export function registerCommands(program: Command): void {
  registerValidate(program);

  registerDemo(program);

  program
    .command('start')
    .description('Run the server and a worker in one process (small installs).')
    .action(async () => {
      // Configuration first: a bad environment is reported in full before anything starts.
      const env = loadEnv();
      const { runStartProcess } = await import('../start.js');
      await runStartProcess(env);
    });

  program
    .command('server')
    .description('Run the HTTP server: OAuth install, webhooks, admin API, dashboard, metrics.')
    .action(async () => {
      // Configuration first: a bad environment is reported in full before anything starts.
      const env = loadEnv();
      const { runServerProcess } = await import('../../server/main.js');
      await runServerProcess(env);
    });

  program
    .command('worker')
    .description('Run a worker that processes sync, lifecycle and outcome jobs (run several on several machines against one Redis).')
    .action(async () => {
      // Configuration first: a bad environment is reported in full before anything starts.
      const env = loadEnv();
      const { runWorkerProcess } = await import('../../worker/main.js');
      await runWorkerProcess(env);
    });

  registerSandbox(program);

  registerPreview(program);

  registerBackfill(program);

  registerReport(program);

  registerDlq(program);
}
