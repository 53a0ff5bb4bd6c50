// Host keys end to end: the key is read from a SecureString (or Secrets Manager), compared by
// fingerprint, rotated only with AllowHostKeyRotation, and never appears in an outcome, its error,
// or anything printed (the keys are marked, so the suite-wide scan looks for them too).
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { afterEach, describe, test } from 'node:test';
import { normaliseFingerprint } from '../../functions/shared/fingerprint.ts';
import { parsePrivateKey } from '../../functions/shared/ssh-key.ts';
import type { Outcome } from '../../functions/reconciler/types.ts';
import { assertOutcomeShape, engineForTests } from '../helpers/engine.ts';
import { assertNoKeyMaterial, markedHostKey } from '../helpers/secrets.ts';

const engine = await engineForTests();
afterEach(() => engine.emu.faults.set({}));

function assertClean(o: Outcome, key: string): void {
  assertNoKeyMaterial(JSON.stringify(o), key);
  assertNoKeyMaterial(inspect(o, { depth: 10 }), key);
}

async function serverWithKeyDocument(
  key: string,
  reconciler: Record<string, unknown> = {},
  type: 'String' | 'SecureString' = 'SecureString',
): Promise<{ id: string; before: string | undefined }> {
  const id = await engine.createServer();
  const parameter = `/transfer-reconciler/host-keys/${id}`;
  await engine.putText(parameter, key, type);
  await engine.putDocument(id, { HostKey: { SecureStringParameter: parameter }, Reconciler: reconciler });
  return { id, before: (await engine.describe(id)).HostKeyFingerprint };
}

describe('host keys', () => {
  test('rotation without AllowHostKeyRotation is blocked: zero writes, fingerprints only', async () => {
    const key = markedHostKey('ed25519');
    const { id, before } = await serverWithKeyDocument(key);
    engine.mark();
    const o = await engine.reconcile(id);
    assertOutcomeShape(o);
    assert.equal(o.result, 'blocked', JSON.stringify(o));
    assert.deepEqual(
      o.issues?.map((i) => i.path),
      ['$.HostKey'],
    );
    assert.match(o.issues?.[0]?.message ?? '', /AllowHostKeyRotation/);
    assert.deepEqual(o.changes, [
      { path: 'HostKey', from: normaliseFingerprint(before ?? ''), to: normaliseFingerprint(parsePrivateKey(key).fingerprint) },
    ]);
    assert.deepEqual(engine.writes(), []);
    assert.equal((await engine.describe(id)).HostKeyFingerprint, before);
    assertClean(o, key);
  });

  for (const [kind, format] of [
    ['ed25519', 'pem'],
    ['ecdsa', 'pem'],
    ['rsa', 'pem'],
    ['ed25519', 'openssh'],
  ] as const) {
    test(`rotation with AllowHostKeyRotation (${kind}, ${format}): one UpdateServer with only HostKey, fingerprint verified`, async () => {
      const key = markedHostKey(kind, format);
      const { id } = await serverWithKeyDocument(key, { AllowHostKeyRotation: true });
      engine.mark();
      const o = await engine.reconcile(id);
      assert.equal(o.result, 'updated', JSON.stringify(o));
      assert.deepEqual(
        engine.updates().map((u) => Object.keys(u)),
        [['HostKey']],
      );
      assert.deepEqual(o.done, ['UpdateServer(HostKey)']);
      const server = await engine.describe(id);
      assert.equal(normaliseFingerprint(server.HostKeyFingerprint ?? ''), normaliseFingerprint(parsePrivateKey(key).fingerprint));
      assertClean(o, key);
      engine.mark();
      const again = await engine.reconcile(id);
      assert.equal(again.result, 'in-sync');
      assert.deepEqual(engine.writes(), []);
    });
  }

  test('a key behind a Secrets Manager reference is read the same way', async () => {
    const key = markedHostKey('ed25519');
    const id = await engine.createServer();
    engine.emu.ssm.putSecret(`host-key-${id}`, key);
    await engine.putDocument(id, {
      HostKey: { SecureStringParameter: `/aws/reference/secretsmanager/host-key-${id}` },
      Reconciler: { AllowHostKeyRotation: true },
    });
    const o = await engine.reconcile(id);
    assert.equal(o.result, 'updated', JSON.stringify(o));
    assert.equal(
      normaliseFingerprint((await engine.describe(id)).HostKeyFingerprint ?? ''),
      normaliseFingerprint(parsePrivateKey(key).fingerprint),
    );
    assertClean(o, key);
  });

  test('a key in a plain String parameter is invalid, and the message does not quote it', async () => {
    const key = markedHostKey('ed25519');
    const { id } = await serverWithKeyDocument(key, { AllowHostKeyRotation: true }, 'String');
    engine.mark();
    const o = await engine.reconcile(id);
    assert.equal(o.result, 'invalid');
    assert.match(o.error?.message ?? '', /SecureString/);
    assert.deepEqual(engine.writes(), []);
    assertClean(o, key);
  });

  test('a HostKey parameter that does not exist is invalid: zero writes', async () => {
    const id = await engine.createServer();
    await engine.putDocument(id, {
      HostKey: { SecureStringParameter: `/transfer-reconciler/host-keys/missing-${id}` },
      PreAuthenticationLoginBanner: 'x',
    });
    engine.mark();
    const o = await engine.reconcile(id);
    assert.equal(o.result, 'invalid');
    assert.deepEqual(
      o.issues?.map((i) => i.path),
      ['$.HostKey.SecureStringParameter'],
    );
    assert.deepEqual(engine.writes(), []);
  });

  test('UpdateServer failing while it carries the key: the failed outcome holds no key material', async () => {
    const key = markedHostKey('ecdsa');
    const { id } = await serverWithKeyDocument(key, { AllowHostKeyRotation: true });
    engine.emu.faults.set({ operations: { UpdateServer: { error500Rate: 1 } } });
    const o = await engine.reconcile(id);
    assert.equal(o.result, 'failed');
    assert.match(o.error?.message ?? '', /UpdateServer\(HostKey\) failed/);
    assertClean(o, key);
  });
});
