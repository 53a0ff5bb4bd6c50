import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { plan, planIsEmpty } from '../../functions/reconciler/plan/plan.ts';
import type { DesiredDocument } from '../../functions/reconciler/types.ts';
import { VPC_SERVER, VPC_SERVER_WITH_EIPS, desiredOf, observedOf } from './plan-fixtures.ts';

function changesOf(document: DesiredDocument, observedFields: Record<string, unknown> = {}, policy = {}) {
  return plan(desiredOf(document, { policy }), observedOf(observedFields)).changes;
}

describe('diff: managed fields', () => {
  test('an empty document manages nothing', () => {
    const p = plan(desiredOf({}), observedOf({ LoggingRole: 'arn:aws:iam::111122223333:role/x', Tags: [{ Key: 'a', Value: '1' }] }));
    assert.ok(planIsEmpty(p));
    assert.deepEqual(p.steps, []);
  });

  test('scalar fields: one change each, from the server to the document', () => {
    const changes = changesOf({ SecurityPolicyName: 'TransferSecurityPolicy-2024-01', LoggingRole: 'arn:aws:iam::111122223333:role/log' });
    assert.deepEqual(changes, [
      { path: 'SecurityPolicyName', from: 'TransferSecurityPolicy-2018-11', to: 'TransferSecurityPolicy-2024-01' },
      { path: 'LoggingRole', from: '', to: 'arn:aws:iam::111122223333:role/log' },
    ]);
  });

  test('a desired value equal to an AWS default matches a server that reports the field absent', () => {
    const document: DesiredDocument = {
      Protocols: ['SFTP'],
      ProtocolDetails: { PassiveIp: 'AUTO', TlsSessionResumptionMode: 'ENFORCED', SetStatOption: 'DEFAULT', As2Transports: ['HTTP'] },
      EndpointType: 'PUBLIC',
      IdentityProviderType: 'SERVICE_MANAGED',
      SecurityPolicyName: 'TransferSecurityPolicy-2018-11',
      S3StorageOptions: { DirectoryListingOptimization: 'DISABLED' },
      IpAddressType: 'IPV4',
      StructuredLogDestinations: [],
      WorkflowDetails: { OnUpload: [], OnPartialUpload: [] },
      LoggingRole: '',
      Certificate: '',
      PreAuthenticationLoginBanner: '',
      PostAuthenticationLoginBanner: '',
    };
    assert.ok(planIsEmpty(plan(desiredOf(document), observedOf())));
  });

  test('SftpAuthenticationMethods PUBLIC_KEY_OR_PASSWORD matches a custom provider that reports none', () => {
    const observed = {
      IdentityProviderType: 'AWS_LAMBDA',
      IdentityProviderDetails: { Function: 'arn:aws:lambda:eu-west-1:111122223333:function:auth' },
    };
    assert.deepEqual(changesOf({ IdentityProviderDetails: { SftpAuthenticationMethods: 'PUBLIC_KEY_OR_PASSWORD' } }, observed), []);
  });

  test('sets compare without order', () => {
    assert.deepEqual(changesOf({ Protocols: ['SFTP', 'FTPS'] }, { Protocols: ['FTPS', 'SFTP'], Certificate: 'arn:c' }), []);
    assert.deepEqual(changesOf({ EndpointDetails: { SubnetIds: ['subnet-a', 'subnet-b'] } }, VPC_SERVER), []);
    const changes = changesOf(
      { Protocols: ['SFTP', 'FTP'] },
      { ...VPC_SERVER, IdentityProviderType: 'AWS_LAMBDA', IdentityProviderDetails: { Function: 'f' } },
    );
    assert.deepEqual(changes, [{ path: 'Protocols', from: ['SFTP'], to: ['FTP', 'SFTP'] }]);
  });

  test('banners compare byte for byte', () => {
    const changes = changesOf(
      { PreAuthenticationLoginBanner: 'Authorised use only' },
      { PreAuthenticationLoginBanner: 'Authorised use only\n' },
    );
    assert.deepEqual(changes, [{ path: 'PreAuthenticationLoginBanner', from: 'Authorised use only\n', to: 'Authorised use only' }]);
  });

  test('clearing uses the documented empty values', () => {
    const observed = {
      LoggingRole: 'arn:aws:iam::111122223333:role/log',
      Certificate: 'arn:aws:acm:eu-west-1:111122223333:certificate/c',
      PostAuthenticationLoginBanner: 'after',
      StructuredLogDestinations: ['arn:aws:logs:eu-west-1:111122223333:log-group:g:*'],
      WorkflowDetails: {
        OnUpload: [{ WorkflowId: 'w-1', ExecutionRole: 'r' }],
        OnPartialUpload: [{ WorkflowId: 'w-2', ExecutionRole: 'r' }],
      },
    };
    const changes = changesOf(
      {
        LoggingRole: '',
        Certificate: '',
        PostAuthenticationLoginBanner: '',
        StructuredLogDestinations: [],
        WorkflowDetails: { OnUpload: [], OnPartialUpload: [] },
      },
      observed,
    );
    assert.deepEqual(
      changes.map((c) => [c.path, c.to]),
      [
        ['Certificate', ''],
        ['LoggingRole', ''],
        ['StructuredLogDestinations', []],
        ['PostAuthenticationLoginBanner', ''],
        ['WorkflowDetails.OnUpload', []],
        ['WorkflowDetails.OnPartialUpload', []],
      ],
    );
  });

  test('{"OnUpload": []} manages only OnUpload', () => {
    const observed = {
      WorkflowDetails: {
        OnUpload: [{ WorkflowId: 'w-1', ExecutionRole: 'r' }],
        OnPartialUpload: [{ WorkflowId: 'w-2', ExecutionRole: 'r' }],
      },
    };
    const p = plan(desiredOf({ WorkflowDetails: { OnUpload: [] } }), observedOf(observed));
    assert.deepEqual(p.changes, [{ path: 'WorkflowDetails.OnUpload', from: [{ WorkflowId: 'w-1', ExecutionRole: 'r' }], to: [] }]);
    // The whole object goes out: the partial-upload workflow the document does not manage is kept.
    assert.deepEqual(p.steps, [
      {
        kind: 'update',
        purpose: 'main',
        request: { WorkflowDetails: { OnUpload: [], OnPartialUpload: [{ WorkflowId: 'w-2', ExecutionRole: 'r' }] } },
      },
    ]);
  });

  test('nested objects: only the members present are managed, and the change names the member', () => {
    const observed = { ProtocolDetails: { PassiveIp: '10.0.0.1', TlsSessionResumptionMode: 'DISABLED', SetStatOption: 'ENABLE_NO_OP' } };
    assert.deepEqual(changesOf({ ProtocolDetails: { SetStatOption: 'ENABLE_NO_OP' } }, observed), []);
    const p = plan(desiredOf({ ProtocolDetails: { TlsSessionResumptionMode: 'ENABLED' } }), observedOf(observed));
    assert.deepEqual(p.changes, [{ path: 'ProtocolDetails.TlsSessionResumptionMode', from: 'DISABLED', to: 'ENABLED' }]);
    assert.deepEqual(p.steps, [
      {
        kind: 'update',
        purpose: 'main',
        request: { ProtocolDetails: { PassiveIp: '10.0.0.1', TlsSessionResumptionMode: 'ENABLED', SetStatOption: 'ENABLE_NO_OP' } },
      },
    ]);
  });

  test('EndpointDetails: an absent AddressAllocationIds is the same as []', () => {
    assert.deepEqual(changesOf({ EndpointDetails: { AddressAllocationIds: [] } }, VPC_SERVER), []);
    const changes = changesOf({ EndpointDetails: { AddressAllocationIds: [] } }, VPC_SERVER_WITH_EIPS);
    assert.deepEqual(changes, [
      { path: 'EndpointDetails.AddressAllocationIds', from: ['eipalloc-1', 'eipalloc-2'], to: [], requires: 'offline' },
    ]);
  });

  test('offline-only and restart-only changes say so', () => {
    const changes = changesOf({
      EndpointType: 'VPC',
      EndpointDetails: { SubnetIds: ['subnet-a'], VpcId: 'vpc-1' },
      IpAddressType: 'DUALSTACK',
      ProtocolDetails: { PassiveIp: '0.0.0.0' },
    });
    assert.deepEqual(
      changes.map((c) => [c.path, c.requires]),
      [
        ['ProtocolDetails.PassiveIp', 'restart'],
        ['EndpointType', 'offline'],
        ['EndpointDetails.SubnetIds', undefined],
        ['EndpointDetails.VpcId', undefined],
        ['IpAddressType', 'offline'],
      ],
    );
  });

  test('SubnetIds need the server offline only while Elastic IPs are attached', () => {
    assert.equal(changesOf({ EndpointDetails: { SubnetIds: ['subnet-c'] } }, VPC_SERVER)[0]?.requires, undefined);
    assert.equal(changesOf({ EndpointDetails: { SubnetIds: ['subnet-c'] } }, VPC_SERVER_WITH_EIPS)[0]?.requires, 'offline');
  });
});

