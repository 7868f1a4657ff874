import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkMappingTexts, loadMappings } from '../../../src/config/mapping/load.js';
import { formatKeyPath, formatProblem } from '../../../src/config/mapping/problems.js';
import { closest, editDistance } from '../../../src/config/mapping/did-you-mean.js';
import { editedTexts, tempMappingsDir } from '../../helpers/mappings.js';

const cleanups: Array<() => void> = [];
afterAll(() => cleanups.forEach((c) => c()));

function temp(overlay: Record<string, string> = {}) {
  const t = tempMappingsDir(overlay);
  cleanups.push(t.cleanup);
  return t.dir;
}

describe('loadMappings', () => {
  it('loads the shipped directory', async () => {
    const result = await loadMappings(temp());
    expect(result.errors).toBe(0);
    expect(result.set?.opportunities.people.fallback).toBe('account_primary');
  });

  it('names a missing file and suggests renaming a .yml', async () => {
    const dir = temp();
    renameSync(join(dir, 'companies.yaml'), join(dir, 'companies.yml'));
    const result = await loadMappings(dir);
    expect(result.set).toBeUndefined();
    expect(result.problems).toContainEqual(expect.objectContaining({ message: 'missing mapping file', hint: 'rename companies.yml to companies.yaml' }));
  });

  it('names a missing file without a .yml next to it', async () => {
    const dir = temp();
    rmSync(join(dir, 'opportunities.yaml'));
    const result = await loadMappings(dir);
    expect(result.problems[0]).toMatchObject({ message: 'missing mapping file', hint: expect.stringContaining('lifecycle.yaml') });
  });

  it('warns about an unknown yaml file', async () => {
    const result = await loadMappings(temp({ 'deals.yaml': 'x: 1\n' }));
    expect(result.errors).toBe(0);
    expect(result.warnings).toBe(1);
    expect(result.problems[0]?.message).toContain('unknown mapping file');
  });

  it('refuses a file over the size limit without parsing it', async () => {
    const dir = temp();
    writeFileSync(join(dir, 'contacts.yaml'), `# ${'x'.repeat(1024 * 1024 + 10)}\n`);
    const result = await loadMappings(dir);
    expect(result.problems[0]?.message).toMatch(/^file is \d+ bytes; mapping files are limited to 1048576 bytes$/);
  });

  it('reports a directory that does not exist', async () => {
    const result = await loadMappings(join(mkdtempSync(join(tmpdir(), 'revloop-')), 'nope'));
    expect(result.problems[0]?.message).toBe('mappings directory does not exist');
  });
});

describe('checkMappingTexts on odd files', () => {
  it.each([
    ['empty', '', 'the file is empty'],
    ['a list at the top', '- a\n- b\n', 'must be a YAML mapping'],
    ['a scalar', 'hello\n', 'must be a YAML mapping'],
    ['too big', `# ${'y'.repeat(1024 * 1024)}\n`, 'mapping files are limited'],
  ])('%s', (_name, text, message) => {
    const texts = editedTexts();
    texts.companies = { file: 'companies.yaml', text };
    const result = checkMappingTexts(texts);
    expect(result.set).toBeUndefined();
    expect(result.problems[0]?.message).toContain(message);
  });

  it('reports wrong value types with the expected type', () => {
    const result = checkMappingTexts(editedTexts({ lifecycle: [['order: 10', 'order: ten']] }));
    expect(result.problems[0]).toMatchObject({ path: 'stages[0].order', message: 'expected number, received string' });
  });
});

describe('problem formatting', () => {
  it('formats key paths and problems', () => {
    expect(formatKeyPath(['fields', 3, 'rule'])).toBe('fields[3].rule');
    expect(formatKeyPath(['deals', 'stages', 'Closed Won'])).toBe('deals.stages["Closed Won"]');
    expect(formatProblem({ severity: 'error', file: 'a.yaml', line: 2, column: 3, path: 'x', message: 'bad', hint: 'fix it' })).toBe('a.yaml:2:3: error: x: bad\n    hint: fix it');
    expect(formatProblem({ severity: 'warning', file: 'a.yaml', line: 0, column: 0, path: '', message: 'whole file' })).toBe('a.yaml: warning: whole file');
  });

  it('suggests close words only', () => {
    expect(editDistance('feild', 'field')).toBe(1);
    expect(closest('two_way', ['two-way', 'dont-sync'])).toBe('two-way');
    expect(closest('banana', ['two-way', 'dont-sync'])).toBeUndefined();
    expect(closest('x', [])).toBeUndefined();
  });
});
