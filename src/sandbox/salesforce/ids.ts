/**
 * Salesforce record ids: 15 case-sensitive characters (3-character key prefix, 2-character pod, one reserved '0',
 * 9-character base-62 counter) plus a 3-character case-safe suffix that encodes which letters are upper case.
 * 15-character ids are accepted on input; 18-character ids are accepted in any letter case, as Salesforce does.
 */

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const COUNTER_LENGTH = 9;
const ID_CHARS = /^[0-9A-Za-z]+$/;

const BASE62_VALUE = new Map<string, number>([...BASE62].map((c, i) => [c, i]));

function isUpper(c: string): boolean {
  return c >= 'A' && c <= 'Z';
}

/** The three case-safe characters for a 15-character id. */
export function caseSafeSuffix(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let flags = 0;
    for (let i = 0; i < 5; i++) {
      if (isUpper(id15.charAt(chunk * 5 + i))) flags |= 1 << i;
    }
    suffix += SUFFIX_ALPHABET.charAt(flags);
  }
  return suffix;
}

export function toId18(id15: string): string {
  return id15 + caseSafeSuffix(id15);
}

export interface ParsedId {
  id15: string;
  id18: string;
  keyPrefix: string;
}

/**
 * Parses a 15- or 18-character id. Returns undefined when the text is not an id (Salesforce answers MALFORMED_ID).
 * An 18-character id has its letter case restored from its suffix, so '001xx000003dgb2aaa' works like Salesforce.
 */
export function parseId(text: string): ParsedId | undefined {
  if (!ID_CHARS.test(text)) return undefined;
  if (text.length === 15) return { id15: text, id18: toId18(text), keyPrefix: text.slice(0, 3) };
  if (text.length !== 18) return undefined;
  const suffix = text.slice(15).toUpperCase();
  let restored = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    const flags = SUFFIX_ALPHABET.indexOf(suffix.charAt(chunk));
    if (flags < 0) return undefined;
    for (let i = 0; i < 5; i++) {
      const c = text.charAt(chunk * 5 + i);
      const upper = (flags & (1 << i)) !== 0;
      if (/[A-Za-z]/.test(c)) restored += upper ? c.toUpperCase() : c.toLowerCase();
      else if (upper) return undefined;
      else restored += c;
    }
  }
  return { id15: restored, id18: restored + suffix, keyPrefix: restored.slice(0, 3) };
}

export function encodeBase62(value: number, width: number): string {
  let out = '';
  let n = Math.floor(value);
  while (n > 0) {
    out = BASE62.charAt(n % 62) + out;
    n = Math.floor(n / 62);
  }
  return out.padStart(width, '0');
}

export function decodeBase62(text: string): number | undefined {
  let n = 0;
  for (const c of text) {
    const v = BASE62_VALUE.get(c);
    if (v === undefined) return undefined;
    n = n * 62 + v;
  }
  return n;
}

/** Builds and reads the ids of one object: prefix + pod + '0' + counter. Row r has counter base + r + 1. */
export class IdCodec {
  constructor(
    readonly keyPrefix: string,
    private readonly pod: string,
    private readonly base = 0,
  ) {
    if (keyPrefix.length !== 3 || pod.length !== 2) throw new Error(`bad id codec ${keyPrefix}/${pod}`);
  }

  idOf(row: number): string {
    return toId18(`${this.keyPrefix}${this.pod}0${encodeBase62(this.base + row + 1, COUNTER_LENGTH)}`);
  }

  /** The row an id designates, or -1 when the id does not belong to this object's id space. */
  rowOf(id15: string): number {
    if (id15.length !== 15 || !id15.startsWith(this.keyPrefix) || id15.slice(3, 5) !== this.pod || id15.charAt(5) !== '0') {
      return -1;
    }
    const counter = decodeBase62(id15.slice(6));
    if (counter === undefined) return -1;
    const row = counter - this.base - 1;
    return row >= 0 && row < 2 ** 31 ? row : -1;
  }
}

/** Ids of things that are not rows of a table (org, query locators, bulk jobs): prefix + pod + '0' + counter. */
export function sequentialId(keyPrefix: string, pod: string, counter: number): string {
  return toId18(`${keyPrefix}${pod}0${encodeBase62(counter, COUNTER_LENGTH)}`);
}