describe('diff: tags', () => {
  const observed = {
    Tags: [
      { Key: 'team', Value: 'ops' },
      { Key: 'old', Value: 'x' },
      { Key: 'aws:cloudformation:stack-name', Value: 's' },
    ],
  };

  test('missing and changed tags; unlisted ones are left alone without PruneTags', () => {
    const p = plan(
      desiredOf({
        Tags: [
          { Key: 'team', Value: 'platform' },
          { Key: 'cost', Value: '42' },
        ],
      }),
      observedOf(observed),
    );
    assert.deepEqual(p.changes, [
      { path: 'Tags.team', from: 'ops', to: 'platform' },
      { path: 'Tags.cost', from: undefined, to: '42' },
    ]);
    assert.deepEqual(p.steps, [
      {
        kind: 'tag',
        tags: [
          { Key: 'team', Value: 'platform' },
          { Key: 'cost', Value: '42' },
        ],
      },
    ]);
  });

  test('PruneTags removes unlisted tags but never aws: ones', () => {
    const p = plan(desiredOf({ Tags: [{ Key: 'team', Value: 'ops' }] }, { policy: { PruneTags: true } }), observedOf(observed));
    assert.deepEqual(p.changes, [{ path: 'Tags.old', from: 'x', to: undefined }]);
    assert.deepEqual(p.steps, [{ kind: 'untag', keys: ['old'] }]);
  });

  test('without a Tags key, tags are not managed even with PruneTags', () => {
    assert.ok(planIsEmpty(plan(desiredOf({}, { policy: { PruneTags: true } }), observedOf(observed))));
  });

  test('Tags: [] with PruneTags removes every tag the user owns', () => {
    const p = plan(desiredOf({ Tags: [] }, { policy: { PruneTags: true } }), observedOf(observed));
    assert.deepEqual(p.steps, [{ kind: 'untag', keys: ['old', 'team'] }]);
  });
});

