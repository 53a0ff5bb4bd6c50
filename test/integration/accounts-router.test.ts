// The router across accounts on the emulator (real SDK clients over HTTP): a host-key change keys
// every document that references the key, whatever its account, except those of account-regions
// the accounts file does not list (reported); a document under a nested name keys its address; a
// spoke's ModifyVpcEndpoint is looked up in that account-region through its assumed role; a spoke's
// own Parameter Store events are not documents.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EC2Client, ModifyVpcEndpointCommand } from '@aws-sdk/client-ec2';
import { CreateServerCommand, DescribeServerCommand } from '@aws-sdk/client-transfer';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { PREFIX } from '../helpers/engine.ts';
import { emulatorForTests } from '../helpers/emulator.ts';
import { A, C, SPOKE_ROLE, US, misplacedCalls, organisation } from './accounts-fixture.ts';
import { startPipeline } from './pipeline-harness.ts';

const KEYS = '/transfer-reconciler/host-keys/';
const emu = await emulatorForTests({ transitionDelayMs: 0 });
const org = await organisation(emu);
const pipe = await startPipeline(emu, {
  name: 'accounts-router',
  env: { DESIRED_STATE_PREFIX: PREFIX, HOST_KEY_PREFIX: KEYS, TRANSFER_CALLS_PER_SECOND: '500', SSM_CALLS_PER_SECOND: '500' },
});
if (!pipe.config.reconcilerRoleArns.includes(SPOKE_ROLE)) pipe.config.reconcilerRoleArns.push(SPOKE_ROLE);

const S1 = 's-0000000000000000a';
const S2 = 's-0000000000000000b';
const S3 = 's-0000000000000000c';
const enqueued = () => pipe.router.lines.filter((l) => l.message === 'enqueued');

describe('the router across accounts', () => {
  test('a host-key change keys every listed document that references it, in any account; unlisted ones are reported', async () => {
    pipe.deaf = true;
    const doc = { HostKey: { SecureStringParameter: `${KEYS}shared` } };
    await org.putDocument(`${PREFIX}${S1}`, doc);
    await org.putDocument(`${PREFIX}${A}/${US}/${S2}`, doc);
    await org.putDocument(`${PREFIX}${C}/${US}/${S3}`, doc);
    await pipe.routed();
    pipe.deaf = false;
    pipe.router.clear();
    await org.ssm.send(new PutParameterCommand({ Name: `${KEYS}shared`, Value: 'not a key', Type: 'SecureString', Overwrite: true }));
    await pipe.routed();
    const [line] = enqueued();
    assert.deepEqual([...((line?.serverIds as string[]) ?? [])].sort(), [`${A}/${US}/${S2}`, S1].sort());
    assert.deepEqual(line?.unlisted, [`${C}/${US}/${S3}`]);
    assert.equal(line?.unlistedReason, 'unlisted-account');
    pipe.deaf = true;
    await pipe.drain();
    pipe.deaf = false;
  });

  test("a nested document name keys its address; a spoke's own parameters are not documents", async () => {
    pipe.router.clear();
    await org.putDocument(`${PREFIX}${A}/${US}/${S2}`, { SecurityPolicyName: 'TransferSecurityPolicy-2024-01' });
    await pipe.routed();
    assert.deepEqual(enqueued()[0]?.serverIds, [`${A}/${US}/${S2}`]);
    pipe.router.clear();
    const spokeSsm = new SSMClient({ endpoint: emu.url, region: US, credentials: { accessKeyId: A, secretAccessKey: 'x' } });
    after(() => spokeSsm.destroy());
    await spokeSsm.send(new PutParameterCommand({ Name: `${PREFIX}${S1}`, Value: '{}', Type: 'String', Overwrite: true }));
    await pipe.routed();
    assert.deepEqual(enqueued(), []);
    assert.match(String(pipe.router.lines.find((l) => l.message === 'dropped')?.reason), new RegExp(`account ${A}.*not the hub's`));
    pipe.deaf = true;
    await pipe.drain();
    pipe.deaf = false;
  });

  test("a spoke's ModifyVpcEndpoint is mapped to its server through that account's role", async () => {
    const person = org.transferIn({ account: A, region: US });
    const { ServerId } = await person.send(
      new CreateServerCommand({
        EndpointType: 'VPC',
        EndpointDetails: { VpcId: 'vpc-0a1b2c3d', SubnetIds: ['subnet-1'], SecurityGroupIds: ['sg-0a1b2c3d4e5f60718'] },
      }),
    );
    const id = ServerId ?? '';
    const endpointId = (await person.send(new DescribeServerCommand({ ServerId: id }))).Server?.EndpointDetails?.VpcEndpointId;
    assert.ok(endpointId);
    pipe.deaf = true;
    await org.putDocument(`${PREFIX}${A}/${US}/${id}`, {
      EndpointType: 'VPC',
      EndpointDetails: { SecurityGroupIds: ['sg-0a1b2c3d4e5f60718'] },
    });
    await pipe.routed();
    pipe.deaf = false;
    pipe.router.clear();
    const ec2 = new EC2Client({ endpoint: emu.url, region: US, credentials: { accessKeyId: A, secretAccessKey: 'x' } });
    after(() => ec2.destroy());
    await ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: endpointId, AddSecurityGroupIds: ['sg-0a1b2c3d4e5f60719'] }));
    await pipe.routed();
    const [line] = enqueued();
    assert.deepEqual(line?.serverIds, [`${A}/${US}/${id}`]);
    assert.ok(Number(line?.described) >= 1);
    const describes = emu.calls
      .list(0, {})
      .filter((c) => c.operation === 'DescribeServer' && c.target === id && c.principal?.includes(SPOKE_ROLE));
    assert.ok(describes.length >= 1);
    assert.deepEqual(misplacedCalls(emu.calls.list(0, {}), new Map([[id, { account: A, region: US }]])), []);
  });
});
