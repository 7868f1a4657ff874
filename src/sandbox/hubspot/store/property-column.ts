/**
 * The values of one property across every record of a type, kept compact.
 *
 * A column starts dictionary-encoded: each record holds a small integer code (2 bytes, 4 once the
 * dictionary outgrows 65,535 values) and each distinct value is stored once. Properties with few
 * distinct values (lifecycle stage, country, owner, first name) stay that way. When the values turn
 * out to be mostly unique (email, phone), the dictionary costs more than it saves, so the column
 * switches to a plain array of strings. Code 0 means "no value".
 */
/** A column turns plain only once its dictionary is this big and nearly every value in it is distinct. */
const MIN_DICTIONARY_FOR_SWITCH = 65_536;
const DISTINCT_RATIO_FOR_SWITCH = 0.8;

export class PropertyColumn {
  private codes: Uint16Array | Uint32Array = new Uint16Array(16);
  private dictionary: string[] = [''];
  private lookup = new Map<string, number>();
  private plain: Array<string | undefined> | undefined;
  private filled = 0;

  /** True while values are dictionary-encoded (search compares codes instead of strings). */
  get isDictionary(): boolean {
    return this.plain === undefined;
  }

  /** Number of records that have a value. */
  get size(): number {
    return this.filled;
  }

  get(row: number): string | undefined {
    if (this.plain !== undefined) return this.plain[row];
    const code = row < this.codes.length ? (this.codes[row] ?? 0) : 0;
    return code === 0 ? undefined : this.dictionary[code];
  }

  set(row: number, value: string | undefined): void {
    // Reading a character makes V8 flatten a concatenated string in place; the garbage collector
    // then drops the concatenation nodes. Keeps stored values at their plain size (about a third
    // of a concatenated string's).
    if (value !== undefined && value.length > 0) value.charCodeAt(0);
    const previous = this.get(row);
    if (previous === value) return;
    if (previous === undefined) this.filled += 1;
    else if (value === undefined) this.filled -= 1;
    if (this.plain !== undefined) {
      this.setPlain(row, value);
      return;
    }
    const code = value === undefined ? 0 : this.codeFor(value);
    if (this.plain !== undefined) {
      // codeFor switched the column to plain storage.
      this.setPlain(row, value);
      return;
    }
    this.ensureCodes(row);
    this.codes[row] = code;
  }

  /** The dictionary code of a value, or 0 when no record holds it (dictionary mode only). */
  codeOf(value: string): number {
    return this.lookup.get(value) ?? 0;
  }

  /** The dictionary code a record holds (dictionary mode only; 0 = no value). */
  codeAt(row: number): number {
    return row < this.codes.length ? (this.codes[row] ?? 0) : 0;
  }

  /** Every distinct value with its code (dictionary mode only). */
  entries(): Array<[string, number]> {
    return [...this.lookup.entries()];
  }

  private codeFor(value: string): number {
    const known = this.lookup.get(value);
    if (known !== undefined) return known;
    const code = this.dictionary.length;
    this.dictionary.push(value);
    this.lookup.set(value, code);
    if (code >= MIN_DICTIONARY_FOR_SWITCH && code > this.filled * DISTINCT_RATIO_FOR_SWITCH) {
      this.switchToPlain();
      return 0;
    }
    if (code === 0xffff && this.codes instanceof Uint16Array) this.codes = Uint32Array.from(this.codes);
    return code;
  }

  private ensureCodes(row: number): void {
    if (row < this.codes.length) return;
    let length = this.codes.length * 2;
    while (length <= row) length *= 2;
    const grown = this.codes instanceof Uint16Array ? new Uint16Array(length) : new Uint32Array(length);
    grown.set(this.codes);
    this.codes = grown;
  }

  private switchToPlain(): void {
    const plain: Array<string | undefined> = [];
    for (let row = 0; row < this.codes.length; row += 1) {
      const code = this.codes[row] ?? 0;
      plain.push(code === 0 ? undefined : this.dictionary[code]);
    }
    this.plain = plain;
    this.codes = new Uint16Array(0);
    this.dictionary = [''];
    this.lookup = new Map();
  }

  private setPlain(row: number, value: string | undefined): void {
    const plain = this.plain as Array<string | undefined>;
    // Grow densely so the array never turns into a slow sparse one.
    while (plain.length < row) plain.push(undefined);
    if (row === plain.length) plain.push(value);
    else plain[row] = value;
  }
}
