/**
 * Runs units through `work`, up to `concurrency` at once, committing in order. `next(cursor)` reads
 * the following unit and the cursor after it (undefined = it was the last).
 *
 * Reads are sequential (each needs the cursor the one before returned) and one runs ahead of the
 * work: the next unit is read while the units in flight are worked on, so a slot that frees up is
 * filled at once instead of after a read's round trips. At most `concurrency` units are worked on
 * and one more is held read.
 */
export async function pipeline<U>(
  start: string | undefined,
  next: (cursor: string | undefined) => Promise<{ unit: U; cursor: string | undefined; size: number }>,
  work: (unit: U) => Promise<void>,
  commit: (cursor: string | undefined, size: number, unit: U) => Promise<void>,
  concurrency: number,
): Promise<void> {
  type Read = { unit: U; cursor: string | undefined; size: number };
  let cursor = start;
  let done = false;
  let reading: Promise<Read> | undefined;
  const readAhead = () => {
    if (done || reading) return;
    reading = next(cursor).then((read) => {
      cursor = read.cursor;
      done = read.cursor === undefined;
      return read;
    });
    // Awaited below; until then a failure must not count as unhandled.
    reading.catch(() => undefined);
  };
  const inFlight: Array<{ promise: Promise<void>; cursor: string | undefined; size: number; unit: U }> = [];
  // Work already started is let finish (or fail) before an error is passed on: nothing runs on unseen.
  const settleAndThrow = async (err: unknown): Promise<never> => {
    await Promise.allSettled([...inFlight.map((f) => f.promise), ...(reading ? [reading] : [])]);
    throw err;
  };
  readAhead();
  for (;;) {
    while (reading && inFlight.length < concurrency) {
      let read: Read;
      try {
        read = await reading;
      } catch (err) {
        reading = undefined;
        return settleAndThrow(err);
      }
      reading = undefined;
      const promise = work(read.unit);
      promise.catch(() => undefined);
      inFlight.push({ promise, cursor: read.cursor, size: read.size, unit: read.unit });
      readAhead();
    }
    const head = inFlight.shift();
    if (!head) break;
    try {
      await head.promise;
      await commit(head.cursor, head.size, head.unit);
    } catch (err) {
      return settleAndThrow(err);
    }
  }
}
