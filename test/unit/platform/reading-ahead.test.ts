/**
 * Reading ahead of the caller: items come in order, the next read starts while the caller still works
 * on the one before, a failed read is thrown where its item would have come, and a caller that stops
 * early closes the source once the read under way has settled.
 */
import { describe, expect, it } from 'vitest';
import { readingAhead } from '../../../src/platform/concurrency.js';

function source(count: number, log: string[], failAt?: number) {
  return (async function* () {
    try {
      for (let i = 0; i < count; i++) {
        log.push(`read ${i}`);
        await new Promise((r) => setImmediate(r));
        if (i === failAt) throw new Error(`read ${i} failed`);
        yield i;
      }
    } finally {
      log.push('closed');
    }
  })();
}

describe('readingAhead', () => {
  it('hands items over in order and reads the next while the caller works', async () => {
    const log: string[] = [];
    const seen: number[] = [];
    for await (const item of readingAhead(source(4, log))) {
      log.push(`work ${item} starts`);
      await new Promise((r) => setTimeout(r, 5));
      seen.push(item);
    }
    expect(seen).toEqual([0, 1, 2, 3]);
    // Item 1 is read before the work on item 0 is over.
    expect(log.indexOf('read 1')).toBeLessThan(log.indexOf('work 1 starts'));
    expect(log.indexOf('read 1')).toBeGreaterThan(log.indexOf('read 0'));
    expect(log.slice(0, 3)).toEqual(['read 0', 'read 1', 'work 0 starts']);
    // The source is read to its end (and closed) while the caller still works on the last item.
    expect(log.indexOf('closed')).toBeGreaterThan(log.indexOf('read 3'));
    expect(log.indexOf('closed')).toBeLessThan(log.indexOf('work 3 starts') + 2);
  });

  it('throws a failed read where its item would have come', async () => {
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const item of readingAhead(source(5, [], 2))) seen.push(item);
      })(),
    ).rejects.toThrow('read 2 failed');
    expect(seen).toEqual([0, 1]);
  });

  it('closes the source when the caller stops early', async () => {
    const log: string[] = [];
    for await (const item of readingAhead(source(10, log))) if (item === 1) break;
    expect(log.at(-1)).toBe('closed');
    expect(log.filter((l) => l.startsWith('read')).length).toBeLessThanOrEqual(3);
  });
});
