// Confinement of the router, against the emulator with real SDK clients: a Parameter Store change
// event for anything that is not <prefix><ServerId> or a host key under the host-key prefix —
// outside the prefixes, a prefix look-alike, a forged source or detail-type, a malformed detail —
// is dropped by the router, said so, before any AWS call: nothing enqueued, nothing reconciled.
// (Was the first half of the direct path's on-parameter-change confinement test; the same events,
// now routed. The second half: worker-confinement.test.ts.)
import { beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PREFIX } from '../helpers/engine.ts';
import { changeEvent, confinementRig, POLICY } from './confinement-rig.ts';

const { engine, obs, invoke, a, b } = await confinementRig('router-confinement');
beforeEach(() => engine.emu.faults.set({}));

function assertIgnored(r: Awaited<ReturnType<typeof invoke>>, label: string): void {
  assert.deepEqual(r.result, { results: [] }, label);
  assert.deepEqual(r.routed.serverIds, [], `${label}: nothing enqueued`);
  assert.equal(r.routed.send, undefined, `${label}: no SendMessage`);
  assert.deepEqual(r.operations, [], `${label}: no AWS call at all`);
  assert.equal(obs.lines.filter((l) => l.message === 'dropped').length, 1, `${label}: said so`);
}

describe('events for parameters that are not <prefix><ServerId> are ignored before any AWS call', () => {
  test('outside the desired-state and host-key prefixes', async () => {
    for (const name of [
      `/somewhere-else/${a}`,
      `/transfer-reconciler/${a}`,
      '/transfer-reconciler/host-keys-evil/key',
      `/Transfer-Reconciler/servers/${a}`,
    ]) {
      assertIgnored(await invoke(changeEvent(name)), name);
    }
  });

  test('prefix look-alikes, stored as real parameters holding a document for another server', async () => {
    const doc = JSON.stringify({ SecurityPolicyName: POLICY, ServerId: b });
    const stored = [
      `/transfer-reconciler/servers-evil/${a}`,
      `${PREFIX}nested/${a}`,
      `${PREFIX}${a}/child`,
      `${PREFIX}${a}-evil`,
      `${PREFIX}not-a-server`,
    ];
    for (const name of stored) await engine.putText(name, doc);
    for (const name of stored) assertIgnored(await invoke(changeEvent(name)), name);
  });

  test('names no Parameter Store would hold, forged into an event', async () => {
    const names = [
      `/transfer-reconciler/servers${a}`,
      `${PREFIX}../x`,
      `${PREFIX}../servers/${a}`,
      `${PREFIX}./${a}`,
      `//transfer-reconciler/servers/${a}`,
      `transfer-reconciler/servers/${a}`,
      PREFIX,
      PREFIX.slice(0, -1),
      `${PREFIX}${a.toUpperCase()}`,
      `${PREFIX}S-${a.slice(2)}`,
      `${PREFIX}${a}\n`,
      `${PREFIX} ${a}`,
      `${PREFIX}${a} `,
      `${PREFIX}${a}\u0000`,
      `${PREFIX}${a.slice(0, -1)}`,
      `${PREFIX}${a}0`,
      `${PREFIX}${a},${b}`,
      `${PREFIX}${a}/../${b}`,
      '',
      '/',
    ];
    for (const name of names) assertIgnored(await invoke(changeEvent(name)), JSON.stringify(name));
  });

  test('forged source or detail-type, even naming a real document', async () => {
    const name = `${PREFIX}${a}`;
    const forged: Array<Record<string, unknown>> = [
      { source: 'aws.events' },
      { source: 'custom.ssm' },
      { source: 'aws.ssm ' },
      { source: 'AWS.SSM' },
      { source: undefined },
      { 'detail-type': 'Scheduled Event' },
      { 'detail-type': 'Parameter Store Policy Action' },
      { 'detail-type': 'parameter store change' },
      { 'detail-type': undefined },
    ];
    for (const overrides of forged) assertIgnored(await invoke(changeEvent(name, overrides)), JSON.stringify(overrides));
  });

  test('a detail without a string name or operation', async () => {
    const name = `${PREFIX}${a}`;
    assertIgnored(await invoke(changeEvent(name, { detail: undefined })), 'no detail');
    assertIgnored(await invoke(changeEvent(name, { detail: null })), 'null detail');
    assertIgnored(await invoke(changeEvent([name])), 'name as an array');
    assertIgnored(await invoke(changeEvent({ toString: () => name })), 'name as an object');
    assertIgnored(await invoke(changeEvent(name, { detail: { name, type: 'String' } })), 'no operation');
    assertIgnored(await invoke(changeEvent(name, {}, ['Update'])), 'operation as an array');
  });

  test('the servers are as they were', async () => {
    for (const id of [a, b]) assert.notEqual((await engine.describe(id)).SecurityPolicyName, POLICY);
  });
});
