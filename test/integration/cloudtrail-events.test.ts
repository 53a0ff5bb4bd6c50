// CloudTrail "AWS API Call via CloudTrail" events for Transfer and EC2 writes, through real SDK
// clients over HTTP: two access keys → two principals (the worker role and a person), a failed
// call carries errorCode, host-key material never appears in any event, the event delay holds,
// the call log names each call's principal, and subscribe() still delivers Parameter Store events only.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ModifyVpcEndpointCommand } from '@aws-sdk/client-ec2';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import {
  CreateServerCommand,
  DescribeServerCommand,
  ImportHostKeyCommand,
  StartServerCommand,
  TagResourceCommand,
  UpdateServerCommand,
} from '@aws-sdk/client-transfer';
import { followAllEvents } from '../../infra/local/event-stream-client.ts';
import { HIDDEN } from '../../infra/local/cloudtrail.ts';
import { RECONCILER_ROLE_ARN } from '../../infra/local/principals.ts';
import type { CloudTrailApiCallEvent, EmulatorEvent } from '../../infra/local/types.ts';
import { ec2Client } from '../helpers/ec2.ts';
import { emulatorForTests, ssmClient, transferClient } from '../helpers/emulator.ts';
import { keyMaterialLines, markedHostKey } from '../helpers/secrets.ts';

const DELAY = 150;
const emu = await emulatorForTests({ transitionDelayMs: 0, eventDelayMs: DELAY });
const person = transferClient(emu, { credentials: { accessKeyId: 'console', secretAccessKey: 'x' } });
const worker = transferClient(emu, { credentials: { accessKeyId: 'reconciler-worker', secretAccessKey: 'x' } });
const ec2 = ec2Client(emu, { credentials: { accessKeyId: 'console', secretAccessKey: 'x' } });
const all: EmulatorEvent[] = [];
const ssmOnly: EmulatorEvent[] = [];
emu.events.subscribeAll((e) => all.push(e));
emu.events.subscribe((e) => ssmOnly.push(e));

const trail = (): CloudTrailApiCallEvent[] =>
  all.filter((e): e is CloudTrailApiCallEvent => e['detail-type'] === 'AWS API Call via CloudTrail');
async function until(n: number): Promise<CloudTrailApiCallEvent[]> {
  for (let i = 0; i < 100 && trail().length < n; i++) await new Promise((r) => setTimeout(r, 20));
  return trail();
}

