// Offline changes that fail, seen from the worker (the one Lambda that reconciles): STOP_FAILED,
// START_FAILED, an UpdateServer failing between the stop and the start, and the restart after it
// failing too. Either the server is started again (`restored`), or the outcome says `failed` with
// the exact state the server is in — and in every case the outcome is an ERROR log line and the
// Failed metric with the trigger's dimension, which the FailedAlarm (infra/aws/alarms.yml:
// namespace TransferReconciler, dimensions service and Trigger) watches. Never silent. A terminal
// failure's message is deleted (a person must look); a retryable one's record goes back to the
// queue and the next receive finishes the change. (Was the direct path's offline-failures test,
// whose retryable failures were thrown for Lambda's async retries. Engine-level sequences:
// reconcile-offline.test.ts.)
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { Outcome } from '../../functions/reconciler/types.ts';
import { PREFIX, engineForTests } from '../helpers/engine.ts';
import { REMOVE_MARKER, SET_MARKER } from '../helpers/restart-marker.ts';
import type { LogLine } from './handlers-harness.ts';
import { startPipeline } from './pipeline-harness.ts';
import { enumeratorFor, settle } from './pipeline-steps.ts';

const engine = await engineForTests();
const pipe = await startPipeline(engine.emu, {
  name: 'worker-offline-failures',
  env: {
    DESIRED_STATE_PREFIX: PREFIX,
    TRANSFER_CALLS_PER_SECOND: '500',
    SSM_CALLS_PER_SECOND: '500',
    OFFLINE_WINDOW_MS: '1000',
    RETRY_BASE_DELAY_SECONDS: '1',
    // One reconcile at a time inside a batch, so a fault switched for one server is exact.
    RECONCILE_CONCURRENCY: '1',
  },
});

beforeEach(() => settle(pipe));
afterEach(() => engine.emu.faults.set({}));

const OFFLINE_CHANGE = { IpAddressType: 'DUALSTACK', Reconciler: { AllowOfflineChanges: true } };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Puts the document, routes its event and runs one worker batch; the records it failed (returned to the queue). */
async function changeAndPoll(id: string, document: unknown): Promise<string[]> {
  await engine.putDocument(id, document);
  await pipe.routed();
  const got = await pipe.poll();
  assert.ok(got, 'the change reached the queue');
  return got.response.batchItemFailures.map((f) => f.itemIdentifier);
}

/** The one ERROR line with the failed outcome, and the EMF line that carries Failed for the alarm. */
function assertLoudFailure(serverId: string, trigger: 'event' | 'schedule'): Outcome {
  const lines = pipe.worker.lines.filter((l) => l.message === 'outcome' && l.serverId === serverId);
  assert.equal(lines.length, 1);
  const line = lines[0] as LogLine;
  assert.equal(line.level, 'ERROR');
  assert.equal(line.result, 'failed');
  const outcome = line.outcome as Outcome;
  assert.equal(outcome.result, 'failed');
  assert.ok(outcome.error && outcome.error.code.length > 0 && outcome.error.message.length > 0, JSON.stringify(outcome));
  const failed = pipe.worker.emf().filter((d) => Number(d.Failed) > 0);
  assert.equal(failed.length, 1);
  const doc = failed[0] as LogLine & {
    _aws: { CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string }> }> };
  };
  assert.equal(doc.Failed, 1);
  assert.equal(doc.Trigger, trigger);
  assert.equal(doc.service, 'transfer-reconciler');
  const directive = doc._aws.CloudWatchMetrics[0];
  assert.equal(directive?.Namespace, 'TransferReconciler');
  assert.ok(directive?.Metrics.some((m) => m.Name === 'Failed'));
  assert.ok(
    directive?.Dimensions.some((d) => d.includes('service') && d.includes('Trigger')),
    JSON.stringify(directive?.Dimensions),
  );
  return outcome;
}

