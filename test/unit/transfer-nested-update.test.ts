// How UpdateServer applies a partial nested object: `merge` keeps what the request leaves out,
// `replace` resets it to the server default (or absent).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { harness } from './transfer-fixtures.ts';

const LAMBDA = {
  IdentityProviderType: 'AWS_LAMBDA',
  IdentityProviderDetails: { Function: 'arn:aws:lambda:us-east-1:123456789012:function:auth', SftpAuthenticationMethods: 'PASSWORD' },
};
const WF = { WorkflowId: 'w-1234567890abcdef0', ExecutionRole: 'arn:aws:iam::123456789012:role/wf' };

describe('Transfer back end: nested objects in UpdateServer', () => {
  test('merge keeps the ProtocolDetails members the request leaves out', async () => {
    const h = harness();
    const id = await h.createOnline({ ProtocolDetails: { PassiveIp: '10.0.0.1', SetStatOption: 'ENABLE_NO_OP' } });
    await h.call('UpdateServer', { ServerId: id, ProtocolDetails: { TlsSessionResumptionMode: 'DISABLED' } });
    assert.deepEqual((await h.describe(id)).ProtocolDetails, {
      PassiveIp: '10.0.0.1',
      TlsSessionResumptionMode: 'DISABLED',
      SetStatOption: 'ENABLE_NO_OP',
    });
  });

  test('replace resets the ProtocolDetails members the request leaves out to the defaults', async () => {
    const h = harness({ nestedUpdate: 'replace' });
    const id = await h.createOnline({ ProtocolDetails: { PassiveIp: '10.0.0.1', SetStatOption: 'ENABLE_NO_OP' } });
    await h.call('UpdateServer', { ServerId: id, ProtocolDetails: { TlsSessionResumptionMode: 'DISABLED' } });
    assert.deepEqual((await h.describe(id)).ProtocolDetails, {
      PassiveIp: 'AUTO',
      TlsSessionResumptionMode: 'DISABLED',
      SetStatOption: 'DEFAULT',
    });
  });

  test('a nested object the request does not name is untouched in either mode', async () => {
    for (const mode of ['merge', 'replace'] as const) {
      const h = harness({ nestedUpdate: mode });
      const id = await h.createOnline({ ProtocolDetails: { PassiveIp: '10.0.0.1' } });
      await h.call('UpdateServer', { ServerId: id, PreAuthenticationLoginBanner: 'x' });
      assert.equal(((await h.describe(id)).ProtocolDetails as Record<string, unknown>).PassiveIp, '10.0.0.1', mode);
    }
  });

  test('IdentityProviderDetails: merge keeps SftpAuthenticationMethods, replace resets it to the default', async () => {
    const merge = harness();
    const a = await merge.createOnline(LAMBDA);
    await merge.call('UpdateServer', {
      ServerId: a,
      IdentityProviderDetails: { Function: 'arn:aws:lambda:us-east-1:123456789012:function:other' },
    });
    assert.equal(((await merge.describe(a)).IdentityProviderDetails as Record<string, unknown>).SftpAuthenticationMethods, 'PASSWORD');
    const replace = harness({ nestedUpdate: 'replace' });
    const b = await replace.createOnline(LAMBDA);
    await replace.call('UpdateServer', {
      ServerId: b,
      IdentityProviderDetails: { Function: 'arn:aws:lambda:us-east-1:123456789012:function:other' },
    });
    assert.equal(
      ((await replace.describe(b)).IdentityProviderDetails as Record<string, unknown>).SftpAuthenticationMethods,
      'PUBLIC_KEY_OR_PASSWORD',
    );
  });

  test('EndpointDetails: merge keeps VpcId when only SubnetIds are sent, replace drops it (and the result is then refused)', async () => {
    const vpc = { EndpointType: 'VPC', EndpointDetails: { VpcId: 'vpc-1', SubnetIds: ['subnet-1'], SecurityGroupIds: ['sg-1'] } };
    const merge = harness();
    const a = await merge.createOffline(vpc);
    await merge.call('UpdateServer', { ServerId: a, EndpointDetails: { SubnetIds: ['subnet-2'] } });
    const details = (await merge.describe(a)).EndpointDetails as Record<string, unknown>;
    assert.equal(details.VpcId, 'vpc-1');
    assert.deepEqual(details.SubnetIds, ['subnet-2']);
    const replace = harness({ nestedUpdate: 'replace' });
    const b = await replace.createOffline(vpc);
    await assert.rejects(
      replace.call('UpdateServer', { ServerId: b, EndpointDetails: { SubnetIds: ['subnet-2'] } }),
      /EndpointDetails\.VpcId is required/,
    );
    await replace.call('UpdateServer', { ServerId: b, EndpointDetails: { VpcId: 'vpc-1', SubnetIds: ['subnet-2'] } });
    // The VPC endpoint AWS made and its security groups stay with the server in both modes.
    assert.deepEqual((replace.backend.getServer(b)?.EndpointDetails as Record<string, unknown>).SecurityGroupIds, ['sg-1']);
  });

  test('S3StorageOptions and WorkflowDetails follow the mode too', async () => {
    const merge = harness();
    const a = await merge.createOnline({ WorkflowDetails: { OnUpload: [WF], OnPartialUpload: [WF] } });
    await merge.call('UpdateServer', { ServerId: a, WorkflowDetails: { OnUpload: [] }, S3StorageOptions: {} });
    assert.deepEqual((await merge.describe(a)).WorkflowDetails, { OnPartialUpload: [WF] });
    const replace = harness({ nestedUpdate: 'replace' });
    const b = await replace.createOnline({
      WorkflowDetails: { OnUpload: [WF], OnPartialUpload: [WF] },
      S3StorageOptions: { DirectoryListingOptimization: 'ENABLED' },
    });
    await replace.call('UpdateServer', { ServerId: b, WorkflowDetails: { OnUpload: [WF] }, S3StorageOptions: {} });
    const server = await replace.describe(b);
    assert.deepEqual(server.WorkflowDetails, { OnUpload: [WF] });
    assert.deepEqual(server.S3StorageOptions, { DirectoryListingOptimization: 'DISABLED' });
  });

  test('setNestedUpdateMode switches the behaviour at run time', async () => {
    const h = harness();
    const id = await h.createOnline({ ProtocolDetails: { PassiveIp: '10.0.0.1' } });
    h.backend.setNestedUpdateMode('replace');
    await h.call('UpdateServer', { ServerId: id, ProtocolDetails: { SetStatOption: 'ENABLE_NO_OP' } });
    assert.equal(((await h.describe(id)).ProtocolDetails as Record<string, unknown>).PassiveIp, 'AUTO');
  });
});
