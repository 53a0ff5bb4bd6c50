// Two reconciles of the same server at once, engine level. The deployment never does this itself
// (the worker's FIFO message group serialises one server's reconciles: worker-fifo-serialisation
// .test.ts), but a person's `transfer-reconciler reconcile` from a laptop or CI runs beside the
// worker, as another process with its own clients. Whatever the interleaving: the server
// converges, goes through at most one stop/start cycle, ends in the run state it should (ONLINE
// when it was ONLINE), and no reconcile sends the same write twice. The interleavings are shaken
// out by starting the second reconcile at several offsets against the emulator's 30 ms transitions,
// and the two that matter most are forced exactly with a hook.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { StopServerCommand } from '@aws-sdk/client-transfer';
import { countCalls } from '../../functions/reconciler/aws/call-count.ts';
import { createClients } from '../../functions/reconciler/aws/clients.ts';
import type { AwsClients } from '../../functions/reconciler/aws/clients.ts';
import { reconcileServer } from '../../functions/reconciler/reconcile.ts';
import type { Outcome } from '../../functions/reconciler/types.ts';
import { PREFIX, assertOutcomeShape, engineForTests, fastClock } from '../helpers/engine.ts';
import { countRunStateCycles } from '../helpers/run-state-cycles.ts';
import { REMOVE_MARKER, SET_MARKER } from '../helpers/restart-marker.ts';
import { captureOutput } from '../helpers/secrets.ts';

const engine = await engineForTests({ transitionDelayMs: 30 });
const cycles = countRunStateCycles(engine.emu);
afterEach(() => {
  engine.beforeSend = undefined;
  engine.emu.faults.set({});
});

/** Another process (the CLI beside the worker): its own SDK clients. */
function otherInstance(): AwsClients {
  const clients = createClients({ endpointUrl: engine.emu.url, region: engine.emu.region });
  countCalls(clients.transfer);
  countCalls(clients.ssm);
  return clients;
}
const other = otherInstance();

