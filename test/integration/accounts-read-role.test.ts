// The spoke's read-only role on the emulator (real SDK clients over HTTP): AccountClients with
// `access: 'read'` assumes the entry's readRole (else its role) and `write` its role, one credential
// cache per account and role; the router maps a spoke's ModifyVpcEndpoint to its server through the
// read role only, while the worker then reconciles that server through the write role. The roles
// are registered as the spoke template makes them: the write role trusts the worker, the read role
// the router (both sign as the worker role in the emulator's pipeline: told apart by session name).
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EC2Client, ModifyVpcEndpointCommand } from '@aws-sdk/client-ec2';
import { SSMClient } from '@aws-sdk/client-ssm';
import { CreateServerCommand, DescribeServerCommand, TransferClient } from '@aws-sdk/client-transfer';
import { AccountClients, roleFor } from '../../functions/reconciler/aws/account-clients.ts';
import { clientConfig } from '../../functions/reconciler/aws/clients.ts';
import { DEFAULT_ACCOUNTS_PARAMETER, accountsParameterText } from '../../functions/reconciler/desired/accounts-rules.ts';
import type { AccountsFile } from '../../functions/reconciler/desired/accounts-rules.ts';
import { ROUTER_SESSION_NAME } from '../../functions/handlers/router.ts';
import { RECONCILER_ROLE_ARN } from '../../infra/local/principals.ts';
import type { CallLogEntry } from '../../infra/local/types.ts';
import { PREFIX } from '../helpers/engine.ts';
import { emulatorForTests } from '../helpers/emulator.ts';
import { A, B, EU, EXTERNAL_A, SPOKE_ROLE, US, accountsFile, misplacedCalls, organisation, roleOf } from './accounts-fixture.ts';
import { startPipeline } from './pipeline-harness.ts';

const readRoleOf = (account: string): string => `arn:aws:iam::${account}:role/${SPOKE_ROLE}-read`;
const emu = await emulatorForTests({ transitionDelayMs: 0 });
const org = await organisation(emu);
emu.roles.add({ arn: readRoleOf(A), trustedPrincipals: [RECONCILER_ROLE_ARN], externalId: EXTERNAL_A });

/** The fixture's file with a readRole for A only (B keeps using its role for reads). */
function withReadRole(): AccountsFile {
  const file = accountsFile();
  return { accounts: file.accounts.map((a) => (a.id === A ? { ...a, readRole: readRoleOf(A) } : a)) };
}
await org.putDocument(DEFAULT_ACCOUNTS_PARAMETER, accountsParameterText(withReadRole()));

const since = (seq: number): CallLogEntry[] => emu.calls.list(seq, {});
const lastSeq = (): number => emu.calls.list(0, {}).at(-1)?.seq ?? 0;
const assumedRoles = (calls: CallLogEntry[]): string[] => calls.filter((c) => c.operation === 'AssumeRole').map((c) => c.target ?? '');
/** The role and session of a spoke call's principal (arn:aws:sts::<account>:assumed-role/<role>/<session>). */
const sessionOf = (c: CallLogEntry): { role: string; session: string } | undefined => {
  const m = /^arn:aws:sts::\d{12}:assumed-role\/([^/]+)\/(.+)$/.exec(c.principal ?? '');
  return m ? { role: m[1] ?? '', session: m[2] ?? '' } : undefined;
};

describe('AccountClients: read and write access', () => {
  const c = { ...clientConfig({ endpointUrl: emu.url }), credentials: { accessKeyId: 'reconciler-worker', secretAccessKey: 'x' } };
  const hub = { transfer: new TransferClient(c), ssm: new SSMClient(c), ec2: new EC2Client(c) };
  after(() => [hub.transfer, hub.ssm, hub.ec2].forEach((x) => x.destroy()));
  const made = (access?: 'read' | 'write', accounts: AccountsFile = withReadRole()) => {
    const clients = new AccountClients({
      hub,
      settings: {},
      accounts,
      sessionName: 'transfer-reconciler-test',
      ...(access ? { access } : {}),
    });
    after(() => clients.destroy());
    return clients;
  };

  test('roleFor: read → readRole when there is one, else role; write (the default) → role', () => {
    const [a, b] = withReadRole().accounts;
    assert.ok(a && b);
    assert.equal(roleFor(a, 'read'), readRoleOf(A));
    assert.equal(roleFor(a, 'write'), roleOf(A));
    assert.equal(roleFor(a), roleOf(A));
    assert.equal(roleFor(b, 'read'), roleOf(B), 'no readRole: the role');
  });

  test('read assumes the read role (once for both regions); write and the default assume the write role', async () => {
    const id = await org.createServer({ account: A, region: US });
    const idEu = await org.createServer({ account: A, region: EU });
    for (const [access, want] of [
      ['read', readRoleOf(A)],
      ['write', roleOf(A)],
      [undefined, roleOf(A)],
    ] as const) {
      const seq = lastSeq();
      const clients = made(access);
      await clients.for({ accountId: A, region: US, serverId: id }).transfer.send(new DescribeServerCommand({ ServerId: id }));
      await clients.for({ accountId: A, region: EU, serverId: idEu }).transfer.send(new DescribeServerCommand({ ServerId: idEu }));
      const calls = since(seq);
      assert.deepEqual(assumedRoles(calls), [want], `${String(access)}: one AssumeRole for both regions`);
      const described = calls.filter((x) => x.operation === 'DescribeServer');
      assert.deepEqual(
        described.map((x) => sessionOf(x)?.role),
        [want.split('/').at(-1), want.split('/').at(-1)],
      );
      assert.equal(clients.assumeCount(A), 1);
    }
  });

  test('an account without readRole: read assumes its role (which must then trust the reader)', async () => {
    const id = await org.createServer({ account: B, region: EU });
    const seq = lastSeq();
    await made('read')
      .for({ accountId: B, region: EU, serverId: id })
      .transfer.send(new DescribeServerCommand({ ServerId: id }));
    assert.deepEqual(assumedRoles(since(seq)), [roleOf(B)]);
  });

  test('one credential cache per account and role: a readRole added later is assumed anew, then cached', async () => {
    const id = await org.createServer({ account: A, region: US });
    const clients = made('read', accountsFile());
    const address = { accountId: A, region: US, serverId: id };
    const seq = lastSeq();
    await clients.for(address).transfer.send(new DescribeServerCommand({ ServerId: id }));
    clients.setAccounts(withReadRole());
    await clients.for(address).transfer.send(new DescribeServerCommand({ ServerId: id }));
    await clients.for(address).transfer.send(new DescribeServerCommand({ ServerId: id }));
    clients.setAccounts(accountsFile());
    await clients.for(address).transfer.send(new DescribeServerCommand({ ServerId: id }));
    assert.deepEqual(assumedRoles(since(seq)), [roleOf(A), readRoleOf(A)], 'back to the role: its credentials were still cached');
    assert.equal(clients.assumeCount(A), 2);
  });
});

