// documentOf / exportServer: only what differs from AWS's defaults, nested objects with only
// their differing members (but a VPC endpoint's members together), custom identity providers,
// tags without the reserved ones, no State, no host key, and every export valid and key-free.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SCHEMA_ID } from '../../functions/reconciler/desired/json-schema.ts';
import { DOCUMENT_KEYS } from '../../functions/reconciler/desired/keys.ts';
import { validateStatic } from '../../functions/reconciler/desired/validate-static.ts';
import { documentOf } from '../../functions/reconciler/export/document-of.ts';
import { exportServer } from '../../functions/reconciler/export/exported.ts';
import { SERVER_ID, VPC_SERVER, VPC_SERVER_WITH_EIPS, observedOf } from './plan-fixtures.ts';
import { markedHostKey } from '../helpers/secrets.ts';

const ROLE = 'arn:aws:iam::111122223333:role/';

describe('documentOf', () => {
  test('a server with nothing set exports as an empty document; $schema and ServerId are added', () => {
    assert.deepEqual(documentOf(observedOf()), {});
    // Defaults reported explicitly are still defaults.
    const explicit = observedOf({
      Protocols: ['SFTP'],
      EndpointType: 'PUBLIC',
      IdentityProviderType: 'SERVICE_MANAGED',
      SecurityPolicyName: 'TransferSecurityPolicy-2018-11',
      ProtocolDetails: { PassiveIp: 'AUTO', TlsSessionResumptionMode: 'ENFORCED', SetStatOption: 'DEFAULT' },
      S3StorageOptions: { DirectoryListingOptimization: 'DISABLED' },
      IpAddressType: 'IPV4',
      LoggingRole: '',
      Certificate: '',
      PreAuthenticationLoginBanner: '',
      StructuredLogDestinations: [],
      WorkflowDetails: { OnUpload: [], OnPartialUpload: [] },
    });
    assert.deepEqual(documentOf(explicit), {});
    const exported = exportServer(explicit);
    assert.ok(exported.ok);
    assert.deepEqual(exported.document, { $schema: SCHEMA_ID, ServerId: SERVER_ID });
  });

  test('nested objects carry only the members that differ', () => {
    const doc = documentOf(
      observedOf({
        ProtocolDetails: { PassiveIp: '10.0.0.1', TlsSessionResumptionMode: 'ENFORCED', SetStatOption: 'DEFAULT', As2Transports: ['HTTP'] },
        S3StorageOptions: { DirectoryListingOptimization: 'ENABLED' },
        WorkflowDetails: { OnUpload: [], OnPartialUpload: [{ WorkflowId: 'w-1', ExecutionRole: `${ROLE}wf` }] },
        PreAuthenticationLoginBanner: 'Hello\n',
        SecurityPolicyName: 'TransferSecurityPolicy-2024-01',
        StructuredLogDestinations: ['arn:aws:logs:eu-west-1:111122223333:log-group:g:*'],
        IpAddressType: 'DUALSTACK',
        State: 'OFFLINE',
        HostKeyFingerprint: 'SHA256:aaaAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
      }),
    );
    assert.deepEqual(doc, {
      ProtocolDetails: { PassiveIp: '10.0.0.1' },
      IpAddressType: 'DUALSTACK',
      SecurityPolicyName: 'TransferSecurityPolicy-2024-01',
      StructuredLogDestinations: ['arn:aws:logs:eu-west-1:111122223333:log-group:g:*'],
      PreAuthenticationLoginBanner: 'Hello\n',
      WorkflowDetails: { OnPartialUpload: [{ WorkflowId: 'w-1', ExecutionRole: `${ROLE}wf` }] },
      S3StorageOptions: { DirectoryListingOptimization: 'ENABLED' },
    });
    assert.equal('State' in doc, false, 'State is never exported: an export must not start or stop a server');
    assert.equal('HostKey' in doc, false, 'no host key: AWS never returns one');
  });

  test('VPC: VpcId, SubnetIds, EIPs and the endpoint groups together; never AWS own VpcEndpointId', () => {
    const vpc = observedOf({ ...VPC_SERVER_WITH_EIPS, Protocols: ['SFTP', 'FTPS'], Certificate: 'arn:aws:acm:eu-west-1:1:certificate/a' });
    assert.deepEqual(documentOf({ ...vpc, SecurityGroupIds: ['sg-2', 'sg-1'] }), {
      Protocols: ['FTPS', 'SFTP'],
      Certificate: 'arn:aws:acm:eu-west-1:1:certificate/a',
      EndpointType: 'VPC',
      EndpointDetails: {
        AddressAllocationIds: ['eipalloc-1', 'eipalloc-2'],
        SubnetIds: ['subnet-a', 'subnet-b'],
        VpcId: 'vpc-1',
        SecurityGroupIds: ['sg-2', 'sg-1'],
      },
    });
    // No EIPs and no groups read (or none on the endpoint): those members are left out.
    assert.deepEqual(documentOf({ ...observedOf(VPC_SERVER), SecurityGroupIds: [] }).EndpointDetails, {
      SubnetIds: ['subnet-a', 'subnet-b'],
      VpcId: 'vpc-1',
    });
    const endpoint = observedOf({ EndpointType: 'VPC_ENDPOINT', EndpointDetails: { VpcEndpointId: 'vpce-0fedcba9876543210' } });
    assert.deepEqual(documentOf(endpoint), { EndpointType: 'VPC_ENDPOINT', EndpointDetails: { VpcEndpointId: 'vpce-0fedcba9876543210' } });
  });

  test('custom identity providers: their own members; the default authentication methods left out', () => {
    const lambda = observedOf({
      IdentityProviderType: 'AWS_LAMBDA',
      IdentityProviderDetails: {
        Function: 'arn:aws:lambda:eu-west-1:1:function:auth',
        SftpAuthenticationMethods: 'PUBLIC_KEY_OR_PASSWORD',
      },
    });
    assert.deepEqual(documentOf(lambda), {
      IdentityProviderType: 'AWS_LAMBDA',
      IdentityProviderDetails: { Function: 'arn:aws:lambda:eu-west-1:1:function:auth' },
    });
    const gateway = observedOf({
      IdentityProviderType: 'API_GATEWAY',
      // A member of another type (never sent back: a request carrying it is refused).
      IdentityProviderDetails: {
        Url: 'https://auth.example.com',
        InvocationRole: `${ROLE}invoke`,
        DirectoryId: 'd-1',
        SftpAuthenticationMethods: 'PASSWORD',
      },
    });
    assert.deepEqual(documentOf(gateway).IdentityProviderDetails, {
      Url: 'https://auth.example.com',
      InvocationRole: `${ROLE}invoke`,
      SftpAuthenticationMethods: 'PASSWORD',
    });
    const directory = observedOf({
      IdentityProviderType: 'AWS_DIRECTORY_SERVICE',
      IdentityProviderDetails: { DirectoryId: 'd-1234567890' },
    });
    assert.deepEqual(documentOf(directory).IdentityProviderDetails, { DirectoryId: 'd-1234567890' });
  });

  test('tags: no aws:, transfer-reconciler: or transfer: keys; the hostname tags become CustomHostname', () => {
    const tags = [
      { Key: 'team', Value: 'files' },
      { Key: 'aws:cloudformation:stack-name', Value: 'x' },
      { Key: 'transfer-reconciler:restart-pending', Value: 'true' },
      { Key: 'transfer:customHostname', Value: 'sftp.example.com' },
      { Key: 'transfer:route53HostedZoneId', Value: '/hostedzone/Z0123456789' },
      { Key: 'env', Value: '' },
    ];
    assert.deepEqual(documentOf(observedOf({ Tags: tags })), {
      CustomHostname: { Hostname: 'sftp.example.com', Route53HostedZoneId: '/hostedzone/Z0123456789' },
      Tags: [
        { Key: 'env', Value: '' },
        { Key: 'team', Value: 'files' },
      ],
    });
    // The older aws: form (console, earlier servers) is read too; only reserved tags: no Tags key.
    assert.deepEqual(documentOf(observedOf({ Tags: [{ Key: 'aws:transfer:customHostname', Value: 'old.example.com' }] })), {
      CustomHostname: { Hostname: 'old.example.com' },
    });
  });
});

