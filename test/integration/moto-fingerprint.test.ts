// Defect 7 against the emulator in moto's manner: DescribeServer answers the private key itself as
// HostKeyFingerprint (the `hostKeyFingerprint: 'moto'` setting, at start or through the control
// API). The engine, over the real SDK clients, must see "(unrecognised fingerprint)", count it as
// a key the server has (replacing it needs AllowHostKeyRotation), and never carry the key text.
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { describe, test } from 'node:test';
import { UNRECOGNISED_FINGERPRINT, normaliseFingerprint } from '../../functions/shared/fingerprint.ts';
import { parsePrivateKey } from '../../functions/shared/ssh-key.ts';
import { engineForTests } from '../helpers/engine.ts';
import { assertNoKeyMaterial, captureOutput, markedHostKey } from '../helpers/secrets.ts';

const engine = await engineForTests({ hostKeyFingerprint: 'moto' });

async function control(method: string, route: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${engine.emu.url}/_emulator/${route}`, {
    method,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe('a server that reports its private key as HostKeyFingerprint (moto)', () => {
  test('the emulator answers the key through the SDK; the control API switches the setting', async () => {
    const key = markedHostKey('ed25519');
    const id = await engine.createServer({ HostKey: key });
    // Said here, not printed: the test's own clients see what moto would send.
    assert.equal((await engine.describe(id)).HostKeyFingerprint, key);
    assert.equal(engine.emu.config.get().hostKeyFingerprint, 'moto');
    assert.deepEqual((await control('PUT', 'config', { hostKeyFingerprint: 'fingerprint' })).json.hostKeyFingerprint, 'fingerprint');
    assert.equal((await engine.describe(id)).HostKeyFingerprint, parsePrivateKey(key).fingerprint);
    assert.equal((await control('PUT', 'config', { hostKeyFingerprint: 'sometimes' })).status, 400);
    assert.equal((await control('PUT', 'config', { hostKeyFingerprint: 'moto' })).status, 200);
    assert.equal((await engine.describe(id)).HostKeyFingerprint, key);
  });

  test('reconcile: blocked without AllowHostKeyRotation, the change from "(unrecognised fingerprint)", zero writes, no key text', async () => {
    const serverKey = markedHostKey('ed25519');
    const desiredKey = markedHostKey('ecdsa');
    const id = await engine.createServer({ HostKey: serverKey });
    const parameter = `/transfer-reconciler/host-keys/${id}`;
    await engine.putText(parameter, desiredKey, 'SecureString');
    await engine.putDocument(id, { HostKey: { SecureStringParameter: parameter } });
    engine.mark();
    const o = await engine.reconcile(id);
    const printed = `${JSON.stringify(o)}\n${inspect(o, { depth: 10 })}`;
    captureOutput('moto reconcile outcome', printed);
    assert.equal(o.result, 'blocked', JSON.stringify(o));
    assert.deepEqual(o.changes, [
      { path: 'HostKey', from: UNRECOGNISED_FINGERPRINT, to: normaliseFingerprint(parsePrivateKey(desiredKey).fingerprint) },
    ]);
    assert.match(o.issues?.[0]?.message ?? '', /\(unrecognised fingerprint\).*AllowHostKeyRotation/);
    assert.deepEqual(engine.writes(), []);
    assertNoKeyMaterial(printed, serverKey);
    assertNoKeyMaterial(printed, desiredKey);
  });

  test('detect mode reports the drift with the placeholder, never the key', async () => {
    const serverKey = markedHostKey('rsa');
    const desiredKey = markedHostKey('ed25519');
    const id = await engine.createServer({ HostKey: serverKey });
    const parameter = `/transfer-reconciler/host-keys/${id}`;
    await engine.putText(parameter, desiredKey, 'SecureString');
    await engine.putDocument(id, {
      HostKey: { SecureStringParameter: parameter },
      Reconciler: { Mode: 'detect', AllowHostKeyRotation: true },
    });
    const o = await engine.reconcile(id);
    const printed = JSON.stringify(o);
    captureOutput('moto detect outcome', printed);
    assert.equal(o.result, 'drift-detected', printed);
    assert.equal(o.changes[0]?.from, UNRECOGNISED_FINGERPRINT);
    assertNoKeyMaterial(printed, serverKey);
  });
});
