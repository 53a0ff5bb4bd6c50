// The plan's own StartServer refused outright (5xx past the SDK's attempts, a throttling storm):
// the reconcile must keep trying to start the server, because a later reconcile would see it
// OFFLINE and take it for a deliberately stopped one. Found by review, not by the soak.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertOutcomeShape, engineForTests } from '../helpers/engine.ts';
import { REMOVE_MARKER, SET_MARKER } from '../helpers/restart-marker.ts';

const engine = await engineForTests();

test('StartServer refused after the update: the server is started again, the outcome says what happened', async () => {
  const id = await engine.createServer();
  await engine.putDocument(id, { IpAddressType: 'DUALSTACK', Reconciler: { AllowOfflineChanges: true } });
  let starts = 0;
  engine.beforeSend = (r) => {
    if (r.operation !== 'StartServer') return;
    starts++;
    if (starts === 1) engine.emu.faults.set({ operations: { StartServer: { error503Rate: 1 } } });
    // The plan's StartServer (all of its SDK attempts) fails; the restore's next call goes through.
    if (starts === 6) engine.emu.faults.set({});
  };
  engine.mark();
  const o = await engine.reconcile(id);
  engine.beforeSend = undefined;
  engine.emu.faults.set({});
  assertOutcomeShape(o);
  assert.equal(o.result, 'failed', JSON.stringify(o));
  assert.equal(o.error?.retryable, true);
  assert.deepEqual(o.done, [SET_MARKER, 'StopServer', 'UpdateServer(IpAddressType)', 'StartServer (restore)', REMOVE_MARKER]);
  assert.equal(o.serverState, 'ONLINE');
  const server = await engine.describe(id);
  assert.equal(server.State, 'ONLINE');
  assert.equal(server.IpAddressType, 'DUALSTACK');
  // The restore took the restart marker off with it: the next reconcile has nothing to do.
  engine.mark();
  const again = await engine.reconcile(id);
  assert.equal(again.result, 'in-sync', JSON.stringify(again));
  assert.deepEqual(engine.writes(), []);
});