describe('exportServer', () => {
  test('keys in the catalogue order, valid, with $schema and ServerId first', () => {
    const exported = exportServer(
      observedOf({ ...VPC_SERVER, Tags: [{ Key: 'team', Value: 'a' }], Protocols: ['SFTP', 'AS2'], LoggingRole: `${ROLE}log` }),
      { schema: '../schema/desired-state.schema.json' },
    );
    assert.ok(exported.ok);
    const keys = Object.keys(exported.document);
    assert.deepEqual(
      keys,
      DOCUMENT_KEYS.filter((k) => keys.includes(k)),
    );
    assert.deepEqual(keys.slice(0, 2), ['$schema', 'ServerId']);
    assert.equal(exported.document.$schema, '../schema/desired-state.schema.json');
    assert.deepEqual(Object.keys(exported.document.EndpointDetails ?? {}), ['SubnetIds', 'VpcId']);
    assert.ok(validateStatic(exported.document, { source: 't', expectedServerId: SERVER_ID }).ok);
  });

  test('a value that looks like key material is left out, and the note does not repeat it', () => {
    const key = markedHostKey('ed25519');
    const line = key.split('\n')[1] ?? '';
    const exported = exportServer(
      observedOf({
        PreAuthenticationLoginBanner: `Welcome\n${line}`,
        Tags: [
          { Key: 'team', Value: 'a' },
          { Key: 'oops', Value: line },
        ],
      }),
    );
    assert.ok(exported.ok);
    assert.equal(exported.document.PreAuthenticationLoginBanner, undefined);
    assert.deepEqual(exported.document.Tags, [{ Key: 'team', Value: 'a' }]);
    assert.equal(exported.leftOut.length, 2);
    assert.ok(!JSON.stringify(exported).includes(line));
  });

  test('a value static validation refuses is left out with its reason; the rest is kept', () => {
    const exported = exportServer(
      observedOf({
        LoggingRole: 'not-a-role-arn',
        Tags: [
          { Key: 'team', Value: 'a' },
          { Key: 'bad', Value: 'x'.repeat(300) },
        ],
      }),
    );
    assert.ok(exported.ok);
    assert.equal(exported.document.LoggingRole, undefined);
    assert.deepEqual(exported.document.Tags, [{ Key: 'team', Value: 'a' }]);
    assert.deepEqual(
      exported.leftOut.map((n) => n.split(':')[0]),
      ['$.LoggingRole', '$.Tags[0]'],
    );
    assert.ok(validateStatic(exported.document, { source: 't', expectedServerId: SERVER_ID }).ok);
  });

  test('a refused member of a nested object goes alone: the endpoint keeps VpcId and SubnetIds', () => {
    const exported = exportServer({ ...observedOf(VPC_SERVER), SecurityGroupIds: ['not-a-group'] });
    assert.ok(exported.ok);
    assert.deepEqual(exported.document.EndpointDetails, { SubnetIds: ['subnet-a', 'subnet-b'], VpcId: 'vpc-1' });
    assert.match(exported.leftOut[0] ?? '', /^\$\.EndpointDetails\.SecurityGroupIds: left out: /);
  });
});
