// Deadlines seen from the worker: with little of the Lambda's time left, no offline change is
// begun that could not finish (a stop whose start would be cut off by the timeout would leave a
// server down), while changes made online still go ahead; the reconcile fails retryable
// (RetryLater, nothing written), its record goes back to the queue, and the next receive — with a
// full Lambda's time — makes the change. The same holds for an enumeration's messages, several
// servers in one batch. (Was the direct path's deadlines test. Gone with the drift-sweep Lambda:
// its stop margin, "start no server with less than SWEEP_STOP_MARGIN_MS left, name the rest for
// the next run" — the enumerator reconciles nothing, and each message carries its own retry.)
import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { PREFIX, engineForTests } from '../helpers/engine.ts';
import { startPipeline } from './pipeline-harness.ts';
import { enumeratorFor, settle } from './pipeline-steps.ts';

const engine = await engineForTests();
// An offline change needs a minute; these workers have seconds left.
const pipe = await startPipeline(engine.emu, {
  name: 'worker-deadlines',
  env: {
    DESIRED_STATE_PREFIX: PREFIX,
    TRANSFER_CALLS_PER_SECOND: '500',
    SSM_CALLS_PER_SECOND: '500',
    OFFLINE_WINDOW_MS: '60000',
    FLUSH_RESERVE_MS: '500',
    RETRY_BASE_DELAY_SECONDS: '1',
  },
});

beforeEach(async () => {
  engine.emu.faults.set({});
  await settle(pipe);
});

const OFFLINE_CHANGE = { IpAddressType: 'DUALSTACK', Reconciler: { AllowOfflineChanges: true } };
const transferWrites = () => engine.writes().filter((w) => w.service === 'transfer');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Past the first retry's backoff (1 s): the returned records are visible again. */
const BACKOFF_MS = 1_100;

async function change(id: string, document: unknown): Promise<void> {
  await engine.putDocument(id, document);
  await pipe.routed();
  engine.mark();
}

describe('the worker near its deadline', () => {
  test('an offline change with 10 s left: nothing written, retryable, the record returned; the next receive makes it', async () => {
    const id = await engine.createServer();
    await change(id, OFFLINE_CHANGE);
    const got = await pipe.poll(10_000);
    assert.ok(got);
    assert.deepEqual(
      got.response.batchItemFailures.map((f) => f.itemIdentifier),
      got.records.map((r) => r.messageId),
    );
    assert.deepEqual(transferWrites(), []);
    const [o] = pipe.worker.outcomes();
    assert.equal(o?.result, 'failed');
    assert.equal(o?.error?.code, 'RetryLater');
    assert.equal(o?.error?.retryable, true);
    assert.match(o?.error?.message ?? '', /nothing was written/);
    assert.equal(pipe.worker.emf().find((d) => d.Failed !== undefined)?.Failed, 1);
    const server = await engine.describe(id);
    assert.equal(server.State, 'ONLINE');
    assert.equal(server.IpAddressType, 'IPV4');

    pipe.worker.clear();
    await sleep(BACKOFF_MS);
    const outcomes = await pipe.drain(600_000);
    assert.deepEqual(
      outcomes.map((x) => `${x.serverId}: ${x.result}`),
      [`${id}: updated`],
    );
    assert.equal((await engine.describe(id)).IpAddressType, 'DUALSTACK');
  });

  test('an online change with the same 10 s left goes ahead', async () => {
    const id = await engine.createServer();
    await change(id, { PreAuthenticationLoginBanner: 'no stop needed' });
    const got = await pipe.poll(10_000);
    assert.deepEqual(got?.response.batchItemFailures, []);
    assert.equal(pipe.worker.outcomes()[0]?.result, 'updated');
    assert.equal((await engine.describe(id)).PreAuthenticationLoginBanner, 'no stop needed');
  });

  test('a server held STARTING past the deadline: nothing written, retryable', async () => {
    const id = await engine.createServer();
    await change(id, { PreAuthenticationLoginBanner: 'later' });
    engine.emu.transfer.forceState(id, 'STARTING');
    const got = await pipe.poll(1_500);
    assert.equal(got?.response.batchItemFailures.length, 1);
    assert.deepEqual(transferWrites(), []);
    assert.equal(pipe.worker.outcomes()[0]?.error?.code, 'RetryLater');
    engine.emu.transfer.forceState(id, 'ONLINE');
    await sleep(BACKOFF_MS);
    assert.equal((await pipe.drain(600_000)).at(-1)?.result, 'updated');
  });
});

describe("an enumeration's batch near the worker's deadline", () => {
  test('offline changes are not begun and go back to the queue; online changes are made; the next receive finishes them', async () => {
    pipe.deaf = true; // only the enumeration reconciles these
    const offline = [await engine.createServer(), await engine.createServer()];
    const online = [await engine.createServer(), await engine.createServer()];
    for (const id of offline) await engine.putDocument(id, OFFLINE_CHANGE);
    for (const id of online) await engine.putDocument(id, { SecurityPolicyName: 'TransferSecurityPolicy-2024-01' });
    await pipe.routed();
    pipe.deaf = false;
    const mine = new Set([...offline, ...online]);
    await enumeratorFor(pipe, engine.clients).run();
    engine.mark();

    const got = await pipe.poll(20_000);
    assert.ok(got);
    const outcomes = pipe.worker.outcomes().filter((o) => mine.has(o.serverId));
    assert.deepEqual(
      outcomes.map((o) => `${o.serverId}: ${o.result}`).sort(),
      [...offline.map((id) => `${id}: failed`), ...online.map((id) => `${id}: updated`)].sort(),
    );
    const returned = new Set(got.response.batchItemFailures.map((f) => f.itemIdentifier));
    const returnedServers = got.records
      .filter((r) => returned.has(r.messageId))
      .map((r) => (JSON.parse(r.body) as { serverId: string }).serverId);
    assert.deepEqual(returnedServers.filter((id) => mine.has(id)).sort(), [...offline].sort());
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
    for (const id of offline) assert.equal((await engine.describe(id)).State, 'ONLINE');

    // The returned records, received again with time enough, finish the offline changes.
    pipe.worker.clear();
    await sleep(BACKOFF_MS);
    const next = (await pipe.drain(600_000)).filter((o) => mine.has(o.serverId));
    assert.deepEqual(next.map((o) => `${o.serverId}: ${o.result}`).sort(), offline.map((id) => `${id}: updated`).sort());
    for (const id of offline) {
      const server = await engine.describe(id);
      assert.equal(server.State, 'ONLINE');
      assert.equal(server.IpAddressType, 'DUALSTACK');
    }
  });
});
