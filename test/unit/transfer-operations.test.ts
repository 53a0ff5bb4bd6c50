import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { harness, rejectsWith, VPC } from './transfer-fixtures.ts';

describe('Transfer back end: operations', () => {
  test('CreateServer answers a ServerId of s- and 17 lowercase hex, and the server comes ONLINE after STARTING', async () => {
    const h = harness();
    const { ServerId } = (await h.call('CreateServer', {})) as { ServerId: string };
    assert.match(ServerId, /^s-[0-9a-f]{17}$/);
    assert.equal((await h.describe(ServerId)).State, 'STARTING');
    h.advance(1000);
    assert.equal((await h.describe(ServerId)).State, 'ONLINE');
  });

  test('DescribeServer shows the server-side defaults and omits members never set', async () => {
    const h = harness();
    const id = await h.createOnline();
    const server = await h.describe(id);
    assert.equal(server.Arn, `arn:aws:transfer:us-east-1:123456789012:server/${id}`);
    assert.match(String(server.HostKeyFingerprint), /^SHA256:[A-Za-z0-9+/]{43}=$/);
    const { HostKeyFingerprint: _fp, ...rest } = server;
    assert.deepEqual(rest, {
      Arn: `arn:aws:transfer:us-east-1:123456789012:server/${id}`,
      ServerId: id,
      State: 'ONLINE',
      Domain: 'S3',
      EndpointType: 'PUBLIC',
      IdentityProviderType: 'SERVICE_MANAGED',
      Protocols: ['SFTP'],
      ProtocolDetails: { PassiveIp: 'AUTO', TlsSessionResumptionMode: 'ENFORCED', SetStatOption: 'DEFAULT' },
      SecurityPolicyName: 'TransferSecurityPolicy-2018-11',
      S3StorageOptions: { DirectoryListingOptimization: 'DISABLED' },
      IpAddressType: 'IPV4',
      Tags: [],
      UserCount: 0,
    });
  });

  test('custom identity providers report SftpAuthenticationMethods PUBLIC_KEY_OR_PASSWORD by default', async () => {
    const h = harness();
    const id = await h.createOnline({
      IdentityProviderType: 'AWS_LAMBDA',
      IdentityProviderDetails: { Function: 'arn:aws:lambda:us-east-1:123456789012:function:auth' },
    });
    assert.deepEqual((await h.describe(id)).IdentityProviderDetails, {
      Function: 'arn:aws:lambda:us-east-1:123456789012:function:auth',
      SftpAuthenticationMethods: 'PUBLIC_KEY_OR_PASSWORD',
    });
  });

  test('CreateServer stores what it is given, tags included', async () => {
    const h = harness();
    const id = await h.createOnline({
      LoggingRole: 'arn:aws:iam::123456789012:role/log',
      PreAuthenticationLoginBanner: 'hello',
      SecurityPolicyName: 'TransferSecurityPolicy-2024-01',
      Tags: [{ Key: 'team', Value: 'files' }],
      StructuredLogDestinations: ['arn:aws:logs:us-east-1:123456789012:log-group:transfer:*'],
      WorkflowDetails: { OnUpload: [{ WorkflowId: 'w-1234567890abcdef0', ExecutionRole: 'arn:aws:iam::123456789012:role/wf' }] },
    });
    const server = await h.describe(id);
    assert.equal(server.LoggingRole, 'arn:aws:iam::123456789012:role/log');
    assert.equal(server.PreAuthenticationLoginBanner, 'hello');
    assert.equal(server.SecurityPolicyName, 'TransferSecurityPolicy-2024-01');
    assert.deepEqual(server.Tags, [{ Key: 'team', Value: 'files' }]);
    assert.deepEqual(server.StructuredLogDestinations, ['arn:aws:logs:us-east-1:123456789012:log-group:transfer:*']);
    assert.deepEqual(server.WorkflowDetails, {
      OnUpload: [{ WorkflowId: 'w-1234567890abcdef0', ExecutionRole: 'arn:aws:iam::123456789012:role/wf' }],
    });
  });

  test('UpdateServer answers the ServerId and an empty string clears LoggingRole, banners and Certificate', async () => {
    const h = harness();
    const id = await h.createOnline({
      LoggingRole: 'arn:aws:iam::123456789012:role/log',
      PostAuthenticationLoginBanner: 'bye',
      Certificate: 'arn:aws:acm:us-east-1:123456789012:certificate/abc',
    });
    assert.deepEqual(await h.call('UpdateServer', { ServerId: id, LoggingRole: '', PostAuthenticationLoginBanner: '', Certificate: '' }), {
      ServerId: id,
    });
    const server = await h.describe(id);
    assert.equal('LoggingRole' in server, false);
    assert.equal('PostAuthenticationLoginBanner' in server, false);
    assert.equal('Certificate' in server, false);
  });

  test('WorkflowDetails with empty lists removes the workflow; StructuredLogDestinations [] turns logging off', async () => {
    const h = harness();
    const id = await h.createOnline({
      WorkflowDetails: { OnUpload: [{ WorkflowId: 'w-1234567890abcdef0', ExecutionRole: 'arn:aws:iam::123456789012:role/wf' }] },
      StructuredLogDestinations: ['arn:aws:logs:us-east-1:123456789012:log-group:transfer:*'],
    });
    await h.call('UpdateServer', { ServerId: id, WorkflowDetails: { OnUpload: [] }, StructuredLogDestinations: [] });
    const server = await h.describe(id);
    assert.equal('WorkflowDetails' in server, false);
    assert.equal('StructuredLogDestinations' in server, false);
  });

  test('DescribeServer never returns EndpointDetails.SecurityGroupIds, but the stored copy keeps them', async () => {
    const h = harness();
    const id = await h.createOnline(VPC);
    const details = (await h.describe(id)).EndpointDetails as Record<string, unknown>;
    assert.equal(details.VpcId, 'vpc-0a1b2c3d');
    assert.deepEqual(details.SubnetIds, ['subnet-1111']);
    assert.match(String(details.VpcEndpointId), /^vpce-[0-9a-f]{17}$/);
    assert.equal('SecurityGroupIds' in details, false);
    const raw = h.backend.getServer(id);
    assert.deepEqual((raw?.EndpointDetails as Record<string, unknown>).SecurityGroupIds, ['sg-1111']);
  });

  test('DescribeServer never returns the private key', async () => {
    const h = harness();
    const id = await h.createOnline();
    const text = JSON.stringify(await h.describe(id));
    assert.doesNotMatch(text, /PRIVATE KEY/);
    assert.doesNotMatch(JSON.stringify(h.backend.getServer(id)), /PRIVATE KEY/);
  });

  test('ListServers lists ListedServer shapes and pages with an opaque NextToken', async () => {
    const h = harness();
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push(await h.createOnline({ LoggingRole: i === 0 ? 'arn:aws:iam::123456789012:role/log' : undefined }));
    const first = await h.call('ListServers', { MaxResults: 2 });
    const servers = first.Servers as Record<string, unknown>[];
    assert.deepEqual(servers[0], {
      Arn: `arn:aws:transfer:us-east-1:123456789012:server/${ids[0]}`,
      Domain: 'S3',
      IdentityProviderType: 'SERVICE_MANAGED',
      EndpointType: 'PUBLIC',
      LoggingRole: 'arn:aws:iam::123456789012:role/log',
      ServerId: ids[0],
      State: 'ONLINE',
      UserCount: 0,
    });
    const seen = servers.map((s) => s.ServerId);
    let token = first.NextToken;
    while (token !== undefined) {
      const page = await h.call('ListServers', { MaxResults: 2, NextToken: token });
      seen.push(...(page.Servers as Record<string, unknown>[]).map((s) => s.ServerId));
      token = page.NextToken;
    }
    assert.deepEqual(seen, ids);
    const all = await h.call('ListServers', {});
    assert.equal((all.Servers as unknown[]).length, 5);
    assert.equal('NextToken' in all, false);
  });

  test('ListServers with a NextToken it never issued answers InvalidNextTokenException', async () => {
    const h = harness();
    await rejectsWith(h.call('ListServers', { NextToken: 'bogus' }), 'InvalidNextTokenException');
  });

  test('DeleteServer removes the server', async () => {
    const h = harness();
    const id = await h.createOnline();
    assert.deepEqual(await h.call('DeleteServer', { ServerId: id }), {});
    await rejectsWith(h.call('DescribeServer', { ServerId: id }), 'ResourceNotFoundException');
    assert.equal(h.backend.getServer(id), undefined);
  });

  test('every server operation answers ResourceNotFoundException with Resource and ResourceType for an unknown server', async () => {
    const h = harness();
    const missing = 's-0123456789abcdef0';
    for (const operation of ['DescribeServer', 'UpdateServer', 'StartServer', 'StopServer', 'DeleteServer']) {
      const error = await rejectsWith(h.call(operation, { ServerId: missing }), 'ResourceNotFoundException');
      assert.deepEqual(error.fields, { Resource: missing, ResourceType: 'Server' });
    }
    const arn = `arn:aws:transfer:us-east-1:123456789012:server/${missing}`;
    for (const [operation, extra] of [
      ['TagResource', { Tags: [{ Key: 'a', Value: 'b' }] }],
      ['UntagResource', { TagKeys: ['a'] }],
    ] as const) {
      const error = await rejectsWith(h.call(operation, { Arn: arn, ...extra }), 'ResourceNotFoundException');
      assert.deepEqual(error.fields, { Resource: missing, ResourceType: 'Server' });
    }
    // ListTagsForResource lists no ResourceNotFoundException in the model: the listed InvalidRequestException.
    const error = await rejectsWith(h.call('ListTagsForResource', { Arn: arn }), 'InvalidRequestException', /^Unknown resource: arn:/);
    assert.deepEqual(error.fields, {});
  });

  test('ListSecurityPolicies lists the real policy names, server and connector ones', async () => {
    const h = harness();
    const names = (await h.call('ListSecurityPolicies', {})).SecurityPolicyNames as string[];
    assert.equal(names.length, 20);
    for (const name of [
      'TransferSecurityPolicy-2018-11',
      'TransferSecurityPolicy-FIPS-2024-05',
      'TransferSecurityPolicy-SshAuditCompliant-2025-02',
      'TransferSFTPConnectorSecurityPolicy-2024-03',
    ]) {
      assert.ok(names.includes(name), name);
    }
    const first = await h.call('ListSecurityPolicies', { MaxResults: 15 });
    const second = await h.call('ListSecurityPolicies', { MaxResults: 15, NextToken: first.NextToken });
    assert.deepEqual([...(first.SecurityPolicyNames as string[]), ...(second.SecurityPolicyNames as string[])], names);
    assert.equal('NextToken' in second, false);
  });

  test('an unknown operation answers UnknownOperationException', async () => {
    const h = harness();
    await rejectsWith(h.call('CreateUser', {}), 'UnknownOperationException');
  });

  test('snapshot and restore round-trip servers, states, transitions, tags and keys', async () => {
    const h = harness();
    const id = await h.createOnline({ Tags: [{ Key: 'k', Value: 'v' }], ...VPC });
    await h.call('StopServer', { ServerId: id });
    const before = await h.describe(id);
    const snapshot = JSON.parse(JSON.stringify(h.backend.snapshot())) as unknown;
    h.backend.reset();
    await rejectsWith(h.call('DescribeServer', { ServerId: id }), 'ResourceNotFoundException');
    h.backend.restore(snapshot);
    assert.deepEqual(await h.describe(id), before);
    assert.equal(before.State, 'STOPPING');
    h.advance(1000);
    assert.equal((await h.describe(id)).State, 'OFFLINE');
    assert.deepEqual((h.backend.getServer(id)?.EndpointDetails as Record<string, unknown>).SecurityGroupIds, ['sg-1111']);
    const next = await h.createOnline();
    assert.notEqual(next, id);
  });
});
