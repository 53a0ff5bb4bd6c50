// An offline change interrupted between StopServer and StartServer (Lambda killed at its timeout,
// Ctrl-C in the CLI): the restart marker tells the next reconcile that the OFFLINE server was
// stopped by the reconciler, not by its owner, so it is started again and the change finished.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { StopServerCommand, TagResourceCommand } from '@aws-sdk/client-transfer';
import { assertOutcomeShape, engineForTests } from '../helpers/engine.ts';
import type { Engine } from '../helpers/engine.ts';
import { REMOVE_MARKER, RESTART_MARKER_KEY, SET_MARKER } from '../helpers/restart-marker.ts';

const engine = await engineForTests();
afterEach(() => {
  engine.emu.faults.set({});
  engine.beforeSend = undefined;
});

const OFFLINE_CHANGE = { IpAddressType: 'DUALSTACK', Reconciler: { AllowOfflineChanges: true } };

/** A server as an interrupted run leaves it: marked, then stopped. */
async function interruptedServer(e: Engine): Promise<string> {
  const id = await e.createServer();
  const server = await e.describe(id);
  await e.transfer.send(new TagResourceCommand({ Arn: server.Arn, Tags: [{ Key: RESTART_MARKER_KEY, Value: 'true' }] }));
  await e.transfer.send(new StopServerCommand({ ServerId: id }));
  e.emu.transfer.forceState(id, 'OFFLINE');
  return id;
}

function markerOn(tags: { Key?: string }[] | undefined): boolean {
  return (tags ?? []).some((t) => t.Key === RESTART_MARKER_KEY);
}

async function assertSecondPassWritesNothing(e: Engine, id: string): Promise<void> {
  e.mark();
  const again = await e.reconcile(id);
  assert.equal(again.result, 'in-sync', JSON.stringify(again));
  assert.deepEqual(e.writes(), []);
}

describe('an interrupted offline change', () => {
  test('the process dies right after StopServer: the next reconcile starts the server, applies the change, removes the marker', async () => {
    const id = await engine.createServer();
    await engine.putDocument(id, OFFLINE_CHANGE);
    // After StopServer every call of the engine fails, the restore's start included: a dead process.
    let dead = false;
    engine.beforeSend = (r) => {
      if (dead) throw new Error('the process was killed');
      if (r.operation === 'StopServer') dead = true;
    };
    // A short deadline: the restore's start, refused like every call now, is retried only until then.
    const first = await engine.reconcile(id, { deadline: Date.now() + 2_000 });
    assert.equal(first.result, 'failed', JSON.stringify(first));
    engine.beforeSend = undefined;
    engine.emu.transfer.forceState(id, 'OFFLINE');
    const left = await engine.describe(id);
    assert.equal(left.State, 'OFFLINE');
    assert.equal(left.IpAddressType, 'IPV4');
    assert.ok(markerOn(left.Tags), 'the marker was written before the stop');

    engine.mark();
    const next = await engine.reconcile(id);
    assertOutcomeShape(next);
    assert.equal(next.result, 'updated', JSON.stringify(next));
    assert.deepEqual(next.done, ['UpdateServer(IpAddressType)', 'StartServer', REMOVE_MARKER]);
    const server = await engine.describe(id);
    assert.equal(server.State, 'ONLINE');
    assert.equal(server.IpAddressType, 'DUALSTACK');
    assert.equal(markerOn(server.Tags), false);
    await assertSecondPassWritesNothing(engine, id);
  });

  test('a marked, stopped server with the change still to make: update, start, unmark; then nothing', async () => {
    const id = await interruptedServer(engine);
    await engine.putDocument(id, OFFLINE_CHANGE);
    engine.mark();
    const o = await engine.reconcile(id);
    assert.equal(o.result, 'updated', JSON.stringify(o));
    assert.deepEqual(o.done, ['UpdateServer(IpAddressType)', 'StartServer', REMOVE_MARKER]);
    assert.ok(!o.done?.includes(SET_MARKER));
    const server = await engine.describe(id);
    assert.equal(server.State, 'ONLINE');
    assert.equal(server.IpAddressType, 'DUALSTACK');
    assert.equal(markerOn(server.Tags), false);
    await assertSecondPassWritesNothing(engine, id);
  });

  test('a marked, stopped server whose document says State OFFLINE: stays OFFLINE, the marker is removed', async () => {
    const id = await interruptedServer(engine);
    await engine.putDocument(id, { State: 'OFFLINE' });
    engine.mark();
    const o = await engine.reconcile(id);
    assert.equal(o.result, 'updated', JSON.stringify(o));
    assert.deepEqual(o.done, [REMOVE_MARKER]);
    const server = await engine.describe(id);
    assert.equal(server.State, 'OFFLINE');
    assert.equal(markerOn(server.Tags), false);
    await assertSecondPassWritesNothing(engine, id);
  });

  test("a document cannot set a tag with the reconciler's prefix: invalid, nothing written", async () => {
    const id = await engine.createServer();
    await engine.putDocument(id, {
      Tags: [
        { Key: 'team', Value: 'files' },
        { Key: RESTART_MARKER_KEY, Value: 'no' },
      ],
      Reconciler: { PruneTags: true },
    });
    engine.mark();
    const o = await engine.reconcile(id);
    assert.equal(o.result, 'invalid', JSON.stringify(o));
    assert.match(o.error?.message ?? '', /transfer-reconciler:/);
    assert.deepEqual(engine.writes(), []);
  });
});