describe('diff: host key and state', () => {
  test('host keys compare by fingerprint, whatever its padding', () => {
    const p = plan(
      desiredOf({ HostKey: { SecureStringParameter: '/k' } }, { fingerprint: 'SHA256:abcAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }),
      observedOf({ HostKeyFingerprint: 'SHA256:abcAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' }),
    );
    assert.ok(planIsEmpty(p));
  });

  test('a different key is a change from fingerprint to fingerprint, never key material', () => {
    const p = plan(
      desiredOf(
        { HostKey: { SecureStringParameter: '/k' } },
        { fingerprint: 'SHA256:abcAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', policy: { AllowHostKeyRotation: true } },
      ),
      observedOf({ HostKeyFingerprint: 'SHA256:oldAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' }),
    );
    assert.deepEqual(p.changes, [
      {
        path: 'HostKey',
        from: 'SHA256:oldAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
        to: 'SHA256:abcAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      },
    ]);
    assert.equal(JSON.stringify(p.changes).includes('SECRET'), false);
    const step = p.steps[0];
    assert.ok(step?.kind === 'update');
    assert.equal(step.request.HostKey?.fingerprint, 'SHA256:abcAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
  });

  test('a server without a host key gets its first one without permission', () => {
    const p = plan(
      desiredOf({ HostKey: { SecureStringParameter: '/k' } }, { fingerprint: 'SHA256:abcAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }),
      observedOf(),
    );
    assert.deepEqual(p.changes, [{ path: 'HostKey', from: undefined, to: 'SHA256:abcAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }]);
    assert.deepEqual(p.blocked, []);
    assert.equal(p.steps.length, 1);
  });

  test('State is compared with the run state (STARTING counts as ONLINE, STOPPING as OFFLINE)', () => {
    assert.deepEqual(changesOf({ State: 'ONLINE' }, { State: 'STARTING' }), []);
    assert.deepEqual(changesOf({ State: 'OFFLINE' }, { State: 'STOPPING' }), []);
    assert.deepEqual(changesOf({ State: 'OFFLINE' }, { State: 'ONLINE' }), [{ path: 'State', from: 'ONLINE', to: 'OFFLINE' }]);
    assert.deepEqual(changesOf({ State: 'ONLINE' }, { State: 'START_FAILED' }), [{ path: 'State', from: 'START_FAILED', to: 'ONLINE' }]);
  });
});
