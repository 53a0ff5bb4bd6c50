// Confinement of the pipeline's writes, against the emulator with real SDK clients: a document's
// event makes the router enqueue only the server its parameter names, or the servers whose own
// documents reference a changed host key, and the worker then acts on that server only — nothing
// in a document (its ServerId, tags, ARNs, a host-key reference) redirects a write to another
// server. (Was the second half of the direct path's on-parameter-change confinement test; the
// first: router-confinement.test.ts.)
import { beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PREFIX } from '../helpers/engine.ts';
import { markedHostKey } from '../helpers/secrets.ts';
import { KEYS, POLICY, callsAbout, changeEvent, confinementRig, writesTo } from './confinement-rig.ts';

const { engine, invoke, driftingServer, a, b } = await confinementRig('worker-confinement');
beforeEach(() => engine.emu.faults.set({}));

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
    assert.match(JSON.stringify(r.outcomes[0]?.issues), /ServerId/);
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
    const tagged = r.calls.filter((c) => c.operation === 'TagResource' || c.operation === 'UntagResource');
    assert.equal(tagged.length, 1);
    assert.deepEqual(
      tagged.map((c) => c.target),
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
    assert.match(String(r.routed.dropped), /no document references/);
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
