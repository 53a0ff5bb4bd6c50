// generateHostKey: the formats it promises, and OpenSSH output that ssh-keygen can sign with.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normaliseFingerprint } from '../../functions/shared/fingerprint.ts';
import { checkHostKeyPolicy, generateHostKey, parsePrivateKey } from '../../functions/shared/ssh-key.ts';

let dir = '';

function keygen(args: string[], input?: string): string {
  return execFileSync('/usr/bin/ssh-keygen', args, { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] });
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'ssh-key-generate-test-'));
});

after(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

describe('generateHostKey (PEM)', () => {
  test('defaults to Ed25519 in PKCS#8', () => {
    const text = generateHostKey();
    assert.ok(text.startsWith('-----BEGIN PRIVATE KEY-----\n'));
    const parsed = parsePrivateKey(text);
    assert.equal(parsed.algorithm, 'ssh-ed25519');
    assert.equal(parsed.bits, 256);
    assert.notEqual(parsePrivateKey(generateHostKey()).fingerprint, parsed.fingerprint);
  });

  test('RSA is PKCS#1, 2048 bits unless asked', () => {
    const text = generateHostKey('rsa');
    assert.ok(text.startsWith('-----BEGIN RSA PRIVATE KEY-----\n'));
    assert.deepEqual([parsePrivateKey(text).algorithm, parsePrivateKey(text).bits], ['ssh-rsa', 2048]);
    assert.equal(parsePrivateKey(generateHostKey('rsa', { bits: 3072 })).bits, 3072);
    assert.match(checkHostKeyPolicy(parsePrivateKey(generateHostKey('rsa', { bits: 1024 }))) ?? '', /2048/);
  });

  test('ECDSA is SEC1, P-256 unless asked', () => {
    const text = generateHostKey('ecdsa');
    assert.ok(text.startsWith('-----BEGIN EC PRIVATE KEY-----\n'));
    assert.equal(parsePrivateKey(text).algorithm, 'ecdsa-sha2-nistp256');
    assert.equal(parsePrivateKey(generateHostKey('ecdsa', { bits: 384 })).algorithm, 'ecdsa-sha2-nistp384');
    assert.equal(parsePrivateKey(generateHostKey('ecdsa', { bits: 521 })).bits, 521);
  });

  test('bad options are RangeErrors', () => {
    assert.throws(() => generateHostKey('ecdsa', { bits: 192 }), RangeError);
    assert.throws(() => generateHostKey('ed25519', { bits: 448 }), RangeError);
    assert.throws(() => generateHostKey('dsa' as 'rsa'), RangeError);
    assert.throws(() => generateHostKey('ed25519', { format: 'der' as 'pem' }), RangeError);
  });
});

describe('generateHostKey (OpenSSH)', () => {
  const kinds = [
    { kind: 'ed25519', bits: undefined, algorithm: 'ssh-ed25519' },
    { kind: 'ecdsa', bits: 256, algorithm: 'ecdsa-sha2-nistp256' },
    { kind: 'ecdsa', bits: 384, algorithm: 'ecdsa-sha2-nistp384' },
    { kind: 'ecdsa', bits: 521, algorithm: 'ecdsa-sha2-nistp521' },
    { kind: 'rsa', bits: 2048, algorithm: 'ssh-rsa' },
  ] as const;

  test('ssh-keygen reads each key and gives the same fingerprint and size', () => {
    for (const { kind, bits, algorithm } of kinds) {
      const text = generateHostKey(kind, { bits, format: 'openssh' });
      assert.ok(text.startsWith('-----BEGIN OPENSSH PRIVATE KEY-----\n'));
      assert.ok(text.split('\n').every((line) => line.length <= 70));
      const file = join(dir, `${algorithm}-${bits ?? 256}`);
      writeFileSync(file, text, { mode: 0o600 });
      const parsed = parsePrivateKey(text);
      assert.equal(parsed.algorithm, algorithm);
      const [keygenBits, keygenFingerprint] = keygen(['-l', '-E', 'sha256', '-f', file]).split(' ');
      assert.equal(normaliseFingerprint(parsed.fingerprint), keygenFingerprint, algorithm);
      assert.equal(parsed.bits, Number(keygenBits), algorithm);
    }
  });

  test('the private part is real: ssh-keygen signs with it and the signature verifies against the parsed public key', () => {
    for (const { kind, bits, algorithm } of kinds) {
      const text = generateHostKey(kind, { bits, format: 'openssh' });
      const file = join(dir, `sign-${algorithm}-${bits ?? 256}`);
      writeFileSync(file, text, { mode: 0o600 });
      const parsed = parsePrivateKey(text);
      writeFileSync(`${file}.allowed`, `test@example ${parsed.algorithm} ${parsed.publicBlob.toString('base64')}\n`);
      const signature = keygen(['-Y', 'sign', '-f', file, '-n', 'test'], 'payload');
      writeFileSync(`${file}.sig`, signature);
      const verified = keygen(
        ['-Y', 'verify', '-f', `${file}.allowed`, '-I', 'test@example', '-n', 'test', '-s', `${file}.sig`],
        'payload',
      );
      assert.match(verified, /Good "test" signature/, algorithm);
    }
  });
});
