// A spoke's clients carry its pace (worker-share.ts): when a newer accounts file lists more
// account-regions, the worker's share of each changes, so AccountClients makes that spoke's clients
// (and bucket) anew; a file that changes no pace keeps them.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { EC2Client } from '@aws-sdk/client-ec2';
import { SSMClient } from '@aws-sdk/client-ssm';
import { TransferClient } from '@aws-sdk/client-transfer';
import { spokePace } from '../../functions/handlers/lib/accounts-deps.ts';
import { AccountClients } from '../../functions/reconciler/aws/account-clients.ts';
import type { AccountEntry, AccountsFile } from '../../functions/reconciler/desired/accounts-rules.ts';

// Never sent: the clients are only made and compared.
const c = { region: 'us-east-1', endpoint: 'http://127.0.0.1:9', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
const hub = { transfer: new TransferClient(c), ssm: new SSMClient(c), ec2: new EC2Client(c) };
after(() => [hub.transfer, hub.ssm, hub.ec2].forEach((x) => x.destroy()));

const A = '111111111111';
const entry = (id: string, regions: string[]): AccountEntry => ({
  id,
  role: `arn:aws:iam::${id}:role/transfer-reconciler-spoke`,
  externalId: 'e'.repeat(32),
  regions,
});
const file = (extra: number): AccountsFile => ({
  accounts: [
    entry(A, ['eu-west-1']),
    ...Array.from({ length: extra }, (_, i) => entry(String(200000000000 + i), ['eu-west-1', 'us-east-1'])),
  ],
});

test("a spoke's clients are made anew when the accounts file lists more account-regions, kept otherwise", () => {
  const config = { transferCallsPerSecond: 20, workerMaxConcurrency: 4, concurrency: 10 };
  const pace = spokePace(config, true);
  const clients = new AccountClients({ hub, settings: {}, accounts: file(0), sessionName: 'transfer-reconciler-worker', paceOf: pace });
  after(() => clients.destroy());
  const address = { accountId: A, region: 'eu-west-1', serverId: 's-0123456789abcdef0' };

  // 2 places: all 4 instances may meet on A/eu-west-1 → 20 ÷ 4.
  assert.deepEqual(pace(entry(A, ['eu-west-1']), 'eu-west-1', file(0)), { rate: 5, floor: 5 });
  const first = clients.for(address);
  assert.equal(clients.for(address), first, 'same file: same clients');

  // The same places in a new file object: no pace changes, the clients stay.
  clients.setAccounts(file(0));
  assert.equal(clients.for(address), first);

  // 1 + 1 + 2 × 20 = 42 places: 40 in flight ÷ 42 → one instance each → the whole 20, floor 5.
  clients.setAccounts(file(20));
  assert.deepEqual(pace(entry(A, ['eu-west-1']), 'eu-west-1', file(20)), { rate: 20, floor: 5 });
  const second = clients.for(address);
  assert.notEqual(second, first, 'more places: new clients');
  assert.notEqual(second.transfer, first.transfer);
  assert.equal(second.ssm, hub.ssm, "SSM is always the hub's");
  assert.equal(clients.for(address), second);
  assert.deepEqual(clients.bindingOf(second.transfer), { accountId: A, region: 'eu-west-1' });
});
