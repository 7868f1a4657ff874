/**
 * Both simulators in one call, sharing one clock: HubSpot and Salesforce (with Change Data Capture), optionally filled
 * with generated people and kept busy by the activity driver. `revloop sandbox` and the demo use it.
 *
 *   const sandboxes = await startSandboxes({ people: 1000, seed: 7, activity: true });
 *   sandboxes.connection  // URLs and credentials for the real clients (the first line `revloop sandbox` prints)
 *   await sandboxes.close();
 */
import { z } from 'zod';
import { RevloopError } from '../platform/errors.js';
import { ActivityDriver } from './activity/activity-driver.js';
import { activityOptionsSchema } from './activity/options.js';
import { generateDataset } from './generator/generate-dataset.js';
import { SandboxClock } from './generator/sandbox-clock.js';
import type { GroundTruth } from './generator/truth.js';
import { startHubSpotSandbox, type HubSpotSandbox, type HubSpotSandboxOptions } from './hubspot/index.js';
import { startSalesforceSandbox, type SalesforceSandbox, type SalesforceSandboxOptions } from './salesforce/index.js';

const port = z.number().int().min(0).max(65535);

export const startSandboxesSchema = z.strictObject({
  hubspotPort: port.default(0),
  salesforcePort: port.default(0),
  host: z.string().min(1).default('127.0.0.1'),
  seed: z.number().int().min(0).max(0xffffffff).default(1),
  /** People to generate (0: empty sandboxes). */
  people: z.number().int().min(0).max(5_000_000).default(0),
  historyDays: z.number().int().min(7).max(3650).default(365),
  /** Also write the ground truth as JSON to this file. */
  truthFile: z.string().min(1).optional(),
  /** Keep every generated person in `truth` (default: up to 200,000 people). */
  keepDetails: z.boolean().optional(),
  /** Start the activity driver (true: 2 changes a second), or its options. */
  activity: z.union([z.boolean(), activityOptionsSchema.omit({ seed: true })]).default(false),
});

export type StartSandboxesOptions = z.input<typeof startSandboxesSchema> & {
  /** The base clock (default the wall clock); the generator steers it while it writes history. */
  now?: () => number;
  /** More HubSpot simulator options (webhooks, faults, rate limits, credentials). */
  hubspot?: Omit<HubSpotSandboxOptions, 'port' | 'host' | 'now' | 'store'>;
  /** More Salesforce simulator options (faults, limits, CDC options, credentials). */
  salesforce?: Omit<SalesforceSandboxOptions, 'port' | 'host' | 'now'>;
  onProgress?: (people: number, total: number) => void;
};

/** What a client needs to reach the sandboxes: `revloop sandbox` prints it as its first line. */
export interface SandboxConnection {
  hubspot: { baseUrl: string; accessToken: string; appId: number; clientId: string; clientSecret: string; portalId: number };
  salesforce: {
    instanceUrl: string;
    loginUrl: string;
    accessToken: string;
    clientId: string;
    clientSecret: string;
    version: string;
    orgId: string;
    /** The CometD endpoint of Change Data Capture (null when it is off). */
    cometdUrl: string | null;
  };
  seed: number;
  people: number;
}

export interface Sandboxes {
  hubspot: HubSpotSandbox;
  salesforce: SalesforceSandbox;
  clock: SandboxClock;
  /** The generated data's ground truth (undefined when no people were asked for). */
  truth: GroundTruth | undefined;
  activity: ActivityDriver | undefined;
  connection: SandboxConnection;
  close(): Promise<void>;
}

export async function startSandboxes(options: StartSandboxesOptions = {}): Promise<Sandboxes> {
  const { now, hubspot: hubspotExtra, salesforce: salesforceExtra, onProgress, ...plain } = options;
  const parsed = startSandboxesSchema.safeParse(plain);
  if (!parsed.success) {
    throw new RevloopError('BAD_REQUEST', `Invalid sandbox options:\n  ${parsed.error.issues.map((i) => `${i.path.join('.') || '(options)'}: ${i.message}`).join('\n  ')}`);
  }
  const settings = parsed.data;
  const clock = new SandboxClock(now);
  const hubspot = await startHubSpotSandbox({ ...hubspotExtra, port: settings.hubspotPort, host: settings.host, now: clock.now });
  let salesforce: SalesforceSandbox;
  try {
    salesforce = await startSalesforceSandbox({ ...salesforceExtra, port: settings.salesforcePort, host: settings.host, now: clock.now });
  } catch (err) {
    await hubspot.close();
    throw err;
  }
  let activity: ActivityDriver | undefined;
  const close = async (): Promise<void> => {
    activity?.close();
    await Promise.all([hubspot.close(), salesforce.close()]);
  };
  try {
    const truth =
      settings.people === 0
        ? undefined
        : await generateDataset({
            seed: settings.seed,
            people: settings.people,
            historyDays: settings.historyDays,
            hubspot: hubspot.store,
            salesforce: salesforce.store,
            clock,
            ...(settings.truthFile === undefined ? {} : { truthFile: settings.truthFile }),
            ...(settings.keepDetails === undefined ? {} : { keepDetails: settings.keepDetails }),
            ...(onProgress === undefined ? {} : { onProgress }),
          });
    if (settings.activity !== false) {
      activity = new ActivityDriver({ hubspot: hubspot.store, salesforce: salesforce.store, seed: settings.seed, ...(settings.activity === true ? {} : settings.activity) });
      activity.start();
    }
    const connection: SandboxConnection = {
      hubspot: {
        baseUrl: hubspot.baseUrl,
        accessToken: hubspot.accessToken,
        appId: hubspot.appId,
        clientId: hubspot.clientId,
        clientSecret: hubspot.clientSecret,
        portalId: hubspot.portalId,
      },
      salesforce: {
        instanceUrl: salesforce.instanceUrl,
        loginUrl: salesforce.loginUrl,
        accessToken: salesforce.accessToken,
        clientId: salesforce.clientId,
        clientSecret: salesforce.clientSecret,
        version: salesforce.version,
        orgId: salesforce.orgId,
        cometdUrl: salesforce.cdc === undefined ? null : `${salesforce.instanceUrl}${salesforce.cdc.endpoint()}`,
      },
      seed: settings.seed,
      people: settings.people,
    };
    return { hubspot, salesforce, clock, truth, activity, connection, close };
  } catch (err) {
    await close();
    throw err;
  }
}
