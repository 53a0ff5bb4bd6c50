// The Transfer back end through @aws-sdk/client-transfer and the emulator's HTTP front:
// every operation, and errors arriving as the SDK's modelled exception classes.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  ConflictException,
  CreateServerCommand,
  DeleteServerCommand,
  DescribeServerCommand,
  InvalidRequestException,
  ListSecurityPoliciesCommand,
  ListServersCommand,
  ListTagsForResourceCommand,
  ResourceNotFoundException,
  StartServerCommand,
  StopServerCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateServerCommand,
  paginateListServers,
} from '@aws-sdk/client-transfer';
import { generateHostKey, parsePrivateKey } from '../../functions/shared/ssh-key.ts';
import { emulatorForTests, transferClient } from '../helpers/emulator.ts';

// Transitions settle at once, so no test waits on the clock; transitional states are forced.
const emu = await emulatorForTests({ transitionDelayMs: 0 });
const client = transferClient(emu, { maxAttempts: 1 });
const VPC = {
  EndpointType: 'VPC' as const,
  EndpointDetails: { VpcId: 'vpc-0a1b2c3d', SubnetIds: ['subnet-1111'], SecurityGroupIds: ['sg-0a1b2c3d4e5f60718'] },
};
const LAMBDA = {
  IdentityProviderType: 'AWS_LAMBDA' as const,
  IdentityProviderDetails: { Function: 'arn:aws:lambda:us-east-1:000000000000:function:auth' },
};

async function create(input: ConstructorParameters<typeof CreateServerCommand>[0] = {}): Promise<string> {
  const { ServerId } = await client.send(new CreateServerCommand(input));
  assert.ok(ServerId);
  return ServerId;
}

async function describeServer(serverId: string) {
  const { Server } = await client.send(new DescribeServerCommand({ ServerId: serverId }));
  assert.ok(Server);
  return Server;
}

async function rejectsAs(
  promise: Promise<unknown>,
  type: new (...args: never[]) => Error,
  message?: RegExp,
): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof type, `expected ${type.name}, got ${String(caught)}`);
  const error = caught as Error & { $metadata?: { httpStatusCode?: number } };
  assert.equal(error.$metadata?.httpStatusCode, 400);
  if (message !== undefined) assert.match(error.message, message);
  return error;
}

describe('Transfer through the SDK', () => {
  test('CreateServer, then DescribeServer shows the defaults, the fingerprint and no SecurityGroupIds', async () => {
    const key = generateHostKey('ecdsa');
    const id = await create({ ...VPC, HostKey: key, Tags: [{ Key: 'team', Value: 'files' }] });
    assert.match(id, /^s-[0-9a-f]{17}$/);
    const server = await describeServer(id);
    assert.equal(server.State, 'ONLINE');
    assert.equal(server.Arn, `arn:aws:transfer:us-east-1:000000000000:server/${id}`);
    assert.equal(server.HostKeyFingerprint, parsePrivateKey(key).fingerprint);
    assert.deepEqual(server.Protocols, ['SFTP']);
    assert.deepEqual(server.ProtocolDetails, { PassiveIp: 'AUTO', TlsSessionResumptionMode: 'ENFORCED', SetStatOption: 'DEFAULT' });
    assert.equal(server.SecurityPolicyName, 'TransferSecurityPolicy-2018-11');
    assert.equal(server.EndpointDetails?.SecurityGroupIds, undefined);
    assert.deepEqual(server.EndpointDetails?.SubnetIds, ['subnet-1111']);
    assert.deepEqual(server.Tags, [{ Key: 'team', Value: 'files' }]);
    assert.equal(server.UserCount, 0);
    assert.equal(server.LoggingRole, undefined);
  });

  test('UpdateServer, StopServer, StartServer and DeleteServer', async () => {
    const id = await create();
    assert.deepEqual(
      (await client.send(new UpdateServerCommand({ ServerId: id, PreAuthenticationLoginBanner: 'Authorised use only' }))).ServerId,
      id,
    );
    assert.equal((await describeServer(id)).PreAuthenticationLoginBanner, 'Authorised use only');
    await client.send(new StopServerCommand({ ServerId: id }));
    assert.equal((await describeServer(id)).State, 'OFFLINE');
    await client.send(new UpdateServerCommand({ ServerId: id, ...VPC }));
    await client.send(new StartServerCommand({ ServerId: id }));
    const server = await describeServer(id);
    assert.equal(server.State, 'ONLINE');
    assert.equal(server.EndpointType, 'VPC');
    await client.send(new DeleteServerCommand({ ServerId: id }));
    await rejectsAs(client.send(new DescribeServerCommand({ ServerId: id })), ResourceNotFoundException);
  });

  test('ListServers pages through every server', async () => {
    const ids = [await create(), await create(), await create()];
    const seen: string[] = [];
    for await (const page of paginateListServers({ client, pageSize: 2 }, {})) {
      for (const server of page.Servers ?? []) if (server.ServerId) seen.push(server.ServerId);
    }
    for (const id of ids) assert.ok(seen.includes(id), id);
    const listed = (await client.send(new ListServersCommand({ MaxResults: 1000 }))).Servers?.find((s) => s.ServerId === ids[0]);
    assert.deepEqual(listed, {
      Arn: `arn:aws:transfer:us-east-1:000000000000:server/${ids[0]}`,
      Domain: 'S3',
      IdentityProviderType: 'SERVICE_MANAGED',
      EndpointType: 'PUBLIC',
      ServerId: ids[0],
      State: 'ONLINE',
      UserCount: 0,
    });
  });

  test('TagResource, UntagResource and ListTagsForResource', async () => {
    const id = await create();
    const arn = `arn:aws:transfer:us-east-1:000000000000:server/${id}`;
    await client.send(
      new TagResourceCommand({
        Arn: arn,
        Tags: [
          { Key: 'a', Value: '1' },
          { Key: 'b', Value: '2' },
        ],
      }),
    );
    await client.send(new UntagResourceCommand({ Arn: arn, TagKeys: ['a'] }));
    const listed = await client.send(new ListTagsForResourceCommand({ Arn: arn }));
    assert.deepEqual(listed.Tags, [{ Key: 'b', Value: '2' }]);
    await rejectsAs(
      client.send(new TagResourceCommand({ Arn: arn, Tags: [{ Key: 'aws:reserved', Value: 'x' }] })),
      InvalidRequestException,
      /reserved/,
    );
  });

  test('ListSecurityPolicies returns the real names', async () => {
    const names = (await client.send(new ListSecurityPoliciesCommand({}))).SecurityPolicyNames ?? [];
    assert.ok(names.includes('TransferSecurityPolicy-2024-01'));
    assert.ok(names.includes('TransferSFTPConnectorSecurityPolicy-2024-03'));
  });
});

