/** Helpers for tests of the mapping files: temporary copies of the shipped mappings with files replaced or edited. */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAPPING_FILES, type MappingFileKey } from '../../src/config/mapping/mapping-set.js';
import type { MappingTexts } from '../../src/config/mapping/load.js';

export const SHIPPED_MAPPINGS = join(import.meta.dirname, '..', '..', 'mappings');

export function shippedText(key: MappingFileKey): string {
  return readFileSync(join(SHIPPED_MAPPINGS, MAPPING_FILES[key]), 'utf8');
}

/** The shipped texts, with `edits` applied as exact find → replace pairs (each find must occur). */
export function editedTexts(edits: Partial<Record<MappingFileKey, Array<[string, string]>>> = {}): MappingTexts {
  const texts = {} as MappingTexts;
  for (const key of Object.keys(MAPPING_FILES) as MappingFileKey[]) {
    let text = shippedText(key);
    for (const [find, replace] of edits[key] ?? []) {
      if (!text.includes(find)) throw new Error(`test edit: "${find}" not found in ${key}`);
      text = text.replace(find, replace);
    }
    texts[key] = { file: MAPPING_FILES[key], text };
  }
  return texts;
}

/** A temporary copy of the shipped mappings; `overlay` files replace theirs. Returns the dir and a cleanup. */
export function tempMappingsDir(overlay: Record<string, string> = {}): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'revloop-mappings-'));
  cpSync(SHIPPED_MAPPINGS, dir, { recursive: true });
  for (const [name, text] of Object.entries(overlay)) writeFileSync(join(dir, name), text);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
