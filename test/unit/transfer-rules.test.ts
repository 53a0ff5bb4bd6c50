// Every cross-field rule of CreateServer/UpdateServer: refused when broken, accepted when met.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { harness, rejectsWith, VPC } from './transfer-fixtures.ts';

const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/abc';
const LAMBDA = {
  IdentityProviderType: 'AWS_LAMBDA',
  IdentityProviderDetails: { Function: 'arn:aws:lambda:us-east-1:123456789012:function:auth' },
};
const VPC_NO_SG = { EndpointType: 'VPC', EndpointDetails: { VpcId: 'vpc-0a1b2c3d', SubnetIds: ['subnet-1111'] } };
const invalid = 'InvalidRequestException';

describe('Transfer back end: protocol rules', () => {
  test('FTPS needs a Certificate', async () => {
    const h = harness();
    const id = await h.createOffline({ ...VPC_NO_SG, ...LAMBDA });
    await rejectsWith(
      h.call('UpdateServer', { ServerId: id, Protocols: ['FTPS'] }),
      invalid,
      /^Certificate is required when Protocols includes FTPS$/,
    );
    await h.call('UpdateServer', { ServerId: id, Protocols: ['FTPS'], Certificate: CERT });
    assert.deepEqual((await h.describe(id)).Protocols, ['FTPS']);
    await rejectsWith(h.call('UpdateServer', { ServerId: id, Certificate: '' }), invalid, /Certificate is required/);
  });

  test('FTP and FTPS need EndpointType VPC', async () => {
    const h = harness();
    const id = await h.createOnline(LAMBDA);
    await rejectsWith(
      h.call('UpdateServer', { ServerId: id, Protocols: ['FTP'] }),
      invalid,
      /EndpointType must be VPC when Protocols includes FTP or FTPS/,
    );
    await rejectsWith(h.call('CreateServer', { ...LAMBDA, Protocols: ['FTPS'], Certificate: CERT }), invalid, /EndpointType must be VPC/);
    const vpc = await h.createOnline({ ...VPC_NO_SG, ...LAMBDA });
    await h.call('UpdateServer', { ServerId: vpc, Protocols: ['SFTP', 'FTP'] });
  });

  test('FTP and FTPS need a custom or directory identity provider', async () => {
    const h = harness();
    const id = await h.createOnline(VPC_NO_SG);
    await rejectsWith(
      h.call('UpdateServer', { ServerId: id, Protocols: ['FTP'] }),
      invalid,
      /IdentityProviderType must be AWS_DIRECTORY_SERVICE, AWS_LAMBDA or API_GATEWAY when Protocols includes FTP or FTPS/,
    );
    await h.call('UpdateServer', {
      ServerId: id,
      Protocols: ['FTP'],
      IdentityProviderType: 'AWS_DIRECTORY_SERVICE',
      IdentityProviderDetails: { DirectoryId: 'd-1234567890' },
    });
  });

  test('FTP forbids AddressAllocationIds', async () => {
    const h = harness();
    const id = await h.createOffline({ ...VPC_NO_SG, ...LAMBDA });
    await h.call('UpdateServer', { ServerId: id, EndpointDetails: { AddressAllocationIds: ['eipalloc-1'] } });
    await rejectsWith(
      h.call('UpdateServer', { ServerId: id, Protocols: ['FTP'] }),
      invalid,
      /AddressAllocationIds cannot be associated when Protocols includes FTP/,
    );
    await h.call('UpdateServer', { ServerId: id, Protocols: ['FTP'], EndpointDetails: { AddressAllocationIds: [] } });
  });

  test('AS2 needs EndpointType VPC and Domain S3', async () => {
    const h = harness();
    const id = await h.createOnline();
    await rejectsWith(
      h.call('UpdateServer', { ServerId: id, Protocols: ['AS2'] }),
      invalid,
      /EndpointType must be VPC when Protocols includes AS2/,
    );
    await rejectsWith(
      h.call('CreateServer', { ...VPC_NO_SG, Domain: 'EFS', Protocols: ['AS2'] }),
      invalid,
      /Domain must be S3 when Protocols includes AS2/,
    );
    await h.createOnline({ ...VPC_NO_SG, Protocols: ['AS2'] });
  });

  test('SecurityPolicyName must be one of the server policies', async () => {
    const h = harness();
    const id = await h.createOnline();
    await rejectsWith(
      h.call('UpdateServer', { ServerId: id, SecurityPolicyName: 'TransferSecurityPolicy-1999-01' }),
      invalid,
      /TransferSecurityPolicy-1999-01/,
    );
    await rejectsWith(
      h.call('CreateServer', { SecurityPolicyName: 'TransferSecurityPolicy-1999-01' }),
      invalid,
      /TransferSecurityPolicy-1999-01/,
    );
    await rejectsWith(
      h.call('UpdateServer', { ServerId: id, SecurityPolicyName: 'TransferSFTPConnectorSecurityPolicy-2024-03' }),
      invalid,
      /TransferSFTPConnectorSecurityPolicy-2024-03 is an SFTP connector security policy/,
    );
    await h.call('UpdateServer', { ServerId: id, SecurityPolicyName: 'TransferSecurityPolicy-Restricted-2024-06' });
    assert.equal((await h.describe(id)).SecurityPolicyName, 'TransferSecurityPolicy-Restricted-2024-06');
  });

  test('PassiveIp must be AUTO, 0.0.0.0 or one dotted-quad IPv4', async () => {
    const h = harness();
    const id = await h.createOnline();
    for (const bad of ['256.1.1.1', '10.0.0', '10.0.0.1,10.0.0.2', 'auto', 'example.com']) {
      await rejectsWith(
        h.call('UpdateServer', { ServerId: id, ProtocolDetails: { PassiveIp: bad } }),
        invalid,
        /ProtocolDetails\.PassiveIp must be AUTO, 0\.0\.0\.0 or a single dotted-quad IPv4/,
      );
    }
    for (const good of ['AUTO', '0.0.0.0', '203.0.113.255']) {
      await h.call('UpdateServer', { ServerId: id, ProtocolDetails: { PassiveIp: good } });
      assert.equal(((await h.describe(id)).ProtocolDetails as Record<string, unknown>).PassiveIp, good);
    }
  });

  test('WorkflowDetails lists and StructuredLogDestinations hold at most one entry', async () => {
    const h = harness();
    const id = await h.createOnline();
    const wf = { WorkflowId: 'w-1234567890abcdef0', ExecutionRole: 'arn:aws:iam::123456789012:role/wf' };
    await rejectsWith(
      h.call('UpdateServer', { ServerId: id, WorkflowDetails: { OnPartialUpload: [wf, wf] } }),
      invalid,
      /WorkflowDetails\.OnPartialUpload can hold at most one workflow/,
    );
    const logs = ['arn:aws:logs:us-east-1:123456789012:log-group:a:*', 'arn:aws:logs:us-east-1:123456789012:log-group:b:*'];
    await rejectsWith(
      h.call('UpdateServer', { ServerId: id, StructuredLogDestinations: logs }),
      invalid,
      /StructuredLogDestinations can hold at most one log group/,
    );
    await h.call('UpdateServer', { ServerId: id, WorkflowDetails: { OnPartialUpload: [wf] }, StructuredLogDestinations: logs.slice(0, 1) });
  });
});

