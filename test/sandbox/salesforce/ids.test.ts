import { describe, expect, it } from 'vitest';
import { caseSafeSuffix, IdCodec, parseId, toId18 } from '../../../src/sandbox/salesforce/ids.js';

describe('Salesforce ids', () => {
  it('computes the case-safe suffix of real ids from Salesforce documentation', () => {
    // Vectors from the REST API guide and the OAuth token examples (15-character id → 18-character id).
    expect(toId18('001D000000IRFma')).toBe('001D000000IRFmaIAH');
    expect(toId18('00DB0000000TfcR')).toBe('00DB0000000TfcRMAS');
    expect(toId18('005B0000005Bk90')).toBe('005B0000005Bk90IAC');
    expect(caseSafeSuffix('000000000000000')).toBe('AAA');
  });

  it('accepts 15-character ids and 18-character ids in any letter case', () => {
    expect(parseId('001D000000IRFma')?.id18).toBe('001D000000IRFmaIAH');
    expect(parseId('001d000000irfmaiah')?.id15).toBe('001D000000IRFma');
    expect(parseId('001D000000IRFmaIAH')?.keyPrefix).toBe('001');
  });

  it('refuses text that is not an id', () => {
    expect(parseId('abc')).toBeUndefined();
    expect(parseId('001D000000IRFma-AH')).toBeUndefined();
    expect(parseId('001D000000IRFmaI9H')).toBeUndefined();
    // A suffix that says "upper case" where the character is a digit cannot come from Salesforce.
    expect(parseId('0010000000000009AA')).toBeUndefined();
  });

  it('numbers rows into ids of the object and reads them back', () => {
    const codec = new IdCodec('00Q', '5g');
    const id = codec.idOf(41);
    expect(id).toMatch(/^00Q5g0[0-9A-Za-z]{12}$/);
    expect(id).toHaveLength(18);
    expect(codec.rowOf(id.slice(0, 15))).toBe(41);
    expect(codec.rowOf(new IdCodec('003', '5g').idOf(41).slice(0, 15))).toBe(-1);
  });
});
