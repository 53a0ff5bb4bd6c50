// What a reconcile costs in AWS calls (the acceptance checks), counted twice: by the
// outcome's `calls` (the engine's own middleware) and by the emulator's call log (what arrived).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { generateHostKey } from '../../functions/shared/ssh-key.ts';
import { PREFIX, engineForTests } from '../helpers/engine.ts';
import type { Engine } from '../helpers/engine.ts';

const engine = await engineForTests();

function operations(e: Engine): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const c of e.calls()) counts[c.operation] = (counts[c.operation] ?? 0) + 1;
  return counts;
}

async function inSyncServer(e: Engine, document: Record<string, unknown>): Promise<string> {
  const id = await e.createServer({ PreAuthenticationLoginBanner: 'Authorised use only' });
  await e.putDocument(id, document);
  const first = await e.reconcile(id);
  assert.ok(first.result === 'in-sync' || first.result === 'updated', JSON.stringify(first));
  return id;
}

describe('reconcile costs', () => {
  test('an in-sync server costs one GetParameter and one DescribeServer, and writes nothing', async () => {
    const id = await inSyncServer(engine, { PreAuthenticationLoginBanner: 'Authorised use only', Protocols: ['SFTP'], State: 'ONLINE' });
    engine.mark();
    const o = await engine.reconcile(id);
    assert.equal(o.result, 'in-sync');
    assert.deepEqual(o.calls, { GetParameter: 1, DescribeServer: 1 });
    assert.deepEqual(operations(engine), { GetParameter: 1, DescribeServer: 1 });
    assert.deepEqual(o.changes, []);
    assert.equal(o.done, undefined);
  });

  test('a HostKey reference adds exactly one GetParameter (for the key)', async () => {
    const key = generateHostKey('ed25519');
    const id = await engine.createServer({ HostKey: key });
    const keyParameter = `/transfer-reconciler/host-keys/${id}`;
    await engine.putText(keyParameter, key, 'SecureString');
    await engine.putDocument(id, { HostKey: { SecureStringParameter: keyParameter } });
    engine.mark();
    const o = await engine.reconcile(id);
    assert.equal(o.result, 'in-sync', JSON.stringify(o));
    assert.deepEqual(o.calls, { GetParameter: 2, DescribeServer: 1 });
    const reads = engine
      .calls()
      .filter((c) => c.operation === 'GetParameter')
      .map((c) => c.target)
      .sort();
    assert.deepEqual(reads, [keyParameter, `${PREFIX}${id}`].sort());
    assert.deepEqual(engine.writes(), []);
  });

  test('a one-field drift costs one UpdateServer carrying only that field, and one verifying DescribeServer', async () => {
    const id = await inSyncServer(engine, { PreAuthenticationLoginBanner: 'Authorised use only', LoggingRole: '' });
    await engine.update({ ServerId: id, PreAuthenticationLoginBanner: 'changed behind its back' });
    engine.mark();
    const o = await engine.reconcile(id);
    assert.equal(o.result, 'updated', JSON.stringify(o));
    assert.deepEqual(o.changes, [{ path: 'PreAuthenticationLoginBanner', from: 'changed behind its back', to: 'Authorised use only' }]);
    assert.deepEqual(engine.updates(), [{ PreAuthenticationLoginBanner: 'Authorised use only' }]);
    assert.deepEqual(o.calls, { GetParameter: 1, DescribeServer: 2, UpdateServer: 1 });
    assert.deepEqual(operations(engine), { GetParameter: 1, DescribeServer: 2, UpdateServer: 1 });
    assert.deepEqual(o.done, ['UpdateServer(PreAuthenticationLoginBanner)']);
    assert.equal((await engine.describe(id)).PreAuthenticationLoginBanner, 'Authorised use only');
  });

  test('reconciling --all over 25 servers reads the documents in 3 GetParametersByPath pages and no GetParameter', async () => {
    engine.emu.reset();
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) {
      const id = await engine.createServer();
      await engine.putDocument(id, { SecurityPolicyName: 'TransferSecurityPolicy-2018-11' });
      ids.push(id);
    }
    engine.mark();
    const many = await engine.reconcileMany({ all: true });
    assert.equal(many.outcomes.length, 25);
    assert.deepEqual(many.problems, []);
    assert.deepEqual(new Set(many.outcomes.map((o) => o.serverId)), new Set(ids));
    for (const o of many.outcomes) {
      assert.equal(o.result, 'in-sync', JSON.stringify(o));
      assert.equal(o.trigger, 'schedule');
      assert.deepEqual(o.calls, { DescribeServer: 1 });
      assert.ok(o.parameter.version !== undefined);
    }
    assert.deepEqual(operations(engine), { GetParametersByPath: 3, DescribeServer: 25 });
  });
});

