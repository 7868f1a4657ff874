/** The revloop command as users run it: a real process through bin/revloop.js. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempMappingsDir } from '../helpers/mappings.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'revloop.js');

function revloop(args: string[], env: Record<string, string> = {}) {
  const clean: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' };
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...clean, ...env }, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const cleanups: Array<() => void> = [];
afterAll(() => cleanups.forEach((c) => c()));

describe('revloop validate', () => {
  it('accepts the shipped mappings (exit 0)', () => {
    const run = revloop(['validate']);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('mappings: valid (0 errors');
    expect(run.code).toBe(0);
  });

  it('refuses a broken directory with file:line and key (exit 1), as text and JSON', () => {
    const tmp = tempMappingsDir({ 'contacts.yaml': 'version: 1\npair:\n  hubspot: contacts\n  salesforce: [Lead]\n  extra: 1\n' });
    cleanups.push(tmp.cleanup);
    const run = revloop(['validate', '--dir', tmp.dir]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`${join(tmp.dir, 'contacts.yaml')}:5:3: error: pair.extra: unknown key "extra"`);
    const json = revloop(['validate', '--dir', tmp.dir, '--json']);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as { valid: boolean; errors: number };
    expect(report.valid).toBe(false);
    expect(report.errors).toBeGreaterThan(1);
  });

  it('reports a missing directory clearly', () => {
    const run = revloop(['validate', '--dir', '/nonexistent/mappings']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('/nonexistent/mappings: error: mappings directory does not exist');
  });
});

describe('the other commands', () => {
  it('lists every command of the product in --help', () => {
    const run = revloop(['--help']);
    expect(run.code).toBe(0);
    for (const command of ['demo', 'start', 'server', 'worker', 'sandbox', 'validate', 'preview', 'backfill', 'report', 'dlq']) {
      expect(run.stdout).toMatch(new RegExp(`\\n  ${command}\\b`));
    }
  });

  it('refuses an unknown command (exit 1)', () => {
    const run = revloop(['sync-everything']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("unknown command 'sync-everything'");
  });

  it('lists every bad environment variable at once and exits 1', () => {
    const run = revloop(['worker'], { PORT: 'eighty', LOG_LEVEL: 'loud', HUBSPOT_AUTH_MODE: 'private-app', SALESFORCE_AUTH_MODE: 'oauth', REVLOOP_ENCRYPTION_KEY: 'short' });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    const bad = ['PORT', 'LOG_LEVEL', 'HUBSPOT_PRIVATE_APP_TOKEN', 'REVLOOP_ENCRYPTION_KEY', 'REVLOOP_ADMIN_TOKEN', 'SALESFORCE_CLIENT_ID', 'SALESFORCE_CLIENT_SECRET', 'REVLOOP_PUBLIC_URL'];
    for (const variable of bad) expect(run.stderr).toContain(`  ${variable}: `);
    expect(run.stderr).toContain(`${bad.length} environment variables are missing or invalid`);
    expect(run.stderr.match(/cannot start/g)).toHaveLength(1);
  });
});
