// Every result a reconcile can end in, with real SDK clients against the emulator: what the
// outcome says, and that results other than `updated` wrote nothing at all to the server.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { DeleteServerCommand } from '@aws-sdk/client-transfer';
import { PREFIX, assertOutcomeShape, engineForTests } from '../helpers/engine.ts';

const engine = await engineForTests();
afterEach(() => {
  engine.emu.faults.set({});
  engine.beforeSend = undefined;
});

const VPC_LAMBDA = {
  EndpointType: 'VPC' as const,
  EndpointDetails: { VpcId: 'vpc-0a1b2c3d', SubnetIds: ['subnet-1111'] },
  IdentityProviderType: 'AWS_LAMBDA' as const,
  IdentityProviderDetails: { Function: 'arn:aws:lambda:us-east-1:000000000000:function:auth' },
};

describe('reconcile results', () => {
  test('in-sync: nothing differs; the outcome names the parameter and its version', async () => {
    const id = await engine.createServer();
    await engine.putDocument(id, { Protocols: ['SFTP'] });
    await engine.putDocument(id, { Protocols: ['SFTP'], SecurityPolicyName: 'TransferSecurityPolicy-2018-11' });
    engine.mark();
    const o = await engine.reconcile(id, { trigger: 'event' });
    assertOutcomeShape(o);
    assert.equal(o.result, 'in-sync');
    assert.deepEqual(o.parameter, { name: `${PREFIX}${id}`, version: 2 });
    assert.equal(o.trigger, 'event');
    assert.equal(o.mode, 'enforce');
    assert.equal(o.error, undefined);
    assert.deepEqual(engine.writes(), []);
  });

  test('updated: the changes are listed with from and to, and what was done', async () => {
    const id = await engine.createServer();
    await engine.putDocument(id, { LoggingRole: 'arn:aws:iam::000000000000:role/logging', Tags: [{ Key: 'team', Value: 'files' }] });
    engine.mark();
    const o = await engine.reconcile(id, { trigger: 'schedule' });
    assertOutcomeShape(o);
    assert.equal(o.result, 'updated', JSON.stringify(o));
    assert.deepEqual(o.changes, [
      { path: 'LoggingRole', from: '', to: 'arn:aws:iam::000000000000:role/logging' },
      { path: 'Tags.team', from: undefined, to: 'files' },
    ]);
    assert.deepEqual(o.done, ['UpdateServer(LoggingRole)', 'TagResource(team)']);
    assert.deepEqual(o.calls, { GetParameter: 1, DescribeServer: 2, UpdateServer: 1, TagResource: 1 });
  });

  test('drift-detected: Mode detect in the document reports the drift and writes nothing', async () => {
    const id = await engine.createServer({ PreAuthenticationLoginBanner: 'old' });
    await engine.putDocument(id, {
      PreAuthenticationLoginBanner: 'new',
      Tags: [{ Key: 'team', Value: 'files' }],
      Reconciler: { Mode: 'detect' },
    });
    engine.mark();
    const o = await engine.reconcile(id);
    assertOutcomeShape(o);
    assert.equal(o.result, 'drift-detected');
    assert.equal(o.mode, 'detect');
    assert.deepEqual(
      o.changes.map((c) => c.path),
      ['PreAuthenticationLoginBanner', 'Tags.team'],
    );
    assert.deepEqual(engine.writes(), []);
    assert.deepEqual(o.calls, { GetParameter: 1, DescribeServer: 1 });
  });

  test('drift-detected: the detect override wins over an enforce document, blocked changes included', async () => {
    const id = await engine.createServer();
    await engine.putDocument(id, { PreAuthenticationLoginBanner: 'new', IpAddressType: 'DUALSTACK', Reconciler: { Mode: 'enforce' } });
    engine.mark();
    const o = await engine.reconcile(id, { modeOverride: 'detect' });
    assertOutcomeShape(o);
    assert.equal(o.result, 'drift-detected');
    assert.equal(o.mode, 'detect');
    assert.deepEqual(
      o.changes.map((c) => c.path),
      ['IpAddressType', 'PreAuthenticationLoginBanner'],
    );
    assert.deepEqual(
      o.issues?.map((i) => i.path),
      ['$.IpAddressType'],
    );
    assert.deepEqual(engine.writes(), []);
  });

  test('blocked: an offline-only change without AllowOfflineChanges writes nothing, not even the other fields or tags', async () => {
    const id = await engine.createServer();
    await engine.putDocument(id, {
      IpAddressType: 'DUALSTACK',
      PreAuthenticationLoginBanner: 'new',
      Tags: [{ Key: 'team', Value: 'files' }],
      State: 'ONLINE',
    });
    engine.mark();
    const o = await engine.reconcile(id);
    assertOutcomeShape(o);
    assert.equal(o.result, 'blocked');
    assert.equal(o.error?.code, 'Blocked');
    assert.equal(o.error?.retryable, false);
    assert.deepEqual(
      o.issues?.map((i) => i.path),
      ['$.IpAddressType'],
    );
    assert.match(o.issues?.[0]?.message ?? '', /AllowOfflineChanges/);
    assert.deepEqual(engine.writes(), []);
    const server = await engine.describe(id);
    assert.equal(server.State, 'ONLINE');
    assert.equal(server.IpAddressType, 'IPV4');
    assert.equal(server.PreAuthenticationLoginBanner, undefined);
    assert.deepEqual(server.Tags ?? [], []);
  });

  test('invalid (static): a bad document in SSM is reported with its path and the closest key, before DescribeServer', async () => {
    const id = await engine.createServer();
    await engine.putDocument(id, { Protocol: ['SFTP'], PreAuthenticationLoginBanner: 'x' });
    engine.mark();
    const o = await engine.reconcile(id);
    assertOutcomeShape(o);
    assert.equal(o.result, 'invalid');
    assert.equal(o.error?.retryable, false);
    assert.equal(o.issues?.[0]?.path, '$.Protocol');
    assert.match(o.issues?.[0]?.message ?? '', /Protocols/);
    assert.deepEqual(o.parameter, { name: `${PREFIX}${id}`, version: 1 });
    assert.deepEqual(o.calls, { GetParameter: 1 });
    assert.deepEqual(engine.writes(), []);
  });

  test('invalid (static): text that is not JSON', async () => {
    const id = await engine.createServer();
    await engine.putDocument(id, '{"Protocols": ["SFTP"],');
    engine.mark();
    const o = await engine.reconcile(id);
    assertOutcomeShape(o);
    assert.equal(o.result, 'invalid');
    assert.ok((o.issues ?? []).length > 0);
    assert.deepEqual(engine.writes(), []);
  });

  test('invalid (effective): FTPS on a server without a Certificate writes nothing', async () => {
    const id = await engine.createServer(VPC_LAMBDA);
    await engine.putDocument(id, { Protocols: ['SFTP', 'FTPS'], Tags: [{ Key: 'team', Value: 'files' }] });
    engine.mark();
    const o = await engine.reconcile(id);
    assertOutcomeShape(o);
    assert.equal(o.result, 'invalid', JSON.stringify(o));
    assert.equal(o.issues?.length, 1);
    assert.match(o.issues?.[0]?.message ?? '', /Certificate/);
    assert.deepEqual(o.calls, { GetParameter: 1, DescribeServer: 1 });
    assert.deepEqual(engine.writes(), []);
  });

  test('invalid: a StringList parameter is not a document, whether read alone or by path', async () => {
    const id = await engine.createServer();
    await engine.putText(`${PREFIX}${id}`, '{}', 'StringList');
    const alone = await engine.reconcile(id);
    assert.equal(alone.result, 'invalid', JSON.stringify(alone));
    const prefix = '/reconcile-results/string-list/';
    await engine.putText(`${prefix}${id}`, '{}', 'StringList');
    engine.mark();
    const { outcomes } = await engine.reconcileMany({ all: true }, { prefix });
    assert.deepEqual(
      outcomes.map((o) => [o.serverId, o.result]),
      [[id, 'invalid']],
    );
    assert.deepEqual(outcomes[0]?.parameter, { name: `${prefix}${id}`, version: 1 });
    assert.deepEqual(engine.writes(), []);
  });

  test('failed (did not converge): the verifying DescribeServer still shows a difference', async () => {
    const id = await engine.createServer();
    await engine.putDocument(id, { PreAuthenticationLoginBanner: 'ours' });
    let updated = false;
    engine.beforeSend = (r) => {
      if (r.operation === 'UpdateServer') updated = true;
      // Someone else changes the banner between our update and our check.
      else if (r.operation === 'DescribeServer' && updated)
        void engine.emu.transfer.handle('UpdateServer', { ServerId: id, PreAuthenticationLoginBanner: 'theirs' });
    };
    const o = await engine.reconcile(id);
    assertOutcomeShape(o);
    assert.equal(o.result, 'failed');
    assert.equal(o.error?.code, 'DidNotConverge');
    assert.equal(o.error?.retryable, true);
    assert.match(o.error?.message ?? '', /PreAuthenticationLoginBanner/);
    assert.deepEqual(o.done, ['UpdateServer(PreAuthenticationLoginBanner)']);
    assert.equal(o.serverState, 'ONLINE');
  });

  test('failed after writing: the verifying DescribeServer fails, and the outcome still lists what was done', async () => {
    const id = await engine.createServer();
    await engine.putDocument(id, { PreAuthenticationLoginBanner: 'written, not verified' });
    engine.beforeSend = (r) => {
      if (r.operation === 'UpdateServer') engine.emu.faults.set({ operations: { DescribeServer: { error503Rate: 1 } } });
    };
    const o = await engine.reconcile(id);
    assertOutcomeShape(o);
    assert.equal(o.result, 'failed');
    assert.equal(o.error?.retryable, true);
    assert.deepEqual(o.done, ['UpdateServer(PreAuthenticationLoginBanner)']);
    assert.deepEqual(
      o.changes.map((c) => c.path),
      ['PreAuthenticationLoginBanner'],
    );
  });

  test('not-found: the document exists but its server was deleted', async () => {
    const id = await engine.createServer();
    await engine.putDocument(id, { PreAuthenticationLoginBanner: 'x' });
    await engine.transfer.send(new DeleteServerCommand({ ServerId: id }));
    engine.mark();
    const o = await engine.reconcile(id);
    assertOutcomeShape(o);
    assert.equal(o.result, 'not-found');
    assert.equal(o.error?.code, 'ServerNotFound');
    assert.equal(o.error?.retryable, false);
    assert.deepEqual(engine.writes(), []);
  });

  test('unmanaged: a server without a document is left alone', async () => {
    const id = await engine.createServer();
    engine.mark();
    const o = await engine.reconcile(id);
    assertOutcomeShape(o);
    assert.equal(o.result, 'unmanaged');
    assert.deepEqual(o.parameter, { name: `${PREFIX}${id}`, version: undefined });
    assert.deepEqual(o.calls, { GetParameter: 1 });
    assert.deepEqual(engine.writes(), []);
  });

  test('failed: DescribeServer keeps failing (503) → failed, retryable, nothing written', async () => {
    const id = await engine.createServer();
    await engine.putDocument(id, { PreAuthenticationLoginBanner: 'x' });
    engine.emu.faults.set({ operations: { DescribeServer: { error503Rate: 1 } } });
    engine.mark();
    // The reconcile itself tries again (a fresh observe) until its deadline allows no more.
    const o = await engine.reconcile(id, { deadline: Date.now() + 1_500 });
    assertOutcomeShape(o);
    assert.equal(o.result, 'failed');
    assert.equal(o.error?.retryable, true);
    assert.equal(o.error?.code, 'ServiceUnavailableException');
    assert.ok((o.calls['DescribeServer'] ?? 0) > 1, `retried by the reconcile: ${JSON.stringify(o.calls)}`);
    assert.deepEqual(engine.writes(), []);
  });

  test('failed: AWS refuses the update (InvalidRequest) → failed, not retryable, with what was done', async () => {
    const id = await engine.createServer();
    // The model's pattern accepts the name; only the service knows there is no such policy.
    await engine.putDocument(id, { SecurityPolicyName: 'TransferSecurityPolicy-1999-01' });
    engine.mark();
    const o = await engine.reconcile(id);
    assertOutcomeShape(o);
    assert.equal(o.result, 'failed', JSON.stringify(o));
    assert.equal(o.error?.code, 'InvalidRequestException');
    assert.equal(o.error?.retryable, false);
    assert.deepEqual(o.done, []);
    assert.equal(o.serverState, 'ONLINE');
    assert.equal(engine.writes().filter((c) => c.status < 300).length, 0);
  });
});
