// The worker's credentials per account on the emulator (real SDK clients over HTTP, the worker
// handler built directly): one AssumeRole per account for all its regions and batches, a new one
// after the session expired (refused as ExpiredTokenException, assumed again within the same
// reconcile), an account-region the accounts file stopped listing fails `AccountNotListed` without
// a call, and AccountClients hands out one client set per account-region, each bound to it.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EC2Client } from '@aws-sdk/client-ec2';
import { SSMClient } from '@aws-sdk/client-ssm';
import { TransferClient } from '@aws-sdk/client-transfer';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { AccountClients, AccountNotListedError } from '../../functions/reconciler/aws/account-clients.ts';
import { clientConfig } from '../../functions/reconciler/aws/clients.ts';
import type { AccountsFile } from '../../functions/reconciler/desired/accounts-rules.ts';
import { buildMessage } from '../../functions/reconciler/queue/message.ts';
import { instrumentClients } from '../../functions/handlers/lib/clients.ts';
import { readConfig } from '../../functions/handlers/lib/config.ts';
import { createHandler as createWorker } from '../../functions/handlers/worker.ts';
import { PREFIX, fastClock } from '../helpers/engine.ts';
import { emulatorForTests } from '../helpers/emulator.ts';
import { A, B, EU, SPOKE_ROLE, US, accountsFile, misplacedCalls, organisation } from './accounts-fixture.ts';
import type { Place } from './accounts-fixture.ts';
import { capturedObservability, lambdaContext } from './handlers-harness.ts';

const POLICY = 'TransferSecurityPolicy-2024-01';
const emu = await emulatorForTests({ transitionDelayMs: 0 });
const org = await organisation(emu);
const config = readConfig({ DESIRED_STATE_PREFIX: PREFIX, TRANSFER_CALLS_PER_SECOND: '500', SSM_CALLS_PER_SECOND: '500' });
const c = { ...clientConfig({ endpointUrl: emu.url }), credentials: { accessKeyId: 'reconciler-worker', secretAccessKey: 'x' } };
const hub = instrumentClients({ transfer: new TransferClient(c), ssm: new SSMClient(c), ec2: new EC2Client(c) }, config, fastClock);
after(() => [hub.transfer, hub.ssm, hub.ec2].forEach((x) => x.destroy()));
let current: AccountsFile | undefined = accountsFile();
const accountClients = new AccountClients({
  hub,
  settings: {},
  accounts: current,
  sessionName: 'transfer-reconciler-worker',
  clock: fastClock,
});
after(() => accountClients.destroy());
const obs = capturedObservability();
const work = createWorker({
  config,
  clients: hub,
  clock: fastClock,
  accountClients,
  accounts: { get: async () => ({ accounts: current }) },
  ...obs,
});

const aUs: Place = { account: A, region: US };
const aEu: Place = { account: A, region: EU };
const servers = new Map<string, Place>();
const assumed = (account: string) =>
  emu.calls.list(0, {}).filter((x) => x.operation === 'AssumeRole' && x.target === `arn:aws:iam::${account}:role/${SPOKE_ROLE}`);
let n = 0;

async function batch(targets: Array<[Place, string]>) {
  const records = targets.map(([p, id]) => {
    const m = buildMessage({
      serverId: id,
      accountId: p.account,
      region: p.region,
      trigger: 'event',
      reason: 'document',
      sentAt: new Date().toISOString(),
    });
    n += 1;
    return {
      messageId: `m-${n}`,
      receiptHandle: `r-${n}`,
      body: m.body,
      attributes: { MessageGroupId: m.groupId, ApproximateReceiveCount: '1' },
    } as unknown as SQSRecord;
  });
  const before = obs.outcomes().length;
  const response = await work({ Records: records } satisfies SQSEvent, lambdaContext(60_000));
  return { response, outcomes: obs.outcomes().slice(before) };
}

