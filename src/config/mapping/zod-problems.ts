/** Turns zod issues on a mapping file into problems with file:line:column, key path and a hint. */
import type { z } from 'zod';
import { didYouMean } from './did-you-mean.js';
import { formatKeyPath, type KeyPath, type MappingProblem } from './problems.js';
import { knownKeysFromMessage } from './schema/helpers.js';
import { locate, type YamlSource } from './yaml-source.js';

type Issue = z.core.$ZodIssue;

function originalOf(issue: Issue): Issue {
  const original = (issue as { params?: { original?: Issue } }).params?.original;
  return original ?? issue;
}

function cleanMessage(message: string): string {
  return message.replace(/^Invalid input: /, '').replace(/^Invalid /, 'invalid ');
}

export function problemsFromIssues(source: YamlSource, issues: readonly Issue[]): MappingProblem[] {
  const problems: MappingProblem[] = [];
  /** `key`: the problem is an unknown key of the mapping at `path`; point at the key itself. */
  const push = (path: KeyPath, message: string, hint?: string, key?: string): void => {
    const pos = key === undefined ? locate(source, path) : locate(source, path.slice(0, -1), key);
    problems.push({
      severity: 'error',
      file: source.file,
      line: pos.line,
      column: pos.column,
      path: formatKeyPath(path),
      message,
      ...(hint ? { hint } : {}),
    });
  };
  for (const outer of issues) {
    const issue = originalOf(outer);
    const path = outer.path as KeyPath;
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeysFromMessage(issue.message) ?? [];
      for (const key of issue.keys) {
        const hint = didYouMean(key, known);
        push([...path, key], `unknown key "${key}"`, hint ?? (known.length > 0 ? `valid keys here: ${known.join(', ')}` : undefined), key);
      }
      continue;
    }
    if (issue.code === 'invalid_type' && 'input' in issue && issue.input === undefined) {
      const last = path[path.length - 1];
      push(path, typeof last === 'string' ? `missing required key "${last}"` : 'missing value');
      continue;
    }
    push(path, cleanMessage(issue.message));
  }
  return problems;
}
