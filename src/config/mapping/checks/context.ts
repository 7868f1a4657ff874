/** What a cross-file check needs: the parsed files with their sources, and a way to report. */
import type { MappingFileKey, MappingSet } from '../mapping-set.js';
import { formatKeyPath, type KeyPath, type MappingProblem, type Severity } from '../problems.js';
import { locate, type YamlSource } from '../yaml-source.js';

export interface Location {
  file: MappingFileKey;
  path: KeyPath;
}

export class CheckContext {
  readonly problems: MappingProblem[] = [];

  constructor(
    /** The files that passed their schema; checks of a missing file are skipped. */
    readonly set: Partial<MappingSet>,
    private readonly sources: Partial<Record<MappingFileKey, YamlSource>>,
  ) {}

  private source(file: MappingFileKey): YamlSource {
    const source = this.sources[file];
    if (!source) throw new Error(`mapping check reported on ${file}, which did not parse`);
    return source;
  }

  report(severity: Severity, at: Location, message: string, hint?: string): void {
    const source = this.source(at.file);
    const pos = locate(source, at.path);
    this.problems.push({
      severity,
      file: source.file,
      line: pos.line,
      column: pos.column,
      path: formatKeyPath(at.path),
      message,
      ...(hint ? { hint } : {}),
    });
  }

  error(at: Location, message: string, hint?: string): void {
    this.report('error', at, message, hint);
  }

  warn(at: Location, message: string, hint?: string): void {
    this.report('warning', at, message, hint);
  }

  /** "contacts.yaml:12" for naming another place in a message. */
  where(at: Location): string {
    const source = this.source(at.file);
    return `${source.file}:${locate(source, at.path).line}`;
  }
}
