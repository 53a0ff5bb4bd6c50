// Security groups of a VPC server (on its VPC endpoint, through EC2) and the custom hostname (two
// tags), end to end: real SDK clients over HTTP to the emulator, writes counted per operation,
// drift made by hand repaired by one sweep and a second sweep writing nothing.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { DescribeVpcEndpointsCommand, EC2Client, ModifyVpcEndpointCommand } from '@aws-sdk/client-ec2';
import { ListTagsForResourceCommand, TagResourceCommand } from '@aws-sdk/client-transfer';
import { assertOutcomeShape, engineForTests } from '../helpers/engine.ts';
import type { Engine } from '../helpers/engine.ts';

const engine = await engineForTests({ transitionDelayMs: 20 });
const ec2 = new EC2Client({
  endpoint: engine.emu.url,
  region: engine.emu.region,
  credentials: { accessKeyId: 'person', secretAccessKey: 'x' },
});
after(() => ec2.destroy());

const SG_A = 'sg-0000000a';
const SG_B = 'sg-0000000b';
const SG_C = 'sg-0000000c';
const ZONE = '/hostedzone/Z0123456789ABCDEFGHIJ';

async function vpcServer(e: Engine, groups: string[]): Promise<{ id: string; endpoint: string }> {
  const id = await e.createServer({
    EndpointType: 'VPC',
    EndpointDetails: { VpcId: 'vpc-0a1b2c3d', SubnetIds: ['subnet-1111'], SecurityGroupIds: groups },
  });
  const endpoint = (await e.describe(id)).EndpointDetails?.VpcEndpointId;
  assert.ok(endpoint, 'a VPC server reports its endpoint');
  return { id, endpoint };
}

async function groupsOf(endpoint: string): Promise<string[]> {
  const out = await ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [endpoint] }));
  return (out.VpcEndpoints?.[0]?.Groups ?? []).map((g) => g.GroupId ?? '').sort();
}

const ops = (e: Engine): string[] =>
  e
    .writes()
    .filter((c) => c.status < 300)
    .map((c) => c.operation);

describe('security groups of a VPC server', () => {
  test('replace: ModifyVpcEndpoint adds the new group, then removes the old one; no UpdateServer, no stop; read back', async () => {
    const { id, endpoint } = await vpcServer(engine, [SG_A]);
    await engine.putDocument(id, { EndpointDetails: { SecurityGroupIds: [SG_B] } });
    engine.mark();
    const o = await engine.reconcile(id);
    assertOutcomeShape(o);
    assert.equal(o.result, 'updated', JSON.stringify(o));
    assert.deepEqual(o.done, [`ModifyVpcEndpoint(add ${SG_B})`, `ModifyVpcEndpoint(remove ${SG_A})`]);
    assert.deepEqual(ops(engine), ['ModifyVpcEndpoint', 'ModifyVpcEndpoint']);
    assert.equal(o.calls['DescribeVpcEndpoints'], 2, 'observed, then read back');
    assert.deepEqual(await groupsOf(endpoint), [SG_B]);
    engine.mark();
    assert.equal((await engine.reconcile(id)).result, 'in-sync');
    assert.deepEqual(ops(engine), []);
  });

  test('add only and remove only are one call each', async () => {
    const { id, endpoint } = await vpcServer(engine, [SG_A]);
    await engine.putDocument(id, { EndpointDetails: { SecurityGroupIds: [SG_A, SG_C] } });
    engine.mark();
    assert.equal((await engine.reconcile(id)).result, 'updated');
    assert.deepEqual(ops(engine), ['ModifyVpcEndpoint']);
    await engine.putDocument(id, { EndpointDetails: { SecurityGroupIds: [SG_C] } });
    engine.mark();
    assert.equal((await engine.reconcile(id)).result, 'updated');
    assert.deepEqual(ops(engine), ['ModifyVpcEndpoint']);
    assert.deepEqual(await groupsOf(endpoint), [SG_C]);
  });

  test('a group added by hand is found and removed by one sweep; the second sweep writes nothing; detect mode only reports', async () => {
    const { id, endpoint } = await vpcServer(engine, [SG_A]);
    await engine.putDocument(id, { EndpointDetails: { SecurityGroupIds: [SG_A] } });
    await ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: endpoint, AddSecurityGroupIds: [SG_B] }));
    engine.mark();
    const detect = await engine.reconcile(id, { modeOverride: 'detect' });
    assert.equal(detect.result, 'drift-detected');
    assert.deepEqual(detect.changes, [{ path: 'EndpointDetails.SecurityGroupIds', from: [SG_A, SG_B], to: [SG_A] }]);
    assert.deepEqual(ops(engine), []);
    const first = await engine.reconcileMany({ all: true });
    assert.equal(first.outcomes.find((o) => o.serverId === id)?.result, 'updated');
    assert.deepEqual(await groupsOf(endpoint), [SG_A]);
    engine.mark();
    const second = await engine.reconcileMany({ all: true });
    assert.equal(second.outcomes.find((o) => o.serverId === id)?.result, 'in-sync');
    assert.deepEqual(ops(engine), []);
  });

  test('an empty list is invalid: nothing written, the endpoint keeps its group', async () => {
    const { id, endpoint } = await vpcServer(engine, [SG_A]);
    await engine.putDocument(id, { EndpointDetails: { SecurityGroupIds: [] } });
    engine.mark();
    const o = await engine.reconcile(id);
    assert.equal(o.result, 'invalid', JSON.stringify(o));
    assert.deepEqual(ops(engine), []);
    assert.deepEqual(await groupsOf(endpoint), [SG_A]);
  });

  test('moving PUBLIC → VPC: the groups go in the UpdateServer that moves it, and the next reconcile reads them from the endpoint', async () => {
    const id = await engine.createServer();
    await engine.putDocument(id, {
      EndpointType: 'VPC',
      EndpointDetails: { VpcId: 'vpc-0a1b2c3d', SubnetIds: ['subnet-1111'], SecurityGroupIds: [SG_B] },
      Reconciler: { AllowOfflineChanges: true },
    });
    const moved = await engine.reconcile(id);
    assert.equal(moved.result, 'updated', JSON.stringify(moved));
    const endpoint = (await engine.describe(id)).EndpointDetails?.VpcEndpointId;
    assert.ok(endpoint);
    assert.deepEqual(await groupsOf(endpoint), [SG_B]);
    engine.mark();
    assert.equal((await engine.reconcile(id)).result, 'in-sync');
    assert.deepEqual(ops(engine), []);
  });
});

