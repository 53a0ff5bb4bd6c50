// The router's other keys and the enumerator, against the emulator through real SDK clients: a
// console ModifyVpcEndpoint mapped to its server and repaired, a host-key change enqueuing every
// server whose document references it, a failed call and an out-of-prefix parameter dropped, and
// the schedule enqueuing one message per document (servers without one reported unmanaged).
import { describe, test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { ModifyVpcEndpointCommand } from '@aws-sdk/client-ec2';
import { CreateServerCommand, UpdateServerCommand } from '@aws-sdk/client-transfer';
import { createHandler as createEnumerator } from '../../functions/handlers/enumerator.ts';
import { endpointSecurityGroups } from '../../functions/reconciler/aws/ec2-api.ts';
import { PREFIX, engineForTests } from '../helpers/engine.ts';
import { ec2Client } from '../helpers/ec2.ts';
import { markedHostKey } from '../helpers/secrets.ts';
import { capturedObservability, lambdaContext, scheduledEvent } from './handlers-harness.ts';
import { startPipeline } from './pipeline-harness.ts';

const KEYS = '/transfer-reconciler/host-keys/';
const engine = await engineForTests();
const pipe = await startPipeline(engine.emu, {
  name: 'router-test',
  env: {
    DESIRED_STATE_PREFIX: PREFIX,
    HOST_KEY_PREFIX: KEYS,
    TRANSFER_CALLS_PER_SECOND: '500',
    SSM_CALLS_PER_SECOND: '500',
    OFFLINE_WINDOW_MS: '1000',
  },
});
const ec2 = ec2Client(engine.emu);
const SG_A = 'sg-0a1b2c3d4e5f60718';
const SG_B = 'sg-0a1b2c3d4e5f60719';

beforeEach(async () => {
  await pipe.routed();
  await pipe.drain();
  pipe.router.clear();
  pipe.worker.clear();
});

const dropped = () => pipe.router.lines.filter((l) => l.message === 'dropped').map((l) => String(l.reason));

describe('router and enumerator on the emulator', () => {
  test('a console ModifyVpcEndpoint is mapped to its server (one DescribeServer per candidate) and repaired', async () => {
    const VPC = {
      EndpointType: 'VPC' as const,
      EndpointDetails: { VpcId: 'vpc-0a1b2c3d', SubnetIds: ['subnet-1111'], SecurityGroupIds: [SG_A] },
    };
    const { ServerId: id } = await engine.transfer.send(new CreateServerCommand(VPC));
    assert.ok(id);
    engine.emu.transfer.forceState(id, 'ONLINE');
    await engine.putDocument(id, VPC);
    await engine.createServer(); // a PUBLIC server, unmanaged: never read for the mapping
    await pipe.routed();
    await pipe.drain();
    pipe.router.clear();
    const endpointId = (await engine.describe(id)).EndpointDetails?.VpcEndpointId ?? '';
    await ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: endpointId, AddSecurityGroupIds: [SG_B] }));
    await pipe.routed();
    const enqueued = pipe.router.lines.find((l) => l.message === 'enqueued');
    assert.deepEqual(enqueued?.serverIds, [id]);
    assert.equal(enqueued?.described, 1);
    const outcomes = await pipe.drain();
    assert.deepEqual(
      outcomes.map((o) => [o.serverId, o.result]),
      [[id, 'updated']],
    );
    assert.deepEqual(await endpointSecurityGroups(ec2, endpointId), [SG_A]);
  });

  test('a host-key change enqueues exactly the servers whose documents reference it', async () => {
    const ref = `${KEYS}shared`;
    await engine.putText(ref, markedHostKey(), 'SecureString');
    const a = await engine.createServer();
    const b = await engine.createServer();
    const c = await engine.createServer();
    await engine.putDocument(a, { HostKey: { SecureStringParameter: ref } });
    await engine.putDocument(b, { HostKey: { SecureStringParameter: ref } });
    await engine.putDocument(c, { SecurityPolicyName: 'TransferSecurityPolicy-2024-01' });
    await pipe.routed();
    await pipe.drain();
    pipe.router.clear();
    await engine.putText(ref, markedHostKey(), 'SecureString');
    await pipe.routed();
    const enqueued = pipe.router.lines.find((l) => l.message === 'enqueued');
    assert.deepEqual((enqueued?.serverIds as string[]).sort(), [a, b].sort());
    const outcomes = await pipe.drain();
    assert.deepEqual(outcomes.map((o) => o.serverId).sort(), [a, b].sort());
  });

  test('a failed call and a parameter outside both prefixes are dropped, nothing enqueued', async () => {
    await assert.rejects(
      engine.transfer.send(
        new UpdateServerCommand({ ServerId: 's-0000000000000dead', SecurityPolicyName: 'TransferSecurityPolicy-2024-01' }),
      ),
    );
    await engine.putText('/elsewhere/thing', 'x');
    await pipe.routed();
    const reasons = dropped();
    assert.ok(
      reasons.some((r) => /failed \(ResourceNotFoundException\)/.test(r)),
      reasons.join('; '),
    );
    assert.ok(
      reasons.some((r) => /outside/.test(r)),
      reasons.join('; '),
    );
    assert.deepEqual(await pipe.depth(pipe.queueUrl), { visible: 0, inFlight: 0 });
  });

  test('without events (no trail), the schedule enqueues one message per document and the workers repair the drift', async () => {
    const ids = [await engine.createServer(), await engine.createServer(), await engine.createServer()];
    for (const id of ids) await engine.putDocument(id, { SecurityPolicyName: 'TransferSecurityPolicy-2024-01' });
    const loose = await engine.createServer();
    await pipe.routed();
    await pipe.drain();
    pipe.deaf = true;
    for (const id of ids) await engine.update({ ServerId: id, SecurityPolicyName: 'TransferSecurityPolicy-2018-11' });
    await pipe.routed();
    pipe.deaf = false;
    assert.deepEqual(await pipe.depth(pipe.queueUrl), { visible: 0, inFlight: 0 });

    const obs = capturedObservability();
    const enumerator = createEnumerator({ config: pipe.config, clients: engine.clients, sqs: pipe.sqs, queueUrl: pipe.queueUrl, ...obs });
    const event = scheduledEvent();
    const result = await enumerator(event, lambdaContext(60_000));
    assert.ok(result.documents >= 3);
    assert.deepEqual(result.send, { sent: result.documents, failed: [] });
    assert.ok(result.unmanaged.some((o) => o.serverId === loose && o.result === 'unmanaged'));
    assert.ok(obs.outcomes().some((o) => o.serverId === loose && o.result === 'unmanaged'));
    assert.equal(obs.emf()[0]?.Enqueued, result.documents);
    // The same tick retried sends nothing new (deduplication ids from the schedule event's id).
    await enumerator(event, lambdaContext(60_000));
    assert.equal((await pipe.depth(pipe.queueUrl)).visible, result.documents);

    const outcomes = await pipe.drain();
    assert.equal(outcomes.length, result.documents);
    assert.ok(outcomes.every((o) => o.trigger === 'schedule'));
    assert.deepEqual(
      outcomes.filter((o) => ids.includes(o.serverId)).map((o) => o.result),
      ['updated', 'updated', 'updated'],
    );
    for (const id of ids) assert.equal((await engine.describe(id)).SecurityPolicyName, 'TransferSecurityPolicy-2024-01');
  });
});