describe('CloudTrail events from the emulator', () => {
  test('each principal is its own userIdentity; shapes, delay, failed calls, no key material', async () => {
    const serverKey = markedHostKey('ed25519');
    const importedKey = markedHostKey('ecdsa');
    const t0 = Date.now();
    const { ServerId } = await person.send(new CreateServerCommand({ HostKey: serverKey, Tags: [{ Key: 'team', Value: 'a' }] }));
    assert.equal(trail().length, 0, 'nothing before the event delay');
    await worker.send(new UpdateServerCommand({ ServerId, HostKey: serverKey, SecurityPolicyName: 'TransferSecurityPolicy-2024-01' }));
    await worker.send(new ImportHostKeyCommand({ ServerId, HostKeyBody: importedKey, Description: 'second' }));
    const arn = (await worker.send(new DescribeServerCommand({ ServerId }))).Server?.Arn;
    await person.send(new TagResourceCommand({ Arn: arn, Tags: [{ Key: 'k', Value: 'v' }] }));
    await assert.rejects(person.send(new StartServerCommand({ ServerId: 's-0123456789abcdef0' })));
    const events = await until(5);
    assert.ok(Date.now() - t0 >= DELAY);
    assert.deepEqual(
      events.map((e) => e.detail.eventName),
      ['CreateServer', 'UpdateServer', 'ImportHostKey', 'TagResource', 'StartServer'],
    );
    const [create, update, imported, tag, failed] = events as [
      CloudTrailApiCallEvent,
      CloudTrailApiCallEvent,
      CloudTrailApiCallEvent,
      CloudTrailApiCallEvent,
      CloudTrailApiCallEvent,
    ];
    for (const e of events) {
      assert.equal(e.source, 'aws.transfer');
      assert.equal(e.detail.eventSource, 'transfer.amazonaws.com');
      assert.equal(e.account, emu.accountId);
      assert.equal(e.detail.readOnly, false);
      assert.equal(e.detail.eventType, 'AwsApiCall');
    }
    const issuer = (e: CloudTrailApiCallEvent): unknown =>
      (e.detail.userIdentity.sessionContext as { sessionIssuer: { arn: string } }).sessionIssuer.arn;
    assert.equal(issuer(update), RECONCILER_ROLE_ARN);
    assert.equal(update.detail.userIdentity.arn, `arn:aws:sts::${emu.accountId}:assumed-role/transfer-reconciler-worker/reconcile`);
    assert.equal(issuer(create), `arn:aws:iam::${emu.accountId}:role/Admin`);
    assert.notDeepEqual(create.detail.userIdentity, update.detail.userIdentity);
    assert.equal(update.detail.requestParameters?.serverId, ServerId);
    assert.equal(update.detail.requestParameters?.hostKey, HIDDEN);
    assert.equal(create.detail.requestParameters?.hostKey, HIDDEN);
    assert.deepEqual(create.detail.requestParameters?.tags, [{ key: 'team', value: 'a' }]);
    assert.equal(create.detail.responseElements?.serverId, ServerId);
    assert.equal(imported.detail.requestParameters?.hostKeyBody, HIDDEN);
    assert.equal(tag.detail.requestParameters?.arn, arn);
    assert.equal(failed.detail.errorCode, 'ResourceNotFoundException');
    assert.ok(failed.detail.errorMessage);
    assert.equal(failed.detail.responseElements, null);
    const text = JSON.stringify(all);
    for (const line of [...keyMaterialLines(serverKey), ...keyMaterialLines(importedKey)])
      assert.ok(!text.includes(line), 'key material in an event');
    const calls = emu.calls.list().filter((c) => c.service === 'transfer');
    assert.equal(calls.find((c) => c.operation === 'UpdateServer')?.principal, update.detail.userIdentity.arn);
    assert.equal(calls.find((c) => c.operation === 'CreateServer')?.principal, create.detail.userIdentity.arn);
  });

  test('EC2 ModifyVpcEndpoint: nested request parameters, errorCode on a refusal, principal in the call log', async () => {
    const before = trail().length;
    const { ServerId } = await person.send(
      new CreateServerCommand({
        EndpointType: 'VPC',
        EndpointDetails: { VpcId: 'vpc-0a1b2c3d', SubnetIds: ['subnet-1'], SecurityGroupIds: ['sg-0a1b2c3d4e5f60718'] },
      }),
    );
    const endpointId = (await person.send(new DescribeServerCommand({ ServerId }))).Server?.EndpointDetails?.VpcEndpointId;
    await ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: endpointId, AddSecurityGroupIds: ['sg-0a1b2c3d4e5f60719'] }));
    await assert.rejects(
      ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: 'vpce-0000000000000000f', AddSecurityGroupIds: ['sg-0a1b2c3d4e5f60719'] })),
    );
    const events = (await until(before + 3)).slice(before).filter((e) => e.source === 'aws.ec2');
    assert.equal(events.length, 2);
    const [ok, refused] = events as [CloudTrailApiCallEvent, CloudTrailApiCallEvent];
    assert.equal(ok.detail.eventSource, 'ec2.amazonaws.com');
    assert.deepEqual(ok.detail.requestParameters, {
      ModifyVpcEndpointRequest: { VpcEndpointId: endpointId, AddSecurityGroupId: { tag: 1, content: 'sg-0a1b2c3d4e5f60719' } },
    });
    assert.equal(ok.detail.errorCode, undefined);
    assert.match(refused.detail.errorCode ?? '', /^InvalidVpcEndpointId/);
    const call = emu.calls.list().find((c) => c.service === 'ec2' && c.operation === 'ModifyVpcEndpoint');
    assert.equal(call?.principal, `arn:aws:sts::${emu.accountId}:assumed-role/Admin/alice`);
  });

  test('the NDJSON stream carries both kinds; subscribe() keeps to Parameter Store events', async () => {
    const seen: EmulatorEvent[] = [];
    let opened!: () => void;
    const open = new Promise<void>((r) => (opened = r));
    const follower = followAllEvents(emu.url, (e) => seen.push(e), { onOpen: () => opened() });
    try {
      await open;
      await ssmClient(emu).send(new PutParameterCommand({ Name: '/ct/doc', Value: 'x', Type: 'String' }));
      await worker.send(new CreateServerCommand({}));
      for (let i = 0; i < 100 && seen.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(seen.map((e) => e.source).sort(), ['aws.ssm', 'aws.transfer']);
      assert.ok(ssmOnly.length >= 1 && ssmOnly.every((e) => e.source === 'aws.ssm'));
    } finally {
      follower.close();
    }
  });
});
