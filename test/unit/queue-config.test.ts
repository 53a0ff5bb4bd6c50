// The pipeline's settings: the queue, the reconciler's own roles, and the worker pacing rule
// (each worker instance gets the account's rate ÷ the event source mapping's MaximumConcurrency).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MAX_RETRY_DELAY_SECONDS,
  readConfig,
  requireQueueUrl,
  retryDelaySeconds,
  workerPacing,
} from '../../functions/handlers/lib/config.ts';

const QUEUE = 'http://127.0.0.1:4566/000000000000/transfer-reconciler-dev-reconcile.fifo';

describe('pipeline settings', () => {
  test('queue URL, role ARNs (comma-separated, trimmed), concurrency and lookup limit come from their variables', () => {
    const c = readConfig({
      RECONCILE_QUEUE_URL: QUEUE,
      RECONCILER_ROLE_ARNS: ' arn:aws:iam::1:role/worker , arn:aws:iam::1:role/old,',
      WORKER_MAX_CONCURRENCY: '5',
      ENDPOINT_LOOKUP_LIMIT: '50',
    });
    assert.equal(c.queueUrl, QUEUE);
    assert.deepEqual(c.reconcilerRoleArns, ['arn:aws:iam::1:role/worker', 'arn:aws:iam::1:role/old']);
    assert.equal(c.workerMaxConcurrency, 5);
    assert.equal(c.endpointLookupLimit, 50);
    assert.equal(requireQueueUrl(c), QUEUE);
  });

  test('a missing or non-FIFO queue and a bad concurrency are refused with the variable named', () => {
    assert.throws(() => requireQueueUrl(readConfig({})), /RECONCILE_QUEUE_URL/);
    assert.throws(() => readConfig({ RECONCILE_QUEUE_URL: 'http://x/1/standard-queue' }), /RECONCILE_QUEUE_URL must be a FIFO/);
    assert.throws(() => readConfig({ WORKER_MAX_CONCURRENCY: '0' }), /WORKER_MAX_CONCURRENCY/);
  });

  test('pacing: all workers together never exceed the account rate', () => {
    const c = readConfig({ TRANSFER_CALLS_PER_SECOND: '10', SSM_CALLS_PER_SECOND: '40', WORKER_MAX_CONCURRENCY: '4' });
    const paced = workerPacing(c);
    assert.equal(paced.transferCallsPerSecond, 2.5);
    assert.equal(paced.ssmCallsPerSecond, 10);
    assert.equal(paced.transferCallsPerSecond * c.workerMaxConcurrency, c.transferCallsPerSecond);
    assert.equal(c.transferCallsPerSecond, 10, 'the config itself is not changed');
  });

  test('retry backoff: base × 2^(receives − 1), capped at 15 minutes; a missing count counts as the first', () => {
    const c = readConfig({ RETRY_BASE_DELAY_SECONDS: '30' });
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6].map((n) => retryDelaySeconds(c, n)),
      [30, 60, 120, 240, 480, MAX_RETRY_DELAY_SECONDS],
    );
    assert.equal(retryDelaySeconds(c, Number.NaN), 30);
    assert.equal(retryDelaySeconds(readConfig({}), 1), 30);
  });
});