describe('Transfer back end: endpoint rules', () => {
  test('VPC endpoint members only with EndpointType VPC; VpcEndpointId only with VPC_ENDPOINT', async () => {
    const h = harness();
    const id = await h.createOnline();
    for (const member of ['SubnetIds', 'AddressAllocationIds', 'SecurityGroupIds']) {
      await rejectsWith(
        h.call('UpdateServer', { ServerId: id, EndpointDetails: { [member]: ['x-1'] } }),
        invalid,
        new RegExp(`EndpointDetails\\.${member} can only be set when EndpointType is VPC`),
      );
    }
    await rejectsWith(
      h.call('UpdateServer', { ServerId: id, EndpointDetails: { VpcId: 'vpc-1' } }),
      invalid,
      /EndpointDetails\.VpcId can only be set when EndpointType is VPC/,
    );
    await rejectsWith(
      h.call('UpdateServer', { ServerId: id, EndpointDetails: { VpcEndpointId: 'vpce-1' } }),
      invalid,
      /EndpointDetails\.VpcEndpointId can only be set when EndpointType is VPC_ENDPOINT/,
    );
    await rejectsWith(
      h.call('CreateServer', { EndpointDetails: { SubnetIds: ['subnet-1'] } }),
      invalid,
      /EndpointDetails\.SubnetIds can only be set when EndpointType is VPC/,
    );
    const endpoint = await h.createOnline({ EndpointType: 'VPC_ENDPOINT', EndpointDetails: { VpcEndpointId: 'vpce-0123456789abcdef0' } });
    assert.deepEqual((await h.describe(endpoint)).EndpointDetails, { VpcEndpointId: 'vpce-0123456789abcdef0' });
  });

  test('a VPC server refuses a foreign VpcEndpointId but accepts its own one echoed back', async () => {
    const h = harness();
    const id = await h.createOnline(VPC_NO_SG);
    const own = ((await h.describe(id)).EndpointDetails as Record<string, unknown>).VpcEndpointId;
    await rejectsWith(
      h.call('UpdateServer', { ServerId: id, EndpointDetails: { VpcEndpointId: 'vpce-0123456789abcdef0' } }),
      invalid,
      /VPC Endpoint ID unsupported for EndpointType: VPC/,
    );
    await h.call('UpdateServer', { ServerId: id, EndpointDetails: { VpcEndpointId: own, SubnetIds: ['subnet-1111'] } });
  });

  test('EndpointType VPC needs VpcId and SubnetIds in the result; VPC_ENDPOINT needs VpcEndpointId', async () => {
    const h = harness();
    await rejectsWith(
      h.call('CreateServer', { EndpointType: 'VPC', EndpointDetails: { SubnetIds: ['subnet-1'] } }),
      invalid,
      /EndpointDetails\.VpcId is required when EndpointType is VPC/,
    );
    await rejectsWith(
      h.call('CreateServer', { EndpointType: 'VPC', EndpointDetails: { VpcId: 'vpc-1' } }),
      invalid,
      /EndpointDetails\.SubnetIds is required when EndpointType is VPC/,
    );
    await rejectsWith(
      h.call('CreateServer', { EndpointType: 'VPC_ENDPOINT' }),
      invalid,
      /EndpointDetails\.VpcEndpointId is required when EndpointType is VPC_ENDPOINT/,
    );
    const id = await h.createOffline();
    await rejectsWith(h.call('UpdateServer', { ServerId: id, EndpointType: 'VPC' }), invalid, /EndpointDetails\.VpcId is required/);
    await h.call('UpdateServer', { ServerId: id, ...VPC_NO_SG });
  });

  test('EndpointType changes only while OFFLINE; sending the current one while ONLINE is fine', async () => {
    const h = harness();
    const id = await h.createOnline();
    await rejectsWith(h.call('UpdateServer', { ServerId: id, ...VPC_NO_SG }), invalid, /^Server must be OFFLINE to change EndpointType/);
    await h.call('UpdateServer', { ServerId: id, EndpointType: 'PUBLIC' });
    await h.call('StopServer', { ServerId: id });
    h.advance(1000);
    await h.call('UpdateServer', { ServerId: id, ...VPC_NO_SG });
    assert.equal((await h.describe(id)).EndpointType, 'VPC');
  });

  test('changing EndpointType away from VPC clears the VPC endpoint details', async () => {
    const h = harness();
    const id = await h.createOffline(VPC);
    await h.call('UpdateServer', { ServerId: id, EndpointType: 'PUBLIC' });
    assert.equal('EndpointDetails' in (await h.describe(id)), false);
    assert.equal(h.backend.getServer(id)?.EndpointDetails, undefined);
  });

  test('SecurityGroupIds only when EndpointType changes from PUBLIC or VPC_ENDPOINT to VPC, and they are stored', async () => {
    const h = harness();
    const vpc = await h.createOffline(VPC);
    await rejectsWith(
      h.call('UpdateServer', { ServerId: vpc, EndpointDetails: { SecurityGroupIds: ['sg-2222'] } }),
      invalid,
      /Changing Security Group is not supported: EndpointDetails\.SecurityGroupIds can only be sent in UpdateServer when EndpointType changes from PUBLIC or VPC_ENDPOINT to VPC/,
    );
    const pub = await h.createOffline();
    await h.call('UpdateServer', {
      ServerId: pub,
      EndpointType: 'VPC',
      EndpointDetails: { VpcId: 'vpc-1', SubnetIds: ['subnet-1'], SecurityGroupIds: ['sg-3333'] },
    });
    assert.deepEqual((h.backend.getServer(pub)?.EndpointDetails as Record<string, unknown>).SecurityGroupIds, ['sg-3333']);
    const endpoint = await h.createOffline({ EndpointType: 'VPC_ENDPOINT', EndpointDetails: { VpcEndpointId: 'vpce-0123456789abcdef0' } });
    await h.call('UpdateServer', {
      ServerId: endpoint,
      EndpointType: 'VPC',
      EndpointDetails: { VpcId: 'vpc-1', SubnetIds: ['subnet-1'], SecurityGroupIds: ['sg-4444'] },
    });
    const details = (await h.describe(endpoint)).EndpointDetails as Record<string, unknown>;
    assert.notEqual(details.VpcEndpointId, 'vpce-0123456789abcdef0');
  });
});