function reconcileWith(clients: AwsClients, serverId: string, trigger: Outcome['trigger']): Promise<Outcome> {
  return reconcileServer(serverId, {
    clients,
    prefix: PREFIX,
    trigger,
    deadline: Date.now() + 60_000,
    clock: fastClock,
    offlineWindowMs: 1_000,
  }).then((o) => {
    captureOutput(`outcome ${serverId}`, JSON.stringify(o));
    return o;
  });
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function assertNoDuplicateWrites(o: Outcome): void {
  // The restart marker is set again before each stop of a fresh plan (never resting on another
  // reconcile's marker) and removed after each start: those two writes may repeat, harmlessly.
  const done = (o.done ?? []).filter((d) => d !== SET_MARKER && d !== REMOVE_MARKER);
  assert.equal(new Set(done).size, done.length, `a write repeated within one reconcile: ${JSON.stringify(done)}`);
}

function assertConverged(o: Outcome): void {
  assertOutcomeShape(o);
  assert.ok(o.result === 'updated' || o.result === 'in-sync', JSON.stringify(o));
  assertNoDuplicateWrites(o);
}

const OFFLINE_CHANGE = { IpAddressType: 'DUALSTACK', Reconciler: { AllowOfflineChanges: true } };
const OFFSETS_MS = [0, 2, 8, 20, 35, 50, 80];

describe('two reconciles of one server at once', () => {
  for (const offset of OFFSETS_MS) {
    test(`an offline change on an ONLINE server, second reconcile ${offset} ms later: ONLINE, changed, one cycle`, async () => {
      const id = await engine.createServer();
      await engine.putDocument(id, OFFLINE_CHANGE);
      const [a, b] = await Promise.all([
        reconcileWith(engine.clients, id, 'event'),
        delay(offset).then(() => reconcileWith(other, id, 'cli')),
      ]);
      assertConverged(a);
      assertConverged(b);
      const server = await engine.describe(id);
      assert.equal(server.State, 'ONLINE');
      assert.equal(server.IpAddressType, 'DUALSTACK');
      assert.equal(cycles.stops(id), 1);
      assert.equal(cycles.starts(id), 1);
      assert.equal((await reconcileWith(engine.clients, id, 'cli')).result, 'in-sync');
    });
  }

  for (const offset of [0, 5, 20]) {
    test(`online-only changes, second reconcile ${offset} ms later: each writes at most once, both end in sync`, async () => {
      const id = await engine.createServer();
      await engine.putDocument(id, {
        SecurityPolicyName: 'TransferSecurityPolicy-2024-01',
        PreAuthenticationLoginBanner: 'two at once',
        Tags: [{ Key: 'team', Value: 'files' }],
      });
      engine.mark();
      const [a, b] = await Promise.all([
        reconcileWith(engine.clients, id, 'event'),
        delay(offset).then(() => reconcileWith(other, id, 'cli')),
      ]);
      for (const o of [a, b]) {
        assertConverged(o);
        assert.ok((o.calls['UpdateServer'] ?? 0) <= 1, JSON.stringify(o.calls));
        assert.ok((o.calls['TagResource'] ?? 0) <= 1, JSON.stringify(o.calls));
      }
      assert.deepEqual(
        engine.writes(id).filter((w) => w.operation === 'StopServer' || w.operation === 'StartServer'),
        [],
      );
      const server = await engine.describe(id);
      assert.equal(server.State, 'ONLINE');
      assert.equal(server.PreAuthenticationLoginBanner, 'two at once');
      assert.equal(server.SecurityPolicyName, 'TransferSecurityPolicy-2024-01');
      engine.mark();
      assert.equal((await reconcileWith(engine.clients, id, 'cli')).result, 'in-sync');
      assert.deepEqual(engine.writes(), []);
    });
  }
});

describe('a plan made stale by another actor', () => {
  test("our StopServer meets the other reconcile's STOPPING and the other never starts it: we still end ONLINE with the change", async () => {
    // The trap: looking again, the server is OFFLINE — but because the *other* reconcile stopped
    // it. Taking that as "it was OFFLINE, keep it OFFLINE" would leave a production server down.
    const id = await engine.createServer();
    await engine.putDocument(id, OFFLINE_CHANGE);
    let stoppedBehindOurBack = false;
    engine.beforeSend = (r) => {
      if (r.operation === 'StopServer' && !stoppedBehindOurBack) {
        stoppedBehindOurBack = true;
        engine.emu.transfer.forceState(id, 'STOPPING', 40);
      }
    };
    const o = await reconcileWith(engine.clients, id, 'event');
    assertConverged(o);
    assert.equal(o.result, 'updated');
    // The marker went on before our StopServer was refused; the fresh plan finds it and removes it.
    assert.deepEqual(o.done, [SET_MARKER, 'UpdateServer(IpAddressType)', 'StartServer', REMOVE_MARKER]);
    const server = await engine.describe(id);
    assert.equal(server.State, 'ONLINE');
    assert.equal(server.IpAddressType, 'DUALSTACK');
  });

  test('the other reconcile finishes the change and starts the server while ours waits to update: ours does not write it again', async () => {
    const id = await engine.createServer();
    await engine.putDocument(id, OFFLINE_CHANGE);
    let raced = false;
    engine.beforeSend = (r) => {
      if (r.operation === 'UpdateServer' && !raced) {
        raced = true;
        // The other reconcile, mid-way through the same change: it updates and starts.
        void engine.emu.transfer.handle('UpdateServer', { ServerId: id, IpAddressType: 'DUALSTACK' });
        engine.emu.transfer.forceState(id, 'STARTING', 40);
      }
    };
    engine.mark();
    const o = await reconcileWith(engine.clients, id, 'event');
    assertConverged(o);
    // The fresh plan finds only our marker left: removed, with no second stop.
    assert.deepEqual(o.done, [SET_MARKER, 'StopServer', REMOVE_MARKER]);
    const server = await engine.describe(id);
    assert.equal(server.State, 'ONLINE');
    assert.equal(server.IpAddressType, 'DUALSTACK');
    // Ours stopped it, the other started it; our one UpdateServer was refused and not sent again.
    assert.equal(o.calls['UpdateServer'], 1);
    assert.deepEqual(
      engine
        .calls()
        .filter((c) => c.operation === 'UpdateServer')
        .map((c) => c.errorCode),
      ['ConflictException'],
    );
  });

  test('another actor starts the server while ours waits for OFFLINE: re-planned, not waited on until the deadline', async () => {
    const id = await engine.createServer();
    await engine.putDocument(id, OFFLINE_CHANGE);
    let raced = false;
    engine.beforeSend = (r) => {
      if (r.operation === 'DescribeServer' && r.input.ServerId === id && !raced && cycles.stops(id) > 0) {
        raced = true;
        engine.emu.transfer.forceState(id, 'STARTING', 40);
      }
    };
    const started = Date.now();
    const o = await reconcileWith(engine.clients, id, 'event');
    assertConverged(o);
    assert.ok(Date.now() - started < 30_000, 'did not wait for the deadline');
    const server = await engine.describe(id);
    assert.equal(server.State, 'ONLINE');
    assert.equal(server.IpAddressType, 'DUALSTACK');
  });

  test('a server deliberately OFFLINE that another actor is stopping is not brought ONLINE', async () => {
    const id = await engine.createServer();
    await engine.transfer.send(new StopServerCommand({ ServerId: id }));
    engine.emu.transfer.forceState(id, 'STOPPING', 60);
    await engine.putDocument(id, OFFLINE_CHANGE);
    const o = await reconcileWith(engine.clients, id, 'event');
    assertConverged(o);
    assert.deepEqual(o.done, ['UpdateServer(IpAddressType)']);
    assert.equal((await engine.describe(id)).State, 'OFFLINE');
  });
});
