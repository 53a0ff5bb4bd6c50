// plan without --decrypt, through real SDK clients over HTTP to the emulator: push's recording of
// each host key's fingerprint (tags on the key's parameter), then a detect-mode reconcile that
// compares host keys from those tags while the emulator refuses every decryption (the CI plan
// role has no kms:Decrypt). A key stored again after the recording is reported, never in sync;
// an enforcing reconcile still decrypts, because it must send the key.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  AddTagsToResourceCommand,
  GetParameterCommand,
  ListTagsForResourceCommand,
  RemoveTagsFromResourceCommand,
} from '@aws-sdk/client-ssm';
import { recordFingerprints } from '../../functions/cli/record-fingerprints.ts';
import { FINGERPRINT_TAG } from '../../functions/reconciler/desired/recorded-fingerprint.ts';
import { normaliseFingerprint } from '../../functions/shared/fingerprint.ts';
import { parsePrivateKey } from '../../functions/shared/ssh-key.ts';
import type { Outcome } from '../../functions/reconciler/types.ts';
import { engineForTests } from '../helpers/engine.ts';
import { assertNoKeyMaterial, markedHostKey } from '../helpers/secrets.ts';

const engine = await engineForTests();
const { emu, ssm } = engine;
const fp = (key: string): string => normaliseFingerprint(parsePrivateKey(key).fingerprint);
const plan = (id: string): Promise<Outcome> => engine.reconcile(id, { modeOverride: 'detect', decryptHostKeys: false });
const ops = (): string[] => engine.calls().map((c) => c.operation);

/** A server holding `serverKey`, a document naming `parameter`, which holds `documentKey`. */
async function server(serverKey: string, documentKey: string): Promise<{ id: string; parameter: string }> {
  const id = await engine.createServer({ HostKey: serverKey });
  const parameter = `/transfer-reconciler/host-keys/${id}`;
  await engine.putText(parameter, documentKey, 'SecureString');
  await engine.putDocument(id, { HostKey: { SecureStringParameter: parameter } });
  return { id, parameter };
}

describe('emulator: parameter tags and refused decryption', () => {
  test('AddTagsToResource / ListTagsForResource / RemoveTagsFromResource: no new version, no change event', async () => {
    await engine.putText('/t/p', 'v', 'SecureString');
    const events = emu.events.list().length;
    const id = { ResourceType: 'Parameter' as const, ResourceId: '/t/p' };
    await ssm.send(
      new AddTagsToResourceCommand({
        ...id,
        Tags: [
          { Key: 'a', Value: '1' },
          { Key: 'b', Value: '2' },
        ],
      }),
    );
    await ssm.send(new AddTagsToResourceCommand({ ...id, Tags: [{ Key: 'a', Value: '3' }] }));
    await ssm.send(new RemoveTagsFromResourceCommand({ ...id, TagKeys: ['b', 'never-there'] }));
    assert.deepEqual((await ssm.send(new ListTagsForResourceCommand(id))).TagList, [{ Key: 'a', Value: '3' }]);
    assert.equal(emu.ssm.peek('/t/p')?.version, 1);
    assert.equal(emu.events.list().length, events);
    await assert.rejects(ssm.send(new ListTagsForResourceCommand({ ...id, ResourceId: '/t/missing' })), { name: 'InvalidResourceId' });
    await assert.rejects(ssm.send(new ListTagsForResourceCommand({ ...id, ResourceType: 'Document' })), { name: 'InvalidResourceType' });
  });

  test('denied decryption: a SecureString read WithDecryption is AccessDeniedException (kms:Decrypt); without it, it is read', async () => {
    await engine.putText('/t/secret', 'hidden-value', 'SecureString');
    await engine.putText('/t/plain', 'open', 'String');
    emu.ssm.setDecryption('denied');
    try {
      await assert.rejects(ssm.send(new GetParameterCommand({ Name: '/t/secret', WithDecryption: true })), (err: Error) => {
        assert.equal(err.name, 'AccessDeniedException');
        assert.match(err.message, /is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:/);
        return true;
      });
      const hidden = await ssm.send(new GetParameterCommand({ Name: '/t/secret', WithDecryption: false }));
      assert.equal(hidden.Parameter?.Version, 1);
      assert.notEqual(hidden.Parameter?.Value, 'hidden-value');
      const plain = await ssm.send(new GetParameterCommand({ Name: '/t/plain', WithDecryption: true }));
      assert.equal(plain.Parameter?.Value, 'open');
    } finally {
      emu.ssm.setDecryption('allowed');
    }
  });
});

