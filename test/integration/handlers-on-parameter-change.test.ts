// on-parameter-change in process against the emulator, driven by the emulator's HTTP event
// stream: a parameter put with the SSM SDK becomes an EventBridge-shaped event, the handler
// reconciles, and the server converges. Delete, out-of-prefix, host-key changes, invalid
// documents and retryable failures each end the way the deployment relies on.
import { describe, test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { DeleteParameterCommand } from '@aws-sdk/client-ssm';
import { readConfig } from '../../functions/handlers/lib/config.ts';
import { instrumentClients } from '../../functions/handlers/lib/clients.ts';
import { createHandler } from '../../functions/handlers/on-parameter-change.ts';
import { parsePrivateKey } from '../../functions/shared/ssh-key.ts';
import { normaliseFingerprint } from '../../functions/shared/fingerprint.ts';
import { PREFIX, engineForTests, fastClock } from '../helpers/engine.ts';
import { assertNoKeyMaterial, markedHostKey } from '../helpers/secrets.ts';
import { capturedObservability, startLocalLoop } from './handlers-harness.ts';
import type { Invocation } from './handlers-harness.ts';

const KEYS = '/transfer-reconciler/host-keys/';
const engine = await engineForTests();
const config = readConfig({
  DESIRED_STATE_PREFIX: PREFIX,
  HOST_KEY_PREFIX: KEYS,
  TRANSFER_CALLS_PER_SECOND: '500',
  SSM_CALLS_PER_SECOND: '500',
  OFFLINE_WINDOW_MS: '1000',
});
const obs = capturedObservability();
const handler = createHandler({ config, clients: instrumentClients(engine.clients, config), clock: fastClock, ...obs });
const loop = await startLocalLoop(engine.emu.url, handler);

beforeEach(() => {
  engine.emu.faults.set({});
  obs.clear();
});

function value(inv: Invocation): unknown {
  if (!inv.ok) throw inv.error;
  return inv.value;
}

/** Transfer calls in the emulator's log since the last mark. */
const transferCalls = () =>
  engine
    .calls()
    .filter((c) => c.service === 'transfer')
    .map((c) => c.operation);
/** Transfer writes to one server since the last mark (the test's own PutParameter is not one). */
const transferWrites = (id: string) => engine.writes(id).filter((c) => c.service === 'transfer');

describe('on-parameter-change through the event stream', () => {
  test('a document put with the SSM SDK reaches the handler and the server converges', async () => {
    const id = await engine.createServer();
    await engine.putDocument(id, { SecurityPolicyName: 'TransferSecurityPolicy-2024-01' });
    const inv = await loop.handled(`${PREFIX}${id}`);
    assert.deepEqual(value(inv), { results: [`${id}: updated`] });
    assert.equal((await engine.describe(id)).SecurityPolicyName, 'TransferSecurityPolicy-2024-01');

    // One structured line per outcome, the event's id as correlation id, the Lambda context in it.
    const outcomeLines = obs.lines.filter((l) => l.message === 'outcome');
    assert.equal(outcomeLines.length, 1);
    const line = outcomeLines[0] ?? {};
    assert.equal(line.correlation_id, inv.event.id);
    assert.equal(line.service, 'transfer-reconciler');
    assert.equal(line.function_name, 'transfer-reconciler-test');
    const o = obs.outcomes()[0];
    assert.equal(o?.result, 'updated');
    assert.equal(o?.trigger, 'event');
    assert.deepEqual(
      o?.changes.map((c) => c.path),
      ['SecurityPolicyName'],
    );

    // EMF: the metrics of this invocation, dimension Trigger=event.
    const [emf] = obs.emf();
    const directive = (emf?._aws as { CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][] }> }).CloudWatchMetrics[0];
    assert.equal(directive?.Namespace, 'TransferReconciler');
    assert.deepEqual(directive?.Dimensions, [['service', 'Trigger']]);
    assert.equal(emf?.Trigger, 'event');
    assert.equal(emf?.Reconciles, 1);
    assert.equal(emf?.DriftDetected, 1);
    assert.equal(emf?.UpdatesApplied, 1);
    assert.equal(emf?.Failed, 0);
  });

  test('the same document again is in sync: reads only, no write', async () => {
    const id = await engine.createServer();
    await engine.putDocument(id, { SecurityPolicyName: 'TransferSecurityPolicy-2024-01' });
    await loop.handled(`${PREFIX}${id}`);
    engine.mark();
    await engine.putDocument(id, { SecurityPolicyName: 'TransferSecurityPolicy-2024-01', Tags: [] });
    assert.deepEqual(value(await loop.handled(`${PREFIX}${id}`)), { results: [`${id}: in-sync`] });
    assert.deepEqual(transferWrites(id), []);
  });

  test('Delete: outcome unmanaged and a metric, and not a single Transfer call', async () => {
    const id = await engine.createServer();
    await engine.putDocument(id, { SecurityPolicyName: 'TransferSecurityPolicy-2024-01' });
    await loop.handled(`${PREFIX}${id}`);
    obs.clear();
    engine.mark();
    await engine.ssm.send(new DeleteParameterCommand({ Name: `${PREFIX}${id}` }));
    const inv = await loop.handled(`${PREFIX}${id}`);
    assert.equal(inv.event.detail.operation, 'Delete');
    assert.deepEqual(value(inv), { results: [`${id}: unmanaged`] });
    assert.deepEqual(transferCalls(), []);
    const [o] = obs.outcomes();
    assert.equal(o?.result, 'unmanaged');
    assert.deepEqual(o?.calls, {});
    assert.equal(obs.emf()[0]?.Unmanaged, 1);
    assert.equal(obs.emf()[0]?.Reconciles, 0);
    assert.equal((await engine.describe(id)).SecurityPolicyName, 'TransferSecurityPolicy-2024-01');
  });

  test('a parameter outside both prefixes is ignored: no AWS call, no outcome', async () => {
    engine.mark();
    await engine.putText('/somewhere-else/config', '{}');
    const inv = await loop.handled('/somewhere-else/config');
    assert.deepEqual(value(inv), { results: [] });
    assert.deepEqual(
      engine.calls().map((c) => c.operation),
      ['PutParameter'],
    );
    assert.deepEqual(obs.outcomes(), []);
    assert.match(String(obs.lines.find((l) => l.message === 'ignored')?.reason), /outside/);
  });

  test('an invalid document: outcome invalid, reported not thrown, zero writes', async () => {
    const id = await engine.createServer();
    engine.mark();
    await engine.putDocument(id, { SecurityPolicyName: 'TransferSecurityPolicy-2024-01', Protocls: ['SFTP'] });
    assert.deepEqual(value(await loop.handled(`${PREFIX}${id}`)), { results: [`${id}: invalid`] });
    assert.deepEqual(transferWrites(id), []);
    const line = obs.lines.find((l) => l.message === 'outcome');
    assert.equal(line?.level, 'WARN');
    assert.match(JSON.stringify(obs.outcomes()[0]?.issues), /Protocols/);
    assert.equal(obs.emf()[0]?.Invalid, 1);
  });

  test('a host-key change reconciles every server whose document references it, and only those', async () => {
    const key = markedHostKey('ed25519');
    const shared = `${KEYS}shared-${Date.now()}`;
    const a = await engine.createServer();
    const b = await engine.createServer();
    const other = await engine.createServer();
    for (const [id, ref] of [
      [a, shared],
      [b, shared],
      [other, `${KEYS}other`],
    ] as const) {
      await engine.putDocument(id, { HostKey: { SecureStringParameter: ref }, Reconciler: { AllowHostKeyRotation: true } });
      await loop.handled(`${PREFIX}${id}`); // the key does not exist yet: invalid, reported
    }
    const untouched = (await engine.describe(other)).HostKeyFingerprint;
    obs.clear();
    await engine.putText(shared, key, 'SecureString');
    const inv = await loop.handled(shared);
    const results = (value(inv) as { results: string[] }).results.sort();
    assert.deepEqual(results, [`${a}: updated`, `${b}: updated`].sort());
    const want = normaliseFingerprint(parsePrivateKey(key).fingerprint);
    assert.equal(normaliseFingerprint((await engine.describe(a)).HostKeyFingerprint ?? ''), want);
    assert.equal(normaliseFingerprint((await engine.describe(b)).HostKeyFingerprint ?? ''), want);
    assert.equal((await engine.describe(other)).HostKeyFingerprint, untouched);
    assert.equal(obs.outcomes().length, 2);
    assert.ok(obs.lines.filter((l) => l.message !== undefined).every((l) => l.correlation_id === inv.event.id));
    assertNoKeyMaterial(JSON.stringify(obs.lines), key);
  });

  test('a failure that may pass on retry is logged, then thrown for Lambda to retry', async () => {
    const id = await engine.createServer();
    engine.emu.faults.set({ operations: { DescribeServer: { error500Rate: 1 } } });
    await engine.putDocument(id, { SecurityPolicyName: 'TransferSecurityPolicy-2024-01' });
    const inv = await loop.handled(`${PREFIX}${id}`);
    assert.equal(inv.ok, false);
    assert.ok(!inv.ok && inv.error.name === 'RetryableFailureError', inv.ok ? 'resolved' : inv.error.message);
    const line = obs.lines.find((l) => l.message === 'outcome');
    assert.equal(line?.level, 'ERROR');
    assert.equal(obs.outcomes()[0]?.result, 'failed');
    assert.equal(obs.outcomes()[0]?.error?.retryable, true);
    assert.equal(obs.emf()[0]?.Failed, 1, 'metrics are flushed on error too');
  });
});
