/**
 * Staging an object from both ends of its Id order: every record is staged exactly once whatever
 * order the pages come back in, each end commits its pages in order, the two queries together cost at
 * most one call more than one query would, a small object costs one call, a run cut off part-way
 * resumes from both ends' checkpoints with nothing lost, and an end that fails stops the other.
 */
import { describe, expect, it } from 'vitest';
import { compareIds } from '../../../src/core/sync/identity.js';
import { stageFromBothEnds, type Page, type PageRequest } from '../../../src/worker/backfill/two-ends.js';

type Rec = { Id: string };

/** A small deterministic random source, so a failing interleaving can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const idOf = (n: number) => {
  let out = '';
  for (let k = 0; k < 9; k++) {
    out = ALPHABET.charAt(n % 62) + out;
    n = Math.floor(n / 62);
  }
  return `00Q5g0${out}EAA`;
};

/**
 * An org's records and a query API over them: pages of `size`, query locators as snapshots taken when
 * the query starts (with its total), answers after random delays. `between` is the live check of what
 * lies between two Ids. `change` runs before each call: records created or deleted meanwhile.
 */
function org(count: number, size: number, rand: () => number, change?: (records: Rec[], call: number) => void) {
  // Ids with gaps, so a range is not just a count.
  const records: Rec[] = [];
  for (let n = 1; records.length < count; n += 2 + Math.floor(rand() * 3000)) records.push({ Id: idOf(n) });
  const cursors = new Map<string, { rest: Rec[]; total: number }>();
  const calls: Array<PageRequest | { between: [string, string] }> = [];
  const page = (rest: Rec[], total: number): Page<Rec> => {
    const records = rest.slice(0, size);
    if (rest.length <= size) return { records, next: undefined, total };
    const locator = `01g-${cursors.size}`;
    cursors.set(locator, { rest: rest.slice(size), total });
    return { records, next: locator, total };
  };
  const readPage = async (request: PageRequest): Promise<Page<Rec>> => {
    change?.(records, calls.length);
    calls.push(request);
    await new Promise((r) => setTimeout(r, Math.floor(rand() * 4)));
    if ('next' in request) {
      const cursor = cursors.get(request.next);
      return cursor ? page(cursor.rest, cursor.total) : { records: [], next: undefined, total: 0 };
    }
    const sorted = [...records].sort((a, b) => (request.up ? compareIds(a.Id, b.Id) : compareIds(b.Id, a.Id)));
    const after = request.after;
    const matched = after === undefined ? sorted : sorted.filter((r) => (request.up ? compareIds(r.Id, after) > 0 : compareIds(r.Id, after) < 0));
    return page(matched, matched.length);
  };
  const anyBetween = async (low: string, high: string): Promise<boolean> => {
    change?.(records, calls.length);
    calls.push({ between: [low, high] });
    return records.some((r) => compareIds(r.Id, low) > 0 && compareIds(r.Id, high) < 0);
  };
  return { records, readPage, anyBetween, calls };
}

async function run(o: ReturnType<typeof org>, options: { resumeUp?: string; resumeDown?: string; failAfter?: number; rand: () => number }) {
  const staged: string[] = [];
  const commits: Array<{ up: boolean; last: string; size: number }> = [];
  let pages = 0;
  await stageFromBothEnds<Rec>({
    resumeUp: options.resumeUp,
    resumeDown: options.resumeDown,
    readPage: o.readPage,
    anyBetween: o.anyBetween,
    stage: async (records) => {
      await new Promise((r) => setTimeout(r, Math.floor(options.rand() * 3)));
      if (options.failAfter !== undefined && pages++ >= options.failAfter) throw new Error('worker died');
      staged.push(...records.map((r) => r.Id));
    },
    commit: async (up, last, size) => {
      commits.push({ up, last, size });
    },
  }).catch((err: unknown) => {
    if (options.failAfter === undefined) throw err;
  });
  return { staged, commits };
}

