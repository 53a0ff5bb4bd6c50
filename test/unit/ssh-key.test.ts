// parsePrivateKey cross-checked against ssh-keygen (the reference AWS names for HostKeyFingerprint)
// for every algorithm and size AWS accepts, in the OpenSSH, PEM and PKCS#8 formats.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normaliseFingerprint } from '../../functions/shared/fingerprint.ts';
import { checkHostKeyPolicy, parsePrivateKey } from '../../functions/shared/ssh-key.ts';
import { encodeOpenSshPrivateKey } from '../../functions/shared/ssh-key-openssh.ts';

const SSH_KEYGEN = '/usr/bin/ssh-keygen';
const FIXTURES = new URL('../fixtures/keys/', import.meta.url);

let dir = '';

function keygen(...args: string[]): string {
  return execFileSync(SSH_KEYGEN, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** `ssh-keygen -l` on the private key itself (a `.pub` beside it would be read instead, so none is kept). */
function reference(file: string): { bits: number; fingerprint: string; type: string } {
  const match = /^(\d+) (SHA256:[A-Za-z0-9+/]+) .*\((\w+)\)\s*$/.exec(keygen('-l', '-E', 'sha256', '-f', file));
  assert.ok(match, 'ssh-keygen -l output not understood');
  return { bits: Number(match[1]), fingerprint: match[2]!, type: match[3]! };
}

interface Case {
  name: string;
  file: string;
  algorithm: string;
  bits: number;
  begin: string;
}
const cases: Case[] = [];

const SIZES: Array<{ type: 'rsa' | 'ecdsa'; bits: number; algorithm: string; pemBegin: string }> = [
  { type: 'rsa', bits: 2048, algorithm: 'ssh-rsa', pemBegin: 'RSA PRIVATE KEY' },
  { type: 'rsa', bits: 3072, algorithm: 'ssh-rsa', pemBegin: 'RSA PRIVATE KEY' },
  { type: 'rsa', bits: 4096, algorithm: 'ssh-rsa', pemBegin: 'RSA PRIVATE KEY' },
  { type: 'ecdsa', bits: 256, algorithm: 'ecdsa-sha2-nistp256', pemBegin: 'EC PRIVATE KEY' },
  { type: 'ecdsa', bits: 384, algorithm: 'ecdsa-sha2-nistp384', pemBegin: 'EC PRIVATE KEY' },
  { type: 'ecdsa', bits: 521, algorithm: 'ecdsa-sha2-nistp521', pemBegin: 'EC PRIVATE KEY' },
];

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'ssh-key-test-'));
  for (const size of SIZES) {
    const base = join(dir, `${size.type}-${size.bits}`);
    // One key per size, rewritten into each format (`-p` with an empty passphrase converts in place).
    keygen('-q', '-t', size.type, '-b', String(size.bits), '-N', '', '-C', 'test key', '-f', `${base}.openssh`);
    cases.push({
      name: `${size.type} ${size.bits} OpenSSH`,
      file: `${base}.openssh`,
      algorithm: size.algorithm,
      bits: size.bits,
      begin: 'OPENSSH PRIVATE KEY',
    });
    for (const [format, begin] of [
      ['PEM', size.pemBegin],
      ['PKCS8', 'PRIVATE KEY'],
    ] as const) {
      const file = `${base}.${format.toLowerCase()}`;
      copyFileSync(`${base}.openssh`, file);
      keygen('-q', '-p', '-P', '', '-N', '', '-m', format, '-f', file);
      cases.push({ name: `${size.type} ${size.bits} ${format}`, file, algorithm: size.algorithm, bits: size.bits, begin });
    }
  }
  // ssh-keygen writes Ed25519 only in OpenSSH format, whatever -m says.
  keygen('-q', '-t', 'ed25519', '-N', '', '-C', 'test key', '-f', join(dir, 'ed25519.openssh'));
  cases.push({
    name: 'ed25519 OpenSSH',
    file: join(dir, 'ed25519.openssh'),
    algorithm: 'ssh-ed25519',
    bits: 256,
    begin: 'OPENSSH PRIVATE KEY',
  });
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.pub'))) rmSync(join(dir, name));
});

