// Keys that cannot be host keys: each gets the right InvalidKeyError reason, and no error text
// (message, String(err), stack, inspect, JSON) ever carries a line of the key.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { InvalidKeyError, generateHostKey, parsePrivateKey } from '../../functions/shared/ssh-key.ts';
import type { InvalidKeyReason } from '../../functions/shared/ssh-key.ts';

const FIXTURES = new URL('../fixtures/keys/', import.meta.url);
let dir = '';

function keygen(...args: string[]): string {
  return execFileSync('/usr/bin/ssh-keygen', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** ssh-keygen writes `name`; returns its text. */
function sshKey(name: string, ...args: string[]): string {
  const file = join(dir, name);
  keygen('-q', '-C', 'test key', '-f', file, ...args);
  return readFileSync(file, 'utf8');
}

function fixture(name: string): string {
  return readFileSync(new URL(name, FIXTURES), 'utf8');
}

/** Parses `text` expecting InvalidKeyError(reason) and checks that nothing of the key leaks. */
function expectInvalid(text: string, reason: InvalidKeyReason, label: string): InvalidKeyError {
  let caught: unknown;
  try {
    parsePrivateKey(text);
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof InvalidKeyError, `${label}: expected InvalidKeyError, got ${String(caught)}`);
  assert.equal(caught.name, 'InvalidKeyError');
  assert.equal(caught.reason, reason, `${label}: reason`);
  assert.equal(caught.cause, undefined, `${label}: no cause`);
  const renderings = [caught.message, String(caught), caught.stack ?? '', inspect(caught), JSON.stringify(caught)];
  for (const line of String(text ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())) {
    if (line.length < 12) continue;
    for (const rendering of renderings) assert.ok(!rendering.includes(line), `${label}: error text contains a line of the key`);
  }
  return caught;
}

function base64Body(pem: string): Buffer {
  return Buffer.from(pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, ''), 'base64');
}

function opensshText(data: Buffer): string {
  const lines = data.toString('base64').match(/.{1,70}/g) ?? [];
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines.join('\n')}\n-----END OPENSSH PRIVATE KEY-----\n`;
}

function nthIndexOf(haystack: Buffer, needle: Buffer, n: number): number {
  let at = -1;
  for (let i = 0; i < n; i++) {
    at = haystack.indexOf(needle, at + 1);
    assert.ok(at >= 0, 'needle not found');
  }
  return at;
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'ssh-key-invalid-test-'));
});

after(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

describe('unparsable', () => {
  test('empty, blank and garbage text', () => {
    expectInvalid('', 'unparsable', 'empty');
    expectInvalid(' \r\n\t\n', 'unparsable', 'blank');
    expectInvalid('correct horse battery staple, definitely not a key', 'unparsable', 'garbage');
    expectInvalid(undefined as unknown as string, 'unparsable', 'undefined');
    expectInvalid(
      '-----BEGIN RSA PRIVATE KEY-----\nbm90IGEga2V5IGF0IGFsbCwganVzdCB0ZXh0\n-----END RSA PRIVATE KEY-----\n',
      'unparsable',
      'base64 of text',
    );
    expectInvalid(
      '-----BEGIN OPENSSH PRIVATE KEY-----\nbm90IGEga2V5IGF0IGFsbCwganVzdCB0ZXh0\n-----END OPENSSH PRIVATE KEY-----\n',
      'unparsable',
      'openssh base64 of text',
    );
    expectInvalid(
      '-----BEGIN OPENSSH PRIVATE KEY-----\n!!not base64 at all!!\n-----END OPENSSH PRIVATE KEY-----\n',
      'unparsable',
      'openssh not base64',
    );
  });

  test('truncated PEM and OpenSSH keys', () => {
    for (const name of ['test-rsa-2048.pem', 'test-ecdsa-256.pem', 'test-ed25519.openssh', 'test-ed25519.pkcs8.pem']) {
      const lines = fixture(name).trim().split('\n');
      const head = lines.slice(0, Math.max(1, Math.floor((lines.length - 1) / 2)));
      expectInvalid(head.join('\n'), 'unparsable', `${name} cut in half`);
      expectInvalid([...head, lines[lines.length - 1]!].join('\n'), 'unparsable', `${name} middle lines missing`);
      expectInvalid(fixture(name).slice(0, -60), 'unparsable', `${name} end cut off`);
    }
  });

  test('an OpenSSH key whose private part does not match its public part', () => {
    const a = sshKey('mix-a', '-t', 'ed25519', '-N', '');
    const b = sshKey('mix-b', '-t', 'ed25519', '-N', '');
    const mixed = base64Body(a);
    // Header layout for an unencrypted key: magic(15) "none"(8) "none"(8) ""(4) count(4), then the public blob.
    base64Body(b).copy(mixed, 39, 39, 39 + 4 + 51);
    expectInvalid(opensshText(mixed), 'unparsable', 'header of b, private part of a');

    const ed = base64Body(a);
    const publicKey = ed.subarray(39 + 4 + 51 - 32, 39 + 4 + 51);
    ed[nthIndexOf(ed, publicKey, 3) - 32]! ^= 1; // first byte of the seed, just before the copy of the public key
    expectInvalid(opensshText(ed), 'unparsable', 'ed25519 seed changed');

    const ecText = sshKey('ec', '-t', 'ecdsa', '-b', '256', '-N', '');
    const ec = base64Body(ecText);
    const [, publicBase64] = keygen('-y', '-f', join(dir, 'ec')).trim().split(/\s+/);
    const q = Buffer.from(publicBase64!, 'base64').subarray(-65);
    const dAt = nthIndexOf(ec, q, 2) + 65;
    ec[dAt + 4 + ec.readUInt32BE(dAt) - 1]! ^= 1; // last byte of the private scalar
    expectInvalid(opensshText(ec), 'unparsable', 'ecdsa scalar changed');
  });

  test('more than one block, certificates, PuTTY keys, JSON-escaped line breaks', () => {
    const key = fixture('test-ecdsa-256.pem');
    expectInvalid(`${key}\n${fixture('test-rsa-2048.pem')}`, 'unparsable', 'two keys');
    expectInvalid(
      '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUZmFrZWNlcnRpZmljYXRlZm9ydGVzdHM=\n-----END CERTIFICATE-----\n',
      'unparsable',
      'certificate',
    );
    expectInvalid('PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: test key\nPublic-Lines: 2\n', 'unparsable', 'putty');
    const escaped = expectInvalid(key.trim().split('\n').join('\\n'), 'unparsable', 'literal \\n');
    assert.match(escaped.message, /line breaks/);
  });
});

describe('public keys', () => {
  test('OpenSSH public key lines, SPKI, PKCS#1 and RFC 4716 public keys', () => {
    sshKey('pub', '-t', 'ed25519', '-N', '');
    const line = readFileSync(join(dir, 'pub.pub'), 'utf8');
    expectInvalid(line, 'public-key', 'ssh-ed25519 line');
    expectInvalid(keygen('-e', '-f', join(dir, 'pub.pub')), 'public-key', 'RFC 4716');
    sshKey('rsapub', '-t', 'rsa', '-b', '2048', '-N', '');
    expectInvalid(readFileSync(join(dir, 'rsapub.pub'), 'utf8'), 'public-key', 'ssh-rsa line');
    expectInvalid(keygen('-e', '-m', 'PKCS8', '-f', join(dir, 'rsapub.pub')), 'public-key', 'SPKI');
    expectInvalid(keygen('-e', '-m', 'PEM', '-f', join(dir, 'rsapub.pub')), 'public-key', 'PKCS#1 public');
    const err = expectInvalid(line, 'public-key', 'message');
    assert.match(err.message, /private key/);
  });
});

describe('encrypted keys', () => {
  test('OpenSSH, PEM (Proc-Type) and PKCS#8 keys with a passphrase', () => {
    const openssh = expectInvalid(fixture('test-ed25519-encrypted.openssh'), 'encrypted', 'openssh');
    assert.match(openssh.message, /passphrase/);
    expectInvalid(sshKey('enc-pem', '-t', 'ecdsa', '-m', 'PEM', '-N', 'test-passphrase'), 'encrypted', 'pem');
    const pkcs8 = sshKey('enc-pkcs8', '-t', 'rsa', '-b', '2048', '-m', 'PKCS8', '-N', 'test-passphrase');
    assert.ok(pkcs8.startsWith('-----BEGIN ENCRYPTED PRIVATE KEY-----'));
    expectInvalid(pkcs8, 'encrypted', 'pkcs8');
    const nodeEncrypted = generateKeyPairSync('ed25519')
      .privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'test' })
      .toString();
    expectInvalid(nodeEncrypted, 'encrypted', 'node pkcs8');
  });
});

describe('unsupported algorithms', () => {
  test('DSA in OpenSSH, PEM and PKCS#8 form', () => {
    const openssh = sshKey('dsa', '-t', 'dsa', '-N', '');
    assert.match(expectInvalid(openssh, 'unsupported-algorithm', 'dsa openssh').message, /DSA/);
    copyFileSync(join(dir, 'dsa'), join(dir, 'dsa-pem'));
    keygen('-q', '-p', '-P', '', '-N', '', '-m', 'PEM', '-f', join(dir, 'dsa-pem'));
    const pem = readFileSync(join(dir, 'dsa-pem'), 'utf8');
    assert.ok(pem.startsWith('-----BEGIN DSA PRIVATE KEY-----'));
    expectInvalid(pem, 'unsupported-algorithm', 'dsa pem');
    copyFileSync(join(dir, 'dsa'), join(dir, 'dsa-pkcs8'));
    keygen('-q', '-p', '-P', '', '-N', '', '-m', 'PKCS8', '-f', join(dir, 'dsa-pkcs8'));
    expectInvalid(readFileSync(join(dir, 'dsa-pkcs8'), 'utf8'), 'unsupported-algorithm', 'dsa pkcs8');
  });

  test('Ed448, X25519, RSA-PSS and ECDSA on other curves', () => {
    const pkcs8 = (key: ReturnType<typeof generateKeyPairSync>['privateKey']) => key.export({ type: 'pkcs8', format: 'pem' }).toString();
    expectInvalid(pkcs8(generateKeyPairSync('ed448').privateKey), 'unsupported-algorithm', 'ed448');
    expectInvalid(pkcs8(generateKeyPairSync('x25519').privateKey), 'unsupported-algorithm', 'x25519');
    expectInvalid(pkcs8(generateKeyPairSync('rsa-pss', { modulusLength: 1024 }).privateKey), 'unsupported-algorithm', 'rsa-pss');
    const k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey;
    expectInvalid(k1.export({ type: 'sec1', format: 'pem' }).toString(), 'unsupported-algorithm', 'secp256k1 sec1');
    expectInvalid(pkcs8(k1), 'unsupported-algorithm', 'secp256k1 pkcs8');
  });
});

describe('InvalidKeyError', () => {
  test('is an Error with a name, a reason and only those own fields', () => {
    const err = expectInvalid(generateHostKey('ed25519').slice(0, 80), 'unparsable', 'generated, cut');
    assert.ok(err instanceof Error);
    assert.deepEqual(Object.keys(err).sort(), ['name', 'reason']);
  });
});