describe('Transfer errors through the SDK', () => {
  test('an FTPS update without a Certificate is refused with InvalidRequestException', async () => {
    const id = await create({ ...VPC, ...LAMBDA });
    await rejectsAs(
      client.send(new UpdateServerCommand({ ServerId: id, Protocols: ['FTPS'] })),
      InvalidRequestException,
      /^Certificate is required when Protocols includes FTPS$/,
    );
    await client.send(
      new UpdateServerCommand({ ServerId: id, Protocols: ['FTPS'], Certificate: 'arn:aws:acm:us-east-1:000000000000:certificate/abc' }),
    );
  });

  test('changing EndpointType while ONLINE is refused with InvalidRequestException', async () => {
    const id = await create();
    await rejectsAs(
      client.send(new UpdateServerCommand({ ServerId: id, ...VPC })),
      InvalidRequestException,
      /Server must be OFFLINE to change EndpointType/,
    );
  });

  test('an unknown server is ResourceNotFoundException carrying Resource and ResourceType', async () => {
    const error = await rejectsAs(client.send(new DescribeServerCommand({ ServerId: 's-0123456789abcdef0' })), ResourceNotFoundException);
    assert.equal((error as ResourceNotFoundException).Resource, 's-0123456789abcdef0');
    assert.equal((error as ResourceNotFoundException).ResourceType, 'Server');
    await rejectsAs(client.send(new StartServerCommand({ ServerId: 's-0123456789abcdef0' })), ResourceNotFoundException);
  });

  test('a write during a transitional state: UpdateServer ConflictException, StartServer (no ConflictException in its model) InvalidRequestException', async () => {
    const id = await create();
    emu.transfer.forceState(id, 'STOPPING');
    await rejectsAs(
      client.send(new UpdateServerCommand({ ServerId: id, PreAuthenticationLoginBanner: 'x' })),
      ConflictException,
      /^Server is in STOPPING state/,
    );
    await rejectsAs(client.send(new StartServerCommand({ ServerId: id })), InvalidRequestException, /^Server is in STOPPING state/);
    emu.transfer.forceState(id, 'OFFLINE');
    await client.send(new StartServerCommand({ ServerId: id }));
  });

  test('an injected START_FAILED shows in DescribeServer', async () => {
    const id = await create();
    await client.send(new StopServerCommand({ ServerId: id }));
    emu.transfer.injectFailure(id, 'START_FAILED');
    await client.send(new StartServerCommand({ ServerId: id }));
    assert.equal((await describeServer(id)).State, 'START_FAILED');
  });

  test('a host key that is not a private key is refused without quoting it', async () => {
    const id = await create();
    const error = await rejectsAs(
      client.send(new UpdateServerCommand({ ServerId: id, HostKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDummy user@host' })),
      InvalidRequestException,
    );
    assert.equal(error.message.includes('AAAAC3NzaC1lZDI1NTE5AAAAIDummy'), false);
  });
});
