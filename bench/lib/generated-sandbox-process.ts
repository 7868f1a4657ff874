/**
 * The simulators loaded by the data generator (a realistic revenue team's history), in their own
 * process for a benchmark. The first stdout line is the connection JSON (as `revloop sandbox`
 * prints it); it serves until SIGTERM. Rate limits are off: the benchmark reports what they would
 * allow separately.
 *
 *   tsx bench/lib/generated-sandbox-process.ts '{"people":100000,"seed":7}'
 */
import { z } from 'zod';
import { startSandboxes } from '../../src/sandbox/start-sandboxes.js';

const optionsSchema = z.object({ people: z.number().int().min(0), seed: z.number().int().min(0).default(7) });

const options = optionsSchema.parse(JSON.parse(process.argv[2] ?? '{}'));
const sandboxes = await startSandboxes({
  people: options.people,
  seed: options.seed,
  hubspot: { rateLimits: { enabled: false } },
  salesforce: { dailyApiLimit: 100_000_000, changeDataCapture: false },
});
process.stdout.write(`${JSON.stringify(sandboxes.connection)}\n`);
process.once('SIGTERM', () => {
  void sandboxes.close().then(() => process.exit(0));
});
