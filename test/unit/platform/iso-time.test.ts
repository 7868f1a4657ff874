import { describe, expect, it } from 'vitest';
import { isoString } from '../../../src/platform/iso-time.js';
import { formatDateTime } from '../../../src/sandbox/salesforce/datetime.js';

describe('isoString', () => {
  it('writes exactly what Date#toISOString writes', () => {
    const fixed = [0, -0, 1, -1, 999, 1000, 86_399_999, 86_400_000, -86_400_000, 951_782_400_000 /* 2000-02-29 */, 1_796_016_162_305, 253_402_300_799_999 /* 9999-12-31T23:59:59.999 */, 253_402_300_800_000, -62_167_219_200_000 /* 0000-01-01 */, -62_167_219_200_001, 8.64e15, -8.64e15];
    let seed = 7;
    const random = Array.from({ length: 20_000 }, () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return Math.round((seed / 2_147_483_648 - 0.3) * 4e12);
    });
    // Runs of one day, as a batch of records stamped together.
    const runs = Array.from({ length: 2_000 }, (_, i) => 1_796_016_000_000 + i * 61_003);
    for (const ms of [...fixed, ...random, ...runs, ...fixed]) expect(isoString(ms)).toBe(new Date(ms).toISOString());
  });

  it('keeps fractions and invalid times as Date does', () => {
    expect(isoString(1.5)).toBe(new Date(1.5).toISOString());
    expect(() => isoString(Number.NaN)).toThrow(RangeError);
    expect(() => isoString(8.64e15 + 1)).toThrow(RangeError);
  });
});

describe("Salesforce's datetime text", () => {
  it('is the ISO text with +0000 for every time, as the Date-based formatting writes it', () => {
    const byDate = (ms: number): string => {
      const d = new Date(ms);
      const pad = (n: number, w = 2) => String(n).padStart(w, '0');
      return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}+0000`;
    };
    for (const ms of [0, -1, 1_796_016_162_305, -62_167_219_200_000, -62_167_219_200_001, 253_402_300_799_999, 253_402_300_800_000, 1.25, Number.NaN]) expect(formatDateTime(ms)).toBe(byDate(ms));
  });
});
