// Several accounts and regions on one emulator, through SDK clients over HTTP: the account from
// the access key (12 digits, or STS session credentials), the region from the signature. Each
// account-region has its own servers, parameters, endpoints, call log entries, events and fault
// buckets (events across accounts and the state file: emulator-accounts-events.test.ts).
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DescribeVpcEndpointsCommand } from '@aws-sdk/client-ec2';
import { GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { CreateServerCommand, DescribeServerCommand, ListServersCommand, TransferClient } from '@aws-sdk/client-transfer';
import { startEmulator } from '../../infra/local/emulator.ts';
import type { Emulator } from '../../infra/local/emulator.ts';
import { RECONCILER_ROLE_ARN } from '../../infra/local/principals.ts';
import type { CallLogEntry, CloudTrailApiCallEvent, EmulatorEvent } from '../../infra/local/types.ts';
import { ec2Client } from '../helpers/ec2.ts';
import { emulatorForTests, ssmClient } from '../helpers/emulator.ts';

const A = '111111111111';
const B = '222222222222';
const ROLE = `arn:aws:iam::${A}:role/transfer-reconciler-spoke`;
const emu = await emulatorForTests({ transitionDelayMs: 0, roles: [{ arn: ROLE, trustedPrincipals: [RECONCILER_ROLE_ARN] }] });
const creds = (accessKeyId: string, extra: { secretAccessKey?: string; sessionToken?: string } = {}) => ({
  accessKeyId,
  secretAccessKey: extra.secretAccessKey ?? 'x',
  ...(extra.sessionToken === undefined ? {} : { sessionToken: extra.sessionToken }),
});
const transferOf = (key: string, region = 'us-east-1', target: Emulator = emu): TransferClient => {
  const client = new TransferClient({ endpoint: target.url, region, credentials: creds(key), maxAttempts: 1 });
  after(() => client.destroy());
  return client;
};
const VPC = { EndpointType: 'VPC' as const, EndpointDetails: { VpcId: 'vpc-0a1b2c3d', SubnetIds: ['subnet-1111'] } };
const ids = async (client: TransferClient): Promise<string[]> =>
  ((await client.send(new ListServersCommand({}))).Servers ?? []).map((s) => s.ServerId ?? '').sort();

describe('account-regions', () => {
  test('a 12-digit key creates servers in that account only; ARNs and endpoints carry account and region', async () => {
    const inA = transferOf(A);
    const { ServerId } = await inA.send(new CreateServerCommand(VPC));
    const server = (await inA.send(new DescribeServerCommand({ ServerId }))).Server;
    assert.equal(server?.Arn, `arn:aws:transfer:us-east-1:${A}:server/${ServerId}`);
    assert.deepEqual(await ids(inA), [ServerId]);
    assert.deepEqual(await ids(transferOf(B)), [], 'another account');
    assert.deepEqual(await ids(transferOf(A, 'eu-west-1')), [], 'another region of the same account');
    assert.deepEqual(await ids(transferOf('test')), [], 'the default account');
    await assert.rejects(transferOf(B).send(new DescribeServerCommand({ ServerId })), { name: 'ResourceNotFoundException' });
    assert.ok(emu.at(A).transfer.getServer(ServerId ?? ''));
    assert.equal(emu.transfer.getServer(ServerId ?? ''), undefined);

    const endpointId = server?.EndpointDetails?.VpcEndpointId ?? '';
    const ec2 = (key: string) => ec2Client(emu, { credentials: creds(key), maxAttempts: 1 });
    const endpoint = (await ec2(A).send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [endpointId] }))).VpcEndpoints?.[0];
    assert.equal(endpoint?.OwnerId, A);
    assert.equal(endpoint?.ServiceName, 'com.amazonaws.us-east-1.transfer.server');
    await assert.rejects(ec2(B).send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [endpointId] })), {
      name: 'InvalidVpcEndpointId.NotFound',
    });

    // Control endpoints name the account-region with ?account=&region= (default: the emulator's).
    const force = (query: string) =>
      fetch(`${emu.url}/_emulator/transfer/servers/${ServerId}/state${query}`, {
        method: 'POST',
        body: JSON.stringify({ State: 'OFFLINE' }),
      });
    assert.equal((await force('')).status, 404, 'not a server of the default account');
    assert.equal((await force(`?account=${A}&region=us-east-1`)).status, 200);
    assert.equal((await inA.send(new DescribeServerCommand({ ServerId }))).Server?.State, 'OFFLINE');
    assert.equal((await force('?account=12')).status, 400);
    const served = (await (await fetch(`${emu.url}/_emulator/accounts`)).json()) as Array<{ accountId: string; region: string }>;
    assert.deepEqual(served[0], { accountId: '000000000000', region: 'us-east-1' });
    assert.ok(served.some((x) => x.accountId === A && x.region === 'eu-west-1'));

    // Each account-region its own server id space: the same id may be seeded in two of them.
    emu.at(B, 'eu-west-1').transfer.createServerWithId(ServerId ?? '', {});
    const inBeu = transferOf(B, 'eu-west-1');
    assert.equal(
      (await inBeu.send(new DescribeServerCommand({ ServerId }))).Server?.Arn,
      `arn:aws:transfer:eu-west-1:${B}:server/${ServerId}`,
    );
  });

  test('SSM parameters per account-region, each change event with its account and region', async () => {
    const seen: EmulatorEvent[] = [];
    const stop = emu.events.subscribeAll((e) => seen.push(e));
    const ssm = (key: string, region = 'us-east-1') => ssmClient(emu, { credentials: creds(key), region, maxAttempts: 1 });
    await ssm(A).send(new PutParameterCommand({ Name: '/acct/p', Value: 'in A', Type: 'String' }));
    await ssm(A, 'eu-west-1').send(new PutParameterCommand({ Name: '/acct/p', Value: 'in A eu', Type: 'String' }));
    assert.equal((await ssm(A).send(new GetParameterCommand({ Name: '/acct/p' }))).Parameter?.Value, 'in A');
    assert.equal((await ssm(A, 'eu-west-1').send(new GetParameterCommand({ Name: '/acct/p' }))).Parameter?.Value, 'in A eu');
    await assert.rejects(ssm(B).send(new GetParameterCommand({ Name: '/acct/p' })), { name: 'ParameterNotFound' });
    await assert.rejects(ssm('test').send(new GetParameterCommand({ Name: '/acct/p' })), { name: 'ParameterNotFound' });
    stop();
    const changes = seen.filter((e) => e.source === 'aws.ssm');
    assert.deepEqual(
      changes.map((e) => [e.account, e.region, e.resources[0]]),
      [
        [A, 'us-east-1', `arn:aws:ssm:us-east-1:${A}:parameter/acct/p`],
        [A, 'eu-west-1', `arn:aws:ssm:eu-west-1:${A}:parameter/acct/p`],
      ],
    );
  });

  test('session credentials from AssumeRole land in the role account, named in the call log and CloudTrail', async () => {
    const seen: CloudTrailApiCallEvent[] = [];
    const stop = emu.events.subscribeAll((e) => {
      if (e['detail-type'] === 'AWS API Call via CloudTrail') seen.push(e);
    });
    const hub = new STSClient({ endpoint: emu.url, region: 'us-east-1', credentials: creds('reconciler'), maxAttempts: 1 });
    after(() => hub.destroy());
    const c = (await hub.send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: 'sweep' }))).Credentials;
    const spoke = new TransferClient({
      endpoint: emu.url,
      region: 'eu-central-1',
      maxAttempts: 1,
      credentials: creds(c?.AccessKeyId ?? '', { secretAccessKey: c?.SecretAccessKey ?? '', sessionToken: c?.SessionToken ?? '' }),
    });
    after(() => spoke.destroy());
    const since = emu.calls.list(0, {}).at(-1)?.seq ?? 0;
    const { ServerId } = await spoke.send(new CreateServerCommand({}));
    stop();
    assert.ok(emu.at(A, 'eu-central-1').transfer.getServer(ServerId ?? ''));
    const session = `arn:aws:sts::${A}:assumed-role/transfer-reconciler-spoke/sweep`;
    const call = emu.calls.list(since, {}).find((e) => e.operation === 'CreateServer') as CallLogEntry;
    assert.deepEqual([call.principal, call.account, call.region], [session, A, 'eu-central-1']);
    assert.deepEqual(emu.at(A, 'eu-central-1').calls.list(since), [call]);
    assert.equal(
      emu.calls.list(since).find((e) => e.operation === 'CreateServer'),
      undefined,
      'emu.calls is the default account-region',
    );
    const hubCall = emu.calls.list(0).findLast((e) => e.operation === 'AssumeRole');
    assert.deepEqual([hubCall?.service, hubCall?.account, hubCall?.target], ['sts', '000000000000', ROLE]);

    const event = seen.find((e) => e.detail.eventName === 'CreateServer') as CloudTrailApiCallEvent;
    assert.deepEqual(
      [event.account, event.region, event.detail.awsRegion, event.detail.recipientAccountId],
      [A, 'eu-central-1', 'eu-central-1', A],
    );
    const who = event.detail.userIdentity as {
      type: string;
      arn: string;
      accountId: string;
      accessKeyId: string;
      sessionContext: { sessionIssuer: Record<string, string> };
    };
    assert.deepEqual([who.type, who.arn, who.accountId, who.accessKeyId], ['AssumedRole', session, A, c?.AccessKeyId]);
    assert.equal(who.sessionContext.sessionIssuer.arn, ROLE);
    assert.equal(who.sessionContext.sessionIssuer.accountId, A);
    assert.equal(who.sessionContext.sessionIssuer.userName, 'transfer-reconciler-spoke');

    const filtered = (await (
      await fetch(`${emu.url}/_emulator/calls?since=${since}&account=${A}&region=eu-central-1`)
    ).json()) as CallLogEntry[];
    assert.deepEqual(
      filtered.map((e) => e.operation),
      ['CreateServer'],
    );
    const none = (await (await fetch(`${emu.url}/_emulator/calls?since=${since}&account=${B}`)).json()) as CallLogEntry[];
    assert.deepEqual(none, []);
  });

  test('throttling per account-region: one throttled account does not slow another', async () => {
    const other = await startEmulator({ faults: { services: { transfer: { throttle: { rate: 0.001, burst: 2 } } } } });
    try {
      const list = (client: TransferClient) => client.send(new ListServersCommand({}));
      const a = transferOf(A, 'us-east-1', other);
      await list(a);
      await list(a);
      await assert.rejects(list(a), { name: 'ThrottlingException' });
      for (const client of [transferOf(B, 'us-east-1', other), transferOf(A, 'eu-west-1', other), transferOf('test', 'us-east-1', other)]) {
        await list(client);
        await list(client);
      }
      const throttled = other.calls.list(0, {}).filter((e) => e.throttled);
      assert.deepEqual(
        throttled.map((e) => [e.account, e.region]),
        [[A, 'us-east-1']],
      );
    } finally {
      await other.stop();
    }
  });
});
