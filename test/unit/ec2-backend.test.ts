// The EC2 back end tied to the Transfer back end: one interface endpoint per VPC server, with the
// server's id for it, the request's groups or the VPC's default group, gone when the server leaves
// VPC or is deleted; ModifyVpcEndpoint's rules (last group refused unless allowed), groups created
// on first reference, filters, DryRun, snapshots. And every EC2 error code the back end and the
// query codec name is one of EC2's documented codes and is reached here.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AwsError } from '../../infra/local/aws-error.ts';
import { Ec2Backend } from '../../infra/local/ec2/backend.ts';
import type { EndpointWithoutGroups } from '../../infra/local/ec2/backend.ts';
import { EC2_ERRORS } from '../../infra/local/ec2/ec2-errors.ts';
import { defaultGroupId } from '../../infra/local/ec2/security-groups.ts';
import { harness } from './transfer-fixtures.ts';

const VPC_ID = 'vpc-0a1b2c3d';
const SG_A = 'sg-0a1b2c3d4e5f60718';
const SG_B = 'sg-0a1b2c3d4e5f60719';
const vpc = (groups?: string[]) => ({
  EndpointType: 'VPC',
  EndpointDetails: { VpcId: VPC_ID, SubnetIds: ['subnet-1111'], ...(groups ? { SecurityGroupIds: groups } : {}) },
});

function world(endpointWithoutGroups?: EndpointWithoutGroups) {
  const h = harness();
  const ec2 = new Ec2Backend({
    region: 'us-east-1',
    accountId: '123456789012',
    transfer: h.backend,
    ...(endpointWithoutGroups ? { endpointWithoutGroups } : {}),
  });
  const call = async (op: string, input: Record<string, unknown> = {}) => (await ec2.handle(op, input)) as Record<string, unknown>;
  const endpointOf = async (serverId: string) =>
    ((await h.describe(serverId)).EndpointDetails as { VpcEndpointId?: string } | undefined)?.VpcEndpointId;
  const groupsOf = async (id: string) =>
    (
      ((await call('DescribeVpcEndpoints', { VpcEndpointIds: [id] })).VpcEndpoints as { Groups: { GroupId: string }[] }[])[0]?.Groups ?? []
    ).map((g) => g.GroupId);
  return { h, ec2, call, endpointOf, groupsOf };
}

const code = (expected: string) => (err: unknown) => err instanceof AwsError && err.code === expected;

describe('EC2 endpoints follow the Transfer servers', () => {
  test("CreateServer VPC makes an endpoint with DescribeServer's VpcEndpointId and the request's groups", async () => {
    const w = world();
    const id = await w.h.createOnline(vpc([SG_A, SG_B]));
    const endpointId = await w.endpointOf(id);
    assert.match(String(endpointId), /^vpce-[0-9a-f]{17}$/);
    const [endpoint] = (await w.call('DescribeVpcEndpoints', { VpcEndpointIds: [endpointId] })).VpcEndpoints as Record<string, unknown>[];
    assert.equal(endpoint?.VpcId, VPC_ID);
    assert.equal(endpoint?.VpcEndpointType, 'Interface');
    assert.deepEqual(endpoint?.SubnetIds, ['subnet-1111']);
    assert.deepEqual(await w.groupsOf(String(endpointId)), [SG_A, SG_B]);
  });

  test("no groups named: the VPC's default group", async () => {
    const w = world();
    const endpointId = String(await w.endpointOf(await w.h.createOnline(vpc())));
    assert.deepEqual(await w.groupsOf(endpointId), [defaultGroupId(VPC_ID)]);
    const groups = (await w.call('DescribeSecurityGroups', { GroupIds: [defaultGroupId(VPC_ID)] })).SecurityGroups as Record<
      string,
      unknown
    >[];
    assert.equal(groups[0]?.GroupName, 'default');
  });

  test('UpdateServer to VPC creates one; leaving VPC or DeleteServer removes it', async () => {
    const w = world();
    const id = await w.h.createOffline();
    assert.deepEqual((await w.call('DescribeVpcEndpoints')).VpcEndpoints, []);
    await w.h.call('UpdateServer', { ServerId: id, ...vpc([SG_A]) });
    const endpointId = String(await w.endpointOf(id));
    assert.deepEqual(await w.groupsOf(endpointId), [SG_A]);
    await w.h.call('UpdateServer', { ServerId: id, EndpointType: 'PUBLIC' });
    await assert.rejects(w.call('DescribeVpcEndpoints', { VpcEndpointIds: [endpointId] }), code('InvalidVpcEndpointId.NotFound'));
    await w.h.call('UpdateServer', { ServerId: id, ...vpc() });
    const again = String(await w.endpointOf(id));
    assert.notEqual(again, endpointId);
    await w.h.call('DeleteServer', { ServerId: id });
    assert.deepEqual((await w.call('DescribeVpcEndpoints')).VpcEndpoints, []);
  });

  test('filters vpc-endpoint-id and vpc-id; an unknown filter is InvalidParameterValue', async () => {
    const w = world();
    const a = String(await w.endpointOf(await w.h.createOnline(vpc([SG_A]))));
    await w.h.createOnline({ EndpointType: 'VPC', EndpointDetails: { VpcId: 'vpc-99999999', SubnetIds: ['subnet-2222'] } });
    const ids = async (Filters: unknown) =>
      ((await w.call('DescribeVpcEndpoints', { Filters })).VpcEndpoints as { VpcEndpointId: string }[]).map((e) => e.VpcEndpointId);
    assert.deepEqual(await ids([{ Name: 'vpc-endpoint-id', Values: [a] }]), [a]);
    assert.deepEqual(await ids([{ Name: 'vpc-id', Values: [VPC_ID] }]), [a]);
    assert.equal((await ids([{ Name: 'vpc-id', Values: [VPC_ID, 'vpc-99999999'] }])).length, 2);
    await assert.rejects(w.call('DescribeVpcEndpoints', { Filters: [{ Name: 'tag:x', Values: ['y'] }] }), code('InvalidParameterValue'));
  });
});