after(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

describe('parsePrivateKey matches ssh-keygen -l', () => {
  test('every algorithm, size and format', () => {
    assert.equal(cases.length, 19);
    for (const c of cases) {
      const text = readFileSync(c.file, 'utf8');
      assert.ok(text.startsWith(`-----BEGIN ${c.begin}-----\n`), `${c.name}: ssh-keygen wrote another format`);
      const parsed = parsePrivateKey(text);
      const expected = reference(c.file);
      assert.equal(normaliseFingerprint(parsed.fingerprint), expected.fingerprint, c.name);
      assert.equal(parsed.bits, expected.bits, c.name);
      assert.equal(parsed.bits, c.bits, c.name);
      assert.equal(parsed.algorithm, c.algorithm, c.name);
      assert.equal(checkHostKeyPolicy(parsed), undefined, c.name);
    }
  });

  test('the fingerprint is in AWS format: SHA256: and padded base64 of 32 bytes', () => {
    for (const c of cases) {
      const { fingerprint } = parsePrivateKey(readFileSync(c.file, 'utf8'));
      assert.match(fingerprint, /^SHA256:[A-Za-z0-9+/]{43}=$/, c.name);
    }
  });

  test('the public blob is the one ssh-keygen -y prints', () => {
    for (const c of cases.filter((k) => k.name.endsWith('PEM') || k.name.startsWith('ed25519'))) {
      const [type, base64] = keygen('-y', '-f', c.file).trim().split(/\s+/);
      const parsed = parsePrivateKey(readFileSync(c.file, 'utf8'));
      assert.equal(type, parsed.algorithm, c.name);
      assert.equal(parsed.publicBlob.toString('base64'), base64, c.name);
    }
  });

  test('CRLF line endings, surrounding blank lines and spaces give the same key', () => {
    for (const c of cases.filter((k) => k.bits !== 4096)) {
      const text = readFileSync(c.file, 'utf8');
      const expected = parsePrivateKey(text).fingerprint;
      assert.equal(parsePrivateKey(text.replace(/\n/g, '\r\n')).fingerprint, expected, `${c.name} CRLF`);
      assert.equal(parsePrivateKey(`\n\n  ${text}\n\t \n`).fingerprint, expected, `${c.name} whitespace`);
      assert.equal(parsePrivateKey(text.trimEnd()).fingerprint, expected, `${c.name} no final newline`);
    }
  });

  test('Ed25519 in PKCS#8 (which ssh-keygen cannot read): checked through openssl and an OpenSSH copy', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const pemFile = join(dir, 'ed25519-node.pkcs8');
    const opensshFile = join(dir, 'ed25519-node.openssh');
    writeFileSync(pemFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    writeFileSync(opensshFile, encodeOpenSshPrivateKey(privateKey), { mode: 0o600 });
    // openssl gives the raw public key independently of this project's code.
    const spki = execFileSync('openssl', ['pkey', '-in', pemFile, '-pubout', '-outform', 'DER']);
    const [, base64] = keygen('-y', '-f', opensshFile).trim().split(/\s+/);
    assert.deepEqual(Buffer.from(base64!, 'base64').subarray(-32), spki.subarray(-32));

    const parsed = parsePrivateKey(readFileSync(pemFile, 'utf8'));
    const expected = reference(opensshFile);
    assert.equal(normaliseFingerprint(parsed.fingerprint), expected.fingerprint);
    assert.equal(parsed.bits, 256);
    assert.equal(parsed.algorithm, 'ssh-ed25519');
    assert.deepEqual(parsed.publicBlob, parsePrivateKey(readFileSync(opensshFile, 'utf8')).publicBlob);
  });

  test('Node-written SEC1 and PKCS#1 keys match ssh-keygen too', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const ec = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey.export({ type: 'sec1', format: 'pem' }).toString();
    for (const [name, text] of [
      ['rsa', rsa],
      ['ec', ec],
    ] as const) {
      const file = join(dir, `node-${name}.pem`);
      writeFileSync(file, text, { mode: 0o600 });
      assert.equal(normaliseFingerprint(parsePrivateKey(text).fingerprint), reference(file).fingerprint, name);
      assert.equal(createPrivateKey(text).asymmetricKeyType, name);
    }
  });
});

