// The drift sweep as the pipeline does it, against the emulator: the enumerator (the schedule's
// Lambda) enqueues one message per document and the worker reconciles them. Drift made behind the
// reconciler's back with no event to say so (an account without a trail) is fixed, servers with
// no document are reported unmanaged and left alone, an invalid document does not stop the rest,
// detect mode writes nothing, and a failed ListServers still enqueues every document.
// (Was the direct path's drift-sweep test. The sweep's own in-invocation deadline — stop starting
// servers near the Lambda timeout, name the rest for the next run — no longer exists: the
// enumerator reconciles nothing and takes seconds; each reconcile has the worker's deadline,
// worker-deadlines.test.ts.)
import { describe, test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { PREFIX, engineForTests } from '../helpers/engine.ts';
import { startPipeline } from './pipeline-harness.ts';
import { enumeratorFor, settle } from './pipeline-steps.ts';

const engine = await engineForTests();
const env = { DESIRED_STATE_PREFIX: PREFIX, TRANSFER_CALLS_PER_SECOND: '500', SSM_CALLS_PER_SECOND: '500', OFFLINE_WINDOW_MS: '1000' };
const pipe = await startPipeline(engine.emu, { name: 'enumerator-sweep', env });
const enumerator = enumeratorFor(pipe, engine.clients);
const POLICY = 'TransferSecurityPolicy-2024-01';

beforeEach(async () => {
  engine.emu.faults.set({});
  await settle(pipe);
  enumerator.obs.clear();
});

/** Servers with documents, put while no event reaches the router (so only the enumeration reconciles them). */
async function managedServers(n: number, document: Record<string, unknown> = { SecurityPolicyName: POLICY }): Promise<string[]> {
  pipe.deaf = true;
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = await engine.createServer();
    await engine.putDocument(id, document);
    ids.push(id);
  }
  await pipe.routed();
  pipe.deaf = false;
  return ids;
}
const transferWrites = () =>
  engine
    .writes()
    .filter((w) => w.service === 'transfer')
    .map((w) => [w.operation, w.target]);

describe('enumerator → queue → worker', () => {
  test('fixes drift made behind its back; unmanaged servers are listed and left alone', async () => {
    const [a, b, c] = (await managedServers(3)) as [string, string, string];
    const stray = await engine.createServer();
    await enumerator.run(); // the first pass brings all three to the document
    await pipe.drain();
    pipe.deaf = true; // a console edit, and no trail to tell the router
    await engine.update({ ServerId: b, SecurityPolicyName: 'TransferSecurityPolicy-2018-11' });
    await pipe.routed();
    pipe.deaf = false;
    pipe.worker.clear();
    enumerator.obs.clear();
    engine.mark();

    const result = await enumerator.run();
    assert.equal(result.documents, 3, 'the first test: these are all the documents');
    assert.deepEqual(result.send, { sent: 3, failed: [] });
    assert.deepEqual(
      result.unmanaged.map((o) => o.serverId),
      [stray],
    );
    const listings = engine.calls().map((c) => c.operation);
    assert.deepEqual(
      [listings.filter((op) => op === 'ListServers').length, listings.filter((op) => op === 'GetParametersByPath').length],
      [1, 1],
    );
    const outcomes = await pipe.drain();
    assert.equal((await engine.describe(b)).SecurityPolicyName, POLICY);
    assert.deepEqual(outcomes.map((o) => `${o.serverId}: ${o.result}`).sort(), [`${a}: in-sync`, `${b}: updated`, `${c}: in-sync`].sort());
    assert.ok(outcomes.every((o) => o.trigger === 'schedule'));
    assert.deepEqual(transferWrites(), [['UpdateServer', b]]);

    // The enumerator: the unmanaged outcome line, one summary line, its EMF line with Trigger=schedule.
    assert.deepEqual(
      enumerator.obs.outcomes().map((o) => [o.serverId, o.result, o.trigger]),
      [[stray, 'unmanaged', 'schedule']],
    );
    const summaries = enumerator.obs.lines.filter((l) => l.message === 'enumeration summary');
    assert.equal(summaries.length, 1);
    assert.deepEqual((summaries[0]?.summary as { unmanaged: string[] }).unmanaged, [stray]);
    const [emf] = enumerator.obs.emf();
    assert.deepEqual([emf?.Trigger, emf?.Enqueued, emf?.Unmanaged, emf?.Reconciles], ['schedule', 3, 1, 0]);
    // The worker: the schedule's outcomes on their own EMF line with Trigger=schedule (the Blocked alarm reads it).
    const scheduled = pipe.worker.emf().find((d) => d.Trigger === 'schedule');
    assert.deepEqual([scheduled?.Reconciles, scheduled?.DriftDetected, scheduled?.UpdatesApplied, scheduled?.Failed], [3, 1, 1, 0]);
  });

  test('an invalid document is reported and the others are still reconciled', async () => {
    const [good] = (await managedServers(1)) as [string];
    const [bad] = (await managedServers(1, { SecurityPolicyName: POLICY, Protocols: 'SFTP' })) as [string];
    engine.mark();
    await enumerator.run();
    const outcomes = (await pipe.drain()).filter((o) => o.serverId === good || o.serverId === bad);
    assert.deepEqual(outcomes.map((o) => `${o.serverId}: ${o.result}`).sort(), [`${bad}: invalid`, `${good}: updated`].sort());
    assert.equal((await engine.describe(good)).SecurityPolicyName, POLICY);
    assert.deepEqual(
      engine.writes(bad).filter((w) => w.service === 'transfer'),
      [],
    );
    assert.equal(pipe.worker.emf().find((d) => d.Trigger === 'schedule')?.Invalid, 1);
  });

  test('detect mode reports drift and writes nothing', async () => {
    const detect = await startPipeline(engine.emu, { name: 'enumerator-detect', env: { ...env, DEFAULT_MODE: 'detect' } });
    const [id] = (await managedServers(1)) as [string];
    engine.mark();
    const result = await enumeratorFor(detect, engine.clients).run();
    assert.ok(result.documents >= 1);
    const outcomes = await detect.drain();
    assert.equal(outcomes.find((o) => o.serverId === id)?.result, 'drift-detected');
    assert.ok(outcomes.every((o) => o.mode === 'detect'));
    assert.deepEqual(
      engine.writes().filter((w) => w.service === 'transfer'),
      [],
    );
    assert.notEqual((await engine.describe(id)).SecurityPolicyName, POLICY);
  });

  test('when ListServers fails every document is still enqueued and reconciled; no server is called unmanaged', async () => {
    const [id] = (await managedServers(1)) as [string];
    await engine.createServer();
    engine.emu.faults.set({ operations: { ListServers: { error500Rate: 1 } } });
    const result = await enumerator.run();
    engine.emu.faults.set({});
    assert.equal(result.listServersError?.code, 'InternalServiceError');
    assert.deepEqual(result.unmanaged, []);
    assert.deepEqual(result.send, { sent: result.documents, failed: [] });
    const outcomes = await pipe.drain();
    assert.equal(outcomes.length, result.documents);
    assert.equal(outcomes.find((o) => o.serverId === id)?.result, 'updated');
  });
});
