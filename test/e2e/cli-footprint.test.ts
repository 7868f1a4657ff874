/**
 * What every revloop process loads: the simulators and their data generator (faker, a SOQL parser,
 * a Bayeux server) belong to `revloop sandbox` only. Loaded by every command, they cost each worker
 * about 50 MB of memory.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

function modulesLoadedBy(args: string[]): string[] {
  const run = spawnSync(process.execPath, ['--import', join(ROOT, 'test', 'fixtures', 'module-log', 'register.mjs'), join(ROOT, 'bin', 'revloop.js'), ...args], { cwd: ROOT, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
  return run.stderr
    .split('\n')
    .filter((l) => l.startsWith('LOADED '))
    .map((l) => l.slice('LOADED '.length));
}

describe('modules a revloop command loads', () => {
  it('leaves the simulators and the data generator to `revloop sandbox`', () => {
    const loaded = modulesLoadedBy(['validate', '--dir', join(ROOT, 'mappings')]);
    expect(loaded.some((url) => url.includes('/src/config/mapping/'))).toBe(true);
    expect(loaded.filter((url) => url.includes('/src/sandbox/'))).toEqual([]);
    expect(loaded.filter((url) => url.includes('/node_modules/@faker-js/'))).toEqual([]);
  }, 60_000);
});
