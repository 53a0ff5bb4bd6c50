// Several host keys per server in the Transfer back end: ImportHostKey / ListHostKeys /
// DescribeHostKey / UpdateHostKey / DeleteHostKey, the emulator's documented choices (first key =
// the server's own, UpdateServer's HostKey replaces the oldest in place, DescribeServer shows the
// oldest, the last key may go, the limit), DateImported strictly increasing on a frozen clock,
// snapshots carrying the keys, and the custom-hostname tags.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePrivateKey } from '../../functions/shared/ssh-key.ts';
import { AwsError } from '../../infra/local/aws-error.ts';
import { markedHostKey } from '../helpers/secrets.ts';
import { harness } from './transfer-fixtures.ts';

type Listed = { HostKeyId: string; Fingerprint: string; Type: string; DateImported: number; Description?: string; Arn: string };

async function keysOf(h: ReturnType<typeof harness>, serverId: string): Promise<Listed[]> {
  return (await h.call('ListHostKeys', { ServerId: serverId })).HostKeys as Listed[];
}

function refusedWith(code: string) {
  return (err: unknown) => err instanceof AwsError && err.code === code;
}

describe('Transfer host keys', () => {
  test("the server's own key is the first listed; imports follow in order, each with its type, strictly later even on a frozen clock", async () => {
    const h = harness();
    const own = markedHostKey('ed25519');
    const id = await h.createOnline({ HostKey: own });
    const ecdsa = markedHostKey('ecdsa');
    const rsa = markedHostKey('rsa');
    const a = (await h.call('ImportHostKey', { ServerId: id, HostKeyBody: ecdsa, Description: 'next' })).HostKeyId as string;
    const b = (await h.call('ImportHostKey', { ServerId: id, HostKeyBody: rsa })).HostKeyId as string;
    assert.match(a, /^hostkey-[0-9a-f]{17}$/);
    const keys = await keysOf(h, id);
    assert.deepEqual(
      keys.map((k) => [k.Fingerprint, k.Type]),
      [
        [parsePrivateKey(own).fingerprint, 'ssh-ed25519'],
        [parsePrivateKey(ecdsa).fingerprint, 'ecdsa-sha2-nistp256'],
        [parsePrivateKey(rsa).fingerprint, 'ssh-rsa'],
      ],
    );
    assert.deepEqual(
      keys.slice(1).map((k) => k.HostKeyId),
      [a, b],
    );
    assert.equal(keys[1]?.Description, 'next');
    for (let i = 1; i < keys.length; i++) assert.ok((keys[i]?.DateImported ?? 0) > (keys[i - 1]?.DateImported ?? 0));
    assert.equal(keys[0]?.Arn, `arn:aws:transfer:us-east-1:123456789012:host-key/${id}/${keys[0]?.HostKeyId}`);
    assert.doesNotMatch(JSON.stringify(keys), /PRIVATE KEY/);
  });

  test('the same key twice is ResourceExistsException; a bad key InvalidRequestException; past the limit InvalidRequestException', async () => {
    const h = harness({ maxHostKeys: 3 });
    const own = markedHostKey();
    const id = await h.createOnline({ HostKey: own });
    await assert.rejects(h.call('ImportHostKey', { ServerId: id, HostKeyBody: own }), refusedWith('ResourceExistsException'));
    await assert.rejects(h.call('ImportHostKey', { ServerId: id, HostKeyBody: 'not a key' }), refusedWith('InvalidRequestException'));
    await h.call('ImportHostKey', { ServerId: id, HostKeyBody: markedHostKey() });
    await h.call('ImportHostKey', { ServerId: id, HostKeyBody: markedHostKey() });
    await assert.rejects(h.call('ImportHostKey', { ServerId: id, HostKeyBody: markedHostKey() }), (err: unknown) => {
      return err instanceof AwsError && err.code === 'InvalidRequestException' && /3 host keys/.test(err.message);
    });
    assert.equal((await keysOf(h, id)).length, 3);
  });

  test('the default limit is 10', async () => {
    const h = harness();
    const id = await h.createOnline();
    for (let i = 0; i < 9; i++) await h.call('ImportHostKey', { ServerId: id, HostKeyBody: markedHostKey() });
    await assert.rejects(h.call('ImportHostKey', { ServerId: id, HostKeyBody: markedHostKey() }), refusedWith('InvalidRequestException'));
  });

  test('ListHostKeys pages with MaxResults and NextToken, oldest first', async () => {
    const h = harness();
    const id = await h.createOnline();
    for (let i = 0; i < 4; i++) await h.call('ImportHostKey', { ServerId: id, HostKeyBody: markedHostKey() });
    const all = await keysOf(h, id);
    const seen: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await h.call('ListHostKeys', { ServerId: id, MaxResults: 2, ...(NextToken ? { NextToken } : {}) });
      seen.push(...(page.HostKeys as Listed[]).map((k) => k.HostKeyId));
      NextToken = page.NextToken as string | undefined;
    } while (NextToken);
    assert.deepEqual(
      seen,
      all.map((k) => k.HostKeyId),
    );
  });

  test('DescribeHostKey, UpdateHostKey (Description only), DeleteHostKey; unknown key ResourceNotFoundException', async () => {
    const h = harness();
    const id = await h.createOnline();
    const keyId = (await h.call('ImportHostKey', { ServerId: id, HostKeyBody: markedHostKey(), Tags: [{ Key: 'k', Value: 'v' }] }))
      .HostKeyId;
    assert.deepEqual(await h.call('UpdateHostKey', { ServerId: id, HostKeyId: keyId, Description: 'rotated in' }), {
      ServerId: id,
      HostKeyId: keyId,
    });
    const described = (await h.call('DescribeHostKey', { ServerId: id, HostKeyId: keyId })).HostKey as Record<string, unknown>;
    assert.equal(described.Description, 'rotated in');
    assert.deepEqual(described.Tags, [{ Key: 'k', Value: 'v' }]);
    assert.match(String(described.HostKeyFingerprint), /^SHA256:/);
    await h.call('DeleteHostKey', { ServerId: id, HostKeyId: keyId });
    for (const op of ['DescribeHostKey', 'DeleteHostKey'])
      await assert.rejects(h.call(op, { ServerId: id, HostKeyId: keyId }), refusedWith('ResourceNotFoundException'));
    await assert.rejects(h.call('ListHostKeys', { ServerId: 's-0123456789abcdef0' }), refusedWith('ResourceNotFoundException'));
  });

  test('DescribeServer shows the oldest key; deleting it shows the next; the last key may be deleted', async () => {
    const h = harness();
    const own = markedHostKey();
    const id = await h.createOnline({ HostKey: own });
    const next = markedHostKey('ecdsa');
    await h.call('ImportHostKey', { ServerId: id, HostKeyBody: next });
    assert.equal((await h.describe(id)).HostKeyFingerprint, parsePrivateKey(own).fingerprint);
    const [first, second] = await keysOf(h, id);
    await h.call('DeleteHostKey', { ServerId: id, HostKeyId: first?.HostKeyId });
    assert.equal((await h.describe(id)).HostKeyFingerprint, parsePrivateKey(next).fingerprint);
    await h.call('DeleteHostKey', { ServerId: id, HostKeyId: second?.HostKeyId });
    assert.deepEqual(await keysOf(h, id), []);
    assert.equal('HostKeyFingerprint' in (await h.describe(id)), false);
  });

  test("UpdateServer's HostKey replaces the oldest key in its place; a key equal to a newer one is ResourceExistsException", async () => {
    const h = harness();
    const id = await h.createOffline();
    const newer = markedHostKey();
    await h.call('ImportHostKey', { ServerId: id, HostKeyBody: newer });
    const before = await keysOf(h, id);
    const replacement = markedHostKey('rsa');
    await h.call('UpdateServer', { ServerId: id, HostKey: replacement });
    const after = await keysOf(h, id);
    assert.equal(after.length, 2);
    assert.equal(after[0]?.Fingerprint, parsePrivateKey(replacement).fingerprint);
    assert.equal(after[0]?.DateImported, before[0]?.DateImported);
    assert.notEqual(after[0]?.HostKeyId, before[0]?.HostKeyId);
    assert.deepEqual(after[1], before[1]);
    assert.equal((await h.describe(id)).HostKeyFingerprint, parsePrivateKey(replacement).fingerprint);
    await assert.rejects(h.call('UpdateServer', { ServerId: id, HostKey: newer }), refusedWith('ResourceExistsException'));
  });

  test('a snapshot carries every key; a snapshot from before several keys is upgraded to one key', async () => {
    const h = harness();
    const own = markedHostKey();
    const id = await h.createOnline({ HostKey: own });
    await h.call('ImportHostKey', { ServerId: id, HostKeyBody: markedHostKey() });
    const saved = h.backend.snapshot();
    const copy = harness();
    copy.backend.restore(saved);
    assert.deepEqual(await keysOf(copy, id), await keysOf(h, id));
    // A later import is still later than every restored key.
    await copy.call('ImportHostKey', { ServerId: id, HostKeyBody: markedHostKey() });
    const restored = await keysOf(copy, id);
    assert.ok((restored[2]?.DateImported ?? 0) > (restored[1]?.DateImported ?? 0));

    const old = structuredClone(saved) as { store: { servers: Record<string, unknown>[] } };
    for (const server of old.store.servers) {
      delete server.hostKeys;
      server.hostKey = own;
      server.HostKeyFingerprint = parsePrivateKey(own).fingerprint;
    }
    const upgraded = harness();
    upgraded.backend.restore(old);
    const keys = await keysOf(upgraded, id);
    assert.deepEqual(
      keys.map((k) => k.Fingerprint),
      [parsePrivateKey(own).fingerprint],
    );
  });
});

