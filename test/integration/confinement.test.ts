// Confinement of on-parameter-change, against the emulator with real SDK clients: an event acts
// only on the server its parameter names (<prefix><ServerId>), or on the servers whose own
// documents reference a changed host key. Every other event — outside the prefixes, a prefix
// look-alike, a forged source — is ignored before any AWS call, and nothing in a document (its
// ServerId, tags, ARNs, a host-key reference) redirects a write to another server.
//
// Every case starts with servers whose real documents differ from them, so any reconcile that
// did happen would write: "zero calls" and "zero writes" cannot hold by accident.
import { beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readConfig } from '../../functions/handlers/lib/config.ts';
import { instrumentClients } from '../../functions/handlers/lib/clients.ts';
import type { ParameterChangeEvent } from '../../functions/handlers/lib/parameter-event.ts';
import { createHandler } from '../../functions/handlers/on-parameter-change.ts';
import { PREFIX, engineForTests, fastClock } from '../helpers/engine.ts';
import { markedHostKey } from '../helpers/secrets.ts';
import { capturedObservability, lambdaContext } from './handlers-harness.ts';

const KEYS = '/transfer-reconciler/host-keys/';
const POLICY = 'TransferSecurityPolicy-2024-01';
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

function changeEvent(name: unknown, overrides: Record<string, unknown> = {}, operation: unknown = 'Update'): ParameterChangeEvent {
  return {
    version: '0',
    id: `e-${Math.random().toString(16).slice(2)}`,
    'detail-type': 'Parameter Store Change',
    source: 'aws.ssm',
    account: '000000000000',
    time: new Date().toISOString(),
    region: 'us-east-1',
    resources: [`arn:aws:ssm:us-east-1:000000000000:parameter${String(name)}`],
    detail: { operation, name, type: 'String', description: '' },
    ...overrides,
  } as ParameterChangeEvent;
}

/** Invokes the handler with the call log cleared first; returns its result and every AWS call it made. */
async function invoke(event: ParameterChangeEvent) {
  engine.mark();
  obs.clear();
  const result = await handler(event, lambdaContext(120_000));
  const calls = engine.calls();
  return { result, calls, operations: calls.map((c) => `${c.service}:${c.operation}`) };
}

/** Calls in the log that name the server (its ServerId or its ARN). */
const callsAbout = (calls: ReturnType<typeof engine.calls>, id: string) => calls.filter((c) => (c.target ?? '').includes(id));
const writesTo = (calls: ReturnType<typeof engine.calls>, id: string) =>
  callsAbout(calls, id).filter((c) => c.service === 'transfer' && c.operation !== 'DescribeServer');

/** A server whose document under the real prefix asks for a change (a reconcile would write). */
async function driftingServer(): Promise<string> {
  const id = await engine.createServer();
  assert.notEqual((await engine.describe(id)).SecurityPolicyName, POLICY);
  await engine.putDocument(id, { SecurityPolicyName: POLICY });
  return id;
}

const a = await driftingServer();
const b = await driftingServer();

beforeEach(() => engine.emu.faults.set({}));

