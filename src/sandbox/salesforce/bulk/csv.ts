/** CSV in Bulk API 2.0's dialects (column delimiter and line ending chosen per job). */
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

export const COLUMN_DELIMITERS = {
  COMMA: ',',
  BACKQUOTE: '`',
  CARET: '^',
  PIPE: '|',
  SEMICOLON: ';',
  TAB: '\t',
} as const;

export type ColumnDelimiter = keyof typeof COLUMN_DELIMITERS;
export type LineEnding = 'LF' | 'CRLF';

export interface CsvDialect {
  columnDelimiter: ColumnDelimiter;
  lineEnding: LineEnding;
}

/** Rows as arrays of strings; the first row is the header. Throws on malformed CSV. */
export function parseCsv(text: string, dialect: CsvDialect): string[][] {
  return parse(text, {
    delimiter: COLUMN_DELIMITERS[dialect.columnDelimiter],
    relax_column_count: false,
    skip_empty_lines: true,
    bom: true,
  }) as string[][];
}

/** Every field quoted, as Salesforce writes its result files. */
export function writeCsv(rows: ReadonlyArray<ReadonlyArray<string>>, dialect: CsvDialect): string {
  if (rows.length === 0) return '';
  return stringify(rows as string[][], {
    delimiter: COLUMN_DELIMITERS[dialect.columnDelimiter],
    record_delimiter: dialect.lineEnding === 'CRLF' ? 'windows' : 'unix',
    quoted: true,
    quoted_empty: false,
  });
}