describe('custom hostname tags', () => {
  test('transfer:customHostname and transfer:route53HostedZoneId are ordinary tags; aws:transfer: keys only by seeding', async () => {
    const h = harness();
    const id = await h.createOnline();
    const Arn = `arn:aws:transfer:us-east-1:123456789012:server/${id}`;
    const tags = [
      { Key: 'transfer:customHostname', Value: 'sftp.example.com' },
      { Key: 'transfer:route53HostedZoneId', Value: '/hostedzone/Z0123456789ABCDEFGHIJ' },
    ];
    await h.call('TagResource', { Arn, Tags: tags });
    const old = [
      { Key: 'aws:transfer:customHostname', Value: 'old.example.com' },
      { Key: 'aws:transfer:route53HostedZoneId', Value: '/hostedzone/Z0123456789ABCDEFGHIJ' },
    ];
    await assert.rejects(h.call('TagResource', { Arn, Tags: old }), refusedWith('InvalidRequestException'));
    h.backend.seedTags(id, old);
    assert.deepEqual((await h.describe(id)).Tags, [...tags, ...old]);
    assert.deepEqual((await h.call('ListTagsForResource', { Arn })).Tags, [...tags, ...old]);
    await assert.rejects(
      h.call('UntagResource', { Arn, TagKeys: ['aws:transfer:customHostname'] }),
      refusedWith('InvalidRequestException'),
    );
    // The seeded aws: keys stay when the caller tags again.
    await h.call('TagResource', { Arn, Tags: [{ Key: 'team', Value: 'files' }] });
    assert.equal(((await h.describe(id)).Tags as unknown[]).length, 5);
  });
});