describe('ModifyVpcEndpoint and security groups', () => {
  test('adds and removes in one call, answers Return true, and the stored server copy agrees', async () => {
    const w = world();
    const id = await w.h.createOnline(vpc([SG_A]));
    const endpointId = String(await w.endpointOf(id));
    assert.deepEqual(
      await w.call('ModifyVpcEndpoint', { VpcEndpointId: endpointId, AddSecurityGroupIds: [SG_B], RemoveSecurityGroupIds: [SG_A] }),
      {
        Return: true,
      },
    );
    assert.deepEqual(await w.groupsOf(endpointId), [SG_B]);
    assert.deepEqual((w.h.backend.getServer(id)?.EndpointDetails as { SecurityGroupIds: string[] }).SecurityGroupIds, [SG_B]);
    // SG_B now exists (first reference), in the endpoint's VPC.
    const groups = (await w.call('DescribeSecurityGroups', { Filters: [{ Name: 'group-id', Values: [SG_B] }] })).SecurityGroups as Record<
      string,
      unknown
    >[];
    assert.equal(groups[0]?.VpcId, VPC_ID);
  });

  test('removing the last group: InvalidParameterValue, or allowed in the other mode', async () => {
    for (const mode of ['refuse', 'allow'] as const) {
      const w = world(mode);
      const endpointId = String(await w.endpointOf(await w.h.createOnline(vpc([SG_A]))));
      const removing = w.call('ModifyVpcEndpoint', { VpcEndpointId: endpointId, RemoveSecurityGroupIds: [SG_A] });
      if (mode === 'refuse') {
        await assert.rejects(removing, code('InvalidParameterValue'));
        assert.deepEqual(await w.groupsOf(endpointId), [SG_A]);
      } else {
        await removing;
        assert.deepEqual(await w.groupsOf(endpointId), []);
      }
    }
  });

  test('refusals: unknown and malformed ids, a group not attached, one both added and removed, other members, DryRun', async () => {
    const w = world();
    const endpointId = String(await w.endpointOf(await w.h.createOnline(vpc([SG_A]))));
    const modify = (input: Record<string, unknown>) => w.call('ModifyVpcEndpoint', { VpcEndpointId: endpointId, ...input });
    await assert.rejects(w.call('ModifyVpcEndpoint', { VpcEndpointId: 'vpce-0123456789abcdef0' }), code('InvalidVpcEndpointId.NotFound'));
    await assert.rejects(w.call('DescribeVpcEndpoints', { VpcEndpointIds: ['endpoint-1'] }), code('InvalidVpcEndpointId.Malformed'));
    await assert.rejects(modify({ AddSecurityGroupIds: ['group-1'] }), code('InvalidGroupId.Malformed'));
    await assert.rejects(modify({ RemoveSecurityGroupIds: [SG_B] }), code('InvalidGroup.NotFound'));
    await modify({ AddSecurityGroupIds: [SG_B] });
    await modify({ RemoveSecurityGroupIds: [SG_B] });
    await assert.rejects(modify({ RemoveSecurityGroupIds: [SG_B] }), code('InvalidParameterValue'));
    await assert.rejects(modify({ AddSecurityGroupIds: [SG_B], RemoveSecurityGroupIds: [SG_B] }), code('InvalidParameterValue'));
    await assert.rejects(modify({ PolicyDocument: '{}' }), code('UnsupportedOperation'));
    await assert.rejects(
      modify({ AddSecurityGroupIds: [SG_B], DryRun: true }),
      (err: unknown) => code('DryRunOperation')(err) && (err as AwsError).status === 412,
    );
    assert.deepEqual(await w.groupsOf(endpointId), [SG_A]);
    // A group of another VPC cannot be attached.
    w.ec2.addSecurityGroup({ GroupId: 'sg-0000000000000000f', VpcId: 'vpc-99999999', GroupName: 'elsewhere' });
    await assert.rejects(modify({ AddSecurityGroupIds: ['sg-0000000000000000f'] }), code('InvalidParameterValue'));
    await assert.rejects(w.call('DescribeSecurityGroups', { GroupIds: ['sg-0123456789abcdef0'] }), code('InvalidGroup.NotFound'));
    await assert.rejects(w.call('DescribeSecurityGroups', { GroupNames: ['nope'] }), code('InvalidGroup.NotFound'));
    await assert.rejects(w.call('DescribeSecurityGroups', { NextToken: 'bogus' }), code('InvalidPaginationToken'));
    await assert.rejects(w.call('DescribeSecurityGroups', { MaxResults: 0 }), code('InvalidParameterValue'));
    await assert.rejects(w.call('RunInstances'), code('InvalidAction'));
  });

  test('DescribeSecurityGroups pages; a snapshot restores endpoints and groups; reset rebuilds from the servers', async () => {
    const w = world();
    const id = await w.h.createOnline(vpc([SG_A]));
    const endpointId = String(await w.endpointOf(id));
    await w.call('ModifyVpcEndpoint', { VpcEndpointId: endpointId, AddSecurityGroupIds: [SG_B] });
    const first = await w.call('DescribeSecurityGroups', { MaxResults: 1 });
    const second = await w.call('DescribeSecurityGroups', { MaxResults: 1, NextToken: first.NextToken });
    assert.equal(second.NextToken, undefined);
    assert.deepEqual(
      [...(first.SecurityGroups as { GroupId: string }[]), ...(second.SecurityGroups as { GroupId: string }[])]
        .map((g) => g.GroupId)
        .sort(),
      [SG_A, SG_B],
    );

    const copy = world();
    copy.h.backend.restore(w.h.backend.snapshot());
    copy.ec2.restore(w.ec2.snapshot());
    assert.deepEqual(await copy.groupsOf(endpointId), [SG_A, SG_B]);
    // Without EC2 state (an older state file) the endpoint is rebuilt from the server, mirrored groups included.
    const older = world();
    older.h.backend.restore(w.h.backend.snapshot());
    older.ec2.restore(undefined);
    assert.deepEqual(await older.groupsOf(endpointId), [SG_A, SG_B]);
  });
});