describe('plan without decryption compares host keys by the recorded fingerprint', () => {
  test('push records once (decrypting), then finds it recorded without decrypting and writes nothing', async () => {
    const key = markedHostKey('ed25519');
    const { parameter } = await server(key, key);
    const first = await recordFingerprints(ssm, [parameter], false);
    assert.deepEqual(first, [{ parameter, action: 'recorded', version: 1, fingerprint: fp(key) }]);
    emu.ssm.setDecryption('denied');
    try {
      engine.mark();
      const again = await recordFingerprints(ssm, [parameter], false);
      assert.deepEqual(again, [{ parameter, action: 'unchanged', version: 1, fingerprint: fp(key) }]);
      assert.deepEqual(ops(), ['GetParameter', 'ListTagsForResource']);
    } finally {
      emu.ssm.setDecryption('allowed');
    }
  });

  test('with decryption refused: the same key is in sync, another key is drift with both fingerprints', async () => {
    const key = markedHostKey('ed25519');
    const other = markedHostKey('ed25519');
    const same = await server(key, key);
    const rotated = await server(key, other);
    await recordFingerprints(ssm, [same.parameter, rotated.parameter], false);
    emu.ssm.setDecryption('denied');
    try {
      engine.mark();
      const inSync = await plan(same.id);
      assert.equal(inSync.result, 'in-sync', JSON.stringify(inSync));
      assert.ok(engine.calls().every((c) => c.errorCode === undefined));
      assert.deepEqual(ops(), ['GetParameter', 'GetParameter', 'ListTagsForResource', 'DescribeServer']);
      const drift = await plan(rotated.id);
      assert.equal(drift.result, 'drift-detected', JSON.stringify(drift));
      assert.deepEqual(drift.changes, [{ path: 'HostKey', from: fp(key), to: fp(other) }]);
      assert.deepEqual(engine.writes(), []);
      for (const k of [key, other]) assertNoKeyMaterial(JSON.stringify([inSync, drift]), k);
    } finally {
      emu.ssm.setDecryption('allowed');
    }
  });

  test('a key stored again after the recording (a new version) is reported, never in sync; --decrypt still works', async () => {
    const key = markedHostKey('ed25519');
    const { id, parameter } = await server(key, key);
    await recordFingerprints(ssm, [parameter], false);
    await engine.putText(parameter, key, 'SecureString');
    emu.ssm.setDecryption('denied');
    try {
      const o = await plan(id);
      assert.equal(o.result, 'failed', JSON.stringify(o));
      assert.equal(o.error?.code, 'HostKeyFingerprintUnknown');
      assert.equal(o.error?.retryable, false);
      assert.match(o.error?.message ?? '', new RegExp(`the fingerprint of ${parameter} version 2 is not recorded`));
      assert.match(o.error?.message ?? '', /Run push .*or plan --decrypt/);
      const decrypting = await engine.reconcile(id, { modeOverride: 'detect' });
      assert.equal(decrypting.error?.code, 'AccessDeniedException', 'the default decrypts, and is refused here');
    } finally {
      emu.ssm.setDecryption('allowed');
    }
    assert.equal((await engine.reconcile(id, { modeOverride: 'detect' })).result, 'in-sync');
  });

  test('an enforcing reconcile ignores decryptHostKeys: false and decrypts (it must send the key)', async () => {
    const key = markedHostKey('ed25519');
    const { id, parameter } = await server(key, key);
    await recordFingerprints(ssm, [parameter], false);
    emu.ssm.setDecryption('denied');
    try {
      const o = await engine.reconcile(id, { decryptHostKeys: false });
      assert.equal(o.result, 'failed');
      assert.equal(o.error?.code, 'AccessDeniedException');
    } finally {
      emu.ssm.setDecryption('allowed');
    }
  });

  test('a tag that is not a fingerprint is not taken; a missing key is invalid as with --decrypt', async () => {
    const key = markedHostKey('ed25519');
    const forged = await server(key, key);
    await recordFingerprints(ssm, [forged.parameter], false);
    const Tags = [{ Key: FINGERPRINT_TAG, Value: 'not-a-fingerprint' }];
    await ssm.send(new AddTagsToResourceCommand({ ResourceType: 'Parameter', ResourceId: forged.parameter, Tags }));
    const forgedPlan = await plan(forged.id);
    assert.equal(forgedPlan.error?.code, 'HostKeyFingerprintUnknown');
    assert.ok(!JSON.stringify(forgedPlan).includes('not-a-fingerprint'), 'a tag is never echoed');
    const id = await engine.createServer({ HostKey: key });
    await engine.putDocument(id, { HostKey: { SecureStringParameter: `/transfer-reconciler/host-keys/none-${id}` } });
    const missing = await plan(id);
    assert.equal(missing.result, 'invalid');
    assert.match(missing.issues?.[0]?.message ?? '', /does not exist; store the private key there/);
  });

  test('HostKeys: recorded entries are compared, each unrecorded one is named', async () => {
    const a = markedHostKey('ed25519');
    const b = markedHostKey('ecdsa');
    const id = await engine.createServer({ HostKey: a });
    const [pa, pb] = [`/transfer-reconciler/host-keys/${id}-a`, `/transfer-reconciler/host-keys/${id}-b`];
    await engine.putText(pa, a, 'SecureString');
    await engine.putText(pb, b, 'SecureString');
    await engine.putDocument(id, { HostKeys: [{ SecureStringParameter: pa }, { SecureStringParameter: pb }] });
    await recordFingerprints(ssm, [pa], false);
    const partly = await plan(id);
    assert.equal(partly.error?.code, 'HostKeyFingerprintUnknown');
    assert.ok(partly.error?.message.includes(`the fingerprint of ${pb} version 1 is not recorded`));
    assert.ok(!partly.error?.message.includes(`${pa} version`));
    await recordFingerprints(ssm, [pb], false);
    emu.ssm.setDecryption('denied');
    try {
      const o = await plan(id);
      assert.equal(o.result, 'drift-detected', JSON.stringify(o));
      assert.ok(JSON.stringify(o.changes).includes(fp(b)), 'the ECDSA key to import, by fingerprint');
      for (const k of [a, b]) assertNoKeyMaterial(JSON.stringify(o), k);
    } finally {
      emu.ssm.setDecryption('allowed');
    }
  });
});