describe('custom hostname', () => {
  async function tagsOf(id: string): Promise<Record<string, string>> {
    const arn = (await engine.describe(id)).Arn;
    const out = await engine.transfer.send(new ListTagsForResourceCommand({ Arn: arn }));
    return Object.fromEntries((out.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
  }

  test('set, then changed by hand and repaired by one sweep, then removed with ""', async () => {
    const id = await engine.createServer();
    await engine.putDocument(id, { CustomHostname: { Hostname: 'sftp.example.com', Route53HostedZoneId: ZONE } });
    engine.mark();
    const set = await engine.reconcile(id);
    assert.equal(set.result, 'updated', JSON.stringify(set));
    assert.deepEqual(ops(engine), ['TagResource']);
    assert.equal((await tagsOf(id))['transfer:customHostname'], 'sftp.example.com');

    const arn = (await engine.describe(id)).Arn;
    await engine.transfer.send(
      new TagResourceCommand({ Arn: arn, Tags: [{ Key: 'transfer:customHostname', Value: 'other.example.com' }] }),
    );
    const sweep = await engine.reconcileMany({ all: true });
    assert.equal(sweep.outcomes.find((o) => o.serverId === id)?.result, 'updated');
    assert.equal((await tagsOf(id))['transfer:customHostname'], 'sftp.example.com');
    engine.mark();
    const again = await engine.reconcileMany({ all: true });
    assert.equal(again.outcomes.find((o) => o.serverId === id)?.result, 'in-sync');

    await engine.putDocument(id, { CustomHostname: '' });
    engine.mark();
    assert.equal((await engine.reconcile(id)).result, 'updated');
    assert.deepEqual(ops(engine), ['UntagResource']);
    const left = await tagsOf(id);
    assert.equal(left['transfer:customHostname'], undefined);
    assert.equal(left['transfer:route53HostedZoneId'], undefined);
  });

  test('Tags with PruneTags never remove the hostname tags', async () => {
    const id = await engine.createServer();
    await engine.putDocument(id, {
      CustomHostname: { Hostname: 'a.example.com' },
      Tags: [{ Key: 'team', Value: 'files' }],
      Reconciler: { PruneTags: true },
    });
    assert.equal((await engine.reconcile(id)).result, 'updated');
    engine.mark();
    assert.equal((await engine.reconcile(id)).result, 'in-sync');
    assert.equal((await tagsOf(id))['transfer:customHostname'], 'a.example.com');
  });
});
