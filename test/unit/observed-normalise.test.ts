import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { normaliseServer } from '../../functions/reconciler/observed/normalise.ts';

const minimal = { ServerId: 's-1', Arn: 'arn:aws:transfer:eu-west-1:111122223333:server/s-1', State: 'ONLINE' };

describe('normaliseServer', () => {
  test('fills the server-side defaults of a server created with nothing set', () => {
    const observed = normaliseServer(minimal);
    assert.deepEqual(observed, {
      ServerId: 's-1',
      Arn: minimal.Arn,
      State: 'ONLINE',
      Domain: 'S3',
      Protocols: ['SFTP'],
      ProtocolDetails: { PassiveIp: 'AUTO', TlsSessionResumptionMode: 'ENFORCED', SetStatOption: 'DEFAULT' },
      Certificate: '',
      EndpointType: 'PUBLIC',
      EndpointDetails: {},
      IdentityProviderType: 'SERVICE_MANAGED',
      IdentityProviderDetails: {},
      LoggingRole: '',
      PostAuthenticationLoginBanner: '',
      PreAuthenticationLoginBanner: '',
      SecurityPolicyName: 'TransferSecurityPolicy-2018-11',
      WorkflowDetails: { OnUpload: [], OnPartialUpload: [] },
      StructuredLogDestinations: [],
      S3StorageOptions: { DirectoryListingOptimization: 'DISABLED' },
      IpAddressType: 'IPV4',
      Tags: [],
    });
  });

  test('keeps what the server reports over the defaults', () => {
    const observed = normaliseServer({
      ...minimal,
      Protocols: ['SFTP', 'FTPS'],
      ProtocolDetails: {
        PassiveIp: '10.0.0.1',
        TlsSessionResumptionMode: 'DISABLED',
        SetStatOption: 'ENABLE_NO_OP',
        As2Transports: ['HTTP'],
      },
      LoggingRole: 'arn:aws:iam::111122223333:role/log',
      PreAuthenticationLoginBanner: 'Hello\n',
      S3StorageOptions: { DirectoryListingOptimization: 'ENABLED' },
      IpAddressType: 'DUALSTACK',
      Domain: 'EFS',
    });
    assert.deepEqual(observed.ProtocolDetails, {
      PassiveIp: '10.0.0.1',
      TlsSessionResumptionMode: 'DISABLED',
      SetStatOption: 'ENABLE_NO_OP',
      As2Transports: ['HTTP'],
    });
    assert.equal(observed.LoggingRole, 'arn:aws:iam::111122223333:role/log');
    assert.equal(observed.PreAuthenticationLoginBanner, 'Hello\n');
    assert.equal(observed.S3StorageOptions.DirectoryListingOptimization, 'ENABLED');
    assert.equal(observed.IpAddressType, 'DUALSTACK');
    assert.equal(observed.Domain, 'EFS');
  });

  test('leaves As2Transports absent when the server does not report it', () => {
    assert.equal('As2Transports' in normaliseServer(minimal).ProtocolDetails, false);
  });

  test('fills SftpAuthenticationMethods only on custom identity providers', () => {
    for (const type of ['API_GATEWAY', 'AWS_LAMBDA']) {
      const observed = normaliseServer({
        ...minimal,
        IdentityProviderType: type,
        IdentityProviderDetails: { Function: 'arn:aws:lambda:f' },
      });
      assert.equal(observed.IdentityProviderDetails.SftpAuthenticationMethods, 'PUBLIC_KEY_OR_PASSWORD', type);
    }
    const lambda = normaliseServer({
      ...minimal,
      IdentityProviderType: 'AWS_LAMBDA',
      IdentityProviderDetails: { SftpAuthenticationMethods: 'PASSWORD' },
    });
    assert.equal(lambda.IdentityProviderDetails.SftpAuthenticationMethods, 'PASSWORD');
    for (const type of ['SERVICE_MANAGED', 'AWS_DIRECTORY_SERVICE']) {
      const observed = normaliseServer({ ...minimal, IdentityProviderType: type });
      assert.equal(observed.IdentityProviderDetails.SftpAuthenticationMethods, undefined, type);
    }
  });

  test('sorts set-like lists and tags, whatever order AWS used', () => {
    fc.assert(
      fc.property(
        fc.shuffledSubarray(['SFTP', 'FTP', 'FTPS', 'AS2'], { minLength: 1 }),
        fc.shuffledSubarray(['subnet-a', 'subnet-b', 'subnet-c']),
        fc.shuffledSubarray(['k1', 'k2', 'k3']),
        (protocols, subnets, keys) => {
          const observed = normaliseServer({
            ...minimal,
            Protocols: protocols,
            EndpointType: 'VPC',
            EndpointDetails: {
              SubnetIds: subnets,
              AddressAllocationIds: [...subnets].reverse().map((s) => s.replace('subnet', 'eipalloc')),
            },
            Tags: keys.map((k) => ({ Key: k, Value: `v-${k}` })),
          });
          assert.deepEqual(observed.Protocols, [...protocols].sort());
          assert.deepEqual(observed.EndpointDetails.SubnetIds, [...subnets].sort());
          assert.deepEqual(observed.EndpointDetails.AddressAllocationIds, subnets.map((s) => s.replace('subnet', 'eipalloc')).sort());
          assert.deepEqual(
            observed.Tags.map((t) => t.Key),
            [...keys].sort(),
          );
        },
      ),
      { numRuns: 100 },
    );
  });

  test('puts the host-key fingerprint in canonical form, with or without prefix and padding', () => {
    for (const reported of [
      'SHA256:abcDEF+/12AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
      'abcDEF+/12AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
      'SHA256:abcDEF+/12AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      'abcDEF+/12AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    ]) {
      assert.equal(
        normaliseServer({ ...minimal, HostKeyFingerprint: reported }).HostKeyFingerprint,
        'SHA256:abcDEF+/12AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
        reported,
      );
    }
    assert.equal('HostKeyFingerprint' in normaliseServer(minimal), false);
  });

  test('never reports SecurityGroupIds, even if a response carried them', () => {
    const observed = normaliseServer({
      ...minimal,
      EndpointType: 'VPC',
      EndpointDetails: { SubnetIds: ['subnet-a'], VpcId: 'vpc-1', SecurityGroupIds: ['sg-1'] },
    });
    assert.equal('SecurityGroupIds' in observed.EndpointDetails, false);
    assert.deepEqual(observed.EndpointDetails, { SubnetIds: ['subnet-a'], VpcId: 'vpc-1' });
  });

  test('keeps the workflows and fills the missing trigger with []', () => {
    const onUpload = [{ WorkflowId: 'w-1', ExecutionRole: 'arn:aws:iam::111122223333:role/wf' }];
    assert.deepEqual(normaliseServer({ ...minimal, WorkflowDetails: { OnUpload: onUpload } }).WorkflowDetails, {
      OnUpload: onUpload,
      OnPartialUpload: [],
    });
  });

  test('is idempotent', () => {
    const once = normaliseServer({
      ...minimal,
      Protocols: ['SFTP', 'AS2'],
      EndpointType: 'VPC',
      EndpointDetails: { SubnetIds: ['subnet-b', 'subnet-a'], VpcId: 'vpc-1' },
      IdentityProviderType: 'API_GATEWAY',
      IdentityProviderDetails: { Url: 'https://x', InvocationRole: 'arn:aws:iam::111122223333:role/r' },
      HostKeyFingerprint: 'SHA256:xyzAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
      Tags: [
        { Key: 'b', Value: '2' },
        { Key: 'a', Value: '1' },
      ],
    });
    assert.deepEqual(normaliseServer(once as unknown as Record<string, unknown>), once);
  });
});
