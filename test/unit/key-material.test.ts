// The one detector of private-key material (functions/shared/key-material.ts): every line of
// every kind of test key is recognised, public things (fingerprints, public keys) and ordinary
// document text are not.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { MIN_KEY_LINE, findKeyMaterial, looksLikeKeyMaterial } from '../../functions/shared/key-material.ts';
import { generateHostKey, parsePrivateKey } from '../../functions/shared/ssh-key.ts';

const KEYS = fileURLToPath(new URL('../fixtures/keys/', import.meta.url));
const fixtureKeys = readdirSync(KEYS)
  .filter((name) => !name.endsWith('.md'))
  .map((name) => ({ name, text: readFileSync(`${KEYS}${name}`, 'utf8') }));

function bodyLines(key: string): string[] {
  return key
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('-----'));
}

describe('key material', () => {
  test('armour lines of every fixture key are recognised, on their own and inside other text', () => {
    for (const { name, text } of fixtureKeys) {
      const [begin] = text.split('\n');
      assert.equal(findKeyMaterial(begin ?? ''), 'private-key-armour', name);
      assert.equal(findKeyMaterial(`Welcome!\r\n${begin}`), 'private-key-armour', name);
      assert.equal(findKeyMaterial(text), 'private-key-armour', name);
    }
    assert.equal(findKeyMaterial('-----END PRIVATE KEY-----'), 'private-key-armour');
    assert.equal(findKeyMaterial('---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----'), 'private-key-armour');
    assert.equal(findKeyMaterial('PuTTY-User-Key-File-3: ssh-ed25519'), 'private-key-armour');
  });

  test('every full body line of the fixture keys is recognised as a key line', () => {
    let checked = 0;
    for (const { name, text } of fixtureKeys) {
      // The last line is whatever is left over; every other line is a full one.
      for (const line of bodyLines(text).slice(0, -1)) {
        assert.equal(findKeyMaterial(line), 'key-line', `${name}: a ${line.length}-character line`);
        assert.ok(looksLikeKeyMaterial(`"${line}": 1`));
        checked += 1;
      }
    }
    assert.ok(checked >= 40, `only ${checked} lines checked`);
  });

  test('generated keys: practically every full line is recognised (a random line lacks a digit once in ~50,000)', () => {
    let lines = 0;
    let recognised = 0;
    for (const kind of ['rsa', 'ecdsa', 'ed25519'] as const) {
      for (const format of ['pem', 'openssh'] as const) {
        for (let i = 0; i < 5; i += 1) {
          for (const line of bodyLines(generateHostKey(kind, { format })).slice(0, -1)) {
            lines += 1;
            if (findKeyMaterial(line) === 'key-line') recognised += 1;
          }
        }
      }
    }
    assert.ok(lines > 150, `${lines} lines`);
    assert.ok(recognised >= lines - 2, `${recognised} of ${lines} recognised`);
  });

  test('fingerprints and SSH public keys are public: not key material', () => {
    for (const { text } of fixtureKeys.filter((k) => !k.name.includes('encrypted'))) {
      const parsed = parsePrivateKey(text);
      assert.equal(findKeyMaterial(parsed.fingerprint), undefined, parsed.fingerprint);
      assert.equal(findKeyMaterial(parsed.fingerprint.replace(/=$/, '')), undefined);
      const type = parsed.publicBlob.subarray(4, 4 + parsed.publicBlob.readUInt32BE(0)).toString();
      const publicKey = `${type} ${parsed.publicBlob.toString('base64')} host@example`;
      assert.equal(findKeyMaterial(`Verify the host key: ${publicKey}`), undefined, publicKey);
      // The same base64 without its type name in front is not known to be public.
      assert.equal(findKeyMaterial(parsed.publicBlob.toString('base64')), 'key-line');
    }
  });

  test('ordinary document text is not key material', () => {
    const ordinary = [
      'arn:aws:iam::111122223333:role/service-role/transfer-logging-2024',
      'arn:aws:acm:us-east-1:111122223333:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789',
      'arn:aws:logs:us-east-1:111122223333:log-group:/aws/transfer/s-0123456789abcdef0:*',
      's-0123456789abcdef0',
      'subnet-0a1b2c3d4e5f60011',
      'TransferSecurityPolicy-FIPS-2024-01',
      'https://transfer-reconciler.dev/schema/desired-state.json',
      'Authorised users only. All activity is logged.\nContact sftp-admins@example.com (ext. 2024).',
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', // hex digest: no upper case
      'ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJ0123', // no lower case
      'AuthorizedUsersOnly2024', // shorter than a key line
      'x'.repeat(MIN_KEY_LINE - 1).replace(/^x{3}/, 'Ab1'),
    ];
    for (const text of ordinary) assert.equal(findKeyMaterial(text), undefined, text);
  });

  test('the armour look is bounded: a hostile text of "BEGIN " repeated is answered', () => {
    assert.equal(findKeyMaterial('BEGIN '.repeat(200_000)), undefined);
    assert.equal(findKeyMaterial(`${'BEGIN '.repeat(200_000)}PRIVATE KEY`), 'private-key-armour');
    assert.equal(findKeyMaterial('aB1+'.repeat(600_000)), 'key-line');
  });
});

test('a Route 53 hosted zone id (custom hostname) is public, however long', () => {
  assert.equal(looksLikeKeyMaterial('/hostedzone/Z0123456789ABCDEFGHIJ'), false);
  assert.equal(looksLikeKeyMaterial('/hostedzone/Z0123456789ABCDEFGHIJab'), true);
});