describe('the router reads a spoke through the read role, the worker writes through the write role', () => {
  test("a spoke's ModifyVpcEndpoint: DescribeServer by the read role's router session only; the reconcile by the write role", async () => {
    const pipe = await startPipeline(emu, {
      name: 'accounts-read-role',
      env: { DESIRED_STATE_PREFIX: PREFIX, TRANSFER_CALLS_PER_SECOND: '500', SSM_CALLS_PER_SECOND: '500' },
    });
    if (!pipe.config.reconcilerRoleArns.includes(SPOKE_ROLE)) pipe.config.reconcilerRoleArns.push(SPOKE_ROLE);
    const person = org.transferIn({ account: A, region: US });
    const { ServerId } = await person.send(
      new CreateServerCommand({
        EndpointType: 'VPC',
        EndpointDetails: { VpcId: 'vpc-0a1b2c3d', SubnetIds: ['subnet-1'], SecurityGroupIds: ['sg-0a1b2c3d4e5f60718'] },
      }),
    );
    const id = ServerId ?? '';
    emu.at(A, US).transfer.forceState(id, 'ONLINE');
    const endpointId = (await person.send(new DescribeServerCommand({ ServerId: id }))).Server?.EndpointDetails?.VpcEndpointId;
    assert.ok(endpointId);
    pipe.deaf = true;
    await org.putDocument(`${PREFIX}${A}/${US}/${id}`, {
      EndpointType: 'VPC',
      EndpointDetails: { SecurityGroupIds: ['sg-0a1b2c3d4e5f60718'] },
    });
    await pipe.routed();
    await pipe.drain();
    pipe.deaf = false;
    pipe.router.clear();
    const seq = lastSeq();
    const ec2 = new EC2Client({ endpoint: emu.url, region: US, credentials: { accessKeyId: A, secretAccessKey: 'x' } });
    after(() => ec2.destroy());
    await ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: endpointId, AddSecurityGroupIds: ['sg-0a1b2c3d4e5f60719'] }));
    await pipe.routed();
    const line = pipe.router.lines.find((l) => l.message === 'enqueued');
    assert.deepEqual(line?.serverIds, [`${A}/${US}/${id}`]);
    await pipe.drain();
    const calls = since(seq);
    const spoke = calls.filter(
      (c) =>
        c.account === A &&
        (c.service === 'transfer' || c.service === 'ec2') &&
        (sessionOf(c)?.session ?? '').startsWith('transfer-reconciler-'),
    );
    const router = spoke.filter((c) => sessionOf(c)?.session === ROUTER_SESSION_NAME);
    assert.ok(
      router.some((c) => c.operation === 'DescribeServer' && c.target === id),
      'the router described the server',
    );
    assert.deepEqual([...new Set(router.map((c) => sessionOf(c)?.role))], [`${SPOKE_ROLE}-read`], 'the router used the read role only');
    assert.deepEqual([...new Set(router.map((c) => c.operation))], ['DescribeServer']);
    const worker = spoke.filter((c) => sessionOf(c)?.session !== ROUTER_SESSION_NAME);
    assert.ok(
      worker.some((c) => c.operation === 'ModifyVpcEndpoint'),
      'the worker put the security groups back',
    );
    assert.deepEqual([...new Set(worker.map((c) => sessionOf(c)?.role))], [SPOKE_ROLE], 'the worker used the write role only');
    assert.ok(assumedRoles(calls).includes(readRoleOf(A)));
    assert.deepEqual(misplacedCalls(calls, new Map([[id, { account: A, region: US }]])), []);
  });
});
