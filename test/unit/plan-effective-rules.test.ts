import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { plan } from '../../functions/reconciler/plan/plan.ts';
import { removeMarker, setMarker } from '../../functions/reconciler/plan/restart-marker.ts';
import type { DesiredDocument } from '../../functions/reconciler/types.ts';
import { VPC_SERVER, VPC_SERVER_WITH_EIPS, desiredOf, observedOf } from './plan-fixtures.ts';

const ALLOW = { AllowOfflineChanges: true, AllowHostKeyRotation: true };
const LAMBDA = {
  IdentityProviderType: 'AWS_LAMBDA',
  IdentityProviderDetails: { Function: 'arn:aws:lambda:eu-west-1:111122223333:function:auth' },
};
const CERT = 'arn:aws:acm:eu-west-1:111122223333:certificate/c';

function invalidOf(document: DesiredDocument, observedFields: Record<string, unknown> = {}) {
  return plan(desiredOf(document, { policy: ALLOW }), observedOf(observedFields));
}

function paths(document: DesiredDocument, observedFields: Record<string, unknown> = {}): string[] {
  return invalidOf(document, observedFields).invalid.map((i) => i.path);
}

describe('effective rules', () => {
  test('FTPS needs a non-empty Certificate in the resulting state', () => {
    const server = { ...VPC_SERVER, ...LAMBDA };
    assert.deepEqual(paths({ Protocols: ['SFTP', 'FTPS'] }, server), ['$.Protocols']);
    assert.deepEqual(paths({ Protocols: ['SFTP', 'FTPS'], Certificate: CERT }, server), []);
    assert.deepEqual(paths({ Protocols: ['SFTP', 'FTPS'] }, { ...server, Certificate: CERT }), []);
    assert.deepEqual(paths({ Certificate: '' }, { ...server, Protocols: ['FTPS'], Certificate: CERT }), ['$.Certificate']);
  });

  test('an invalid plan has no steps', () => {
    const p = invalidOf({ Protocols: ['SFTP', 'FTPS'], LoggingRole: 'arn:aws:iam::111122223333:role/x' }, { ...VPC_SERVER, ...LAMBDA });
    assert.equal(p.invalid.length, 1);
    assert.match(p.invalid[0]?.message ?? '', /FTPS.*Certificate/);
    assert.deepEqual(p.steps, []);
    assert.equal(p.changes.length, 2);
  });

  test('FTP and FTPS need EndpointType VPC', () => {
    assert.deepEqual(paths({ Protocols: ['FTP'] }, LAMBDA), ['$.Protocols']);
    assert.deepEqual(paths({ Protocols: ['FTP'] }, { ...VPC_SERVER, ...LAMBDA }), []);
    assert.deepEqual(paths({ EndpointType: 'PUBLIC' }, { ...VPC_SERVER, ...LAMBDA, Protocols: ['FTP'] }), ['$.EndpointType']);
  });

  test('FTP and FTPS need a directory or custom identity provider', () => {
    assert.deepEqual(paths({ Protocols: ['FTP'] }, VPC_SERVER), ['$.Protocols']);
    assert.deepEqual(paths({ IdentityProviderType: 'SERVICE_MANAGED' }, { ...VPC_SERVER, ...LAMBDA, Protocols: ['FTP'] }), [
      '$.IdentityProviderType',
    ]);
    assert.deepEqual(
      paths(
        { Protocols: ['FTP'], IdentityProviderType: 'AWS_DIRECTORY_SERVICE', IdentityProviderDetails: { DirectoryId: 'd-1' } },
        VPC_SERVER,
      ),
      [],
    );
  });

  test('FTP forbids Elastic IPs', () => {
    assert.deepEqual(paths({ Protocols: ['FTP'] }, { ...VPC_SERVER_WITH_EIPS, ...LAMBDA }), ['$.Protocols']);
    assert.deepEqual(
      paths({ Protocols: ['FTP'], EndpointDetails: { AddressAllocationIds: [] } }, { ...VPC_SERVER_WITH_EIPS, ...LAMBDA }),
      [],
    );
    assert.deepEqual(
      paths({ EndpointDetails: { AddressAllocationIds: ['eipalloc-1'] } }, { ...VPC_SERVER, ...LAMBDA, Protocols: ['FTP'] }),
      ['$.EndpointDetails.AddressAllocationIds'],
    );
  });

  test('AS2 needs VPC and an S3 domain', () => {
    assert.deepEqual(paths({ Protocols: ['AS2'] }), ['$.Protocols']);
    assert.deepEqual(paths({ Protocols: ['AS2'] }, VPC_SERVER), []);
    assert.deepEqual(paths({ Protocols: ['AS2'] }, { ...VPC_SERVER, Domain: 'EFS' }), ['$.Protocols']);
  });

  test('EndpointDetails members only with their endpoint type', () => {
    assert.deepEqual(paths({ EndpointDetails: { SubnetIds: ['subnet-a'] } }), ['$.EndpointDetails.SubnetIds']);
    assert.deepEqual(paths({ EndpointDetails: { VpcEndpointId: 'vpce-0123456789abcdef0' } }, VPC_SERVER), [
      '$.EndpointDetails.VpcEndpointId',
    ]);
    assert.deepEqual(paths({ EndpointType: 'PUBLIC', EndpointDetails: { SubnetIds: ['subnet-a'] } }, VPC_SERVER), [
      '$.EndpointDetails.SubnetIds',
    ]);
    // The observed members of the old type are dropped, not flagged.
    const toPublic = invalidOf({ EndpointType: 'PUBLIC' }, VPC_SERVER_WITH_EIPS);
    assert.deepEqual(toPublic.invalid, []);
    assert.deepEqual(toPublic.steps, [
      setMarker,
      { kind: 'stop' },
      { kind: 'update', purpose: 'main', request: { EndpointType: 'PUBLIC' } },
      { kind: 'start' },
      removeMarker,
    ]);
  });

  test('a move to VPC needs SubnetIds and VpcId', () => {
    assert.deepEqual(paths({ EndpointType: 'VPC' }), ['$.EndpointDetails.SubnetIds', '$.EndpointDetails.VpcId']);
    assert.deepEqual(paths({ EndpointType: 'VPC', EndpointDetails: { SubnetIds: ['subnet-a'] } }), ['$.EndpointDetails.VpcId']);
    assert.deepEqual(paths({ EndpointType: 'VPC_ENDPOINT' }), ['$.EndpointDetails.VpcEndpointId']);
    assert.deepEqual(paths({ EndpointType: 'VPC', EndpointDetails: { SubnetIds: ['subnet-a'], VpcId: 'vpc-1' } }), []);
  });

  test('the VpcId of a VPC server cannot change', () => {
    assert.deepEqual(paths({ EndpointDetails: { VpcId: 'vpc-2' } }, VPC_SERVER), ['$.EndpointDetails.VpcId']);
    assert.deepEqual(paths({ EndpointDetails: { VpcId: 'vpc-1' } }, VPC_SERVER), []);
  });

  test('IdentityProviderDetails members belong to the resulting provider type', () => {
    assert.deepEqual(paths({ IdentityProviderDetails: { Function: 'arn:f' } }), ['$.IdentityProviderDetails.Function']);
    assert.deepEqual(paths({ IdentityProviderDetails: { Url: 'https://x' } }, LAMBDA), ['$.IdentityProviderDetails.Url']);
    assert.deepEqual(
      paths({ IdentityProviderType: 'API_GATEWAY', IdentityProviderDetails: { Url: 'https://x', InvocationRole: 'arn:r' } }, LAMBDA),
      [],
    );
  });

  test('the members of the old provider type are dropped on a type change, and the new type needs its own', () => {
    assert.deepEqual(paths({ IdentityProviderType: 'SERVICE_MANAGED' }, LAMBDA), []);
    assert.deepEqual(paths({ IdentityProviderType: 'API_GATEWAY' }, LAMBDA), [
      '$.IdentityProviderDetails.Url',
      '$.IdentityProviderDetails.InvocationRole',
    ]);
    const p = invalidOf(
      { IdentityProviderType: 'AWS_DIRECTORY_SERVICE', IdentityProviderDetails: { DirectoryId: 'd-1' } },
      { ...LAMBDA, IdentityProviderDetails: { Function: 'f', SftpAuthenticationMethods: 'PASSWORD' } },
    );
    assert.deepEqual(p.invalid, []);
    assert.deepEqual(p.steps, [
      {
        kind: 'update',
        purpose: 'main',
        request: { IdentityProviderType: 'AWS_DIRECTORY_SERVICE', IdentityProviderDetails: { DirectoryId: 'd-1' } },
      },
    ]);
  });

  test('SftpAuthenticationMethods only with custom identity providers', () => {
    assert.deepEqual(paths({ IdentityProviderDetails: { SftpAuthenticationMethods: 'PASSWORD' } }), [
      '$.IdentityProviderDetails.SftpAuthenticationMethods',
    ]);
    assert.deepEqual(paths({ IdentityProviderDetails: { SftpAuthenticationMethods: 'PASSWORD' } }, LAMBDA), []);
  });

  test('AddressAllocationIds are not allowed with DUALSTACK', () => {
    assert.deepEqual(paths({ IpAddressType: 'DUALSTACK' }, VPC_SERVER_WITH_EIPS), ['$.IpAddressType']);
    assert.deepEqual(
      paths({ EndpointDetails: { AddressAllocationIds: ['eipalloc-1', 'eipalloc-2'] } }, { ...VPC_SERVER, IpAddressType: 'DUALSTACK' }),
      ['$.EndpointDetails.AddressAllocationIds'],
    );
    assert.deepEqual(paths({ IpAddressType: 'DUALSTACK', EndpointDetails: { AddressAllocationIds: [] } }, VPC_SERVER_WITH_EIPS), []);
  });

  test('AddressAllocationIds need SubnetIds in the resulting state', () => {
    const noSubnets = { EndpointType: 'VPC', EndpointDetails: { VpcId: 'vpc-1' } };
    assert.deepEqual(paths({ EndpointDetails: { AddressAllocationIds: ['eipalloc-1'] } }, noSubnets), [
      '$.EndpointDetails.AddressAllocationIds',
    ]);
    assert.deepEqual(paths({ EndpointDetails: { AddressAllocationIds: ['eipalloc-1'], SubnetIds: ['subnet-a'] } }, noSubnets), []);
  });

  test('a rule only the observed server breaks is not blamed on the document', () => {
    assert.deepEqual(paths({ LoggingRole: '' }, { Protocols: ['FTPS'] }), []);
    // EndpointType is not a field of "FTP without Elastic IPs": restating it does not take the blame.
    assert.deepEqual(paths({ EndpointType: 'VPC' }, { ...VPC_SERVER_WITH_EIPS, ...LAMBDA, Protocols: ['FTP'] }), []);
  });

  test('an empty list only clears: no issue for a member of another endpoint type, and nothing to change', () => {
    const p = invalidOf({ EndpointDetails: { SubnetIds: [], AddressAllocationIds: [], SecurityGroupIds: [] } });
    assert.deepEqual(p.invalid, []);
    assert.deepEqual(p.changes, []);
    // An empty string is a value, which a server of another provider type could never report.
    assert.deepEqual(paths({ IdentityProviderDetails: { Url: '' } }), ['$.IdentityProviderDetails.Url']);
  });

  test('the message names what the merged server would have', () => {
    assert.deepEqual(
      invalidOf({ Protocols: ['FTP'] }, { ...VPC_SERVER }).invalid.map((i) => i.message),
      [
        "Protocols includes FTP, which needs a custom or directory identity provider (IdentityProviderType AWS_DIRECTORY_SERVICE, API_GATEWAY or AWS_LAMBDA), and the server's IdentityProviderType would be SERVICE_MANAGED. Change IdentityProviderType or remove FTP from Protocols.",
      ],
    );
    assert.deepEqual(
      invalidOf({ EndpointDetails: { VpcEndpointId: 'vpce-0123456789abcdef0' } }, VPC_SERVER).invalid.map((i) => i.message),
      [
        'EndpointDetails.VpcEndpointId can only be set when EndpointType is VPC_ENDPOINT, and the server\'s EndpointType would be VPC. Remove EndpointDetails.VpcEndpointId or set "EndpointType": "VPC_ENDPOINT".',
      ],
    );
  });

  test('a HostKey that was not read is invalid, not ignored', () => {
    assert.deepEqual(paths({ HostKey: { SecureStringParameter: '/k' } }), ['$.HostKey']);
  });

  test('every issue says what to do', () => {
    const p = invalidOf({ Protocols: ['FTP', 'FTPS', 'AS2'], EndpointDetails: { SubnetIds: ['subnet-a'] } });
    assert.ok(p.invalid.length >= 4);
    for (const issue of p.invalid) assert.match(issue.message, /(Set|Remove|Add|Change|Keep|Use)\b/, issue.message);
  });
});