describe('committed fixtures', () => {
  test('the README table gives each fixture algorithm, size and fingerprint', () => {
    const rows = [
      ...readFileSync(new URL('README.md', FIXTURES), 'utf8').matchAll(/^\| `(test-[^`]+)` \| (\S+) (\d+) \| `(SHA256:[^`]+)` \|$/gm),
    ];
    assert.equal(rows.length, 5);
    for (const [, name, algorithm, bits, fingerprint] of rows) {
      const parsed = parsePrivateKey(readFileSync(new URL(name!, FIXTURES), 'utf8'));
      assert.deepEqual([parsed.algorithm, parsed.bits, parsed.fingerprint], [algorithm, Number(bits), fingerprint], name);
    }
  });

  test('each valid fixture matches ssh-keygen', () => {
    for (const name of ['test-ed25519.openssh', 'test-rsa-2048.pem', 'test-ecdsa-256.pem', 'test-rsa-1024-too-small.pem']) {
      const file = join(dir, name);
      // ssh-keygen ignores a private key others can read; a git checkout gives 0644.
      writeFileSync(file, readFileSync(new URL(name, FIXTURES)), { mode: 0o600 });
      const parsed = parsePrivateKey(readFileSync(file, 'utf8'));
      const expected = reference(file);
      assert.equal(normaliseFingerprint(parsed.fingerprint), expected.fingerprint, name);
      assert.equal(parsed.bits, expected.bits, name);
    }
  });
});

describe('checkHostKeyPolicy', () => {
  test('RSA 1024 is refused with a reason that names 2048', () => {
    const parsed = parsePrivateKey(readFileSync(new URL('test-rsa-1024-too-small.pem', FIXTURES), 'utf8'));
    assert.equal(parsed.bits, 1024);
    const reason = checkHostKeyPolicy(parsed);
    assert.ok(reason !== undefined);
    assert.match(reason, /2048/);
    assert.match(reason, /1024/);
  });

  test('RSA above 4096 bits, a wrong ECDSA size and unknown algorithms are refused', () => {
    const blob = Buffer.alloc(0);
    assert.match(checkHostKeyPolicy({ algorithm: 'ssh-rsa', bits: 8192, publicBlob: blob, fingerprint: '' }) ?? '', /4096/);
    assert.match(checkHostKeyPolicy({ algorithm: 'ecdsa-sha2-nistp256', bits: 192, publicBlob: blob, fingerprint: '' }) ?? '', /nistp256/);
    const dsa = { algorithm: 'ssh-dss', bits: 1024, publicBlob: blob, fingerprint: '' } as unknown as Parameters<
      typeof checkHostKeyPolicy
    >[0];
    assert.match(checkHostKeyPolicy(dsa) ?? '', /Ed25519/);
  });

  test('RSA 2048, 3072 and 4096, every ECDSA curve and Ed25519 are accepted', () => {
    const blob = Buffer.alloc(0);
    for (const bits of [2048, 3072, 4096])
      assert.equal(checkHostKeyPolicy({ algorithm: 'ssh-rsa', bits, publicBlob: blob, fingerprint: '' }), undefined);
    assert.equal(checkHostKeyPolicy({ algorithm: 'ecdsa-sha2-nistp521', bits: 521, publicBlob: blob, fingerprint: '' }), undefined);
    assert.equal(checkHostKeyPolicy({ algorithm: 'ssh-ed25519', bits: 256, publicBlob: blob, fingerprint: '' }), undefined);
  });
});