describe('Transfer back end: AddressAllocationIds rules', () => {
  test('never in CreateServer', async () => {
    const h = harness();
    await rejectsWith(
      h.call('CreateServer', {
        EndpointType: 'VPC',
        EndpointDetails: { VpcId: 'vpc-1', SubnetIds: ['subnet-1'], AddressAllocationIds: ['eipalloc-1'] },
      }),
      invalid,
      /^AddressAllocationIds cannot be set in CreateServer$/,
    );
  });

  test('only while OFFLINE', async () => {
    const h = harness();
    const id = await h.createOnline(VPC_NO_SG);
    await rejectsWith(
      h.call('UpdateServer', { ServerId: id, EndpointDetails: { AddressAllocationIds: ['eipalloc-1'] } }),
      invalid,
      /^Server must be OFFLINE to change AddressAllocationIds/,
    );
    await h.call('StopServer', { ServerId: id });
    h.advance(1000);
    await h.call('UpdateServer', { ServerId: id, EndpointDetails: { AddressAllocationIds: ['eipalloc-1'] } });
    await h.call('StartServer', { ServerId: id });
    h.advance(1000);
    // Repeating the current value changes nothing, so it is fine while ONLINE.
    await h.call('UpdateServer', { ServerId: id, EndpointDetails: { AddressAllocationIds: ['eipalloc-1'] } });
    assert.deepEqual(((await h.describe(id)).EndpointDetails as Record<string, unknown>).AddressAllocationIds, ['eipalloc-1']);
  });

  test('not in the call that moves the server to VPC (that call sets SubnetIds)', async () => {
    const h = harness();
    const id = await h.createOffline();
    await rejectsWith(
      h.call('UpdateServer', {
        ServerId: id,
        EndpointType: 'VPC',
        EndpointDetails: { VpcId: 'vpc-1', SubnetIds: ['subnet-1'], AddressAllocationIds: ['eipalloc-1'] },
      }),
      invalid,
      /Cannot specify AddressAllocationIds when updating server to EndpointType: VPC/,
    );
  });

  test('not in the same call that changes SubnetIds, and SubnetIds change only once they are removed', async () => {
    const h = harness();
    const id = await h.createOffline(VPC_NO_SG);
    await rejectsWith(
      h.call('UpdateServer', { ServerId: id, EndpointDetails: { SubnetIds: ['subnet-2222'], AddressAllocationIds: ['eipalloc-1'] } }),
      invalid,
      /EndpointDetails\.AddressAllocationIds cannot be set in the same call that changes SubnetIds/,
    );
    await h.call('UpdateServer', { ServerId: id, EndpointDetails: { AddressAllocationIds: ['eipalloc-1'] } });
    await rejectsWith(
      h.call('UpdateServer', { ServerId: id, EndpointDetails: { SubnetIds: ['subnet-2222'] } }),
      invalid,
      /AddressAllocationIds must be removed before SubnetIds can be modified/,
    );
    await h.call('UpdateServer', { ServerId: id, EndpointDetails: { AddressAllocationIds: [] } });
    await h.call('UpdateServer', { ServerId: id, EndpointDetails: { SubnetIds: ['subnet-2222'] } });
    await h.call('UpdateServer', { ServerId: id, EndpointDetails: { AddressAllocationIds: ['eipalloc-2'] } });
    const details = (await h.describe(id)).EndpointDetails as Record<string, unknown>;
    assert.deepEqual(details.SubnetIds, ['subnet-2222']);
    assert.deepEqual(details.AddressAllocationIds, ['eipalloc-2']);
  });

  test('not with IpAddressType DUALSTACK', async () => {
    const h = harness();
    const id = await h.createOffline({ ...VPC_NO_SG, IpAddressType: 'DUALSTACK' });
    await rejectsWith(
      h.call('UpdateServer', { ServerId: id, EndpointDetails: { AddressAllocationIds: ['eipalloc-1'] } }),
      invalid,
      /AddressAllocationIds cannot be used with IpAddressType DUALSTACK/,
    );
    await h.call('UpdateServer', { ServerId: id, IpAddressType: 'IPV4', EndpointDetails: { AddressAllocationIds: ['eipalloc-1'] } });
  });

  test('IpAddressType changes only while OFFLINE', async () => {
    const h = harness();
    const id = await h.createOnline();
    await rejectsWith(
      h.call('UpdateServer', { ServerId: id, IpAddressType: 'DUALSTACK' }),
      invalid,
      /^Server must be OFFLINE to change IpAddressType/,
    );
    await h.call('UpdateServer', { ServerId: id, IpAddressType: 'IPV4' });
    await h.call('StopServer', { ServerId: id });
    h.advance(1000);
    await h.call('UpdateServer', { ServerId: id, IpAddressType: 'DUALSTACK' });
    assert.equal((await h.describe(id)).IpAddressType, 'DUALSTACK');
  });
});

