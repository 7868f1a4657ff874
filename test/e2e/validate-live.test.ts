/** `revloop validate --live`: the mappings against the connection's HubSpot properties and Salesforce fields. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, runRevloop, storeHarnessConnection, type CliRun } from '../helpers/cli-harness.js';
import { shippedText, tempMappingsDir } from '../helpers/mappings.js';
import { startSyncHarness, type SyncHarness } from '../helpers/sync-harness.js';

const KEY = Buffer.alloc(32, 6);
let h: SyncHarness;

function revloop(...args: string[]): Promise<CliRun> {
  return runRevloop(args, cliEnv(h, KEY));
}

beforeAll(async () => {
  h = await startSyncHarness({ connectionId: 'live' });
  await storeHarnessConnection(h, 'live', KEY);
}, 60_000);
afterAll(async () => h?.close());

describe('revloop validate --live', () => {
  it('accepts the shipped mappings against a set-up portal and org', async () => {
    const run = await revloop('validate', '--live');
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/valid \(0 errors/);
    expect(run.stdout).not.toMatch(/live: .*: error/);
    expect(run.status).toBe(0);
  });

  it('names a HubSpot property and a Salesforce field that do not exist, with the fix', async () => {
    const dir = tempMappingsDir({
      'lifecycle.yaml': shippedText('lifecycle').replace('lifecyclestage: opportunity', 'lifecyclestage: pipeline'),
      // HubSpot is the source of this one (always-hubspot): revloop does not create it, so it must exist.
      'contacts.yaml': `${shippedText('contacts').trimEnd()}\n\n  - hubspot: favourite_colour\n    salesforce: { Lead: Favourite_Colour__c }\n    rule: always-hubspot\n    hubspot_type: string\n    salesforce_type: string\n\n  - hubspot: preferred_language\n    salesforce: { Lead: Description }\n    rule: two-way\n    hubspot_type: string\n    salesforce_type: textarea\n`,
    });
    try {
      const run = await revloop('validate', '--live', '--dir', dir.dir);
      expect(run.status).toBe(1);
      expect(run.stdout).toContain('live: hubspot contacts.favourite_colour: error: is mapped but the portal has no such contacts property');
      expect(run.stdout).toMatch(/live: salesforce Lead\.Favourite_Colour__c: error: missing: needed for .*\n {4}fix: create the field Lead\.Favourite_Colour__c/);
      expect(run.stdout).toContain('live: hubspot contacts.lifecyclestage: error: has no option "pipeline" (stage "opportunity" in lifecycle.yaml)');
      // A two-way property revloop creates itself is only mentioned.
      expect(run.stdout).toContain('live: hubspot contacts.preferred_language: info: does not exist yet; revloop creates it on install or on the next backfill');
      expect(run.stdout).toMatch(/invalid \(0 errors/);
    } finally {
      dir.cleanup();
    }
  });
});
