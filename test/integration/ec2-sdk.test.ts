// EC2 on the emulator's one port, through the real @aws-sdk/client-ec2 over HTTP: the VPC
// endpoint of a VPC server (the id DescribeServer reports), the engine's own EC2 adapter
// (functions/reconciler/aws/ec2-api.ts) reading and changing its groups, a change "by hand" from
// another client, EC2's errors as the SDK parses them, faults answered as EC2 answers them, the
// call log, and the state file keeping endpoints and groups.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeSecurityGroupsCommand, DescribeVpcEndpointsCommand, ModifyVpcEndpointCommand } from '@aws-sdk/client-ec2';
import { CreateServerCommand, DescribeServerCommand, StopServerCommand, UpdateServerCommand } from '@aws-sdk/client-transfer';
import { endpointSecurityGroups, modifyEndpointGroups } from '../../functions/reconciler/aws/ec2-api.ts';
import { startEmulator } from '../../infra/local/emulator.ts';
import type { Emulator } from '../../infra/local/emulator.ts';
import { ec2Client, rawQuery } from '../helpers/ec2.ts';
import { emulatorForTests, transferClient } from '../helpers/emulator.ts';

const emu = await emulatorForTests({ transitionDelayMs: 0 });
const transfer = transferClient(emu);
const ec2 = ec2Client(emu);
const SG_A = 'sg-0a1b2c3d4e5f60718';
const SG_B = 'sg-0a1b2c3d4e5f60719';
const VPC = {
  EndpointType: 'VPC' as const,
  EndpointDetails: { VpcId: 'vpc-0a1b2c3d', SubnetIds: ['subnet-1111'], SecurityGroupIds: [SG_A] },
};

async function vpcServer(target: Emulator = emu, client = transfer): Promise<{ serverId: string; endpointId: string }> {
  const { ServerId } = await client.send(new CreateServerCommand(VPC));
  const server = (await client.send(new DescribeServerCommand({ ServerId }))).Server;
  const endpointId = server?.EndpointDetails?.VpcEndpointId ?? '';
  assert.ok(target.ec2.endpointGroups(endpointId), 'the endpoint exists');
  return { serverId: ServerId ?? '', endpointId };
}

async function rejectsWith(promise: Promise<unknown>, name: string, status: number): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
    return e.name === name && e.$metadata?.httpStatusCode === status;
  });
}

