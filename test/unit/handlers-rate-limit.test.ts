// The pacing token bucket: exact spacing for concurrent callers, refill after idle time, burst cap.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TokenBucket } from '../../functions/handlers/lib/rate-limit.ts';
import { manualClock } from '../helpers/manual-clock.ts';

describe('TokenBucket', () => {
  test('calls arriving together are spaced exactly 1/rate apart, first one at once', () => {
    const clock = manualClock();
    const bucket = new TokenBucket(10, { clock });
    const waits = Array.from({ length: 5 }, () => bucket.reserve());
    assert.deepEqual(waits, [0, 100, 200, 300, 400]);
  });

  test('fractional rates keep sub-second precision', () => {
    const clock = manualClock();
    const bucket = new TokenBucket(3, { clock });
    const waits = Array.from({ length: 4 }, () => bucket.reserve());
    assert.deepEqual(
      waits.map((w) => Math.round(w * 1000) / 1000),
      [0, 333.333, 666.667, 1000],
    );
  });

  test('time passing pays back the debt: a caller after the queue has drained waits only its share', () => {
    const clock = manualClock();
    const bucket = new TokenBucket(10, { clock });
    bucket.reserve();
    bucket.reserve(); // due at +100
    clock.t += 150;
    assert.equal(bucket.reserve(), 50); // due at +200
    clock.t += 1_000;
    assert.equal(bucket.reserve(), 0);
  });

  test('an idle bucket refills only up to its burst', () => {
    const clock = manualClock();
    const bucket = new TokenBucket(10, { clock, burst: 3 });
    clock.t += 60_000;
    assert.deepEqual(
      Array.from({ length: 5 }, () => bucket.reserve()),
      [0, 0, 0, 100, 200],
    );
  });

  test('over any stretch the number of calls let through matches the rate', () => {
    const clock = manualClock();
    const bucket = new TokenBucket(20, { clock });
    let dueTimes: number[] = [];
    for (let i = 0; i < 200; i++) {
      clock.t += i % 7 === 0 ? 3 : 0;
      dueTimes.push(clock.t + bucket.reserve());
    }
    dueTimes = dueTimes.sort((a, b) => a - b);
    for (let i = 1; i < dueTimes.length; i++)
      assert.ok((dueTimes[i] as number) - (dueTimes[i - 1] as number) >= 50 - 1e-9, `calls ${i - 1} and ${i} closer than 1/rate`);
  });

  test('take() sleeps for the reserved wait', async () => {
    const clock = manualClock();
    const bucket = new TokenBucket(4, { clock });
    await Promise.all([bucket.take(), bucket.take(), bucket.take()]);
    assert.deepEqual(clock.slept, [250, 500]);
  });

  test('a rate that is not positive is refused', () => {
    assert.throws(() => new TokenBucket(0), RangeError);
    assert.throws(() => new TokenBucket(Number.NaN), RangeError);
  });
});
