// mapLimitStream: work starts on the first batch before the next arrives, never more than the
// limit at once, results in arrival order, and a failing source still finishes what it gave.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mapLimitStream } from '../../functions/reconciler/concurrency.ts';

function gate(): { open: () => void; opened: Promise<void> } {
  let open = (): void => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

describe('mapLimitStream', () => {
  test('the first batch is worked on while the second is still coming', async () => {
    const secondMayCome = gate();
    const events: string[] = [];
    async function* batches(): AsyncGenerator<number[]> {
      yield [1, 2];
      await secondMayCome.opened;
      events.push('second batch');
      yield [3];
    }
    const results = await mapLimitStream(batches(), 2, async (n) => {
      events.push(`work ${n}`);
      if (n === 2) secondMayCome.open();
      return n * 10;
    });
    assert.deepEqual(results, [10, 20, 30]);
    assert.deepEqual(events.slice(0, 3), ['work 1', 'work 2', 'second batch']);
  });

  test('never more than the limit in flight', async () => {
    let inFlight = 0;
    let most = 0;
    async function* batches(): AsyncGenerator<number[]> {
      for (let b = 0; b < 5; b++) yield [b * 3, b * 3 + 1, b * 3 + 2];
    }
    const results = await mapLimitStream(batches(), 4, async (n) => {
      most = Math.max(most, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 1));
      inFlight--;
      return n;
    });
    assert.deepEqual(
      results,
      Array.from({ length: 15 }, (_, i) => i),
    );
    assert.equal(most, 4);
  });

  test('a source that fails part-way: what arrived is finished, then the error is thrown', async () => {
    const done: number[] = [];
    async function* batches(): AsyncGenerator<number[]> {
      yield [1, 2, 3];
      throw new Error('page 2 failed');
    }
    await assert.rejects(
      mapLimitStream(batches(), 2, async (n) => {
        done.push(n);
      }),
      /page 2 failed/,
    );
    assert.deepEqual(done.sort(), [1, 2, 3]);
  });

  test('no batches, no work', async () => {
    async function* batches(): AsyncGenerator<number[]> {
      /* empty listing */
    }
    assert.deepEqual(await mapLimitStream(batches(), 3, async (n: number) => n), []);
  });
});
