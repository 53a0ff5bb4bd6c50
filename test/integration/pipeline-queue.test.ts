// Router → SQS FIFO → worker against the emulator, every call a real SDK client over HTTP: a
// document change and a console edit repaired through the queue without any sweep, the worker's
// own writes routed to nothing, a burst of 20 events costing at most two reconciles, a poison
// document ending `invalid` with its message deleted, a retryable failure returned to the queue
// and converging after the visibility timeout, a message whose worker died coming back, and a
// message that keeps failing reaching the dead-letter queue.
import { describe, test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { TagResourceCommand } from '@aws-sdk/client-transfer';
import { PREFIX, engineForTests } from '../helpers/engine.ts';
import { startPipeline } from './pipeline-harness.ts';

const engine = await engineForTests();
const pipe = await startPipeline(engine.emu, {
  name: 'pipeline-test',
  visibilityTimeout: 5,
  maxReceiveCount: 3,
  env: {
    DESIRED_STATE_PREFIX: PREFIX,
    TRANSFER_CALLS_PER_SECOND: '500',
    SSM_CALLS_PER_SECOND: '500',
    OFFLINE_WINDOW_MS: '1000',
    RETRY_BASE_DELAY_SECONDS: '1',
  },
});
const POLICY = 'TransferSecurityPolicy-2024-01';
/** Just past the queue's visibility timeout (5 s); a retryable failure comes back after 1 s, 2 s, 4 s … instead. */
const VISIBILITY_MS = 5_100;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeEach(async () => {
  engine.emu.faults.set({});
  await pipe.routed();
  await pipe.drain();
  pipe.router.clear();
  pipe.worker.clear();
});

/** A managed, converged server. */
async function managedServer(document: Record<string, unknown> = { SecurityPolicyName: POLICY }): Promise<string> {
  const id = await engine.createServer();
  await engine.putDocument(id, document);
  await pipe.routed();
  const outcomes = await pipe.drain();
  assert.deepEqual(
    outcomes.map((o) => `${o.serverId}:${o.result}`),
    [`${id}:updated`],
  );
  pipe.router.clear();
  pipe.worker.clear();
  return id;
}

describe('the pipeline on the emulator', () => {
  test('a document change is reconciled through the queue', async () => {
    const id = await engine.createServer();
    await engine.putDocument(id, { SecurityPolicyName: POLICY });
    await pipe.routed();
    assert.deepEqual(await pipe.depth(pipe.queueUrl), { visible: 1, inFlight: 0 });
    const outcomes = await pipe.drain();
    assert.deepEqual(
      outcomes.map((o) => [o.serverId, o.result, o.trigger]),
      [[id, 'updated', 'event']],
    );
    assert.equal((await engine.describe(id)).SecurityPolicyName, POLICY);
    assert.deepEqual(await pipe.depth(pipe.queueUrl), { visible: 0, inFlight: 0 });
  });

  test("a console edit is reverted without any sweep, and the reconciler's own writes cause no reconcile", async () => {
    const id = await managedServer();
    await engine.update({ ServerId: id, SecurityPolicyName: 'TransferSecurityPolicy-2018-11' });
    await pipe.routed();
    const outcomes = await pipe.drain();
    assert.deepEqual(
      outcomes.map((o) => o.result),
      ['updated'],
    );
    assert.equal((await engine.describe(id)).SecurityPolicyName, POLICY);
    // The worker's UpdateServer reached the router as a CloudTrail event and was dropped there.
    await pipe.routed();
    const dropped = pipe.router.lines.filter((l) => l.message === 'dropped' && String(l.reason).includes('own role'));
    assert.ok(dropped.length >= 1, JSON.stringify(pipe.router.lines.map((l) => l.message)));
    assert.deepEqual(await pipe.depth(pipe.queueUrl), { visible: 0, inFlight: 0 });
    assert.deepEqual(await pipe.drain(), []);
  });

  test('20 events for one server in a second → one or two reconciles, and the server converges', async () => {
    const id = await managedServer();
    const arn = (await engine.describe(id)).Arn;
    for (let i = 0; i < 19; i += 1)
      await engine.transfer.send(new TagResourceCommand({ Arn: arn, Tags: [{ Key: 'touched', Value: String(i) }] }));
    await engine.update({ ServerId: id, SecurityPolicyName: 'TransferSecurityPolicy-2018-11' });
    await pipe.routed();
    assert.equal((await pipe.depth(pipe.queueUrl)).visible, 20);
    const outcomes = await pipe.drain();
    assert.ok(outcomes.length >= 1 && outcomes.length <= 2, `${outcomes.length} reconciles`);
    assert.equal(outcomes.filter((o) => o.result === 'updated').length, 1);
    assert.equal((await engine.describe(id)).SecurityPolicyName, POLICY);
  });

  test('a poison document → invalid, nothing written, the message deleted and never delivered again', async () => {
    const id = await engine.createServer();
    engine.mark();
    await engine.putDocument(id, { SecurityPolicyName: POLICY, NotAField: true });
    await pipe.routed();
    const outcomes = await pipe.drain();
    assert.deepEqual(
      outcomes.map((o) => o.result),
      ['invalid'],
    );
    assert.deepEqual(
      engine.writes(id).filter((c) => c.service === 'transfer'),
      [],
    );
    await sleep(VISIBILITY_MS); // past the visibility timeout
    assert.equal(await pipe.poll(), undefined);
    assert.deepEqual(await pipe.depth(pipe.queueUrl), { visible: 0, inFlight: 0 });
    assert.deepEqual(await pipe.depth(pipe.dlqUrl), { visible: 0, inFlight: 0 });
  });

  test('a retryable failure returns the message after its backoff (1 s, not the 5 s visibility timeout), and it converges', async () => {
    const id = await managedServer();
    await engine.update({ ServerId: id, SecurityPolicyName: 'TransferSecurityPolicy-2018-11' });
    await pipe.routed();
    engine.emu.faults.set({ services: { transfer: { error503Rate: 1 } } });
    const first = await pipe.poll(3_300); // a deadline 300 ms away (3 s are the flush reserve)
    assert.ok(first);
    assert.deepEqual(
      first.response.batchItemFailures.map((f) => f.itemIdentifier),
      first.records.map((r) => r.messageId),
    );
    const failed = pipe.worker.outcomes();
    assert.equal(failed.at(-1)?.result, 'failed');
    assert.equal(failed.at(-1)?.error?.retryable, true);
    assert.equal(await pipe.poll(), undefined, 'invisible during the backoff');
    const returned = pipe.worker.lines.find((l) => l.message === 'returned to the queue');
    assert.deepEqual(returned?.delays, [1]);
    engine.emu.faults.set({});
    await sleep(1_100);
    const second = await pipe.poll();
    assert.equal(second?.records[0]?.attributes.ApproximateReceiveCount, '2');
    assert.equal(pipe.worker.outcomes().at(-1)?.result, 'updated');
    assert.equal((await engine.describe(id)).SecurityPolicyName, POLICY);
    assert.deepEqual(await pipe.depth(pipe.queueUrl), { visible: 0, inFlight: 0 });
  });

  test('a worker that dies before deleting its message: the message comes back and the server converges', async () => {
    const id = await managedServer();
    await engine.update({ ServerId: id, SecurityPolicyName: 'TransferSecurityPolicy-2018-11' });
    await pipe.routed();
    // Received, then the process is gone: no reconcile finished, nothing deleted.
    const taken = await pipe.sqs.send(new ReceiveMessageCommand({ QueueUrl: pipe.queueUrl, MaxNumberOfMessages: 10 }));
    assert.equal(taken.Messages?.length, 1);
    assert.equal(await pipe.poll(), undefined);
    await sleep(VISIBILITY_MS);
    const outcomes = await pipe.drain();
    assert.deepEqual(
      outcomes.map((o) => o.result),
      ['updated'],
    );
    assert.equal((await engine.describe(id)).SecurityPolicyName, POLICY);
  });

  test('a message that keeps failing reaches the dead-letter queue after maxReceiveCount receives', async () => {
    const id = await managedServer();
    await engine.update({ ServerId: id, SecurityPolicyName: 'TransferSecurityPolicy-2018-11' });
    await pipe.routed();
    engine.emu.faults.set({ services: { transfer: { error503Rate: 1 } } });
    for (const backoff of [1_100, 2_100, 4_100]) {
      const got = await pipe.poll(3_300);
      assert.ok(got, `receive after ${backoff}`);
      await sleep(backoff);
    }
    assert.equal(await pipe.poll(), undefined);
    assert.deepEqual(await pipe.depth(pipe.dlqUrl), { visible: 1, inFlight: 0 });
    assert.deepEqual(await pipe.depth(pipe.queueUrl), { visible: 0, inFlight: 0 });
  });
});