for (const nestedUpdate of ['merge', 'replace'] as const) {
  describe(`reconcile costs with nested objects (${nestedUpdate})`, () => {
    test('a one-member drift of a nested object sends the whole object, once; the next reconcile writes nothing', async () => {
      engine.emu.transfer.setNestedUpdateMode(nestedUpdate);
      const id = await engine.createServer({
        ProtocolDetails: { PassiveIp: 'AUTO', TlsSessionResumptionMode: 'ENFORCED', SetStatOption: 'ENABLE_NO_OP' },
      });
      await engine.putDocument(id, { ProtocolDetails: { TlsSessionResumptionMode: 'ENFORCED' } });
      await engine.update({
        ServerId: id,
        ProtocolDetails: { PassiveIp: 'AUTO', TlsSessionResumptionMode: 'DISABLED', SetStatOption: 'ENABLE_NO_OP' },
      });
      engine.mark();
      const o = await engine.reconcile(id);
      assert.equal(o.result, 'updated', JSON.stringify(o));
      assert.deepEqual(o.changes, [{ path: 'ProtocolDetails.TlsSessionResumptionMode', from: 'DISABLED', to: 'ENFORCED' }]);
      assert.deepEqual(engine.updates(), [
        { ProtocolDetails: { PassiveIp: 'AUTO', TlsSessionResumptionMode: 'ENFORCED', SetStatOption: 'ENABLE_NO_OP' } },
      ]);
      assert.deepEqual(o.calls, { GetParameter: 1, DescribeServer: 2, UpdateServer: 1 });
      // The member the document does not manage survived, whichever way AWS applies partial objects.
      assert.equal((await engine.describe(id)).ProtocolDetails?.SetStatOption, 'ENABLE_NO_OP');

      engine.mark();
      const again = await engine.reconcile(id);
      assert.equal(again.result, 'in-sync');
      assert.deepEqual(engine.writes(), []);
    });

    test('after any successful reconcile, a second one writes nothing', async () => {
      engine.emu.transfer.setNestedUpdateMode(nestedUpdate);
      const id = await engine.createServer({
        IdentityProviderType: 'AWS_LAMBDA',
        IdentityProviderDetails: { Function: 'arn:aws:lambda:us-east-1:000000000000:function:auth-a' },
        Tags: [{ Key: 'keep', Value: 'me' }],
      });
      await engine.putDocument(id, {
        IdentityProviderDetails: { SftpAuthenticationMethods: 'PUBLIC_KEY' },
        ProtocolDetails: { SetStatOption: 'ENABLE_NO_OP' },
        S3StorageOptions: { DirectoryListingOptimization: 'ENABLED' },
        WorkflowDetails: { OnUpload: [{ WorkflowId: 'w-0123456789abcdef0', ExecutionRole: 'arn:aws:iam::000000000000:role/wf' }] },
        StructuredLogDestinations: ['arn:aws:logs:us-east-1:000000000000:log-group:transfer:*'],
        LoggingRole: 'arn:aws:iam::000000000000:role/logging',
        Tags: [{ Key: 'team', Value: 'files' }],
        State: 'ONLINE',
      });
      const first = await engine.reconcile(id);
      assert.equal(first.result, 'updated', JSON.stringify(first));
      const server = await engine.describe(id);
      // The member the document does not manage (Function) was sent back whole and kept.
      assert.equal(server.IdentityProviderDetails?.Function, 'arn:aws:lambda:us-east-1:000000000000:function:auth-a');
      assert.deepEqual(new Set(server.Tags?.map((t) => t.Key)), new Set(['keep', 'team']));
      engine.mark();
      const second = await engine.reconcile(id);
      assert.equal(second.result, 'in-sync', JSON.stringify(second));
      assert.deepEqual(engine.writes(), []);
      assert.deepEqual(second.calls, { GetParameter: 1, DescribeServer: 1 });
    });
  });
}
