/** Fingerprints are what stored field ledgers hold: they must stay the same across releases. */
import { describe, expect, it } from 'vitest';
import { canonical, fingerprint } from '../../../src/core/sync/values.js';

describe('fingerprint', () => {
  it.each([
    ['', '811c9dc501000193'],
    ['ada@example.com', 'bef5cfd2e84bf326'],
    ['Zoë Ünal — 東京', '7aaa3c3f6707e1b1'],
    ['42', '87e38583c6162d7a'],
    ['x'.repeat(300), '970138f539f2d0e4'],
  ])('of %j is %s, as ledgers stored by earlier versions hold it', (value, expected) => {
    expect(fingerprint(value)).toBe(expected);
  });

  it('is equal for values equal in their kind, different otherwise', () => {
    const fp = (v: string | number, kind: 'number' | 'email' | 'text') => {
      const c = canonical(v, kind);
      return fingerprint(c.ok ? c.value : String(v));
    };
    expect(fp('42', 'number')).toBe(fp(42.0, 'number'));
    expect(fp(' Ada@Example.com', 'email')).toBe(fp('ada@example.com', 'email'));
    expect(fp('Ada', 'text')).not.toBe(fp('ada', 'text'));
  });
});