describe('EC2 error codes', () => {
  test('every code the EC2 sources name is documented (EC2_ERRORS) and reached by the tests above', () => {
    const root = fileURLToPath(new URL('../../infra/local/ec2/', import.meta.url));
    const named = new Set<string>();
    for (const file of readdirSync(root)) {
      if (!file.endsWith('.ts')) continue;
      for (const m of readFileSync(`${root}${file}`, 'utf8').matchAll(/ec2Error\(\s*'([A-Za-z.]+)'/g)) named.add(m[1] as string);
    }
    // Reached above, or by the query codec's and the HTTP front's tests (ec2-query-codec, ec2-sdk).
    const reached = [
      'InvalidVpcEndpointId.NotFound',
      'InvalidVpcEndpointId.Malformed',
      'InvalidGroup.NotFound',
      'InvalidGroupId.Malformed',
      'InvalidParameterValue',
      'InvalidPaginationToken',
      'UnsupportedOperation',
      'DryRunOperation',
      'InvalidAction',
      'MissingParameter',
      'RequestLimitExceeded',
      'InternalError',
      'Unavailable',
    ];
    assert.deepEqual(
      [...named].filter((c) => !EC2_ERRORS.includes(c)),
      [],
    );
    assert.deepEqual([...named].filter((c) => !reached.includes(c)).sort(), []);
  });
});