describe('staging from both ends', () => {
  it('stages every record exactly once, whatever order the pages come back in', async () => {
    for (let seed = 1; seed <= 40; seed++) {
      const rand = random(seed);
      const count = 1 + Math.floor(rand() * 120);
      const o = org(count, 10, rand);
      const { staged, commits } = await run(o, { rand });
      expect(staged.sort(compareIds)).toEqual(o.records.map((r) => r.Id));
      expect(new Set(staged).size).toBe(staged.length);
      // Each end commits in order: up ascending, down descending; the sizes add up to the records.
      for (const up of [true, false]) {
        const mine = commits.filter((c) => c.up === up).map((c) => c.last);
        expect(mine).toEqual([...mine].sort((a, b) => (up ? compareIds(a, b) : compareIds(b, a))));
      }
      expect(commits.reduce((n, c) => n + c.size, 0)).toBe(count);
      // At most one call more than one query sorted one way.
      expect(o.calls.length).toBeLessThanOrEqual(Math.ceil(count / 10) + 1);
    }
  });

  it('reads an object of one page with one call', async () => {
    const rand = random(7);
    const o = org(10, 10, rand);
    const { staged } = await run(o, { rand });
    expect(staged).toHaveLength(10);
    expect(o.calls).toEqual([{ up: true, after: undefined }]);
  });

  it('resumes a run cut off part-way from both ends, with nothing lost', async () => {
    for (let seed = 100; seed < 130; seed++) {
      const rand = random(seed);
      const o = org(200 + Math.floor(rand() * 200), 20, rand);
      const first = await run(o, { rand, failAfter: 1 + Math.floor(rand() * 6) });
      // What the checkpoint holds: each end's last commit.
      const lastOf = (up: boolean) => first.commits.filter((c) => c.up === up).at(-1)?.last;
      const resumeUp = lastOf(true);
      const resumeDown = lastOf(false);
      const second = await run(o, { rand, ...(resumeUp ? { resumeUp } : {}), ...(resumeDown ? { resumeDown } : {}) });
      const all = new Set([...first.staged, ...second.staged]);
      expect([...all].sort(compareIds)).toEqual(o.records.map((r) => r.Id));
      // The resumed run reads nothing the first one committed.
      for (const id of second.staged) {
        if (resumeUp) expect(compareIds(id, resumeUp)).toBeGreaterThan(0);
        if (resumeDown) expect(compareIds(id, resumeDown)).toBeLessThan(0);
      }
    }
  });

  it('loses no record when records created and deleted meanwhile make the counts lie', async () => {
    for (let seed = 200; seed < 230; seed++) {
      const rand = random(seed);
      const initial = 60 + Math.floor(rand() * 100);
      // More than a page: what the counts miss is more than the other end's last page covers.
      const gone = 11 + Math.floor(rand() * 15);
      // After the first page: records of that page deleted and as many created above the last Id, so the
      // downward query counts them where the first query counted the deleted ones.
      const o = org(initial, 10, rand, (records, call) => {
        if (call !== 1) return;
        const top = records.reduce((max, r) => (compareIds(r.Id, max) > 0 ? r.Id : max), records[0]?.Id as string);
        records.splice(0, gone);
        for (let k = 1; k <= gone; k++) records.push({ Id: `${top.slice(0, 6)}zzzzzzzz${ALPHABET.charAt(k)}EAA` });
      });
      const survivors = o.records.slice(gone).map((r) => r.Id);
      const { staged } = await run(o, { rand });
      const stagedSet = new Set(staged);
      // Every record there from the start and still there at the end is staged; nothing twice.
      expect(survivors.filter((id) => !stagedSet.has(id))).toEqual([]);
      expect(stagedSet.size).toBe(staged.length);
    }
  });

  it('stops the other end at its next page when one end fails, and passes the failure on', async () => {
    const rand = random(11);
    const o = org(400, 10, rand);
    let failedAt: number | undefined;
    const readPage = async (request: PageRequest): Promise<Page<Rec>> => {
      if ('up' in request && !request.up) {
        failedAt = o.calls.length;
        throw new Error('the downward query failed');
      }
      return o.readPage(request);
    };
    const staged: string[] = [];
    const error = await stageFromBothEnds<Rec>({
      resumeUp: undefined,
      resumeDown: undefined,
      readPage,
      anyBetween: o.anyBetween,
      stage: async (records) => void staged.push(...records.map((r) => r.Id)),
      commit: async () => undefined,
    }).catch((e: unknown) => e);
    expect((error as Error).message).toBe('the downward query failed');
    // Of 40 pages, the upward end read the one under way when the other failed, and perhaps the one after it.
    expect(failedAt).toBeDefined();
    expect(o.calls.length - (failedAt as number)).toBeLessThanOrEqual(2);
    expect(staged.length).toBeLessThan(50);
  });

  it('reads nothing when a resumed run finds both ends already met', async () => {
    const rand = random(3);
    const o = org(50, 10, rand);
    const { staged } = await run(o, { rand, resumeUp: o.records[30]?.Id as string, resumeDown: o.records[20]?.Id as string });
    expect(staged).toEqual([]);
    expect(o.calls).toEqual([]);
  });
});
