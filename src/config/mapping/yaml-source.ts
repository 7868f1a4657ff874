/**
 * A mapping file parsed with its positions, so any problem can name file:line:column.
 * Hostile input is refused before it costs anything: files above MAX_FILE_BYTES, alias
 * expansion beyond MAX_ALIAS_COUNT ("billion laughs"), and non-mapping documents.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
import { formatKeyPath, type KeyPath, type MappingProblem } from './problems.js';

export const MAX_FILE_BYTES = 1024 * 1024;
const MAX_ALIAS_COUNT = 100;

export interface YamlSource {
  file: string;
  text: string;
  doc: Document.Parsed;
  lines: LineCounter;
  /** The plain data, or undefined when the file could not be parsed. */
  data: unknown;
}

export interface Position {
  line: number;
  column: number;
}

export function parseYamlSource(file: string, text: string): { source?: YamlSource; problems: MappingProblem[] } {
  const problems: MappingProblem[] = [];
  const at = (line: number, column: number, message: string, hint?: string, path = ''): MappingProblem => ({
    severity: 'error',
    file,
    line,
    column,
    path,
    message,
    ...(hint ? { hint } : {}),
  });
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_FILE_BYTES) {
    problems.push(at(0, 0, `file is ${bytes} bytes; mapping files are limited to ${MAX_FILE_BYTES} bytes`));
    return { problems };
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, strict: true });
  for (const error of [...doc.errors]) {
    const pos = lines.linePos(error.pos[0]);
    const message = error.message.split('\n')[0] ?? error.message;
    if (error.code === 'DUPLICATE_KEY') {
      const lineText = text.split(/\r?\n/)[pos.line - 1] ?? '';
      const key = /^\s*(?:-\s*)?["']?([^"':]+?)["']?\s*:/.exec(lineText)?.[1] ?? text.slice(error.pos[0], error.pos[1]).trim();
      problems.push(at(pos.line, pos.col, `YAML syntax error: ${message}: "${key}" appears twice`, 'remove or rename one of the duplicate keys', key));
      continue;
    }
    const lineText = (text.split(/\r?\n/)[pos.line - 1] ?? '').trim();
    const shown = lineText.length > 60 ? `${lineText.slice(0, 57)}...` : lineText;
    problems.push(at(pos.line, pos.col, `YAML syntax error: ${message}${shown ? ` (line ${pos.line}: ${JSON.stringify(shown)})` : ''}`));
  }
  if (problems.length > 0) return { problems };
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    const alias = firstAlias(doc);
    const pos = alias ? lines.linePos(alias.offset) : { line: 1, col: 1 };
    problems.push(at(pos.line, pos.col, `YAML could not be read: ${(err as Error).message}`, 'aliases (*name) may be expanded at most 100 times', alias ? formatKeyPath(alias.path) : ''));
    return { problems };
  }
  if (data === null || data === undefined) {
    problems.push(at(1, 1, 'the file is empty'));
    return { problems };
  }
  if (typeof data !== 'object' || Array.isArray(data)) {
    problems.push(at(1, 1, 'the file must be a YAML mapping (key: value pairs) at the top level'));
    return { problems };
  }
  return { source: { file, text, doc, lines, data }, problems };
}

/** The first alias (*name) of a document and the key path it sits under. */
function firstAlias(doc: Document.Parsed): { offset: number; path: KeyPath } | undefined {
  let found: { offset: number; path: KeyPath } | undefined;
  visit(doc, {
    Alias(_key, node, ancestors) {
      const path: Array<string | number> = [];
      let parent: unknown = doc.contents;
      for (const step of ancestors.slice(1)) {
        if (isPair(step) && isScalar(step.key)) path.push(String(step.key.value));
        else if (isSeq(parent) && !isPair(step)) path.push(parent.items.indexOf(step as never));
        parent = step;
      }
      found = { offset: node.range?.[0] ?? 0, path };
      return visit.BREAK;
    },
  });
  return found;
}

function positionOf(source: YamlSource, offset: number): Position {
  const pos = source.lines.linePos(offset);
  return { line: pos.line, column: pos.col };
}

/**
 * Where `path` is in the file. When `key` is given, the position of that key inside the mapping at
 * `path` (for unknown keys). Falls back to the deepest existing ancestor (for missing keys).
 */
export function locate(source: YamlSource, path: KeyPath, key?: string): Position {
  let node: unknown = source.doc.contents;
  let found: Position = { line: 1, column: 1 };
  const nodeStart = (n: unknown): number | undefined => {
    const range = (n as Node | null)?.range;
    return range ? range[0] : undefined;
  };
  const start = nodeStart(node);
  if (start !== undefined) found = positionOf(source, start);
  for (const part of path) {
    let next: unknown;
    let keyNode: unknown;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(part));
      next = pair?.value;
      keyNode = pair?.key;
    } else if (isSeq(node) && typeof part === 'number') {
      next = node.items[part];
    }
    if (next === undefined || next === null) {
      const keyStart = nodeStart(keyNode);
      if (keyStart !== undefined) found = positionOf(source, keyStart);
      return found;
    }
    const s = nodeStart(next) ?? nodeStart(keyNode);
    if (s !== undefined) found = positionOf(source, s);
    node = next;
  }
  if (key !== undefined && isMap(node)) {
    const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key);
    const s = nodeStart(pair?.key);
    if (s !== undefined) return positionOf(source, s);
  }
  return found;
}