describe("the worker's credentials per account", () => {
  test('one AssumeRole per account for every region and batch; the clients are bound to their account-region', async () => {
    const ids: Array<[Place, string]> = [];
    for (const p of [aUs, aEu, aUs]) {
      const id = await org.createServer(p);
      servers.set(id, p);
      ids.push([p, id]);
      await org.putDocument(`${PREFIX}${p.account}/${p.region}/${id}`, { SecurityPolicyName: POLICY });
    }
    const first = await batch(ids);
    assert.deepEqual(
      first.outcomes.map((o) => o.result),
      ['updated', 'updated', 'updated'],
    );
    const second = await batch(ids);
    assert.deepEqual(
      second.outcomes.map((o) => o.result),
      ['in-sync', 'in-sync', 'in-sync'],
    );
    assert.equal(assumed(A).length, 1);
    assert.equal(accountClients.assumeCount(A), 1);
    assert.deepEqual(misplacedCalls(emu.calls.list(0, {}), servers), []);

    const us = accountClients.for({ accountId: A, region: US, serverId: ids[0]?.[1] ?? '' });
    assert.equal(us, accountClients.for({ accountId: A, region: US, serverId: 's-00000000000000000' }));
    assert.deepEqual(accountClients.bindingOf(us.transfer), { accountId: A, region: US });
    assert.deepEqual(accountClients.bindingOf(accountClients.for({ accountId: A, region: EU, serverId: 's-00000000000000000' }).ec2), {
      accountId: A,
      region: EU,
    });
    assert.equal(us.ssm, hub.ssm);
    assert.equal(accountClients.for({ serverId: 's-00000000000000000' }), hub);
    assert.equal(accountClients.bindingOf(hub.transfer), undefined);
    assert.throws(() => accountClients.for({ accountId: B, region: US, serverId: 's-00000000000000000' }), AccountNotListedError);
    assert.throws(() => accountClients.for({ accountId: '444444444444', region: US, serverId: 's-00000000000000000' }), /not listed/);
  });

  test('credentials that expired are assumed again, once, and the reconcile goes on', async () => {
    const [id] = [...servers].find(([, p]) => p === aEu) ?? [''];
    const provider = accountClients.for({ accountId: A, region: EU, serverId: id }).transfer.config
      .credentials as AwsCredentialIdentityProvider;
    const { accessKeyId } = await provider();
    assert.match(accessKeyId, /^ASIA/);
    assert.equal(emu.roles.expire(accessKeyId), true);
    const { outcomes } = await batch([[aEu, id]]);
    assert.deepEqual(
      outcomes.map((o) => [o.result, o.error?.code]),
      [['in-sync', undefined]],
    );
    const expired = emu.calls.list(0, {}).filter((x) => x.errorCode === 'ExpiredTokenException');
    assert.ok(expired.length >= 1);
    assert.equal(assumed(A).length, 2);
    assert.notEqual((await provider()).accessKeyId, accessKeyId);
    const again = await batch([[aUs, [...servers].find(([, p]) => p === aUs)?.[0] ?? '']]);
    assert.equal(again.outcomes[0]?.result, 'in-sync');
    assert.equal(assumed(A).length, 2);
  });

  test('an account-region the accounts file no longer lists: failed AccountNotListed, terminal, no call', async () => {
    const [id] = [...servers].find(([, p]) => p === aEu) ?? [''];
    current = { accounts: accountsFile().accounts.map((a) => (a.id === A ? { ...a, regions: [US] } : a)) };
    const since = emu.calls.list(0, {}).at(-1)?.seq ?? 0;
    const { outcomes, response } = await batch([[aEu, id]]);
    assert.deepEqual(
      outcomes.map((o) => [o.serverId, o.accountId, o.region, o.result, o.error?.code, o.error?.retryable]),
      [[id, A, EU, 'failed', 'AccountNotListed', false]],
    );
    assert.deepEqual(response.batchItemFailures, []);
    assert.deepEqual(
      emu.calls.list(since, {}).filter((x) => x.service === 'transfer' || x.service === 'ssm'),
      [],
    );
    current = accountsFile();
  });
});
