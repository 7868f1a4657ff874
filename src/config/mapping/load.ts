/**
 * Loads and checks a mappings directory: the four files parsed with positions, each validated
 * against its schema, then checked together. Every problem is collected; the set is returned only
 * when there is no error (warnings do not block).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, isAbsolute } from 'node:path';
import type { z } from 'zod';
import { CheckContext } from './checks/context.js';
import { checkLifecycle } from './checks/lifecycle-checks.js';
import { checkObjectMappings } from './checks/object-checks.js';
import { checkOpportunities } from './checks/opportunity-checks.js';
import { WriterRegistry } from './checks/writers.js';
import { MAPPING_FILES, type MappingFileKey, type MappingSet } from './mapping-set.js';
import { sortProblems, type MappingProblem } from './problems.js';
import { lifecycleFileSchema } from './schema/lifecycle.js';
import { companiesFileSchema, contactsFileSchema } from './schema/object-mapping.js';
import { opportunitiesFileSchema } from './schema/opportunities.js';
import { MAX_FILE_BYTES, parseYamlSource, type YamlSource } from './yaml-source.js';
import { problemsFromIssues } from './zod-problems.js';

export interface MappingLoadResult {
  /** Present only when there is no error. */
  set?: MappingSet;
  problems: MappingProblem[];
  errors: number;
  warnings: number;
}

export type MappingTexts = Record<MappingFileKey, { file: string; text: string } | undefined>;

const SCHEMAS: { [K in MappingFileKey]: z.ZodType<MappingSet[K], unknown> } = {
  lifecycle: lifecycleFileSchema,
  contacts: contactsFileSchema,
  companies: companiesFileSchema,
  opportunities: opportunitiesFileSchema,
};

function finish(problems: MappingProblem[], set?: MappingSet): MappingLoadResult {
  const sorted = sortProblems(problems);
  const errors = sorted.filter((p) => p.severity === 'error').length;
  return { ...(errors === 0 && set ? { set } : {}), problems: sorted, errors, warnings: sorted.length - errors };
}

/** Validates mapping texts already in memory (the loader and the admin API's validate both use it). */
export function checkMappingTexts(texts: MappingTexts): MappingLoadResult {
  const problems: MappingProblem[] = [];
  const sources: Partial<Record<MappingFileKey, YamlSource>> = {};
  const parsed: Partial<MappingSet> = {};
  for (const key of Object.keys(MAPPING_FILES) as MappingFileKey[]) {
    const entry = texts[key];
    if (!entry) continue;
    const { source, problems: yamlProblems } = parseYamlSource(entry.file, entry.text);
    problems.push(...yamlProblems);
    if (!source) continue;
    sources[key] = source;
    const result = SCHEMAS[key].safeParse(source.data, { reportInput: true });
    if (result.success) (parsed as Record<MappingFileKey, unknown>)[key] = result.data;
    else problems.push(...problemsFromIssues(source, result.error.issues));
  }
  const complete = (Object.keys(MAPPING_FILES) as MappingFileKey[]).every((k) => parsed[k] !== undefined);
  // Each file's own checks run when it parsed; checks across files only when all did.
  const ctx = new CheckContext(parsed, sources);
  const writers = new WriterRegistry(ctx, complete);
  if (parsed.lifecycle) {
    checkLifecycle(ctx, parsed.lifecycle);
    writers.claimLifecycle(parsed.lifecycle);
  }
  if (parsed.opportunities) checkOpportunities(ctx, parsed.opportunities, writers);
  checkObjectMappings(ctx, writers);
  problems.push(...ctx.problems);
  return finish(problems, complete ? (parsed as MappingSet) : undefined);
}

function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

/** Reads and checks the mapping files of `dir`. */
export async function loadMappings(dir: string): Promise<MappingLoadResult> {
  const problems: MappingProblem[] = [];
  const dirShown = displayPath(dir);
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : (err as Error).message;
    problems.push({ severity: 'error', file: dirShown, line: 0, column: 0, path: '', message: `mappings directory ${reason}` });
    return finish(problems);
  }
  const texts: Partial<MappingTexts> = {};
  for (const key of Object.keys(MAPPING_FILES) as MappingFileKey[]) {
    const name = MAPPING_FILES[key];
    const path = join(dir, name);
    const shown = displayPath(path);
    if (!entries.includes(name)) {
      const alt = name.replace(/\.yaml$/, '.yml');
      problems.push({
        severity: 'error',
        file: shown,
        line: 0,
        column: 0,
        path: '',
        message: 'missing mapping file',
        hint: entries.includes(alt) ? `rename ${alt} to ${name}` : `every mappings directory has ${Object.values(MAPPING_FILES).join(', ')}`,
      });
      continue;
    }
    const info = await stat(path);
    if (info.size > MAX_FILE_BYTES) {
      problems.push({ severity: 'error', file: shown, line: 0, column: 0, path: '', message: `file is ${info.size} bytes; mapping files are limited to ${MAX_FILE_BYTES} bytes` });
      continue;
    }
    texts[key] = { file: shown, text: await readFile(path, 'utf8') };
  }
  for (const name of entries) {
    if (/\.ya?ml$/.test(name) && !(Object.values(MAPPING_FILES) as string[]).includes(name)) {
      problems.push({ severity: 'warning', file: displayPath(join(dir, name)), line: 0, column: 0, path: '', message: 'unknown mapping file; revloop reads only the four standard files', hint: Object.values(MAPPING_FILES).join(', ') });
    }
  }
  const result = checkMappingTexts(texts as MappingTexts);
  return finish([...problems, ...result.problems], result.set);
}
