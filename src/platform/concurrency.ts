/** Runs `fn` over `items` with at most `limit` calls in flight; results keep the input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed: unknown;
  const runner = async () => {
    while (failed === undefined && next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i] as T, i);
      } catch (err) {
        failed ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, runner));
  if (failed !== undefined) throw failed;
  return results;
}

/** `items` in consecutive slices of at most `size` (the last may be shorter). */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * The items of `source`, the next one asked for as soon as one is handed over: the caller's work on
 * an item and the read of the next overlap. A read that fails is thrown where its item would have come.
 */
export async function* readingAhead<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const it = source[Symbol.asyncIterator]();
  let next = it.next();
  try {
    for (;;) {
      const r = await next;
      if (r.done) return;
      next = it.next();
      // Awaited on the next turn; if the caller stops first, a failed read must not count as unhandled.
      next.catch(() => undefined);
      yield r.value;
    }
  } finally {
    // The caller stopped early: let the read under way settle, then close the source.
    await next.catch(() => undefined);
    await it.return?.();
  }
}

/**
 * Runs `fn` on each item of `source` with at most `limit` calls in flight, the next item read while
 * the calls work (readingAhead). The first failure, of a read or of a call, stops it: no call starts
 * after it, the calls under way finish (or fail) first, and then the first failure is thrown, so
 * nothing runs on unseen once it has returned.
 */
export async function eachLimit<T>(source: AsyncIterable<T>, limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  const inFlight = new Set<Promise<void>>();
  let failed: { err: unknown } | undefined;
  try {
    for await (const item of readingAhead(source)) {
      if (failed) break;
      const p: Promise<void> = fn(item)
        .catch((err: unknown) => {
          failed ??= { err };
        })
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
      if (inFlight.size >= limit) await Promise.race(inFlight);
      if (failed) break;
    }
  } catch (err) {
    failed ??= { err };
  }
  // Every call's own failure is caught above: this waits, it never throws.
  await Promise.all(inFlight);
  if (failed) throw failed.err;
}
