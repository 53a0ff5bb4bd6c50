// Deadlines seen from the Lambdas: with little time left, no offline change is begun that could
// not finish (a stop whose start would be cut off by the timeout would leave a server down), while
// changes made online still go ahead; the event handler hands the server to Lambda's retry, and
// the sweep names the servers it could not finish so the next run takes them.
import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { readConfig } from '../../functions/handlers/lib/config.ts';
import { instrumentClients } from '../../functions/handlers/lib/clients.ts';
import { RetryableFailureError } from '../../functions/handlers/lib/report.ts';
import { createHandler as createEventHandler } from '../../functions/handlers/on-parameter-change.ts';
import { createHandler as createSweepHandler } from '../../functions/handlers/drift-sweep.ts';
import type { ParameterChangeEvent } from '../../functions/handlers/lib/parameter-event.ts';
import { PREFIX, engineForTests, fastClock, documentEvent as putAndGetEvent } from '../helpers/engine.ts';
import { capturedObservability, lambdaContext, scheduledEvent } from './handlers-harness.ts';

const engine = await engineForTests();
// An offline change needs a minute; these Lambdas have seconds left.
const config = readConfig({
  DESIRED_STATE_PREFIX: PREFIX,
  TRANSFER_CALLS_PER_SECOND: '500',
  SSM_CALLS_PER_SECOND: '500',
  OFFLINE_WINDOW_MS: '60000',
  SWEEP_STOP_MARGIN_MS: '2000',
  FLUSH_RESERVE_MS: '500',
});
const clients = instrumentClients(engine.clients, config);
const obs = capturedObservability();
const onChange = createEventHandler({ config, clients, clock: fastClock, ...obs });
const driftSweep = createSweepHandler({ config, clients, clock: fastClock, ...obs.another() });

beforeEach(() => {
  engine.emu.reset();
  engine.emu.faults.set({});
  obs.clear();
});

const OFFLINE_CHANGE = { IpAddressType: 'DUALSTACK', Reconciler: { AllowOfflineChanges: true } };
const transferWrites = () => engine.writes().filter((w) => w.service === 'transfer');

function documentEvent(id: string, document: unknown): Promise<ParameterChangeEvent> {
  return putAndGetEvent<ParameterChangeEvent>(engine, id, document);
}

describe('event handler near its deadline', () => {
  test("an offline change with 10 s left: nothing written, retryable, handed to Lambda's retry", async () => {
    const id = await engine.createServer();
    const event = await documentEvent(id, OFFLINE_CHANGE);
    engine.mark();
    await assert.rejects(
      onChange(event, lambdaContext(10_000)),
      (err: unknown) => err instanceof RetryableFailureError && err.serverIds.includes(id),
    );
    assert.deepEqual(transferWrites(), []);
    const [o] = obs.outcomes();
    assert.equal(o?.result, 'failed');
    assert.equal(o?.error?.code, 'RetryLater');
    assert.equal(o?.error?.retryable, true);
    assert.match(o?.error?.message ?? '', /nothing was written/);
    assert.equal(obs.emf()[0]?.Failed, 1);
    const server = await engine.describe(id);
    assert.equal(server.State, 'ONLINE');
    assert.equal(server.IpAddressType, 'IPV4');

    // The retry, with a full Lambda's time, makes the change.
    obs.clear();
    assert.deepEqual(await onChange(event, lambdaContext(600_000)), { results: [`${id}: updated`] });
    assert.equal((await engine.describe(id)).IpAddressType, 'DUALSTACK');
  });

  test('an online change with the same 10 s left goes ahead', async () => {
    const id = await engine.createServer();
    const event = await documentEvent(id, { PreAuthenticationLoginBanner: 'no stop needed' });
    assert.deepEqual(await onChange(event, lambdaContext(10_000)), { results: [`${id}: updated`] });
    assert.equal((await engine.describe(id)).PreAuthenticationLoginBanner, 'no stop needed');
  });

  test('a server held STARTING past the deadline: nothing written, retryable', async () => {
    const id = await engine.createServer();
    const event = await documentEvent(id, { PreAuthenticationLoginBanner: 'later' });
    engine.emu.transfer.forceState(id, 'STARTING');
    engine.mark();
    await assert.rejects(onChange(event, lambdaContext(1_500)), RetryableFailureError);
    assert.deepEqual(transferWrites(), []);
    assert.equal(obs.outcomes()[0]?.error?.code, 'RetryLater');
    engine.emu.transfer.forceState(id, 'ONLINE');
  });
});

describe('drift sweep near its deadline', () => {
  test('offline changes are not begun and are reported unfinished; online changes are made', async () => {
    const offline = [await engine.createServer(), await engine.createServer()];
    const online = [await engine.createServer(), await engine.createServer()];
    for (const id of offline) await engine.putDocument(id, OFFLINE_CHANGE);
    for (const id of online) await engine.putDocument(id, { SecurityPolicyName: 'TransferSecurityPolicy-2024-01' });
    engine.mark();
    const summary = await driftSweep(scheduledEvent(), lambdaContext(20_000));
    assert.deepEqual(summary.results, { failed: 2, updated: 2 });
    assert.deepEqual(summary.unfinished, [...offline].sort());
    assert.deepEqual(summary.leftForNextRun, []);
    assert.deepEqual(
      transferWrites().map((w) => w.operation),
      ['UpdateServer', 'UpdateServer'],
    );
    assert.deepEqual(
      transferWrites()
        .map((w) => w.target)
        .sort(),
      [...online].sort(),
    );
    const logged = obs.lines.find((l) => l.message === 'sweep summary')?.summary as { unfinished?: string[] } | undefined;
    assert.deepEqual(logged?.unfinished, [...offline].sort());
    for (const id of offline) assert.equal((await engine.describe(id)).State, 'ONLINE');

    // The next run, with time enough, finishes them.
    obs.clear();
    const next = await driftSweep(scheduledEvent(), lambdaContext(600_000));
    assert.deepEqual(next.results, { updated: 2, 'in-sync': 2 });
    assert.deepEqual(next.unfinished, []);
    for (const id of offline) {
      const server = await engine.describe(id);
      assert.equal(server.State, 'ONLINE');
      assert.equal(server.IpAddressType, 'DUALSTACK');
    }
  });

  test('with less than the stop margin left nothing is started: every server is left for the next run', async () => {
    const id = await engine.createServer();
    await engine.putDocument(id, OFFLINE_CHANGE);
    engine.mark();
    const summary = await driftSweep(scheduledEvent(), lambdaContext(2_000));
    assert.deepEqual(summary.leftForNextRun, [id]);
    assert.deepEqual(summary.unfinished, []);
    assert.deepEqual(transferWrites(), []);
  });
});
