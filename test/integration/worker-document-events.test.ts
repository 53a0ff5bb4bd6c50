// Parameter Store changes through the pipeline (router → SQS FIFO → worker) against the emulator,
// every call a real SDK client over HTTP: a document put with the SSM SDK becomes an EventBridge
// event, the router enqueues its server, the worker reconciles and the server converges. Delete,
// out-of-prefix, host-key changes, invalid documents and retryable failures each end the way the
// deployment relies on. (Was the direct path's on-parameter-change test. Where that handler threw
// for Lambda's async retries, the worker now fails the message's record, so SQS returns it.)
import { describe, test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { DeleteParameterCommand } from '@aws-sdk/client-ssm';
import { parsePrivateKey } from '../../functions/shared/ssh-key.ts';
import { normaliseFingerprint } from '../../functions/shared/fingerprint.ts';
import { PREFIX, engineForTests } from '../helpers/engine.ts';
import { assertNoKeyMaterial, markedHostKey } from '../helpers/secrets.ts';
import { startPipeline } from './pipeline-harness.ts';
import { settle } from './pipeline-steps.ts';

const KEYS = '/transfer-reconciler/host-keys/';
const POLICY = 'TransferSecurityPolicy-2024-01';
const engine = await engineForTests();
const pipe = await startPipeline(engine.emu, {
  name: 'worker-document-events',
  env: {
    DESIRED_STATE_PREFIX: PREFIX,
    HOST_KEY_PREFIX: KEYS,
    TRANSFER_CALLS_PER_SECOND: '500',
    SSM_CALLS_PER_SECOND: '500',
    OFFLINE_WINDOW_MS: '1000',
    RETRY_BASE_DELAY_SECONDS: '1',
  },
});

beforeEach(async () => {
  engine.emu.faults.set({});
  await settle(pipe);
});

const results = (outcomes: { serverId: string; result: string }[]) => outcomes.map((o) => `${o.serverId}: ${o.result}`).sort();
const transferWrites = (id: string) => engine.writes(id).filter((c) => c.service === 'transfer');
/** Routes what the emulator published, then lets the worker drain the queue. */
async function reconciled() {
  await pipe.routed();
  return pipe.drain();
}

describe('document and host-key changes through the pipeline', () => {
  test('a document put with the SSM SDK is routed, reconciled by the worker, and the server converges', async () => {
    const id = await engine.createServer();
    await engine.putDocument(id, { SecurityPolicyName: POLICY });
    const outcomes = await reconciled();
    assert.deepEqual(results(outcomes), [`${id}: updated`]);
    assert.equal((await engine.describe(id)).SecurityPolicyName, POLICY);

    // The router's line carries the event's id; the worker's batch line names it as the message's source.
    const enqueued = pipe.router.lines.find((l) => l.message === 'enqueued');
    assert.deepEqual(enqueued?.serverIds, [id]);
    const eventId = String(enqueued?.correlation_id);
    assert.ok(eventId.length > 0);
    const batch = pipe.worker.lines.find((l) => l.message === 'batch');
    assert.deepEqual((batch?.groups as Array<{ sources: string[] }>)[0]?.sources, [eventId]);
    // One structured line per outcome, the Lambda context in it.
    const lines = pipe.worker.lines.filter((l) => l.message === 'outcome');
    assert.equal(lines.length, 1);
    assert.equal(lines[0]?.service, 'transfer-reconciler');
    assert.equal(lines[0]?.function_name, 'transfer-reconciler-test');
    const [o] = outcomes;
    assert.equal(o?.trigger, 'event');
    assert.deepEqual(
      o?.changes.map((c) => c.path),
      ['SecurityPolicyName'],
    );
    // EMF: the worker's metrics, dimension Trigger=event.
    const emf = pipe.worker.emf().find((d) => d.Reconciles !== undefined);
    const directive = (emf?._aws as { CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][] }> }).CloudWatchMetrics[0];
    assert.equal(directive?.Namespace, 'TransferReconciler');
    assert.deepEqual(directive?.Dimensions, [['service', 'Trigger']]);
    assert.deepEqual([emf?.Trigger, emf?.Reconciles, emf?.DriftDetected, emf?.UpdatesApplied, emf?.Failed], ['event', 1, 1, 1, 0]);
    assert.deepEqual(await pipe.depth(pipe.queueUrl), { visible: 0, inFlight: 0 });
  });

  test('the same document again is in sync: reads only, no write', async () => {
    const id = await engine.createServer();
    await engine.putDocument(id, { SecurityPolicyName: POLICY });
    await reconciled();
    engine.mark();
    await engine.putDocument(id, { SecurityPolicyName: POLICY, Tags: [] });
    assert.deepEqual(results(await reconciled()), [`${id}: in-sync`]);
    assert.deepEqual(transferWrites(id), []);
  });

  test('Delete: outcome unmanaged and a metric, and not a single Transfer call', async () => {
    const id = await engine.createServer();
    await engine.putDocument(id, { SecurityPolicyName: POLICY });
    await settle(pipe);
    engine.mark();
    await engine.ssm.send(new DeleteParameterCommand({ Name: `${PREFIX}${id}` }));
    const outcomes = await reconciled();
    assert.deepEqual(results(outcomes), [`${id}: unmanaged`]);
    assert.deepEqual(
      engine.calls().filter((c) => c.service === 'transfer'),
      [],
    );
    assert.deepEqual(outcomes[0]?.calls, { GetParameter: 1 });
    const emf = pipe.worker.emf().find((d) => d.Unmanaged !== undefined);
    assert.deepEqual([emf?.Unmanaged, emf?.Reconciles], [1, 0]);
    assert.equal((await engine.describe(id)).SecurityPolicyName, POLICY);
  });

  test('a parameter outside both prefixes is dropped by the router: nothing enqueued, no AWS call', async () => {
    engine.mark();
    await engine.putText('/somewhere-else/config', '{}');
    assert.deepEqual(await reconciled(), []);
    assert.deepEqual(
      engine
        .calls()
        .filter((c) => c.service !== 'sqs')
        .map((c) => c.operation),
      ['PutParameter'],
    );
    assert.match(String(pipe.router.lines.find((l) => l.message === 'dropped')?.reason), /outside/);
    assert.equal(pipe.router.emf()[0]?.Ignored, 1);
  });

  test('an invalid document: outcome invalid, reported not retried, the message deleted, zero writes', async () => {
    const id = await engine.createServer();
    engine.mark();
    await engine.putDocument(id, { SecurityPolicyName: POLICY, Protocls: ['SFTP'] });
    assert.deepEqual(results(await reconciled()), [`${id}: invalid`]);
    assert.deepEqual(transferWrites(id), []);
    assert.equal(pipe.worker.lines.find((l) => l.message === 'outcome')?.level, 'WARN');
    assert.match(JSON.stringify(pipe.worker.outcomes()[0]?.issues), /Protocols/);
    assert.equal(pipe.worker.emf().find((d) => d.Invalid !== undefined)?.Invalid, 1);
    assert.deepEqual(await pipe.depth(pipe.queueUrl), { visible: 0, inFlight: 0 });
  });

  test('a host-key change reconciles every server whose document references it, and only those', async () => {
    const key = markedHostKey('ed25519');
    const shared = `${KEYS}shared-${Date.now()}`;
    const [a, b, other] = [await engine.createServer(), await engine.createServer(), await engine.createServer()];
    for (const [id, ref] of [
      [a, shared],
      [b, shared],
      [other, `${KEYS}other`],
    ] as const)
      await engine.putDocument(id, { HostKey: { SecureStringParameter: ref }, Reconciler: { AllowHostKeyRotation: true } });
    await settle(pipe); // the keys do not exist yet: invalid, reported
    const untouched = (await engine.describe(other)).HostKeyFingerprint;
    await engine.putText(shared, key, 'SecureString');
    assert.deepEqual(results(await reconciled()), [`${a}: updated`, `${b}: updated`].sort());
    const want = normaliseFingerprint(parsePrivateKey(key).fingerprint);
    assert.equal(normaliseFingerprint((await engine.describe(a)).HostKeyFingerprint ?? ''), want);
    assert.equal(normaliseFingerprint((await engine.describe(b)).HostKeyFingerprint ?? ''), want);
    assert.equal((await engine.describe(other)).HostKeyFingerprint, untouched);
    const enqueued = pipe.router.lines.find((l) => l.message === 'enqueued');
    assert.deepEqual((enqueued?.serverIds as string[]).sort(), [a, b].sort());
    assertNoKeyMaterial(JSON.stringify([...pipe.router.lines, ...pipe.worker.lines]), key);
  });

  test('a failure that may pass on retry: ERROR line and Failed metric, the record returned to the queue, then converged', async () => {
    const id = await engine.createServer();
    engine.emu.faults.set({ operations: { DescribeServer: { error500Rate: 1 } } });
    await engine.putDocument(id, { SecurityPolicyName: POLICY });
    await pipe.routed();
    const first = await pipe.poll(3_300); // a deadline 300 ms away (3 s are the flush reserve)
    assert.ok(first);
    assert.deepEqual(
      first.response.batchItemFailures.map((f) => f.itemIdentifier),
      first.records.map((r) => r.messageId),
    );
    assert.equal(pipe.worker.lines.find((l) => l.message === 'outcome')?.level, 'ERROR');
    assert.equal(pipe.worker.outcomes()[0]?.result, 'failed');
    assert.equal(pipe.worker.outcomes()[0]?.error?.retryable, true);
    assert.equal(pipe.worker.emf().find((d) => d.Failed !== undefined)?.Failed, 1);
    engine.emu.faults.set({});
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // the first backoff (1 s)
    assert.deepEqual(results(await pipe.drain()), [`${id}: updated`]);
    assert.equal((await engine.describe(id)).SecurityPolicyName, POLICY);
  });
});