describe('Transfer back end: identity provider rules', () => {
  test('each IdentityProviderDetails member belongs to its provider type', async () => {
    const h = harness();
    const id = await h.createOnline();
    for (const [member, owner] of [
      ['Url', 'API_GATEWAY'],
      ['InvocationRole', 'API_GATEWAY'],
      ['Function', 'AWS_LAMBDA'],
      ['DirectoryId', 'AWS_DIRECTORY_SERVICE'],
    ]) {
      await rejectsWith(
        h.call('UpdateServer', { ServerId: id, IdentityProviderDetails: { [member as string]: 'x' } }),
        invalid,
        new RegExp(`IdentityProviderDetails\\.${member} can only be set when IdentityProviderType is ${owner} \\(it is SERVICE_MANAGED\\)`),
      );
    }
    const lambda = await h.createOnline(LAMBDA);
    await rejectsWith(
      h.call('UpdateServer', { ServerId: lambda, IdentityProviderDetails: { Url: 'https://x' } }),
      invalid,
      /IdentityProviderDetails\.Url can only be set when IdentityProviderType is API_GATEWAY/,
    );
  });

  test('SftpAuthenticationMethods only with custom identity providers', async () => {
    const h = harness();
    const id = await h.createOnline();
    await rejectsWith(
      h.call('UpdateServer', { ServerId: id, IdentityProviderDetails: { SftpAuthenticationMethods: 'PASSWORD' } }),
      invalid,
      /IdentityProviderDetails\.SftpAuthenticationMethods is only valid for custom identity providers \(API_GATEWAY, AWS_LAMBDA\), not SERVICE_MANAGED/,
    );
    const lambda = await h.createOnline(LAMBDA);
    await h.call('UpdateServer', { ServerId: lambda, IdentityProviderDetails: { SftpAuthenticationMethods: 'PASSWORD' } });
    assert.equal(((await h.describe(lambda)).IdentityProviderDetails as Record<string, unknown>).SftpAuthenticationMethods, 'PASSWORD');
  });

  test('a provider type needs its members; changing type takes the new members and drops the old', async () => {
    const h = harness();
    await rejectsWith(
      h.call('CreateServer', { IdentityProviderType: 'API_GATEWAY', IdentityProviderDetails: { Url: 'https://x' } }),
      invalid,
      /IdentityProviderDetails\.InvocationRole is required when IdentityProviderType is API_GATEWAY/,
    );
    const id = await h.createOnline(LAMBDA);
    await rejectsWith(
      h.call('UpdateServer', { ServerId: id, IdentityProviderType: 'AWS_DIRECTORY_SERVICE' }),
      invalid,
      /IdentityProviderDetails\.DirectoryId is required when IdentityProviderType is AWS_DIRECTORY_SERVICE/,
    );
    await h.call('UpdateServer', {
      ServerId: id,
      IdentityProviderType: 'API_GATEWAY',
      IdentityProviderDetails: { Url: 'https://x', InvocationRole: 'arn:aws:iam::123456789012:role/idp' },
    });
    assert.deepEqual((await h.describe(id)).IdentityProviderDetails, {
      Url: 'https://x',
      InvocationRole: 'arn:aws:iam::123456789012:role/idp',
      SftpAuthenticationMethods: 'PUBLIC_KEY_OR_PASSWORD',
    });
    await h.call('UpdateServer', { ServerId: id, IdentityProviderType: 'SERVICE_MANAGED' });
    assert.equal('IdentityProviderDetails' in (await h.describe(id)), false);
  });
});
