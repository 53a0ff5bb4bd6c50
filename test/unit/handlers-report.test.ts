// Metrics from outcomes, and which failures are handed to Lambda's retries.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RetryableFailureError, outcomeMetrics, retryableFailures } from '../../functions/handlers/lib/report.ts';
import type { Outcome, Result } from '../../functions/reconciler/types.ts';

function outcome(result: Result, extra: Partial<Outcome> = {}): Outcome {
  return {
    serverId: 's-00000000000000001',
    parameter: { name: '/p/s-00000000000000001' },
    trigger: 'event',
    mode: 'enforce',
    result,
    changes: [],
    calls: {},
    durationMs: 1,
    warnings: [],
    ...extra,
  };
}
const change = { path: 'SecurityPolicyName', from: 'a', to: 'b' };

describe('outcomeMetrics', () => {
  test('nothing at all is all zeros (so every metric has a data point each run)', () => {
    assert.deepEqual(outcomeMetrics([]), {
      Reconciles: 0,
      DriftDetected: 0,
      UpdatesApplied: 0,
      Blocked: 0,
      Invalid: 0,
      Failed: 0,
      Throttled: 0,
      Unmanaged: 0,
    });
  });

  test('counts per result; drift is any server found different, fixed or not', () => {
    const m = outcomeMetrics([
      outcome('in-sync'),
      outcome('updated', { changes: [change] }),
      outcome('drift-detected', { changes: [change] }),
      outcome('blocked', { changes: [change] }),
      outcome('invalid', { changes: [change] }),
      outcome('failed', { changes: [change], throttled: 2 }),
      outcome('not-found'),
      outcome('unmanaged'),
    ]);
    assert.deepEqual(m, {
      Reconciles: 7,
      DriftDetected: 4,
      UpdatesApplied: 1,
      Blocked: 1,
      Invalid: 1,
      Failed: 1,
      Throttled: 2,
      Unmanaged: 1,
    });
  });
});

describe('retries', () => {
  test('only failed outcomes marked retryable go back to Lambda', () => {
    const retryable = outcome('failed', { error: { code: 'ThrottlingException', message: 'slow down', retryable: true } });
    const terminal = outcome('failed', { error: { code: 'AccessDeniedException', message: 'no', retryable: false } });
    const others = (['invalid', 'blocked', 'not-found', 'unmanaged'] as const).map((r) =>
      outcome(r, { error: { code: r, message: r, retryable: false } }),
    );
    assert.deepEqual(retryableFailures([retryable, terminal, ...others]), [retryable]);
  });

  test('the error names each server and its error code', () => {
    const err = new RetryableFailureError([
      outcome('failed', { error: { code: 'InternalServiceError', message: 'boom', retryable: true } }),
    ]);
    assert.equal(err.name, 'RetryableFailureError');
    assert.deepEqual(err.serverIds, ['s-00000000000000001']);
    assert.match(err.message, /s-00000000000000001 \(InternalServiceError: boom\)/);
  });
});
