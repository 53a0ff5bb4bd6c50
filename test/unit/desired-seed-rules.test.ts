// The seed's cross-field rules (plan/seed-rule-table.ts) over the document alone, through static
// validation: each applies only when every key it involves is in the document.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertValid, issueAt } from './desired-helpers.ts';

const CERT = 'arn:aws:acm:us-east-1:111122223333:certificate/abc';

describe('seed rules the document decides alone', () => {
  test('FTPS needs a non-empty Certificate', () => {
    assert.match(issueAt({ Protocols: ['FTPS'], Certificate: '' }, '$.Certificate').message, /FTPS, which needs a Certificate/);
    assertValid({ Protocols: ['FTPS'], Certificate: CERT });
    // Certificate absent: the server may have one; effective validation decides.
    assertValid({ Protocols: ['FTPS'] });
    assertValid({ Protocols: ['SFTP'], Certificate: '' });
  });

  test('FTP and FTPS need EndpointType VPC', () => {
    assert.match(
      issueAt({ Protocols: ['FTP'], EndpointType: 'PUBLIC' }, '$.EndpointType').message,
      /FTP, which needs EndpointType VPC, and the server's EndpointType would be PUBLIC/,
    );
    assert.match(
      issueAt({ Protocols: ['FTPS'], EndpointType: 'VPC_ENDPOINT' }, '$.EndpointType').message,
      /FTPS, which needs EndpointType VPC/,
    );
    assertValid({ Protocols: ['FTP'], EndpointType: 'VPC' });
    assertValid({ Protocols: ['FTP'] });
  });

  test('FTP and FTPS need a custom or directory identity provider', () => {
    assert.match(
      issueAt({ Protocols: ['FTP'], IdentityProviderType: 'SERVICE_MANAGED' }, '$.IdentityProviderType').message,
      /needs a custom or directory identity provider \(IdentityProviderType AWS_DIRECTORY_SERVICE, API_GATEWAY or AWS_LAMBDA\), and the server's IdentityProviderType would be SERVICE_MANAGED/,
    );
    for (const idp of ['AWS_DIRECTORY_SERVICE', 'AWS_LAMBDA', 'API_GATEWAY'])
      assertValid({ Protocols: ['FTP'], IdentityProviderType: idp });
    assertValid({ Protocols: ['SFTP'], IdentityProviderType: 'SERVICE_MANAGED', EndpointType: 'PUBLIC' });
  });

  test('FTP cannot have Elastic IPs', () => {
    assert.match(
      issueAt({ Protocols: ['FTP'], EndpointDetails: { AddressAllocationIds: ['eipalloc-1'] } }, '$.EndpointDetails.AddressAllocationIds')
        .message,
      /FTP, which cannot be used with Elastic IPs/,
    );
    assertValid({ Protocols: ['FTP'], EndpointDetails: { AddressAllocationIds: [] } });
    assertValid({ Protocols: ['FTPS'], Certificate: CERT, EndpointDetails: { AddressAllocationIds: ['eipalloc-1'] } });
  });

  test('AS2 needs EndpointType VPC', () => {
    assert.match(issueAt({ Protocols: ['AS2'], EndpointType: 'PUBLIC' }, '$.EndpointType').message, /AS2, which needs EndpointType VPC/);
    assert.match(
      issueAt({ Protocols: ['FTP', 'AS2'], EndpointType: 'PUBLIC' }, '$.EndpointType').message,
      /FTP and AS2, which need EndpointType VPC/,
    );
    assertValid({ Protocols: ['AS2'], EndpointType: 'VPC' });
  });

  test('EndpointDetails members only with their EndpointType', () => {
    assert.match(
      issueAt({ EndpointType: 'VPC', EndpointDetails: { VpcEndpointId: 'vpce-0123456789abcdef0' } }, '$.EndpointDetails.VpcEndpointId')
        .message,
      /can only be set when EndpointType is VPC_ENDPOINT, and the server's EndpointType would be VPC/,
    );
    for (const [member, value] of [
      ['SubnetIds', ['subnet-1']],
      ['VpcId', 'vpc-1'],
      ['AddressAllocationIds', ['eipalloc-1']],
      ['SecurityGroupIds', ['sg-0123456789abcdef0']],
    ] as const) {
      assert.match(
        issueAt({ EndpointType: 'PUBLIC', EndpointDetails: { [member]: value } }, `$.EndpointDetails.${member}`).message,
        /can only be set when EndpointType is VPC, and the server's EndpointType would be PUBLIC/,
      );
      assertValid({ EndpointType: 'VPC', EndpointDetails: { [member]: value } });
      assertValid({ EndpointDetails: { [member]: value } });
    }
    assertValid({ EndpointType: 'VPC_ENDPOINT', EndpointDetails: { VpcEndpointId: 'vpce-0123456789abcdef0' } });
    // An empty list only clears (the plan reads it as absent); an empty string is a value the plan could never send.
    assertValid({ EndpointType: 'PUBLIC', EndpointDetails: { AddressAllocationIds: [], SubnetIds: [], SecurityGroupIds: [] } });
    assert.match(issueAt({ EndpointType: 'PUBLIC', EndpointDetails: { VpcId: '' } }, '$.EndpointDetails.VpcId').message, /VpcId can only/);
  });

  test('IdentityProviderDetails members belong to their IdentityProviderType', () => {
    const cases: Array<[string, unknown, string]> = [
      ['Url', 'https://example.com', 'API_GATEWAY'],
      ['InvocationRole', 'arn:aws:iam::111122223333:role/invoke', 'API_GATEWAY'],
      ['Function', 'arn:aws:lambda:us-east-1:111122223333:function:idp', 'AWS_LAMBDA'],
      ['DirectoryId', 'd-0123456789', 'AWS_DIRECTORY_SERVICE'],
    ];
    for (const [member, value, owner] of cases) {
      assertValid({ IdentityProviderType: owner, IdentityProviderDetails: { [member]: value } });
      const other = owner === 'AWS_LAMBDA' ? 'API_GATEWAY' : 'AWS_LAMBDA';
      assert.match(
        issueAt({ IdentityProviderType: other, IdentityProviderDetails: { [member]: value } }, `$.IdentityProviderDetails.${member}`)
          .message,
        new RegExp(`belongs to IdentityProviderType ${owner}, and the server's IdentityProviderType would be ${other}`),
      );
    }
    assertValid({ IdentityProviderType: 'AWS_LAMBDA', IdentityProviderDetails: { SftpAuthenticationMethods: 'PASSWORD' } });
    assertValid({ IdentityProviderType: 'API_GATEWAY', IdentityProviderDetails: { SftpAuthenticationMethods: 'PUBLIC_KEY' } });
    for (const idp of ['SERVICE_MANAGED', 'AWS_DIRECTORY_SERVICE']) {
      assert.match(
        issueAt(
          { IdentityProviderType: idp, IdentityProviderDetails: { SftpAuthenticationMethods: 'PASSWORD' } },
          '$.IdentityProviderDetails.SftpAuthenticationMethods',
        ).message,
        /API_GATEWAY or AWS_LAMBDA/,
      );
    }
  });

  test('Elastic IPs not with DUALSTACK', () => {
    assert.match(
      issueAt(
        { IpAddressType: 'DUALSTACK', EndpointDetails: { AddressAllocationIds: ['eipalloc-1'] } },
        '$.EndpointDetails.AddressAllocationIds',
      ).message,
      /DUALSTACK/,
    );
    assertValid({ IpAddressType: 'IPV4', EndpointDetails: { AddressAllocationIds: ['eipalloc-1'] } });
    assertValid({ IpAddressType: 'DUALSTACK', EndpointDetails: { SubnetIds: ['subnet-1'] } });
  });

  test('Elastic IPs need SubnetIds', () => {
    assert.match(
      issueAt({ EndpointDetails: { AddressAllocationIds: ['eipalloc-1'], SubnetIds: [] } }, '$.EndpointDetails.AddressAllocationIds')
        .message,
      /need EndpointDetails\.SubnetIds/,
    );
    assertValid({ EndpointDetails: { AddressAllocationIds: ['eipalloc-1'], SubnetIds: ['subnet-1'] } });
    assertValid({ EndpointDetails: { AddressAllocationIds: [], SubnetIds: [] } });
    // SubnetIds absent: the server may have them; effective validation decides.
    assertValid({ EndpointDetails: { AddressAllocationIds: ['eipalloc-1'] } });
  });

  test('rules skip keys of the wrong type (their type issue is enough)', () => {
    assert.match(issueAt({ Protocols: 'FTP', EndpointType: 'PUBLIC' }, '$.Protocols').message, /must be a list/);
    assert.match(issueAt({ Protocols: ['FTP'], EndpointType: 5 }, '$.EndpointType').message, /must be/);
  });
});
