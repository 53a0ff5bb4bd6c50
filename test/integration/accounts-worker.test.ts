// The pipeline across accounts on the emulator (router → SQS FIFO → worker, real SDK clients over
// HTTP): documents of the hub and of two spokes in two regions converge, each spoke's calls signed
// for its own account-region through its assumed role and none anywhere else; a spoke whose role
// refuses the external id fails its own servers (AccountRoleUnavailable) while the others converge
// in the same batch; a console edit in a spoke is forwarded, routed and repaired there, the
// worker's own writes there cause no reconcile, and an unlisted account's event is dropped.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RECONCILER_ROLE_ARN } from '../../infra/local/principals.ts';
import { PREFIX } from '../helpers/engine.ts';
import { emulatorForTests } from '../helpers/emulator.ts';
import { A, B, C, EU, EXTERNAL_A, EXTERNAL_B, HUB, SPOKE_ROLE, US, misplacedCalls, organisation } from './accounts-fixture.ts';
import type { Place } from './accounts-fixture.ts';
import { startPipeline } from './pipeline-harness.ts';

const POLICY = 'TransferSecurityPolicy-2024-01';
const OLD = 'TransferSecurityPolicy-2020-06';
const emu = await emulatorForTests({ transitionDelayMs: 0 });
// B's role expects another external id than the accounts file gives: B is broken.
const org = await organisation(emu, { externalIdOfB: 'c'.repeat(32) });
const pipe = await startPipeline(emu, {
  name: 'accounts-worker',
  env: {
    DESIRED_STATE_PREFIX: PREFIX,
    RECONCILER_ROLE_ARNS: `${RECONCILER_ROLE_ARN},${SPOKE_ROLE}`,
    TRANSFER_CALLS_PER_SECOND: '500',
    SSM_CALLS_PER_SECOND: '500',
    RETRY_BASE_DELAY_SECONDS: '1',
  },
});
// The local runner sets RECONCILER_ROLE_ARNS to the hub worker's role alone (after env); serverless.yml
// adds the spoke role's name, so the spoke role's sessions are the worker's own writes too.
if (!pipe.config.reconcilerRoleArns.includes(SPOKE_ROLE)) pipe.config.reconcilerRoleArns.push(SPOKE_ROLE);

const hub: Place = { account: HUB, region: US };
const aUs: Place = { account: A, region: US };
const aEu: Place = { account: A, region: EU };
const bEu: Place = { account: B, region: EU };
const servers = new Map<string, Place>();
const keyOf = (p: Place, id: string): string => (p === hub ? id : `${p.account}/${p.region}/${id}`);
const assumeCalls = (account: string) =>
  emu.calls.list(0, {}).filter((c) => c.operation === 'AssumeRole' && c.target === `arn:aws:iam::${account}:role/${SPOKE_ROLE}`);

async function reconciled() {
  await pipe.routed();
  return pipe.drain();
}

