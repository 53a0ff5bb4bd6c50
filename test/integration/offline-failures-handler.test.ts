// Offline changes that fail, seen from the Lambdas: STOP_FAILED, START_FAILED, an UpdateServer
// failing between the stop and the start, and the restart after it failing too. Either the server
// is started again (`restored`), or the outcome says `failed` with the exact state the server is
// in — and in every case the outcome is an ERROR log line and the Failed metric, which the
// FailedAlarm (infra/aws/alarms.yml: namespace TransferReconciler, dimensions service and Trigger)
// watches. Never silent. (The engine-level sequences are in reconcile-offline.test.ts.)
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { readConfig } from '../../functions/handlers/lib/config.ts';
import { instrumentClients } from '../../functions/handlers/lib/clients.ts';
import { RetryableFailureError } from '../../functions/handlers/lib/report.ts';
import { createHandler as createEventHandler } from '../../functions/handlers/on-parameter-change.ts';
import { createHandler as createSweepHandler } from '../../functions/handlers/drift-sweep.ts';
import type { ParameterChangeEvent } from '../../functions/handlers/lib/parameter-event.ts';
import type { Outcome } from '../../functions/reconciler/types.ts';
import { PREFIX, engineForTests, fastClock, documentEvent as putAndGetEvent } from '../helpers/engine.ts';
import { REMOVE_MARKER, SET_MARKER } from '../helpers/restart-marker.ts';
import { capturedObservability, lambdaContext, scheduledEvent } from './handlers-harness.ts';
import type { LogLine } from './handlers-harness.ts';

const engine = await engineForTests();
const config = readConfig({
  DESIRED_STATE_PREFIX: PREFIX,
  TRANSFER_CALLS_PER_SECOND: '500',
  SSM_CALLS_PER_SECOND: '500',
  OFFLINE_WINDOW_MS: '1000',
});
const clients = instrumentClients(engine.clients, config);
const obs = capturedObservability();
const onChange = createEventHandler({ config, clients, clock: fastClock, ...obs });
const driftSweep = createSweepHandler({ config: { ...config, concurrency: 1 }, clients, clock: fastClock, ...obs.another() });

beforeEach(() => {
  engine.emu.reset();
  obs.clear();
});
afterEach(() => engine.emu.faults.set({}));

const OFFLINE_CHANGE = { IpAddressType: 'DUALSTACK', Reconciler: { AllowOfflineChanges: true } };

/** Puts the document and returns the Parameter Store change event it caused. */
function documentEvent(id: string, document: unknown): Promise<ParameterChangeEvent> {
  return putAndGetEvent<ParameterChangeEvent>(engine, id, document);
}

/** Runs the event handler; a retryable failure is thrown (Lambda retries it), a terminal one returned. */
async function invoke(event: ParameterChangeEvent): Promise<{ thrown?: Error }> {
  try {
    await onChange(event, lambdaContext(600_000));
    return {};
  } catch (err) {
    return { thrown: err as Error };
  }
}

