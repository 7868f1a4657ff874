/**
 * `revloop sandbox [--hubspot-port N] [--salesforce-port N] [--seed N] [--people N] [--activity] ...`: local HubSpot
 * and Salesforce simulators for the demo, tests and rehearsals. The FIRST stdout line is one JSON object with their
 * URLs and credentials (see SandboxConnection); human lines follow; it runs until SIGINT or SIGTERM.
 */
import type { Command } from 'commander';
import { RevloopError } from '../../platform/errors.js';
// Type-only: the simulators (and the data generator) load when `revloop sandbox` runs, not in every revloop process.
import type { Sandboxes, StartSandboxesOptions } from '../../sandbox/start-sandboxes.js';

interface SandboxFlags {
  hubspotPort: string;
  salesforcePort: string;
  host: string;
  seed: string;
  people: string;
  historyDays: string;
  activity: boolean;
  rate: string;
  truthFile?: string;
}

function integer(flag: string, value: string): number {
  if (!/^\d+$/.test(value.trim())) throw new RevloopError('BAD_REQUEST', `--${flag} must be a whole number, got "${value}"`);
  return Number(value);
}

function describe(sandboxes: Sandboxes, seconds: number): string[] {
  const c = sandboxes.connection;
  const lines = [
    `HubSpot simulator     ${c.hubspot.baseUrl}  (portal ${c.hubspot.portalId}, private-app token in line 1)`,
    `Salesforce simulator  ${c.salesforce.instanceUrl}  (API v${c.salesforce.version}${c.salesforce.cometdUrl === null ? '' : `, change events at ${c.salesforce.cometdUrl}`})`,
  ];
  const counts = sandboxes.truth?.aggregates.counts;
  if (counts !== undefined) {
    lines.push(
      `Data: ${counts.people} people (seed ${c.seed}) in ${seconds.toFixed(1)} s: ${counts.inHubSpot} HubSpot contacts, ${counts.leads} Leads and ${counts.contacts} Contacts, ` +
        `${counts.accounts} Accounts, ${counts.opportunities} opportunities, ${sandboxes.truth?.campaigns.length ?? 0} campaigns`,
    );
  } else lines.push('Data: none (empty sandboxes; --people N generates some)');
  if (sandboxes.activity !== undefined) lines.push(`Activity: ${sandboxes.activity.rate} changes a second`);
  lines.push('Press Ctrl-C to stop.');
  return lines;
}

/** Starts the sandboxes, prints the connection line and waits for `stop` (a signal); then closes them. */
export async function runSandbox(options: StartSandboxesOptions, stop: Promise<string>, out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<void> {
  const started = performance.now();
  let lastShown = 0;
  const { startSandboxes } = await import('../../sandbox/start-sandboxes.js');
  const sandboxes = await startSandboxes({
    ...options,
    onProgress: (done, total) => {
      if (done === total || done - lastShown >= 100_000) {
        lastShown = done;
        err.write(`generated ${done} of ${total} people\n`);
      }
    },
  });
  out.write(`${JSON.stringify(sandboxes.connection)}\n`);
  for (const line of describe(sandboxes, (performance.now() - started) / 1000)) out.write(`${line}\n`);
  const signal = await stop;
  err.write(`${signal}: stopping the sandboxes\n`);
  await sandboxes.close();
}

/** Resolves with the name of the first SIGINT or SIGTERM. */
function nextSignal(): Promise<string> {
  return new Promise((resolve) => {
    const on = (name: string) => () => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(name);
    };
    const onInt = on('SIGINT');
    const onTerm = on('SIGTERM');
    process.once('SIGINT', onInt);
    process.once('SIGTERM', onTerm);
  });
}

export function registerSandbox(program: Command): void {
  program
    .command('sandbox')
    .description('Start local simulators of the HubSpot and Salesforce APIs; the first stdout line is a JSON object with their URLs and credentials.')
    .option('--hubspot-port <n>', 'port for the HubSpot simulator (0 = any free port)', '0')
    .option('--salesforce-port <n>', 'port for the Salesforce simulator (0 = any free port)', '0')
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--seed <n>', 'seed of the data generator and the activity', '1')
    .option('--people <n>', 'number of people to generate', '0')
    .option('--history-days <n>', 'days of generated history before now', '365')
    .option('--activity', 'simulate marketing and sales activity', false)
    .option('--rate <n>', 'changes a second made by --activity', '2')
    .option('--truth-file <path>', 'write the ground truth of the generated data to this JSON file')
    .action(async (flags: SandboxFlags) => {
      const rate = Number(flags.rate);
      if (!(rate > 0)) throw new RevloopError('BAD_REQUEST', `--rate must be a positive number, got "${flags.rate}"`);
      const options: StartSandboxesOptions = {
        hubspotPort: integer('hubspot-port', flags.hubspotPort),
        salesforcePort: integer('salesforce-port', flags.salesforcePort),
        host: flags.host,
        seed: integer('seed', flags.seed),
        people: integer('people', flags.people),
        historyDays: integer('history-days', flags.historyDays),
        activity: flags.activity ? { rate } : false,
        ...(flags.truthFile === undefined ? {} : { truthFile: flags.truthFile }),
      };
      await runSandbox(options, nextSignal());
    });
}