describe('the pipeline across accounts and regions', () => {
  test('hub and spoke documents converge in their own account-region; a broken role fails only its own servers', async () => {
    const ids = new Map<Place, string>();
    for (const p of [hub, aUs, aEu, bEu]) {
      const id = await org.createServer(p);
      servers.set(id, p);
      ids.set(p, id);
    }
    for (const [p, id] of ids) await org.putDocument(`${PREFIX}${keyOf(p, id)}`, { SecurityPolicyName: POLICY });
    const outcomes = await reconciled();
    const byServer = new Map(outcomes.map((o) => [o.serverId, o]));
    for (const p of [hub, aUs, aEu]) {
      const id = ids.get(p) ?? '';
      assert.equal(byServer.get(id)?.result, 'updated', `${keyOf(p, id)}: ${JSON.stringify(byServer.get(id)?.error)}`);
      assert.equal((await org.describe(p, id)).SecurityPolicyName, POLICY);
    }
    // Outcomes say where: account and region for a spoke, neither for the hub.
    assert.deepEqual([byServer.get(ids.get(aEu) ?? '')?.accountId, byServer.get(ids.get(aEu) ?? '')?.region], [A, EU]);
    assert.equal(byServer.get(ids.get(hub) ?? '')?.accountId, undefined);

    const broken = byServer.get(ids.get(bEu) ?? '');
    assert.equal(broken?.result, 'failed');
    assert.equal(broken?.error?.code, 'AccountRoleUnavailable');
    assert.equal(broken?.error?.retryable, false);
    assert.match(broken?.error?.message ?? '', new RegExp(`account ${B}.*AccessDenied|AccessDenied.*${B}`));
    assert.match(broken?.error?.message ?? '', /transfer-reconciler-spoke/);
    // The external ids never reach an outcome or a log line.
    for (const line of [...pipe.worker.lines, ...pipe.router.lines]) {
      const text = JSON.stringify(line);
      assert.ok(!text.includes(EXTERNAL_A) && !text.includes(EXTERNAL_B) && !text.includes('c'.repeat(32)), text);
    }
    assert.notEqual((await org.describe(bEu, ids.get(bEu) ?? '')).SecurityPolicyName, POLICY);
    const unreachable = pipe.worker.lines.find((l) => l.message === 'account unreachable');
    assert.equal(unreachable?.accountUnreachable, B);
    const emf = pipe.worker.emf().filter((d) => d.Account === B);
    assert.equal(emf.length, 1);
    assert.equal(emf[0]?.AccountUnreachable, 1);

    // Every Transfer call about a server went to that server's account-region, signed there.
    const calls = emu.calls.list(0, {});
    assert.deepEqual(misplacedCalls(calls, servers), []);
    const inA = calls.filter((c) => c.service === 'transfer' && c.account === A);
    assert.ok(inA.length >= 4);
    assert.ok(
      inA.every(
        (c) => c.principal === `arn:aws:sts::${A}:assumed-role/${SPOKE_ROLE}/transfer-reconciler-worker` || c.principal?.includes('Admin'),
      ),
    );
    assert.equal(calls.filter((c) => c.service === 'transfer' && c.account === B && c.principal?.includes(SPOKE_ROLE)).length, 0);
    // SSM (documents) only in the hub.
    assert.deepEqual(
      calls.filter((c) => c.service === 'ssm' && c.account !== HUB),
      [],
    );
    // A's role was assumed once for both its regions; B's refusal asked STS once for this batch.
    assert.equal(assumeCalls(A).length, 1);
    assert.equal(assumeCalls(A)[0]?.principal, `arn:aws:sts::${HUB}:assumed-role/transfer-reconciler-worker/reconcile`);
    assert.equal(assumeCalls(B).length, 1);
    assert.equal(assumeCalls(B)[0]?.errorCode, 'AccessDenied');
  });

  test("a console edit in a spoke is forwarded, routed and repaired there; the worker's writes there cause no reconcile", async () => {
    const id = [...servers].find(([, p]) => p === aEu)?.[0] ?? '';
    await pipe.routed();
    await pipe.drain();
    pipe.router.clear();
    pipe.worker.clear();
    await org.update(aEu, id, OLD);
    const outcomes = await reconciled();
    assert.deepEqual(
      outcomes.map((o) => [o.serverId, o.accountId, o.region, o.result, o.trigger]),
      [[id, A, EU, 'updated', 'event']],
    );
    assert.equal((await org.describe(aEu, id)).SecurityPolicyName, POLICY);
    const enqueued = pipe.router.lines.find((l) => l.message === 'enqueued');
    assert.deepEqual(enqueued?.serverIds, [`${A}/${EU}/${id}`]);
    // The repair's UpdateServer in A was trailed as the spoke role's session: dropped by the router.
    await pipe.routed();
    const dropped = pipe.router.lines.filter((l) => l.message === 'dropped');
    assert.ok(dropped.some((l) => String(l.reason).includes("reconciler's own role")));
    assert.deepEqual(await pipe.drain(), []);
    assert.equal(assumeCalls(A).length, 1);
    assert.deepEqual(misplacedCalls(emu.calls.list(0, {}), servers), []);
  });

  test('an event from an account the accounts file does not list is dropped as unlisted-account', async () => {
    const place = { account: C, region: US };
    const id = await org.createServer(place);
    pipe.router.clear();
    await org.update(place, id, OLD);
    await pipe.routed();
    const dropped = pipe.router.lines.filter((l) => l.message === 'dropped' && l.reason === 'unlisted-account');
    assert.equal(dropped.length, 1);
    assert.match(String(dropped[0]?.detail), new RegExp(`account ${C} region ${US}`));
    assert.deepEqual(await pipe.drain(), []);
    // A region of a listed account that the file does not list for it is unlisted too.
    const bUs = { account: B, region: US };
    const other = await org.createServer(bUs);
    pipe.router.clear();
    await org.update(bUs, other, OLD);
    await pipe.routed();
    assert.equal(pipe.router.lines.filter((l) => l.message === 'dropped' && l.reason === 'unlisted-account').length, 1);
    assert.deepEqual(await pipe.drain(), []);
  });
});
