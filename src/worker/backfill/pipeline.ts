/**
 * Runs units through `work`, up to `concurrency` at once, committing in order. `next(cursor)` reads
 * the following unit and the cursor after it (undefined = it was the last).
 */
export async function pipeline<U>(
  start: string | undefined,
  next: (cursor: string | undefined) => Promise<{ unit: U; cursor: string | undefined; size: number }>,
  work: (unit: U) => Promise<void>,
  commit: (cursor: string | undefined, size: number, unit: U) => Promise<void>,
  concurrency: number,
): Promise<void> {
  let cursor = start;
  let done = false;
  const inFlight: Array<{ promise: Promise<void>; cursor: string | undefined; size: number; unit: U }> = [];
  while (!done || inFlight.length > 0) {
    while (!done && inFlight.length < concurrency) {
      const read = await next(cursor);
      cursor = read.cursor;
      done = read.cursor === undefined;
      const promise = work(read.unit);
      promise.catch(() => undefined);
      inFlight.push({ promise, cursor: read.cursor, size: read.size, unit: read.unit });
    }
    const head = inFlight.shift();
    if (!head) break;
    try {
      await head.promise;
    } catch (err) {
      await Promise.allSettled(inFlight.map((f) => f.promise));
      throw err;
    }
    await commit(head.cursor, head.size, head.unit);
  }
}