function assertIgnored(r: Awaited<ReturnType<typeof invoke>>, label: string): void {
  assert.deepEqual(r.result, { results: [] }, label);
  assert.deepEqual(r.operations, [], `${label}: no AWS call at all`);
  assert.deepEqual(obs.outcomes(), [], label);
  assert.equal(obs.lines.filter((l) => l.message === 'ignored').length, 1, `${label}: said so`);
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

describe('a document acts only on the server its parameter names', () => {
  test('control: the event for a document reconciles that server and no other', async () => {
    const id = await driftingServer();
    const r = await invoke(changeEvent(`${PREFIX}${id}`));
    assert.deepEqual(r.result, { results: [`${id}: updated`] });
    assert.ok(writesTo(r.calls, id).length > 0);
    assert.deepEqual(
      r.calls.filter((c) => c.service === 'transfer').filter((c) => !(c.target ?? '').includes(id)),
      [],
    );
  });

  test('ServerId naming another server: invalid, and not one call about either server on Transfer', async () => {
    await engine.putDocument(a, { ServerId: b, SecurityPolicyName: POLICY });
    const r = await invoke(changeEvent(`${PREFIX}${a}`));
    assert.deepEqual(r.result, { results: [`${a}: invalid`] });
    assert.match(JSON.stringify(obs.outcomes()[0]?.issues), /ServerId/);
    assert.deepEqual(writesTo(r.calls, a), []);
    assert.deepEqual(callsAbout(r.calls, b), []);
    assert.deepEqual(
      r.calls.filter((c) => c.service === 'ssm').map((c) => c.target),
      [`${PREFIX}${a}`],
      'only its own document is read',
    );
    await engine.putDocument(a, { SecurityPolicyName: POLICY });
  });

  test("another server's ARN in the document does not redirect TagResource: the ARN is DescribeServer's", async () => {
    const id = await driftingServer();
    const victim = await engine.createServer({ Tags: [{ Key: 'team', Value: 'blue' }] });
    const victimArn = (await engine.describe(victim)).Arn;
    assert.ok(victimArn);
    await engine.putDocument(id, {
      SecurityPolicyName: POLICY,
      Tags: [
        { Key: 'team', Value: victimArn },
        { Key: victimArn.replace(/[^\w.:/=+\-@]/g, '_').slice(0, 128), Value: 'x' },
      ],
    });
    const r = await invoke(changeEvent(`${PREFIX}${id}`));
    assert.deepEqual(r.result, { results: [`${id}: updated`] });
    const ownArn = (await engine.describe(id)).Arn;
    const tagged = engine.sent.filter((s) => s.operation === 'TagResource' || s.operation === 'UntagResource');
    assert.equal(tagged.length, 1);
    assert.deepEqual(
      tagged.map((s) => s.input.Arn),
      [ownArn],
    );
    assert.deepEqual(callsAbout(r.calls, victim), []);
    assert.deepEqual((await engine.describe(victim)).Tags, [{ Key: 'team', Value: 'blue' }]);
  });

  test('members naming another server (Arn, ServerId in a nested place) are invalid or ignored, never followed', async () => {
    const id = await driftingServer();
    const other = await driftingServer();
    const otherArn = (await engine.describe(other)).Arn;
    for (const document of [
      { SecurityPolicyName: POLICY, Arn: otherArn },
      { SecurityPolicyName: POLICY, Server: { ServerId: other } },
      { SecurityPolicyName: POLICY, Reconciler: { ServerId: other } },
    ]) {
      await engine.putDocument(id, document);
      const r = await invoke(changeEvent(`${PREFIX}${id}`));
      assert.deepEqual(callsAbout(r.calls, other), [], JSON.stringify(document));
      assert.deepEqual(
        r.calls.filter((c) => c.service === 'transfer').filter((c) => !(c.target ?? '').includes(id)),
        [],
        JSON.stringify(document),
      );
    }
    assert.notEqual((await engine.describe(other)).SecurityPolicyName, POLICY);
  });

  test("a host-key reference to another server's document is not a key: invalid, zero writes to either", async () => {
    const id = await driftingServer();
    await engine.putDocument(id, {
      SecurityPolicyName: POLICY,
      HostKey: { SecureStringParameter: `${PREFIX}${b}` },
      Reconciler: { AllowHostKeyRotation: true },
    });
    const r = await invoke(changeEvent(`${PREFIX}${id}`));
    assert.deepEqual(r.result, { results: [`${id}: invalid`] });
    assert.deepEqual(writesTo(r.calls, id), []);
    assert.deepEqual(writesTo(r.calls, b), []);
    assert.deepEqual(
      callsAbout(
        r.calls.filter((c) => c.service === 'transfer'),
        b,
      ),
      [],
    );
  });

  test('a host-key change reaches only servers whose own documents reference it, never look-alike documents', async () => {
    const key = `${KEYS}confinement-${Date.now()}`;
    const owner = await engine.createServer();
    const bystander = await engine.createServer();
    const reference = { HostKey: { SecureStringParameter: key }, Reconciler: { AllowHostKeyRotation: true } };
    await engine.putDocument(owner, reference);
    // Documents referencing the key for the bystander, but not at <prefix><ServerId>.
    for (const name of [`/transfer-reconciler/servers-evil/${bystander}`, `${PREFIX}nested/${bystander}`, `${PREFIX}${bystander}-copy`]) {
      await engine.putText(name, JSON.stringify({ ...reference, ServerId: bystander }));
    }
    await engine.putText(key, markedHostKey('ed25519'), 'SecureString');
    const before = (await engine.describe(bystander)).HostKeyFingerprint;
    const r = await invoke(changeEvent(key));
    assert.deepEqual(r.result, { results: [`${owner}: updated`] });
    assert.deepEqual(callsAbout(r.calls, bystander), []);
    assert.equal((await engine.describe(bystander)).HostKeyFingerprint, before);
  });

  test('a host-key-prefix name that looks like a path to a document acts on no server', async () => {
    const r = await invoke(changeEvent(`${KEYS}../servers/${a}`));
    assert.deepEqual(r.result, { results: [] });
    assert.deepEqual(
      r.calls.filter((c) => c.service === 'transfer'),
      [],
      'no document references it: no Transfer call',
    );
    assert.ok(r.operations.length > 0);
    assert.deepEqual(
      r.operations.filter((op) => op !== 'ssm:GetParametersByPath'),
      [],
      'only the listing of documents',
    );
  });
});
