/**
 * `revloop` run as an admin runs it, against a sync harness: the connection stored encrypted in the
 * harness's Redis, the bin started as a real process. Asynchronous, so simulators living in the test
 * process keep answering while the command runs.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { SecretBox } from '../../src/platform/secret-box.js';
import { ConnectionStore } from '../../src/state/connection-store.js';
import type { SyncHarness } from './sync-harness.js';

export const REPO_ROOT = join(import.meta.dirname, '..', '..');
export const REVLOOP_BIN = join(REPO_ROOT, 'bin', 'revloop.js');

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The environment a command needs to reach the harness's Redis and decrypt its connection. */
export function cliEnv(h: SyncHarness, key: Buffer): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '', REDIS_URL: h.redis.url, REVLOOP_REDIS_ROOT: h.redis.root, REVLOOP_ENCRYPTION_KEY: key.toString('base64'), REVLOOP_ADMIN_TOKEN: 'a'.repeat(32), LOG_LEVEL: 'warn' };
}

/** Stores the harness's simulators as connection `id` (private-app token, Salesforce session). */
export async function storeHarnessConnection(h: SyncHarness, id: string, key: Buffer): Promise<void> {
  await new ConnectionStore(h.redis.redis, new SecretBox(key), h.redis.root).put(
    { id, hubspot: { baseUrl: h.hubspot.baseUrl }, salesforce: { instanceUrl: h.salesforce.instanceUrl, loginUrl: h.salesforce.loginUrl, version: h.salesforce.version } },
    { hubspot: { kind: 'private-app', token: h.hubspot.accessToken }, salesforce: { kind: 'session', accessToken: h.salesforce.accessToken } },
  );
}

/** Runs `revloop <args>` to its end and collects its output. */
export function runRevloop(args: readonly string[], env: NodeJS.ProcessEnv): Promise<CliRun> {
  const child = spawn(process.execPath, [REVLOOP_BIN, ...args], { cwd: REPO_ROOT, env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('exit', (status) => resolve({ status, stdout, stderr })));
}