/** The one ERROR line with the failed outcome, and the EMF line that carries Failed for the alarm. */
function assertLoudFailure(serverId: string, trigger: 'event' | 'schedule'): Outcome {
  const lines = obs.lines.filter((l) => l.message === 'outcome' && l.serverId === serverId);
  assert.equal(lines.length, 1);
  const line = lines[0] as LogLine;
  assert.equal(line.level, 'ERROR');
  assert.equal(line.result, 'failed');
  const outcome = line.outcome as Outcome;
  assert.equal(outcome.result, 'failed');
  assert.ok(outcome.error && outcome.error.code.length > 0 && outcome.error.message.length > 0, JSON.stringify(outcome));
  const emf = obs.emf();
  assert.equal(emf.length, 1);
  const doc = emf[0] as LogLine & {
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

describe('offline failures through the event handler', () => {
  test('STOP_FAILED: failed with the state, nothing updated, ERROR line and Failed metric', async () => {
    const id = await engine.createServer();
    engine.emu.transfer.injectFailure(id, 'STOP_FAILED');
    const { thrown } = await invoke(await documentEvent(id, OFFLINE_CHANGE));
    assert.equal(thrown, undefined, 'a failed transition needs a human; Lambda retries would not help');
    const o = assertLoudFailure(id, 'event');
    assert.equal(o.serverState, 'STOP_FAILED');
    assert.match(o.error?.message ?? '', /STOP_FAILED/);
    // The restart marker is the one write before the failed stop: nothing was updated.
    assert.deepEqual(o.done, [SET_MARKER]);
    assert.equal((await engine.describe(id)).IpAddressType, 'IPV4');
  });

  test('START_FAILED after the update: failed with the state and what was done', async () => {
    const id = await engine.createServer();
    engine.emu.transfer.injectFailure(id, 'START_FAILED');
    await invoke(await documentEvent(id, OFFLINE_CHANGE));
    const o = assertLoudFailure(id, 'event');
    assert.equal(o.serverState, 'START_FAILED');
    assert.deepEqual(o.done, [SET_MARKER, 'StopServer', 'UpdateServer(IpAddressType)']);
    assert.match(o.error?.message ?? '', /START_FAILED/);
    assert.equal((await engine.describe(id)).State, 'START_FAILED');
  });

  test('UpdateServer fails between stop and start: restored ONLINE, failed and retryable, so Lambda retries it', async () => {
    const id = await engine.createServer();
    engine.emu.faults.set({ operations: { UpdateServer: { error500Rate: 1 } } });
    const { thrown } = await invoke(await documentEvent(id, OFFLINE_CHANGE));
    assert.ok(thrown instanceof RetryableFailureError, String(thrown));
    assert.deepEqual(thrown.serverIds, [id]);
    const o = assertLoudFailure(id, 'event');
    assert.equal(o.serverState, 'ONLINE');
    assert.deepEqual(o.done, [SET_MARKER, 'StopServer', 'StartServer (restore)', REMOVE_MARKER]);
    assert.match(o.error?.message ?? '', /started again/);
    assert.equal(o.error?.retryable, true);
    assert.equal((await engine.describe(id)).State, 'ONLINE');

    // Lambda's retry, once the fault has passed, finishes the change.
    engine.emu.faults.set({});
    obs.clear();
    const retry = await onChange(await documentEvent(id, OFFLINE_CHANGE), lambdaContext(600_000));
    assert.deepEqual(retry, { results: [`${id}: updated`] });
    assert.equal((await engine.describe(id)).IpAddressType, 'DUALSTACK');
  });

  test('UpdateServer fails and the restart fails too: the outcome says the server is left stopped, and where', async () => {
    const id = await engine.createServer();
    engine.emu.faults.set({ operations: { UpdateServer: { error500Rate: 1 } } });
    engine.emu.transfer.injectFailure(id, 'START_FAILED');
    await invoke(await documentEvent(id, OFFLINE_CHANGE));
    const o = assertLoudFailure(id, 'event');
    assert.equal(o.serverState, 'START_FAILED');
    assert.match(o.error?.message ?? '', /THE SERVER IS LEFT STOPPED/);
    assert.deepEqual(o.done, [SET_MARKER, 'StopServer']);
  });
});

describe('offline failures through the drift sweep', () => {
  test('one server fails between stop and start, the others are fixed: restored, reported, Failed = 1', async () => {
    const broken = await engine.createServer();
    const fine = await engine.createServer();
    await engine.putDocument(broken, OFFLINE_CHANGE);
    await engine.putDocument(fine, { PreAuthenticationLoginBanner: 'fixed' });
    // Only the broken server's update is refused (one reconcile at a time, so the switch is exact).
    engine.beforeSend = (r) => {
      if (r.operation === 'UpdateServer')
        engine.emu.faults.set(
          r.input.ServerId === broken
            ? {
                operations: {
                  UpdateServer: { errors: [{ code: 'InvalidRequestException', status: 400, rate: 1, message: 'refused for the test' }] },
                },
              }
            : {},
        );
    };
    try {
      const summary = await driftSweep(scheduledEvent(), lambdaContext(600_000));
      assert.deepEqual(summary.results, { failed: 1, updated: 1 });
    } finally {
      engine.beforeSend = undefined;
    }
    const o = assertLoudFailure(broken, 'schedule');
    assert.equal(o.serverState, 'ONLINE');
    assert.equal(o.error?.code, 'InvalidRequestException');
    assert.equal(o.error?.retryable, false);
    assert.deepEqual(o.done, [SET_MARKER, 'StopServer', 'StartServer (restore)', REMOVE_MARKER]);
    assert.equal((await engine.describe(broken)).State, 'ONLINE');
    assert.equal((await engine.describe(fine)).PreAuthenticationLoginBanner, 'fixed');
  });
});