describe('EC2 through the SDK', () => {
  test("the engine's adapter reads and changes the endpoint's groups; a change by hand is seen", async () => {
    const { endpointId } = await vpcServer();
    assert.deepEqual(await endpointSecurityGroups(ec2, endpointId), [SG_A]);
    await modifyEndpointGroups(ec2, endpointId, [SG_B], [SG_A]);
    assert.deepEqual(await endpointSecurityGroups(ec2, endpointId), [SG_B]);
    // Drift made by hand, through the real API from another client.
    const other = ec2Client(emu);
    const answer = await other.send(new ModifyVpcEndpointCommand({ VpcEndpointId: endpointId, AddSecurityGroupIds: [SG_A] }));
    assert.equal(answer.Return, true);
    assert.deepEqual(await endpointSecurityGroups(ec2, endpointId), [SG_A, SG_B]);
    const out = await ec2.send(new DescribeVpcEndpointsCommand({ Filters: [{ Name: 'vpc-endpoint-id', Values: [endpointId] }] }));
    const endpoint = out.VpcEndpoints?.[0];
    assert.equal(endpoint?.VpcId, 'vpc-0a1b2c3d');
    assert.ok(endpoint?.CreationTimestamp instanceof Date);
    assert.deepEqual(endpoint?.SubnetIds, ['subnet-1111']);
    const groups = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [SG_A, SG_B] }));
    assert.deepEqual(groups.SecurityGroups?.map((g) => [g.GroupId, g.VpcId]).sort(), [
      [SG_A, 'vpc-0a1b2c3d'],
      [SG_B, 'vpc-0a1b2c3d'],
    ]);
  });

  test('the endpoint is gone when the server leaves VPC', async () => {
    const { serverId, endpointId } = await vpcServer();
    await transfer.send(new StopServerCommand({ ServerId: serverId }));
    await transfer.send(new UpdateServerCommand({ ServerId: serverId, EndpointType: 'PUBLIC' }));
    await rejectsWith(ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [endpointId] })), 'InvalidVpcEndpointId.NotFound', 400);
  });

  test("EC2's errors as the SDK reads them; the raw answer is EC2's envelope", async () => {
    const { endpointId } = await vpcServer();
    await rejectsWith(
      ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: ['vpce-0123456789abcdef0'] })),
      'InvalidVpcEndpointId.NotFound',
      400,
    );
    await rejectsWith(ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: ['sg-0123456789abcdef0'] })), 'InvalidGroup.NotFound', 400);
    await rejectsWith(
      ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: endpointId, RemoveSecurityGroupIds: [SG_A] })),
      'InvalidParameterValue',
      400,
    );
    const raw = await rawQuery(emu, { Action: 'ModifyVpcEndpoint', Version: '2016-11-15' });
    assert.equal(raw.status, 400);
    assert.match(
      raw.text,
      /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<Response><Errors><Error><Code>MissingParameter<\/Code><Message>The request must contain the parameter VpcEndpointId<\/Message><\/Error><\/Errors><RequestID>[0-9a-f-]{36}<\/RequestID><\/Response>$/,
    );
    const ok = await rawQuery(emu, { Action: 'DescribeVpcEndpoints', Version: '2016-11-15', 'VpcEndpointId.1': endpointId });
    assert.match(
      ok.text,
      /<DescribeVpcEndpointsResponse xmlns="http:\/\/ec2\.amazonaws\.com\/doc\/2016-11-15\/"><requestId>[0-9a-f-]{36}<\/requestId><vpcEndpointSet><item><vpcEndpointId>vpce-/,
    );
    assert.equal((await rawQuery(emu, { Action: 'RunInstances', Version: '2016-11-15' })).status, 400);
  });

  test('faults for service ec2: throttling is RequestLimitExceeded (503) and retried by the SDK; 500 InternalError; 503 Unavailable; the call log', async () => {
    const { endpointId } = await vpcServer();
    const once = ec2Client(emu, { maxAttempts: 1 });
    try {
      emu.faults.set({ services: { ec2: { throttle: { rate: 0.0001, burst: 1 } } } });
      await once.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [endpointId] }));
      await rejectsWith(once.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [endpointId] })), 'RequestLimitExceeded', 503);
      emu.faults.set({ services: { ec2: { error500Rate: 1 } } });
      await rejectsWith(once.send(new DescribeVpcEndpointsCommand({})), 'InternalError', 500);
      emu.faults.set({ services: { ec2: { error503Rate: 1 } } });
      await rejectsWith(once.send(new DescribeVpcEndpointsCommand({})), 'Unavailable', 503);
      // Transfer is untouched by EC2's faults.
      await transfer.send(new DescribeServerCommand({ ServerId: (await vpcServer()).serverId }));
      emu.faults.set({ operations: { 'AmazonEC2.DescribeVpcEndpoints': { throttle: { rate: 20, burst: 1 } } } });
      emu.calls.clear();
      await ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [endpointId] }));
      await ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [endpointId] }));
    } finally {
      emu.faults.set({});
    }
    const calls = emu.calls.list().filter((c) => c.service === 'ec2');
    assert.ok(
      calls.some((c) => c.throttled && c.status === 503 && c.errorCode === 'RequestLimitExceeded'),
      'a throttled attempt',
    );
    assert.equal(calls.at(-1)?.status, 200, 'the SDK retried past the throttle');
    assert.ok(calls.every((c) => c.target === endpointId && c.operation === 'DescribeVpcEndpoints' && c.unknownMembers === undefined));
  });

  test('a state file keeps endpoints and their groups across a restart', async () => {
    const stateFile = join(mkdtempSync(join(tmpdir(), 'ec2-state-')), 'state.json');
    const first = await startEmulator({ stateFile, transitionDelayMs: 0 });
    let endpointId: string;
    try {
      const t = transferClient(first);
      ({ endpointId } = await vpcServer(first, t));
      await ec2Client(first).send(new ModifyVpcEndpointCommand({ VpcEndpointId: endpointId, AddSecurityGroupIds: [SG_B] }));
    } finally {
      await first.stop();
    }
    const second = await startEmulator({ stateFile, transitionDelayMs: 0 });
    try {
      assert.deepEqual(await endpointSecurityGroups(ec2Client(second), endpointId), [SG_A, SG_B]);
    } finally {
      await second.stop();
    }
  });
});
