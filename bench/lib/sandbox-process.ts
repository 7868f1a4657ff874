/**
 * The simulators in their own process for a benchmark, loaded with a people split the benchmark
 * controls (only in HubSpot, only in Salesforce, in both with the same email). Its first stdout line
 * is JSON with the endpoints and the counts; it serves until SIGTERM. Call counts are read through
 * the simulators' /__sandbox/calls endpoints. `vendor` serves one simulator only: a benchmark runs each
 * vendor in its own process, as HubSpot and Salesforce are separate services (one process serving both
 * queues HubSpot's reads behind Salesforce's writes, which no real deployment sees).
 *
 *   tsx bench/lib/sandbox-process.ts '{"hubspotOnly":40000,"salesforceOnly":40000,"both":20000,"rateLimits":false}'
 */
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { startHubSpotSandbox } from '../../src/sandbox/hubspot/index.js';
import { startSalesforceSandbox } from '../../src/sandbox/salesforce/index.js';

const optionsSchema = z.object({
  hubspotOnly: z.number().int().min(0),
  salesforceOnly: z.number().int().min(0),
  both: z.number().int().min(0),
  rateLimits: z.boolean().default(false),
  latencyMs: z.number().int().min(0).default(0),
  vendor: z.enum(['hubspot', 'salesforce', 'both']).default('both'),
});

export type SandboxProcessOptions = z.input<typeof optionsSchema>;

export interface SandboxProcessInfo {
  hubspot: { baseUrl: string; accessToken: string; appId: number };
  salesforce: { instanceUrl: string; accessToken: string; version: string };
  people: { hubspotOnly: number; salesforceOnly: number; both: number };
}

const CHUNK = 50_000;

async function main(): Promise<void> {
  const options = optionsSchema.parse(JSON.parse(process.argv[2] ?? '{}'));
  const faults = { latencyMs: options.latencyMs };
  const withHubSpot = options.vendor !== 'salesforce';
  const withSalesforce = options.vendor !== 'hubspot';
  const hubspot = withHubSpot ? await startHubSpotSandbox({ rateLimits: { enabled: options.rateLimits }, faults }) : undefined;
  const salesforce = withSalesforce ? await startSalesforceSandbox({ dailyApiLimit: 100_000_000, faults, changeDataCapture: false } as Parameters<typeof startSalesforceSandbox>[0]) : undefined;
  const { hubspotOnly, salesforceOnly, both } = options;
  const email = (i: number) => `person${i}@company${i % 997}.example`;
  const hsTotal = hubspot ? hubspotOnly + both : 0;
  for (let start = 0; start < hsTotal; start += CHUNK) {
    const n = Math.min(CHUNK, hsTotal - start);
    hubspot?.store.createMany(
      'contacts',
      Array.from({ length: n }, (_, k) => {
        const i = start + k;
        return { properties: { email: email(i), firstname: `First${i}`, lastname: `Last${i}`, company: `Company ${i % 997}`, jobtitle: i % 3 ? 'Engineer' : 'Director', hubspotscore: String(i % 100), phone: `+1 555 01${String(i % 100).padStart(2, '0')}` } };
      }),
      { actor: { source: 'CRM_UI' }, quiet: true },
    );
  }
  // Salesforce holds the shared people (indexes hubspotOnly..hsTotal) and its own after them.
  const sfTotal = salesforce ? both + salesforceOnly : 0;
  for (let start = 0; start < sfTotal; start += CHUNK) {
    const n = Math.min(CHUNK, sfTotal - start);
    salesforce?.store.insertMany(
      'Lead',
      Array.from({ length: n }, (_, k) => {
        const i = hubspotOnly + start + k;
        return { Email: email(i), FirstName: `First${i}`, LastName: `Last${i}`, Company: `Company ${i % 997}`, Title: i % 2 ? 'Manager' : null, Rating: i % 3 ? 'Warm' : 'Hot' };
      }),
      // entered by the org's people, not by revloop's integration user
      { emitChanges: false, origin: 'ui' },
    );
  }
  const info: Partial<SandboxProcessInfo> = {
    ...(hubspot ? { hubspot: { baseUrl: hubspot.baseUrl, accessToken: hubspot.accessToken, appId: hubspot.privateAppId } } : {}),
    ...(salesforce ? { salesforce: { instanceUrl: salesforce.instanceUrl, accessToken: salesforce.accessToken, version: salesforce.version } } : {}),
    people: { hubspotOnly, salesforceOnly, both },
  };
  // BENCH_PROFILE_DIR=dir: a CPU profile of the serving only (loading the people is left out), written on SIGTERM.
  const profileDir = process.env.BENCH_PROFILE_DIR;
  const profiler = profileDir ? new Session() : undefined;
  if (profiler) {
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
  }
  process.stdout.write(`${JSON.stringify(info)}\n`);
  const loadedCpu = process.cpuUsage();
  const stop = async () => {
    if (profiler && profileDir) {
      const { profile } = await profiler.post('Profiler.stop');
      writeFileSync(join(profileDir, `sandbox-${options.vendor}-${process.pid}.cpuprofile`), JSON.stringify(profile));
    }
    if (process.env.REVLOOP_BENCH_DEBUG) {
      const cpu = process.cpuUsage(loadedCpu);
      process.stderr.write(`sandbox process cpu after loading: ${Math.round((cpu.user + cpu.system) / 1000)} ms\n`);
    }
    await Promise.allSettled([hubspot?.close(), salesforce?.close()]);
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}

await main();