// First: the enumeration lists every document, and the later tests leave servers failed on purpose.
describe('offline failures through the worker, from the enumeration', () => {
  test('one server fails between stop and start, the other is fixed: restored, reported with Trigger=schedule, Failed = 1', async () => {
    pipe.deaf = true; // only the enumeration reconciles these
    const broken = await engine.createServer();
    const fine = await engine.createServer();
    await engine.putDocument(broken, OFFLINE_CHANGE);
    await engine.putDocument(fine, { PreAuthenticationLoginBanner: 'fixed' });
    await pipe.routed();
    pipe.deaf = false;
    // Only the broken server's update is refused: the fault goes on when the worker stops it and
    // off when it is started again (the CloudTrail events of those calls).
    const unsubscribe = engine.emu.events.subscribeAll((event) => {
      const detail = (event as { detail?: { eventName?: string; requestParameters?: { serverId?: string } } }).detail;
      if (detail?.requestParameters?.serverId !== broken) return;
      if (detail.eventName === 'StopServer')
        engine.emu.faults.set({
          operations: {
            UpdateServer: { errors: [{ code: 'InvalidRequestException', status: 400, rate: 1, message: 'refused for the test' }] },
          },
        });
      if (detail.eventName === 'StartServer') engine.emu.faults.set({});
    });
    try {
      await enumeratorFor(pipe, engine.clients).run();
      const outcomes = (await pipe.drain()).filter((o) => o.serverId === broken || o.serverId === fine);
      assert.deepEqual(outcomes.map((o) => `${o.trigger}: ${o.result}`).sort(), ['schedule: failed', 'schedule: updated']);
    } finally {
      unsubscribe();
    }
    const o = assertLoudFailure(broken, 'schedule');
    assert.equal(o.serverState, 'ONLINE');
    assert.equal(o.error?.code, 'InvalidRequestException');
    assert.equal(o.error?.retryable, false);
    assert.deepEqual(o.done, [SET_MARKER, 'StopServer', 'StartServer (restore)', REMOVE_MARKER]);
    assert.equal((await engine.describe(broken)).State, 'ONLINE');
    assert.equal((await engine.describe(fine)).PreAuthenticationLoginBanner, 'fixed');
    assert.deepEqual(await pipe.depth(pipe.queueUrl), { visible: 0, inFlight: 0 }, 'a terminal failure is not retried');
  });
});

describe('offline failures through the worker, from a document event', () => {
  test('STOP_FAILED: failed with the state, nothing updated, ERROR line and Failed metric, the message not retried', async () => {
    const id = await engine.createServer();
    engine.emu.transfer.injectFailure(id, 'STOP_FAILED');
    assert.deepEqual(await changeAndPoll(id, OFFLINE_CHANGE), [], 'a failed transition needs a human; retries would not help');
    const o = assertLoudFailure(id, 'event');
    assert.equal(o.serverState, 'STOP_FAILED');
    assert.match(o.error?.message ?? '', /STOP_FAILED/);
    // The restart marker is the one write before the failed stop: nothing was updated.
    assert.deepEqual(o.done, [SET_MARKER]);
    assert.equal((await engine.describe(id)).IpAddressType, 'IPV4');
    assert.deepEqual(await pipe.depth(pipe.queueUrl), { visible: 0, inFlight: 0 });
  });

  test('START_FAILED after the update: failed with the state and what was done', async () => {
    const id = await engine.createServer();
    engine.emu.transfer.injectFailure(id, 'START_FAILED');
    assert.deepEqual(await changeAndPoll(id, OFFLINE_CHANGE), []);
    const o = assertLoudFailure(id, 'event');
    assert.equal(o.serverState, 'START_FAILED');
    assert.deepEqual(o.done, [SET_MARKER, 'StopServer', 'UpdateServer(IpAddressType)']);
    assert.match(o.error?.message ?? '', /START_FAILED/);
    assert.equal((await engine.describe(id)).State, 'START_FAILED');
  });

  test('UpdateServer fails between stop and start: restored ONLINE, failed and retryable, so the message comes back and finishes', async () => {
    const id = await engine.createServer();
    engine.emu.faults.set({ operations: { UpdateServer: { error500Rate: 1 } } });
    const returned = await changeAndPoll(id, OFFLINE_CHANGE);
    assert.equal(returned.length, 1, 'the record goes back to the queue');
    const o = assertLoudFailure(id, 'event');
    assert.equal(o.serverState, 'ONLINE');
    assert.deepEqual(o.done, [SET_MARKER, 'StopServer', 'StartServer (restore)', REMOVE_MARKER]);
    assert.match(o.error?.message ?? '', /started again/);
    assert.equal(o.error?.retryable, true);
    assert.equal((await engine.describe(id)).State, 'ONLINE');

    // The retry, once the fault has passed and the backoff (1 s) is over, finishes the change.
    engine.emu.faults.set({});
    pipe.worker.clear();
    await sleep(1_100);
    const outcomes = await pipe.drain();
    assert.deepEqual(
      outcomes.map((x) => `${x.serverId}: ${x.result}`),
      [`${id}: updated`],
    );
    assert.equal((await engine.describe(id)).IpAddressType, 'DUALSTACK');
  });

  test('UpdateServer fails and the restart fails too: the outcome says the server is left stopped, and where', async () => {
    const id = await engine.createServer();
    engine.emu.faults.set({ operations: { UpdateServer: { error500Rate: 1 } } });
    engine.emu.transfer.injectFailure(id, 'START_FAILED');
    await changeAndPoll(id, OFFLINE_CHANGE);
    const o = assertLoudFailure(id, 'event');
    assert.equal(o.serverState, 'START_FAILED');
    assert.match(o.error?.message ?? '', /THE SERVER IS LEFT STOPPED/);
    assert.deepEqual(o.done, [SET_MARKER, 'StopServer']);
    engine.emu.faults.set({});
    await sleep(1_100); // its record (retryable) comes back: let it go before the next test
    await pipe.drain();
  });
});
