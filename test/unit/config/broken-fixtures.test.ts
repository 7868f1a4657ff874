/**
 * Every fixture under test/fixtures/broken-mappings/ is one mistake RevOps could make. Each is laid over
 * a copy of the shipped mappings and must fail validation with a message naming file:line and the key.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runValidate } from '../../../src/cli/commands/validate.js';
import { tempMappingsDir } from '../../helpers/mappings.js';

const ROOT = join(import.meta.dirname, '..', '..', 'fixtures', 'broken-mappings');
const cases = readdirSync(ROOT).filter((name) => /^\d\d-/.test(name)).sort();

interface Expect {
  file: string;
  line: number;
  key: string;
  message: string;
}

function sink(): { stream: NodeJS.WritableStream; text(): string } {
  let out = '';
  const stream = { write: (chunk: string) => ((out += chunk), true) } as unknown as NodeJS.WritableStream;
  return { stream, text: () => out };
}

const cleanups: Array<() => void> = [];
afterAll(() => cleanups.forEach((c) => c()));

describe('broken mapping fixtures', () => {
  it('has at least 15 fixtures', () => {
    expect(cases.length).toBeGreaterThanOrEqual(15);
  });

  it.each(cases)('%s is refused with file:line and key', async (name) => {
    const dir = join(ROOT, name);
    const expected = JSON.parse(readFileSync(join(dir, 'expect.json'), 'utf8')) as Expect;
    const overlay: Record<string, string> = {};
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml'))) overlay[file] = readFileSync(join(dir, file), 'utf8');
    const tmp = tempMappingsDir(overlay);
    cleanups.push(tmp.cleanup);

    const human = sink();
    expect(await runValidate({ dir: tmp.dir, json: false, live: false }, human.stream)).toBe(1);
    const location = `${join(tmp.dir, expected.file)}:${expected.line}:`;
    const line = human.text().split('\n').find((l) => l.includes(location) && l.includes(expected.message));
    expect(line, human.text()).toBeDefined();
    if (expected.key) expect(line).toContain(` ${expected.key}:`);

    const json = sink();
    expect(await runValidate({ dir: tmp.dir, json: true, live: false }, json.stream)).toBe(1);
    const report = JSON.parse(json.text()) as { valid: boolean; problems: Array<Expect & { severity: string; path: string }> };
    expect(report.valid).toBe(false);
    expect(report.problems).toContainEqual(
      expect.objectContaining({ severity: 'error', line: expected.line, path: expected.key, message: expect.stringContaining(expected.message) }),
    );
  });
});
