// Loading desired state from Parameter Store with a real SSMClient against the local emulator.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { startEmulator } from '../../infra/local/emulator.ts';
import type { Emulator } from '../../infra/local/emulator.ts';
import { DocumentNotFoundError } from '../../functions/reconciler/errors.ts';
import { loadDesiredFromSsm } from '../../functions/reconciler/desired/load-desired.ts';
import { listDocuments, readDocument } from '../../functions/reconciler/desired/load-ssm.ts';
import { readHostKey, resolveHostKey } from '../../functions/reconciler/desired/resolve-host-key.ts';
import { InvalidDesiredStateError } from '../../functions/reconciler/errors.ts';
import { generateHostKey } from '../../functions/shared/ssh-key.ts';

const PREFIX = '/transfer-reconciler/servers/';
const ID = 's-0123456789abcdef0';
const KEY_PARAM = `/transfer-reconciler/host-keys/${ID}`;

const serverId = (i: number): string => `s-${i.toString(16).padStart(17, '0')}`;

describe('desired state from SSM (emulator)', () => {
  let emu: Emulator;
  let ssm: SSMClient;

  const put = (Name: string, Value: string, Type: 'String' | 'SecureString' | 'StringList' = 'String'): Promise<unknown> =>
    ssm.send(new PutParameterCommand({ Name, Value, Type, Overwrite: true }));
  const operations = (): string[] =>
    emu.calls
      .list()
      .filter((c) => c.service === 'ssm')
      .map((c) => c.operation);

  before(async () => {
    emu = await startEmulator();
    ssm = new SSMClient({ endpoint: emu.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  });
  after(async () => {
    ssm.destroy();
    await emu.stop();
  });
  beforeEach(() => emu.reset());

  test('readDocument: one GetParameter, with text, version and type', async () => {
    await put(`${PREFIX}${ID}`, '{"State":"ONLINE"}');
    await put(`${PREFIX}${ID}`, '{"State":"OFFLINE"}');
    emu.calls.clear();
    const read = await readDocument(ssm, PREFIX, ID);
    assert.deepEqual(read, { status: 'found', name: `${PREFIX}${ID}`, text: '{"State":"OFFLINE"}', version: 2, type: 'String' });
    assert.deepEqual(operations(), ['GetParameter']);
  });

  test('readDocument: a missing parameter is a not-found result', async () => {
    assert.deepEqual(await readDocument(ssm, PREFIX, ID), { status: 'not-found', name: `${PREFIX}${ID}` });
  });

  test('readDocument: a SecureString document is decrypted; a big one is Advanced', async () => {
    const big = JSON.stringify({ PreAuthenticationLoginBanner: 'a'.repeat(5000) });
    await ssm.send(new PutParameterCommand({ Name: `${PREFIX}${ID}`, Value: big, Type: 'SecureString', Tier: 'Advanced' }));
    const read = await readDocument(ssm, PREFIX, ID);
    assert.equal(read.status, 'found');
    if (read.status === 'found') {
      assert.equal(read.text, big);
      assert.equal(read.type, 'SecureString');
      assert.equal(read.tier, 'Advanced');
    }
  });

  test('listDocuments: every page of 10, names that are not ServerIds reported', async () => {
    for (let i = 1; i <= 25; i += 1) await put(`${PREFIX}${serverId(i)}`, `{"Tags":[{"Key":"n","Value":"${i}"}]}`);
    await put(`${PREFIX}not-a-server`, '{}');
    await put(`${PREFIX}${serverId(99)}/nested`, '{}');
    await put('/elsewhere/s-00000000000000001', '{}');
    emu.calls.clear();
    const listed = await listDocuments(ssm, PREFIX);
    assert.equal(listed.documents.length, 25);
    assert.deepEqual(new Set(listed.documents.map((d) => d.serverId)), new Set(Array.from({ length: 25 }, (_, i) => serverId(i + 1))));
    const first = listed.documents.find((d) => d.serverId === serverId(1));
    assert.deepEqual(first, {
      serverId: serverId(1),
      name: `${PREFIX}${serverId(1)}`,
      version: 1,
      type: 'String',
      text: '{"Tags":[{"Key":"n","Value":"1"}]}',
    });
    assert.deepEqual(
      listed.problems.map((p) => p.name),
      [`${PREFIX}not-a-server`],
    );
    assert.match(listed.problems[0]?.message ?? '', /must be \/transfer-reconciler\/servers\/<ServerId>/);
    // 26 parameters directly under the prefix: three pages.
    assert.deepEqual(operations(), ['GetParametersByPath', 'GetParametersByPath', 'GetParametersByPath']);
  });

  test('resolveHostKey: a SecureString holding an accepted key, one GetParameter', async () => {
    const key = generateHostKey('ed25519');
    await put(KEY_PARAM, key, 'SecureString');
    emu.calls.clear();
    const resolved = await resolveHostKey(ssm, KEY_PARAM);
    assert.equal(resolved.parameter, KEY_PARAM);
    assert.equal(resolved.secret.reveal(), key);
    assert.match(resolved.secret.fingerprint, /^SHA256:/);
    assert.ok(!JSON.stringify(resolved).includes('PRIVATE KEY'));
    assert.deepEqual(operations(), ['GetParameter']);
  });

  test('resolveHostKey: a Secrets Manager reference', async () => {
    const key = generateHostKey('ecdsa', { bits: 384 });
    emu.ssm.putSecret('prod/host-key', key);
    const resolved = await resolveHostKey(ssm, '/aws/reference/secretsmanager/prod/host-key');
    assert.equal(resolved.secret.algorithm, 'ecdsa-sha2-nistp384');
  });

  test('resolveHostKey: a String parameter must be a SecureString, and the key is not quoted', async () => {
    const key = generateHostKey('ed25519');
    await put(KEY_PARAM, key, 'String');
    const result = await readHostKey(ssm, KEY_PARAM);
    assert.equal(result.ok, false);
    if (!result.ok) {
      assert.equal(result.issues[0]?.path, '$.HostKey.SecureStringParameter');
      assert.match(result.issues[0]?.message ?? '', /must be a SecureString/);
      assert.ok(!result.issues[0]?.message.includes(key.split('\n')[1] ?? 'x'));
    }
    await assert.rejects(
      resolveHostKey(ssm, KEY_PARAM, 'doc'),
      (err: unknown) => err instanceof InvalidDesiredStateError && err.source === 'doc',
    );
  });

  test('resolveHostKey: a missing parameter says how to create it', async () => {
    const result = await readHostKey(ssm, KEY_PARAM);
    assert.ok(!result.ok);
    assert.match(
      result.issues[0]?.message ?? '',
      new RegExp(`the parameter ${KEY_PARAM} does not exist; store the private key there with \`aws ssm put-parameter --type SecureString`),
    );
  });

  test('resolveHostKey: an unreadable key or a too small RSA key gives the reason, not the key', async () => {
    await put(KEY_PARAM, 'not a key at all, secret-ish', 'SecureString');
    const garbage = await readHostKey(ssm, KEY_PARAM);
    assert.ok(!garbage.ok);
    assert.match(garbage.issues[0]?.message ?? '', /cannot be used: The host key is not a readable private key/);
    assert.ok(!garbage.issues[0]?.message.includes('secret-ish'));

    await put(KEY_PARAM, generateHostKey('rsa', { bits: 1024 }), 'SecureString');
    const small = await readHostKey(ssm, KEY_PARAM);
    assert.ok(!small.ok);
    assert.match(small.issues[0]?.message ?? '', /has 1024 bits; AWS Transfer Family needs at least 2048/);
  });

  test('loadDesiredFromSsm: document + host key in two GetParameter calls, policy defaults filled', async () => {
    await put(KEY_PARAM, generateHostKey('ed25519'), 'SecureString');
    await put(
      `${PREFIX}${ID}`,
      JSON.stringify({ Protocols: ['SFTP'], HostKey: { SecureStringParameter: KEY_PARAM }, Reconciler: { PruneTags: true } }),
    );
    emu.calls.clear();
    const desired = await loadDesiredFromSsm(ssm, PREFIX, ID);
    assert.equal(desired.serverId, ID);
    assert.deepEqual(desired.source, { kind: 'parameter', name: `${PREFIX}${ID}`, version: 1 });
    assert.deepEqual(desired.policy, { Mode: 'enforce', AllowOfflineChanges: false, AllowHostKeyRotation: false, PruneTags: true });
    assert.equal(desired.hostKey?.parameter, KEY_PARAM);
    assert.deepEqual(desired.warnings, []);
    assert.deepEqual(operations(), ['GetParameter', 'GetParameter']);
  });

  test('loadDesiredFromSsm: missing document, invalid document, StringList document', async () => {
    await assert.rejects(
      loadDesiredFromSsm(ssm, PREFIX, ID),
      (err: unknown) => err instanceof DocumentNotFoundError && err.code === 'DocumentNotFound' && err.parameter === `${PREFIX}${ID}`,
    );

    await put(`${PREFIX}${ID}`, '{"Protocol": ["SFTP"], "State": null}');
    await assert.rejects(loadDesiredFromSsm(ssm, PREFIX, ID), (err: unknown) => {
      assert.ok(err instanceof InvalidDesiredStateError);
      assert.deepEqual(
        err.issues.map((i) => i.path),
        ['$.Protocol', '$.State'],
      );
      assert.equal(err.source, `${PREFIX}${ID} (version 1)`);
      return true;
    });

    await put(`${PREFIX}${ID}`, '{"State": "ONLINE"');
    await assert.rejects(
      loadDesiredFromSsm(ssm, PREFIX, ID),
      (err: unknown) => err instanceof InvalidDesiredStateError && /malformed JSON at line 1 column 19/.test(err.issues[0]?.message ?? ''),
    );

    await ssm.send(new PutParameterCommand({ Name: `${PREFIX}${serverId(5)}`, Value: 'a,b', Type: 'StringList' }));
    await assert.rejects(
      loadDesiredFromSsm(ssm, PREFIX, serverId(5)),
      (err: unknown) => err instanceof InvalidDesiredStateError && /StringList/.test(err.issues[0]?.message ?? ''),
    );
  });

  test('loadDesiredFromSsm: a host key problem is an invalid document', async () => {
    await put(`${PREFIX}${ID}`, JSON.stringify({ HostKey: { SecureStringParameter: KEY_PARAM } }));
    await assert.rejects(
      loadDesiredFromSsm(ssm, PREFIX, ID),
      (err: unknown) => err instanceof InvalidDesiredStateError && err.issues[0]?.path === '$.HostKey.SecureStringParameter',
    );
  });
});
