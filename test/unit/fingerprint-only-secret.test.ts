// A host key known only by its recorded fingerprint (plan without --decrypt) can be compared and
// printed as its fingerprint, and never written: reveal() throws, so neither UpdateServer's
// HostKey nor ImportHostKey's body can be built from it.
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { describe, test } from 'node:test';
import { HostKeyNotDecryptedError } from '../../functions/reconciler/errors.ts';
import { classifyError } from '../../functions/reconciler/error-outcome.ts';
import { fingerprintOnlySecret, hostKeySecret } from '../../functions/reconciler/desired/host-key-secret.ts';
import { fingerprintTags } from '../../functions/reconciler/desired/recorded-fingerprint.ts';
import { updateInput } from '../../functions/reconciler/aws/transfer-api.ts';
import { parsePrivateKey } from '../../functions/shared/ssh-key.ts';
import { normaliseFingerprint } from '../../functions/shared/fingerprint.ts';
import { assertNoKeyMaterial, markedHostKey } from '../helpers/secrets.ts';

const FINGERPRINT = 'SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU';

describe('fingerprint-only host key', () => {
  test('reveal() throws HostKeyNotDecryptedError, terminal, naming only the fingerprint', () => {
    const secret = fingerprintOnlySecret(FINGERPRINT, 'ssh-ed25519');
    assert.throws(
      () => secret.reveal(),
      (err: unknown) => {
        assert.ok(err instanceof HostKeyNotDecryptedError);
        assert.match(err.message, /was not decrypted \(plan without --decrypt\)/);
        assert.ok(err.message.includes(FINGERPRINT));
        assert.equal(classifyError(err).kind, 'terminal');
        return true;
      },
    );
  });

  test('it can never be written: UpdateServer input with it as HostKey cannot be built', () => {
    const secret = fingerprintOnlySecret(FINGERPRINT, 'ssh-ed25519');
    assert.throws(() => updateInput('s-0123456789abcdef0', { HostKey: secret }), HostKeyNotDecryptedError);
    // A decrypted key goes through, so the refusal above is the secret's, not updateInput's.
    const key = markedHostKey('ed25519');
    assert.equal(updateInput('s-0123456789abcdef0', { HostKey: hostKeySecret(key) }).HostKey, hostKeySecret(key).reveal());
  });

  test('every way of printing it gives the fingerprint and nothing else', () => {
    const secret = fingerprintOnlySecret(FINGERPRINT, 'ssh-ed25519');
    const shown = `[host key ${FINGERPRINT}]`;
    assert.equal(String(secret), shown);
    assert.equal(`${secret}`, shown);
    assert.equal(JSON.stringify({ secret }), JSON.stringify({ secret: shown }));
    assert.equal(inspect(secret), shown);
    assert.deepEqual(structuredClone(secret), { fingerprint: FINGERPRINT, algorithm: 'ssh-ed25519' });
  });

  test('the tags push records carry the fingerprint, the version and the algorithm, never the key', () => {
    const key = markedHostKey('ecdsa');
    const tags = fingerprintTags(hostKeySecret(key), 7);
    assert.deepEqual(tags, [
      { Key: 'transfer-reconciler:fingerprint', Value: normaliseFingerprint(parsePrivateKey(key).fingerprint) },
      { Key: 'transfer-reconciler:fingerprint-of-version', Value: '7' },
      { Key: 'transfer-reconciler:key-type', Value: 'ecdsa-sha2-nistp256' },
    ]);
    assertNoKeyMaterial(JSON.stringify(tags), key);
  });
});
