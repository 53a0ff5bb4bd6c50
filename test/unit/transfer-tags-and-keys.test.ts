// Tags by ARN, and host keys: fingerprints of given keys, generated keys, refused keys.
import assert from 'node:assert/strict';
import { createHash, createPublicKey } from 'node:crypto';
import { describe, test } from 'node:test';
import { generateHostKey } from '../../functions/shared/ssh-key.ts';
import { harness, rejectsWith } from './transfer-fixtures.ts';

const arnOf = (id: string) => `arn:aws:transfer:us-east-1:123456789012:server/${id}`;

/** SHA256 of the SSH public blob of an Ed25519 key, computed here without the ssh-key module. */
function ed25519Fingerprint(privatePem: string): string {
  const raw = Buffer.from(String(createPublicKey(privatePem).export({ format: 'jwk' }).x), 'base64url');
  const field = (b: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(b.length);
    return Buffer.concat([length, b]);
  };
  const blob = Buffer.concat([field(Buffer.from('ssh-ed25519')), field(raw)]);
  return `SHA256:${createHash('sha256').update(blob).digest('base64')}`;
}

describe('Transfer back end: tags', () => {
  test('TagResource merges, UntagResource removes, ListTagsForResource and DescribeServer show them', async () => {
    const h = harness();
    const id = await h.createOnline({ Tags: [{ Key: 'a', Value: '1' }] });
    await h.call('TagResource', {
      Arn: arnOf(id),
      Tags: [
        { Key: 'a', Value: '2' },
        { Key: 'b', Value: '3' },
      ],
    });
    assert.deepEqual(await h.call('ListTagsForResource', { Arn: arnOf(id) }), {
      Arn: arnOf(id),
      Tags: [
        { Key: 'a', Value: '2' },
        { Key: 'b', Value: '3' },
      ],
    });
    await h.call('UntagResource', { Arn: arnOf(id), TagKeys: ['a', 'missing'] });
    assert.deepEqual((await h.describe(id)).Tags, [{ Key: 'b', Value: '3' }]);
  });

  test('ListTagsForResource pages', async () => {
    const h = harness();
    const tags = Array.from({ length: 5 }, (_, i) => ({ Key: `k${i}`, Value: `v${i}` }));
    const id = await h.createOnline({ Tags: tags });
    const first = await h.call('ListTagsForResource', { Arn: arnOf(id), MaxResults: 3 });
    const second = await h.call('ListTagsForResource', { Arn: arnOf(id), MaxResults: 3, NextToken: first.NextToken });
    assert.deepEqual([...(first.Tags as unknown[]), ...(second.Tags as unknown[])], tags);
    assert.equal('NextToken' in second, false);
  });

  test('aws: keys are refused by TagResource, UntagResource and CreateServer', async () => {
    const h = harness();
    const id = await h.createOnline();
    await rejectsWith(
      h.call('TagResource', { Arn: arnOf(id), Tags: [{ Key: 'aws:cloudformation:stack-name', Value: 'x' }] }),
      'InvalidRequestException',
      /aws:cloudformation:stack-name is reserved/,
    );
    await rejectsWith(h.call('UntagResource', { Arn: arnOf(id), TagKeys: ['aws:x'] }), 'InvalidRequestException', /reserved/);
    await rejectsWith(h.call('CreateServer', { Tags: [{ Key: 'AWS:x', Value: 'y' }] }), 'InvalidRequestException', /reserved/);
  });

  test('a server holds at most 50 tags', async () => {
    const h = harness();
    const id = await h.createOnline({ Tags: Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })) });
    await rejectsWith(
      h.call('TagResource', { Arn: arnOf(id), Tags: [{ Key: 'one-more', Value: 'v' }] }),
      'InvalidRequestException',
      /at most 50 tags/,
    );
    await h.call('TagResource', { Arn: arnOf(id), Tags: [{ Key: 'k0', Value: 'changed' }] });
  });

  test('an ARN in another account or region is not this server', async () => {
    const h = harness();
    const id = await h.createOnline();
    await rejectsWith(
      h.call('TagResource', { Arn: `arn:aws:transfer:eu-west-1:123456789012:server/${id}`, Tags: [{ Key: 'a', Value: 'b' }] }),
      'ResourceNotFoundException',
    );
    await rejectsWith(
      h.call('UntagResource', { Arn: 'arn:aws:transfer:us-east-1:123456789012:user/s-0123456789abcdef0/bob', TagKeys: ['a'] }),
      'ResourceNotFoundException',
    );
    // ListTagsForResource lists no ResourceNotFoundException: the listed InvalidRequestException.
    await rejectsWith(
      h.call('ListTagsForResource', { Arn: `arn:aws:transfer:eu-west-1:123456789012:server/${id}` }),
      'InvalidRequestException',
    );
    await rejectsWith(
      h.call('ListTagsForResource', { Arn: 'arn:aws:transfer:us-east-1:123456789012:user/s-0123456789abcdef0/bob' }),
      'InvalidRequestException',
    );
  });
});

describe('Transfer back end: host keys', () => {
  test('HostKeyFingerprint is the AWS-format fingerprint of the key given, in CreateServer and UpdateServer', async () => {
    const h = harness();
    const first = generateHostKey('ed25519');
    const id = await h.createOnline({ HostKey: first });
    assert.equal((await h.describe(id)).HostKeyFingerprint, ed25519Fingerprint(first));
    const second = generateHostKey('ed25519');
    await h.call('UpdateServer', { ServerId: id, HostKey: second });
    assert.equal((await h.describe(id)).HostKeyFingerprint, ed25519Fingerprint(second));
  });

  test('RSA 2048+, ECDSA 256/384/521 and OpenSSH-format keys are accepted', async () => {
    const h = harness();
    const id = await h.createOnline();
    for (const key of [
      generateHostKey('rsa'),
      generateHostKey('ecdsa', { bits: 384 }),
      generateHostKey('ecdsa', { bits: 521 }),
      generateHostKey('ed25519', { format: 'openssh' }),
    ]) {
      await h.call('UpdateServer', { ServerId: id, HostKey: key });
    }
  });

  test('a server created without a key gets its own generated key, kept across updates', async () => {
    const h = harness();
    const a = await h.createOnline();
    const b = await h.createOnline();
    const fingerprint = (await h.describe(a)).HostKeyFingerprint;
    assert.notEqual(fingerprint, (await h.describe(b)).HostKeyFingerprint);
    await h.call('UpdateServer', { ServerId: a, PreAuthenticationLoginBanner: 'x' });
    assert.equal((await h.describe(a)).HostKeyFingerprint, fingerprint);
  });

  test('a small RSA key, a public key or garbage is refused without the key text in the message', async () => {
    const h = harness();
    const id = await h.createOnline();
    const small = generateHostKey('rsa', { bits: 1024 });
    const publicKey = String(createPublicKey(generateHostKey('ed25519')).export({ type: 'spki', format: 'pem' }));
    for (const key of [small, publicKey, 'not a key at all']) {
      const error = await rejectsWith(
        h.call('UpdateServer', { ServerId: id, HostKey: key }),
        'InvalidRequestException',
        /^HostKey must be an RSA \(2048 bits or more\), ECDSA/,
      );
      for (const line of key.split('\n').filter((l) => l.length > 20)) assert.equal(error.message.includes(line), false);
      assert.equal(error.message.includes('not a key at all'), false);
    }
    await rejectsWith(h.call('CreateServer', { HostKey: small }), 'InvalidRequestException', /1024/);
  });
});
