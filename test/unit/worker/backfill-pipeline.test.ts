/**
 * The backfill's page pipeline: units worked on a few at a time, committed strictly in order, the
 * next unit read while the others are worked on, and a failure passed on only once nothing it
 * started is still running.
 */
import { describe, expect, it } from 'vitest';
import { pipeline } from '../../../src/worker/backfill/pipeline.js';

/** A promise resolved from outside. */
function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

const tick = () => new Promise((r) => setImmediate(r));

/** Units 0..count-1; unit i is read from cursor `c{i}` (the first from `start`). */
function source(count: number, log: string[]) {
  return async (cursor: string | undefined) => {
    const i = cursor === undefined ? 0 : Number(cursor.slice(1));
    log.push(`read ${i}`);
    await tick();
    return { unit: i, cursor: i + 1 < count ? `c${i + 1}` : undefined, size: 10 };
  };
}

describe('backfill pipeline', () => {
  it('commits every unit once, in order, with the cursor after it, whatever order the work finishes in', async () => {
    const log: string[] = [];
    const commits: Array<[string | undefined, number, number]> = [];
    const delays = [30, 5, 20, 1, 15, 2, 8];
    await pipeline(
      undefined,
      source(delays.length, log),
      (i) => new Promise((r) => setTimeout(r, delays[i])),
      async (cursor, size, unit) => void commits.push([cursor, size, unit]),
      3,
    );
    expect(commits).toEqual(delays.map((_, i) => [i + 1 < delays.length ? `c${i + 1}` : undefined, 10, i]));
    expect(log.filter((l) => l.startsWith('read'))).toEqual(delays.map((_, i) => `read ${i}`));
  });

  it('resumes from the cursor it is given', async () => {
    const seen: number[] = [];
    await pipeline('c4', source(6, []), async (i) => void seen.push(i), async () => undefined, 2);
    expect(seen).toEqual([4, 5]);
  });

  it('reads the next unit while the units in flight are worked on, never working on more than the limit', async () => {
    const log: string[] = [];
    const gates = Array.from({ length: 5 }, () => deferred());
    let working = 0;
    let most = 0;
    const run = pipeline(
      undefined,
      source(5, log),
      async (i) => {
        working++;
        most = Math.max(most, working);
        log.push(`work ${i}`);
        await gates[i]?.promise;
        working--;
      },
      async () => undefined,
      2,
    );
    for (let i = 0; i < 10; i++) await tick();
    // Units 0 and 1 are worked on, unit 2 is already read and waits for a slot; nothing more is read.
    expect(log).toEqual(['read 0', 'work 0', 'read 1', 'work 1', 'read 2']);
    gates[0]?.resolve();
    for (let i = 0; i < 10; i++) await tick();
    expect(log.slice(5)).toEqual(['work 2', 'read 3']);
    for (const g of gates) g.resolve();
    await run;
    expect(most).toBe(2);
  });

  it('passes a failed unit on after the units in flight have settled, and commits nothing after it', async () => {
    const commits: number[] = [];
    const finished: number[] = [];
    const failure = pipeline(
      undefined,
      source(6, []),
      async (i) => {
        await new Promise((r) => setTimeout(r, i === 1 ? 1 : 20));
        if (i === 1) throw new Error('unit 1 failed');
        finished.push(i);
      },
      async (_c, _s, unit) => void commits.push(unit),
      3,
    );
    await expect(failure).rejects.toThrow('unit 1 failed');
    expect(commits).toEqual([0]);
    // Units 2 and 3 had started: they finished before the error came out; none started after.
    expect(finished.sort()).toEqual([0, 2, 3]);
  });

  it('passes a failed read on after the units in flight have settled', async () => {
    const finished: number[] = [];
    const failure = pipeline(
      undefined,
      async (cursor) => {
        const i = cursor === undefined ? 0 : Number(cursor.slice(1));
        if (i === 2) throw new Error('page 2 unreadable');
        return { unit: i, cursor: `c${i + 1}`, size: 1 };
      },
      async (i) => {
        await new Promise((r) => setTimeout(r, 20));
        finished.push(i);
      },
      async () => undefined,
      4,
    );
    await expect(failure).rejects.toThrow('page 2 unreadable');
    expect(finished.sort()).toEqual([0, 1]);
  });

  it('does nothing more for a source with one empty last unit', async () => {
    const units: number[][] = [];
    await pipeline(undefined, async () => ({ unit: [] as number[], cursor: undefined, size: 0 }), async (u) => void units.push(u), async () => undefined, 4);
    expect(units).toEqual([[]]);
  });
});
