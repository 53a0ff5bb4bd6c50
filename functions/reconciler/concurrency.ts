// Runs async work over items with at most `limit` in flight, keeping results in input order.
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T, i);
    }
  });
  await Promise.all(workers);
  return results;
}

/**
 * mapLimit over items that arrive in batches (pages of a listing): work on a batch starts as soon
 * as it arrives, while the next one is fetched, so a slow listing does not hold the workers
 * idle. Results are in arrival order. If the batches fail part-way, the items already received
 * are finished first, then the error is thrown.
 */
export async function mapLimitStream<T, R>(
  batches: AsyncIterable<readonly T[]>,
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const items: T[] = [];
  const results: R[] = [];
  let next = 0;
  let done = false;
  let failure: { error: unknown } | undefined;
  let wake = (): void => {};
  let arrived = new Promise<void>((resolve) => {
    wake = resolve;
  });
  const signal = (): void => {
    const woken = wake;
    arrived = new Promise<void>((resolve) => {
      wake = resolve;
    });
    woken();
  };
  const feed = (async () => {
    try {
      for await (const batch of batches) {
        items.push(...batch);
        signal();
      }
    } catch (error) {
      failure = { error };
    } finally {
      done = true;
      signal();
    }
  })();
  const worker = async (): Promise<void> => {
    for (;;) {
      if (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i] as T, i);
      } else if (done) {
        return;
      } else {
        await arrived;
      }
    }
  };
  await Promise.all([feed, ...Array.from({ length: Math.max(1, limit) }, worker)]);
  if (failure) throw failure.error;
  return results;
}
