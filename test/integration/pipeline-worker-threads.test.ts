// The runner's worker instances in worker threads (workerThreads, the benchmarks' setting): the
// same handler in another thread repairs a console edit, its outcome and log lines reach the
// runner's captured log in order, the threads are warmed ahead and stopped at close, and a clock
// is refused (the threads keep real time).
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPipeline } from '../../infra/local/pipeline/runner.ts';
import { systemClock } from '../../functions/reconciler/apply/clock.ts';
import { PREFIX, engineForTests } from '../helpers/engine.ts';
import { captureOutput } from '../helpers/secrets.ts';

const POLICY = 'TransferSecurityPolicy-2024-01';
const OLD = 'TransferSecurityPolicy-2018-11';
const env = { DESIRED_STATE_PREFIX: PREFIX, TRANSFER_CALLS_PER_SECOND: '500', SSM_CALLS_PER_SECOND: '500', OFFLINE_WINDOW_MS: '1000' };
const engine = await engineForTests();

describe('worker instances in threads', () => {
  test('a console edit is repaired by a threaded instance; its lines come back; close stops the threads', async () => {
    const p = await startPipeline(engine.emu, {
      name: 'worker-threads',
      env: { ...env, WORKER_MAX_CONCURRENCY: '2' },
      visibilityTimeout: 30,
      workerThreads: true,
      onLine: (_from, raw) => captureOutput('lambda log line', raw),
    });
    after(() => p.close());
    await p.warm();
    const id = await engine.createServer();
    await engine.putDocument(id, { SecurityPolicyName: POLICY });
    await p.settled();
    await engine.update({ ServerId: id, SecurityPolicyName: OLD });
    await p.settled();
    assert.equal((await engine.describe(id)).SecurityPolicyName, POLICY);
    assert.deepEqual(
      p.outcomes.map((o) => [o.serverId, o.result, o.trigger]),
      [
        [id, 'updated', 'event'],
        [id, 'updated', 'event'],
      ],
    );
    // The thread's lines: each outcome line before the batch line that closes its invocation.
    const messages = p.logs.worker.lines.map((l) => l.message);
    const firstOutcome = messages.indexOf('outcome');
    assert.ok(firstOutcome >= 0, 'outcome lines reached the runner');
    assert.ok(
      messages.slice(firstOutcome + 1).some((m) => m !== 'outcome'),
      'the batch line follows the outcome',
    );
    assert.equal(p.counters.workerErrors, 0);
    await p.close();
  });

  test('a clock cannot be given to threaded instances', async () => {
    await assert.rejects(
      startPipeline(engine.emu, { name: 'worker-threads-clock', env, workerThreads: true, manual: true, clock: systemClock }),
      /real time/,
    );
  });
});
