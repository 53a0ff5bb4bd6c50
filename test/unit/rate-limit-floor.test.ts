// The pacing bucket's floor (functions/reconciler/aws/rate-limit.ts): a throttled answer drops the
// bucket to its floor for coolOffMs, then it goes back to its rate; paceClient tells the bucket
// about every attempt answered throttled, and about no other error.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DescribeServerCommand, TransferClient } from '@aws-sdk/client-transfer';
import { TokenBucket, paceClient } from '../../functions/reconciler/aws/rate-limit.ts';
import { manualClock } from '../helpers/manual-clock.ts';

/** Due times (ms after now) of `n` calls arriving together. */
const waits = (bucket: TokenBucket, n: number): number[] => Array.from({ length: n }, () => bucket.reserve());

describe('TokenBucket with a floor', () => {
  test('paces at its rate until throttled', () => {
    const clock = manualClock();
    const bucket = new TokenBucket(10, { clock, floorPerSecond: 2 });
    assert.equal(bucket.currentRate(), 10);
    assert.deepEqual(waits(bucket, 4), [0, 100, 200, 300]);
    assert.equal(bucket.throttles, 0);
  });

  test('after throttled() calls are spaced at the floor, with no burst of tokens earned above it', () => {
    const clock = manualClock();
    const bucket = new TokenBucket(10, { clock, floorPerSecond: 2, burst: 5 });
    clock.t += 10_000; // idle: the bucket is full (5 tokens)
    assert.equal(bucket.reserve(), 0); // the attempt that will be answered throttled; 4 tokens left
    bucket.throttled();
    assert.equal(bucket.throttles, 1);
    assert.equal(bucket.currentRate(), 2);
    assert.deepEqual(waits(bucket, 3), [500, 1000, 1500]);
  });

  test('back to its rate once coolOffMs has passed; another throttled answer extends the spell', () => {
    const clock = manualClock();
    const bucket = new TokenBucket(10, { clock, floorPerSecond: 2, coolOffMs: 5_000 });
    bucket.throttled();
    clock.t += 4_000;
    assert.equal(bucket.currentRate(), 2);
    bucket.throttled(); // the spell now ends at +9 s
    assert.equal(bucket.throttles, 2);
    clock.t += 4_999;
    assert.equal(bucket.currentRate(), 2);
    clock.t += 1;
    assert.equal(bucket.currentRate(), 10);
    clock.t += 1_000; // paid back and idle
    assert.deepEqual(waits(bucket, 3), [0, 100, 200]);
  });

  test('the default spell is 10 s', () => {
    const clock = manualClock();
    const bucket = new TokenBucket(4, { clock, floorPerSecond: 1 });
    bucket.throttled();
    clock.t += 9_999;
    assert.equal(bucket.currentRate(), 1);
    clock.t += 1;
    assert.equal(bucket.currentRate(), 4);
  });

  test('toFloor() (a batch showing the work is concentrated) keeps to the floor for the spell without counting a throttle', () => {
    const clock = manualClock();
    const bucket = new TokenBucket(10, { clock, floorPerSecond: 2, coolOffMs: 1_000 });
    bucket.toFloor();
    assert.equal(bucket.throttles, 0);
    assert.equal(bucket.currentRate(), 2);
    assert.deepEqual(waits(bucket, 3), [0, 500, 1000]);
    clock.t += 3_000;
    assert.equal(bucket.currentRate(), 10);
  });

  test('without a floor throttled() only counts', () => {
    const clock = manualClock();
    const bucket = new TokenBucket(10, { clock });
    assert.equal(bucket.floorPerSecond, 10);
    bucket.throttled();
    bucket.throttled();
    assert.equal(bucket.throttles, 2);
    assert.equal(bucket.currentRate(), 10);
    assert.deepEqual(waits(bucket, 3), [0, 100, 200]);
  });

  test('a floor above the rate, zero, negative or NaN is refused', () => {
    assert.throws(() => new TokenBucket(5, { floorPerSecond: 6 }), RangeError);
    assert.throws(() => new TokenBucket(5, { floorPerSecond: 0 }), RangeError);
    assert.throws(() => new TokenBucket(5, { floorPerSecond: -1 }), RangeError);
    assert.throws(() => new TokenBucket(5, { floorPerSecond: Number.NaN }), RangeError);
    assert.equal(new TokenBucket(5, { floorPerSecond: 5 }).floorPerSecond, 5);
    assert.equal(new TokenBucket(5, { floorPerSecond: 1.25 }).floorPerSecond, 1.25);
  });
});

describe('paceClient tells the bucket about throttled attempts', () => {
  // A Transfer endpoint on 127.0.0.1 answering every request with the error `answer` names.
  let answer: { status: number; code: string } = { status: 400, code: 'ThrottlingException' };
  let requests = 0;
  let server: Server;
  let endpoint = '';
  before(async () => {
    server = createServer((req, res) => {
      requests++;
      req.resume();
      req.on('end', () => {
        res.writeHead(answer.status, {
          'content-type': 'application/x-amz-json-1.1',
          'x-amzn-requestid': `r-${requests}`,
          'x-amzn-errortype': answer.code,
        });
        res.end(JSON.stringify({ __type: answer.code, Message: 'test answer' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const client = (maxAttempts: number) =>
    new TransferClient({
      endpoint,
      region: 'eu-west-1',
      maxAttempts,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });

  async function call(maxAttempts: number, bucket: TokenBucket): Promise<unknown> {
    const c = paceClient(client(maxAttempts), bucket);
    try {
      await c.send(new DescribeServerCommand({ ServerId: 's-0123456789abcdef0' }));
      return undefined;
    } catch (err) {
      return err;
    } finally {
      c.destroy();
    }
  }

  test('a ThrottlingException: every attempt (the SDK retries) counts, and the bucket drops to its floor', async () => {
    answer = { status: 400, code: 'ThrottlingException' };
    requests = 0;
    const clock = manualClock();
    const bucket = new TokenBucket(10, { clock, floorPerSecond: 2 });
    const err = await call(2, bucket);
    assert.equal((err as Error).name, 'ThrottlingException');
    assert.equal(requests, 2);
    assert.equal(bucket.throttles, 2);
    assert.equal(bucket.currentRate(), 2);
    // The retry waited for its token at the floor (the manual clock stands still): 1 ÷ 2 s.
    assert.deepEqual(clock.slept, [500]);
  });

  test('a 429 with another code is throttling too', async () => {
    answer = { status: 429, code: 'TooManyRequestsException' };
    const bucket = new TokenBucket(10, { clock: manualClock(), floorPerSecond: 2 });
    await call(1, bucket);
    assert.equal(bucket.throttles, 1);
  });

  test('other errors (not found, a 500) leave the bucket at its rate', async () => {
    const clock = manualClock();
    const bucket = new TokenBucket(10, { clock, floorPerSecond: 2 });
    answer = { status: 400, code: 'ResourceNotFoundException' };
    requests = 0;
    assert.equal(((await call(1, bucket)) as Error).name, 'ResourceNotFoundException');
    answer = { status: 500, code: 'InternalServiceError' };
    assert.equal(((await call(1, bucket)) as Error).name, 'InternalServiceError');
    assert.equal(requests, 2);
    assert.equal(bucket.throttles, 0);
    assert.equal(bucket.currentRate(), 10);
  });
});
