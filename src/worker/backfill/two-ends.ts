/**
 * An object's records read from both ends of their Id order at once: one query sorted up, one sorted
 * down, page after page, until the two meet. Two pages are read at a time instead of one, and a page is
 * what a backfill's staging waits for (a Salesforce query page answers in a second or two; the
 * simulators' in tens of milliseconds). Each end checkpoints the last Id it staged, in order, so a
 * resumed run goes on from both; the records between them are all that is left.
 *
 * The ends meet without a gap and with few wasted calls:
 * - each knows how far the other has read, drops what lies at or beyond that (the other has it), and
 *   stops there;
 * - the first page's total says when the two have read everything between them: then an end whose
 *   remaining share the other end's page in flight covers waits for it instead of reading the same
 *   records, and when the counts add up, one query for a single Id asks whether any record lies between
 *   the two ends (a record created or deleted meanwhile makes counts lie; the Ids do not). When it finds some,
 *   the counts are no longer trusted and the ends read on until their Ids meet.
 * The second end starts only when the first page shows there is more than one page, so a small object
 * costs one query, as before.
 */
import { compareIds } from '../../core/sync/identity.js';
import { pipeline } from './pipeline.js';

/** A page to read: the next one of a query already running, or the first of a query sorted up or down after an Id. */
export type PageRequest = { next: string } | { up: boolean; after: string | undefined };

export interface Page<R> {
  records: R[];
  /** The query's next page, when there is one. */
  next: string | undefined;
  /** How many records the query matched in all (Salesforce's totalSize). */
  total: number;
}

export interface TwoEndsOptions<R extends { Id: string }> {
  /** The last Id the upward end staged in an earlier run, and the downward end's. */
  resumeUp: string | undefined;
  resumeDown: string | undefined;
  readPage: (request: PageRequest) => Promise<Page<R>>;
  /** Whether any record lies strictly between two Ids (a query for one Id). */
  anyBetween: (low: string, high: string) => Promise<boolean>;
  stage: (records: R[]) => Promise<void>;
  /** After a page is staged (and every page before it from the same end): its end, its last Id, its size. */
  commit: (up: boolean, last: string, size: number) => Promise<void>;
}

type End = 'up' | 'down';

export async function stageFromBothEnds<R extends { Id: string }>(options: TwoEndsOptions<R>): Promise<void> {
  // How far each end has read: every Id at or below `up`, and at or above `down`, is read (or was staged by an earlier run).
  const reached: Record<End, string | undefined> = { up: options.resumeUp, down: options.resumeDown };
  const read: Record<End, number> = { up: 0, down: 0 };
  const inFlight: Record<End, Promise<unknown> | undefined> = { up: undefined, down: undefined };
  const resuming = options.resumeUp !== undefined || options.resumeDown !== undefined;
  // The first query's total and page size, while the counts can be trusted (not across a resume, whose queries each count a part).
  let total: number | undefined;
  let pageSize: number | undefined;
  let countsTrusted = !resuming;
  let verifying: Promise<boolean> | undefined;
  // Everything is read: an end read its query to the end, the ends' Ids met, or a count found nothing between them.
  let finished = false;
  // An end failed: the other stops at its next page instead of reading on (its staged pages are kept).
  let endFailed = false;
  const met = () => endFailed || finished || (reached.up !== undefined && reached.down !== undefined && compareIds(reached.up, reached.down) >= 0);

  /** Whether nothing lies between the two ends (one query for a single Id, shared by both ends). */
  const nothingBetween = (): Promise<boolean> =>
    (verifying ??= (async () => {
      const low = reached.up;
      const high = reached.down;
      if (low === undefined || high === undefined) return false;
      const any = await options.anyBetween(low, high);
      if (any) countsTrusted = false;
      return !any;
    })().finally(() => (verifying = undefined)));

  /** Waits until this end should read its next page; false when there is nothing left to read. */
  const shouldRead = async (mine: End): Promise<boolean> => {
    const other: End = mine === 'up' ? 'down' : 'up';
    for (;;) {
      if (met()) return false;
      if (!countsTrusted || total === undefined) return true;
      const remaining = total - read.up - read.down;
      const otherPage = inFlight[other];
      if (remaining <= 0) {
        if (otherPage) {
          await otherPage.catch(() => undefined);
          continue;
        }
        if (await nothingBetween()) {
          finished = true;
          return false;
        }
        return true;
      }
      // The other end's page in flight covers what is left: wait for it rather than read the same records.
      if (otherPage && pageSize !== undefined && remaining <= pageSize) {
        await otherPage.catch(() => undefined);
        continue;
      }
      return true;
    }
  };

  const runEnd = (mine: End, onFirstPage?: (more: boolean) => void) => {
    const up = mine === 'up';
    const resume = up ? options.resumeUp : options.resumeDown;
    let first = true;
    return pipeline<R[]>(
      resume !== undefined ? `id:${resume}` : 'start',
      async (cursor) => {
        if (!(await shouldRead(mine))) return { unit: [], cursor: undefined, size: 0 };
        const request: PageRequest = cursor === undefined || cursor === 'start' ? { up, after: undefined } : cursor.startsWith('id:') ? { up, after: cursor.slice(3) } : { next: cursor };
        const reading = options.readPage(request);
        inFlight[mine] = reading;
        let page: Page<R>;
        try {
          page = await reading;
        } finally {
          inFlight[mine] = undefined;
        }
        if (first && up && !resuming) {
          total = page.total;
          if (page.next !== undefined) pageSize = page.records.length;
        }
        let records = page.records;
        let next = page.next;
        if (met()) {
          // While this page was on its way everything left was read.
          records = [];
          next = undefined;
        } else {
          // What the other end has read by now is its own: keep what lies before it, and stop there.
          const other = up ? reached.down : reached.up;
          const beyond = other === undefined ? -1 : records.findIndex((r) => (up ? compareIds(r.Id, other) >= 0 : compareIds(r.Id, other) <= 0));
          if (beyond >= 0) {
            records = records.slice(0, beyond);
            next = undefined;
            reached[mine] = other;
          } else if (next === undefined) {
            finished = true;
          } else {
            const last = records[records.length - 1];
            if (last) reached[mine] = last.Id;
          }
        }
        read[mine] += records.length;
        if (first) {
          first = false;
          onFirstPage?.(next !== undefined);
        }
        return { unit: records, cursor: next, size: records.length };
      },
      (records) => (records.length > 0 ? options.stage(records) : Promise.resolve()),
      async (_cursor, size, records) => {
        const last = records[records.length - 1];
        if (last) await options.commit(up, last.Id, size);
      },
      // Each end stages one page while it reads its next.
      1,
    );
  };

  // A run that stopped part-way resumes both ends; a new one starts the downward end only once the first page shows more.
  let startDown: (go: boolean) => void = () => {};
  const downGate = resuming ? Promise.resolve(true) : new Promise<boolean>((resolve) => (startDown = resolve));
  const stopOnFailure = (err: unknown): never => {
    endFailed = true;
    throw err;
  };
  const upward = runEnd('up', (more) => startDown(more))
    .catch(stopOnFailure)
    .finally(() => startDown(false));
  const downward = downGate.then((go) => (go ? runEnd('down').catch(stopOnFailure) : undefined));
  // Work already started is let finish (or fail) before an error is passed on.
  const results = await Promise.allSettled([upward, downward]);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}
