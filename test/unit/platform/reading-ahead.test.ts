/**
 * Reading ahead of the caller: items come in order, the next read starts while the caller still works
 * on the one before, a failed read is thrown where its item would have come, and a caller that stops
 * early closes the source once the read under way has settled. And eachLimit over such a source: a
 * failure, of a read or of a call, stops it, and the calls under way finish before it is thrown.
 */
import { describe, expect, it } from 'vitest';
import { eachLimit, readingAhead } from '../../../src/platform/concurrency.js';

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

  it('closes the source when the caller stops early, once the read under way has settled', async () => {
    // A plain iterator, not a generator: its return() does not queue behind a pending next() by itself.
    const log: string[] = [];
    let i = 0;
    const iterator: AsyncIterator<number> = {
      next: async () => {
        const n = i++;
        log.push(`read ${n}`);
        await new Promise((r) => setTimeout(r, 10));
        log.push(`read ${n} done`);
        return { done: false, value: n };
      },
      return: async () => {
        log.push('closed');
        return { done: true, value: undefined };
      },
    };
    for await (const item of readingAhead({ [Symbol.asyncIterator]: () => iterator })) if (item === 1) break;
    expect(log).toEqual(['read 0', 'read 0 done', 'read 1', 'read 1 done', 'read 2', 'read 2 done', 'closed']);
  });
});

describe('eachLimit', () => {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('keeps at most `limit` calls in flight and does every item', async () => {
    let running = 0;
    let most = 0;
    const done: number[] = [];
    await eachLimit(source(12, []), 3, async (item) => {
      running++;
      most = Math.max(most, running);
      await sleep(item % 3 === 0 ? 8 : 2);
      running--;
      done.push(item);
    });
    expect(most).toBe(3);
    expect([...done].sort((a, b) => a - b)).toEqual([...Array(12).keys()]);
  });

  it('after a failed call starts nothing new, lets the calls under way finish, then throws the failure', async () => {
    const log: string[] = [];
    const error = await eachLimit(source(20, []), 3, async (item) => {
      log.push(`start ${item}`);
      await sleep(item === 1 ? 2 : 20);
      if (item === 1) throw new Error('item 1 failed');
      log.push(`end ${item}`);
    }).catch((e: unknown) => e);
    expect((error as Error).message).toBe('item 1 failed');
    expect(log.filter((l) => l.startsWith('start'))).toEqual(['start 0', 'start 1', 'start 2']);
    expect(log).toContain('end 0');
    expect(log).toContain('end 2');
  });

  it('after a failed read lets the calls under way finish, then throws the read failure', async () => {
    const log: string[] = [];
    const error = await eachLimit(source(10, [], 2), 4, async (item) => {
      await sleep(20);
      log.push(`end ${item}`);
    }).catch((e: unknown) => e);
    expect((error as Error).message).toBe('read 2 failed');
    expect(log).toEqual(['end 0', 'end 1']);
  });
});
