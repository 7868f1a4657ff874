import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { transformSchema } from '../../../src/config/mapping/schema/transform.js';

const list = z.array(transformSchema);

describe('transforms', () => {
  it('accepts every kind', () => {
    const parsed = list.parse([
      'trim',
      'lowercase',
      'uppercase',
      'owner',
      { picklist: { map: { A: 'a' }, unmapped: 'default', default: 'Other' } },
      { number: { decimals: 2 } },
      { date: { format: 'iso_date' } },
      { concat: { hubspot: ['firstname', 'lastname'] } },
      { default: 'Unknown' },
      { truncate: 80 },
    ]);
    expect(parsed.map((t) => t.kind)).toEqual(['trim', 'lowercase', 'uppercase', 'owner', 'picklist', 'number', 'date', 'concat', 'default', 'truncate']);
    expect(parsed[5]).toEqual({ kind: 'number', number: { decimals: 2, rounding: 'half_up' } });
    expect(parsed[7]).toEqual({ kind: 'concat', concat: { hubspot: ['firstname', 'lastname'], separator: ' ' } });
  });

  it.each([
    ['trimm', [0], 'unknown transform "trimm"; did you mean "trim"?'],
    [{ picklst: { map: {} } }, [0, 'picklst'], 'did you mean "picklist"?'],
    [{ number: { decimals: 9 } }, [0, 'number', 'decimals'], '<=8'],
    [{ concat: { hubspot: ['a', 'b'], salesforce: ['A', 'B'] } }, [0, 'concat'], 'exactly one side'],
    [{ picklist: { map: {} } }, [0, 'picklist', 'map'], 'at least one value'],
    [{ truncate: 0 }, [0, 'truncate'], '>=1'],
    [{ trim: true, lowercase: true }, [0], 'a mapping with one key'],
    [42, [0], 'a mapping with one key'],
  ])('%j is refused', (input, path, message) => {
    const result = list.safeParse([input]);
    expect(result.success).toBe(false);
    const issue = result.error!.issues[0]!;
    expect(issue.path).toEqual(path);
    expect(issue.message).toContain(message);
  });
});
