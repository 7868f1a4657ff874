/**
 * A problem found in the mappings: where (file, line, column, key path), what, and a hint.
 * Loading collects every problem instead of stopping at the first.
 */
export type Severity = 'error' | 'warning';

export interface MappingProblem {
  severity: Severity;
  /** Path of the file as given (relative to the working directory when possible). */
  file: string;
  /** 1-based line and column; 0 when the problem concerns the whole file. */
  line: number;
  column: number;
  /** Key path inside the file, e.g. "fields[3].rule". Empty for the whole file. */
  path: string;
  message: string;
  hint?: string;
}

export type KeyPath = ReadonlyArray<string | number>;

export function formatKeyPath(path: KeyPath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(part)) out += out === '' ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}

export function formatProblem(p: MappingProblem): string {
  const where = p.line > 0 ? `${p.file}:${p.line}:${p.column}` : p.file;
  const key = p.path ? ` ${p.path}:` : '';
  const hint = p.hint ? `\n    hint: ${p.hint}` : '';
  return `${where}: ${p.severity}:${key} ${p.message}${hint}`;
}

export function sortProblems(problems: MappingProblem[]): MappingProblem[] {
  return [...problems].sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      a.column - b.column ||
      a.path.localeCompare(b.path) ||
      a.message.localeCompare(b.message),
  );
}
