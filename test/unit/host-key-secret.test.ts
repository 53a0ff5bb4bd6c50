// HostKeySecret never prints its key: every path that turns it into text shows the fingerprint.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { format, inspect } from 'node:util';
import { hostKeySecret } from '../../functions/reconciler/desired/host-key-secret.ts';
import { InvalidKeyError, generateHostKey, parsePrivateKey } from '../../functions/shared/ssh-key.ts';
import { normaliseFingerprint } from '../../functions/shared/fingerprint.ts';

const keyText = generateHostKey('ecdsa');
const keyLines = keyText.trim().split('\n');
const bodyLines = keyLines.slice(1, -1);
const secret = hostKeySecret(keyText);
const label = `[host key ${secret.fingerprint}]`;

function assertNoKey(rendered: string, what: string): void {
  for (const line of bodyLines) assert.ok(!rendered.includes(line), `${what} prints a line of the key`);
  assert.ok(!rendered.includes('-----BEGIN') && !rendered.includes('-----END'), `${what} prints the key's BEGIN/END line`);
}

describe('hostKeySecret', () => {
  test('exposes the fingerprint (ssh-keygen form), algorithm and bits, and reveals the key', () => {
    const parsed = parsePrivateKey(keyText);
    assert.equal(secret.fingerprint, normaliseFingerprint(parsed.fingerprint));
    assert.match(secret.fingerprint, /^SHA256:[A-Za-z0-9+/]{43}$/);
    assert.equal(secret.algorithm, 'ecdsa-sha2-nistp256');
    assert.equal(secret.bits, 256);
    assert.equal(secret.reveal(), keyText);
  });

  test('reveal() gives canonical text: LF line endings, trimmed, one final newline', () => {
    const messy = hostKeySecret(`\r\n  ${keyText.trim().replace(/\n/g, '\r\n')}  \r\n\r\n`);
    assert.equal(messy.reveal(), keyText);
    assert.equal(messy.fingerprint, secret.fingerprint);
  });

  test('toString, template strings, concatenation and toJSON give the label', () => {
    assert.equal(String(secret), label);
    assert.equal(`${secret}`, label);
    assert.equal('' + secret, label);
    assert.equal(secret.toString(), label);
    assert.equal(JSON.stringify(secret), JSON.stringify(label));
  });

  test('JSON.stringify of an object nesting the secret', () => {
    const outcome = { serverId: 's-1', hostKey: { parameter: '/keys/test', secret }, list: [secret] };
    const json = JSON.stringify(outcome);
    assertNoKey(json, 'JSON.stringify');
    assert.deepEqual(JSON.parse(json), { serverId: 's-1', hostKey: { parameter: '/keys/test', secret: label }, list: [label] });
  });

  test('util.inspect, util.format and console.log formats', () => {
    const nested = { request: { HostKey: secret }, deeper: { a: { b: { c: { d: secret } } } } };
    assert.equal(inspect(secret), label);
    for (const options of [{}, { showHidden: true }, { depth: Infinity }, { customInspect: false, showHidden: true, depth: Infinity }]) {
      assertNoKey(inspect(secret, options), `inspect ${JSON.stringify(options)}`);
      assertNoKey(inspect(nested, options), `inspect nested ${JSON.stringify(options)}`);
    }
    assert.match(inspect(nested, { depth: Infinity }), /\[host key SHA256:/);
    for (const spec of ['%s', '%o', '%O', '%j', '%d']) {
      assertNoKey(format(spec, secret), `format ${spec}`);
      assertNoKey(format(spec, nested), `format ${spec} nested`);
    }
    assert.equal(format('%s', secret), label);
  });

  test('console.log writes the label, not the key', (t) => {
    const written: string[] = [];
    t.mock.method(process.stdout, 'write', (chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    console.log(secret);
    console.log({ secret });
    console.log('key: %s', secret);
    t.mock.restoreAll();
    const output = written.join('');
    assertNoKey(output, 'console.log');
    assert.ok(output.includes(label));
  });

  test('structuredClone copies only the public fields: no key, no reveal()', () => {
    const clone = structuredClone(secret) as unknown as Record<string, unknown>;
    assert.equal(typeof clone.reveal, 'undefined');
    assert.equal(Object.getPrototypeOf(clone), Object.prototype);
    assert.deepEqual(clone, { fingerprint: secret.fingerprint, algorithm: 'ecdsa-sha2-nistp256', bits: 256 });
    assertNoKey(JSON.stringify(clone), 'clone');
    const nestedClone = structuredClone({ hostKey: secret });
    assertNoKey(inspect(nestedClone, { showHidden: true, depth: Infinity }), 'nested clone');
  });

  test('own enumerable properties and spread hold no key', () => {
    assert.deepEqual(Object.keys(secret).sort(), ['algorithm', 'bits', 'fingerprint']);
    assertNoKey(JSON.stringify({ ...secret }), 'spread');
    assertNoKey(
      Object.getOwnPropertyNames(secret)
        .map((name) => String((secret as unknown as Record<string, unknown>)[name]))
        .join('\n'),
      'own properties',
    );
  });

  test('an invalid key throws InvalidKeyError without the key text', () => {
    const cut = keyLines.slice(0, 2).join('\n');
    assert.throws(
      () => hostKeySecret(cut),
      (err: unknown) => {
        assert.ok(err instanceof InvalidKeyError);
        assert.equal(err.reason, 'unparsable');
        assertNoKey(`${err.message}\n${String(err)}\n${err.stack ?? ''}`, 'error');
        return true;
      },
    );
    assert.throws(() => hostKeySecret('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBkZpZpSeg6wbsP6Y4y2gN9lb6d4FzCDM4Fp6yS4kp2X test'), {
      name: 'InvalidKeyError',
      reason: 'public-key',
    });
  });

  test('keys AWS refuses by policy still parse (policy is checked separately)', () => {
    const small = hostKeySecret(generateHostKey('rsa', { bits: 1024 }));
    assert.equal(small.algorithm, 'ssh-rsa');
    assert.equal(small.bits, 1024);
  });
});
