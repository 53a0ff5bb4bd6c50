// Regression tests for defects an outside review found in the core (one run-state policy, retry to
// the deadline, a fresh document before the first write). Each failed before its fix.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { StopServerCommand } from '@aws-sdk/client-transfer';
import { countCalls } from '../../functions/reconciler/aws/call-count.ts';
import { createClients } from '../../functions/reconciler/aws/clients.ts';
import { reconcileSelection } from '../../functions/reconciler/reconcile-many.ts';
import { PREFIX, assertOutcomeShape, engineForTests, fastClock } from '../helpers/engine.ts';
import { REMOVE_MARKER, RESTART_MARKER_KEY, SET_MARKER } from '../helpers/restart-marker.ts';
import { captureOutput } from '../helpers/secrets.ts';

const engine = await engineForTests({ transitionDelayMs: 20 });
afterEach(() => {
  engine.emu.faults.set({});
  engine.beforeSend = undefined;
});

const OFFLINE_CHANGE = { IpAddressType: 'DUALSTACK', Reconciler: { AllowOfflineChanges: true } };
const startCalls = (): number => engine.calls().filter((c) => c.operation === 'StartServer' && c.status === 200).length;

describe('the restart marker after a restore', () => {
  test('a failed offline change whose restore succeeded leaves no marker: a later deliberate stop is respected', async () => {
    const id = await engine.createServer();
    await engine.putDocument(id, OFFLINE_CHANGE);
    engine.emu.faults.set({ operations: { UpdateServer: { errors: [{ code: 'AccessDeniedException', status: 400, rate: 1 }] } } });
    const failed = await engine.reconcile(id);
    assert.equal(failed.result, 'failed', JSON.stringify(failed));
    assert.equal(failed.error?.code, 'AccessDeniedException');
    assert.deepEqual(failed.done, [SET_MARKER, 'StopServer', 'StartServer (restore)', REMOVE_MARKER]);
    const restored = await engine.describe(id);
    assert.equal(restored.State, 'ONLINE');
    assert.ok(!(restored.Tags ?? []).some((t) => t.Key === RESTART_MARKER_KEY), 'the marker came off with the restore');

    engine.emu.faults.set({});
    await engine.transfer.send(new StopServerCommand({ ServerId: id }));
    engine.emu.transfer.forceState(id, 'OFFLINE');
    engine.mark();
    const next = await engine.reconcile(id);
    assert.equal(next.result, 'updated', JSON.stringify(next));
    assert.equal(startCalls(), 0, 'the owner stopped it: it is not started again');
    const after = await engine.describe(id);
    assert.equal(after.State, 'OFFLINE');
    assert.equal(after.IpAddressType, 'DUALSTACK');
  });
});

describe('a listed document that changes before the first write', () => {
  test('deleted after the listing: unmanaged, nothing written', async () => {
    const id = await engine.createServer();
    await engine.putDocument(id, { PreAuthenticationLoginBanner: 'from the listing' });
    engine.beforeSend = (r) => {
      if (r.operation === 'DescribeServer' && r.input.ServerId === id) {
        engine.beforeSend = undefined;
        engine.emu.ssm.handle('DeleteParameter', { Name: `${PREFIX}${id}` });
      }
    };
    engine.mark();
    const { outcomes } = await engine.reconcileMany({ all: true });
    const o = outcomes.find((x) => x.serverId === id);
    assert.ok(o);
    assertOutcomeShape(o);
    assert.equal(o.result, 'unmanaged', JSON.stringify(o));
    assert.match(o.error?.message ?? '', /deleted/);
    assert.deepEqual(engine.writes(id), []);
    assert.equal((await engine.describe(id)).PreAuthenticationLoginBanner ?? '', '');
  });

  test('replaced after the listing: the current version is applied, not the listed one', async () => {
    const id = await engine.createServer();
    await engine.putDocument(id, { PreAuthenticationLoginBanner: 'old text' });
    engine.beforeSend = (r) => {
      if (r.operation === 'DescribeServer' && r.input.ServerId === id) {
        engine.beforeSend = undefined;
        engine.emu.ssm.handle('PutParameter', {
          Name: `${PREFIX}${id}`,
          Value: JSON.stringify({ PreAuthenticationLoginBanner: 'new text' }),
          Type: 'String',
          Overwrite: true,
        });
      }
    };
    const { outcomes } = await engine.reconcileMany({ all: true });
    const o = outcomes.find((x) => x.serverId === id);
    assert.equal(o?.result, 'updated', JSON.stringify(o));
    assert.equal(o?.parameter.version, 2);
    assert.equal((await engine.describe(id)).PreAuthenticationLoginBanner, 'new text');
    assert.deepEqual(
      engine.updates().filter((u) => u.PreAuthenticationLoginBanner === 'old text'),
      [],
    );
  });

  test('an in-sync server pays nothing extra: no GetParameter beyond the listing', async () => {
    const id = await engine.createServer();
    await engine.putDocument(id, { PreAuthenticationLoginBanner: '' });
    engine.mark();
    const { outcomes } = await engine.reconcileMany({ all: true });
    assert.equal(outcomes.find((x) => x.serverId === id)?.result, 'in-sync');
    assert.equal(engine.calls().filter((c) => c.operation === 'GetParameter').length, 0);
  });
});

describe('retry to the deadline', () => {
  test('ten reconcile --all runs under 30 % throttling and 5 % 503 with few SDK attempts: every server converges every time', async () => {
    // Two SDK attempts instead of five: what used to exhaust the SDK now happens on most calls, so
    // only the reconcile's own retries (fresh observe → plan) can carry a run through.
    const clients = createClients({ endpointUrl: engine.emu.url, region: engine.emu.region, maxAttempts: 2 });
    countCalls(clients.transfer);
    countCalls(clients.ssm);
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push(await engine.createServer());
    const storm = { errors: [{ code: 'ThrottlingException', status: 400, rate: 0.3 }], error503Rate: 0.05 };
    try {
      for (let run = 0; run < 10; run++) {
        for (const [i, id] of ids.entries()) await engine.putDocument(id, { PreAuthenticationLoginBanner: `run ${run} server ${i}` });
        engine.emu.faults.set({ services: { transfer: storm, ssm: storm }, seed: 100 + run });
        const result = await reconcileSelection(
          { serverIds: ids },
          {
            clients,
            prefix: PREFIX,
            trigger: 'cli',
            deadline: Date.now() + 120_000,
            clock: fastClock,
            concurrency: 4,
            offlineWindowMs: 1_000,
          },
        );
        engine.emu.faults.set({});
        captureOutput('storm outcomes', result.outcomes.map((o) => JSON.stringify(o)).join('\n'));
        for (const o of result.outcomes) assert.equal(o.result, 'updated', `run ${run}: ${JSON.stringify(o)}`);
        for (const [i, id] of ids.entries())
          assert.equal((await engine.describe(id)).PreAuthenticationLoginBanner, `run ${run} server ${i}`);
      }
    } finally {
      clients.transfer.destroy();
      clients.ssm.destroy();
    }
  });
});
