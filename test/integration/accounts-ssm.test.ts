// The accounts parameter and nested document names through a real SSMClient against the emulator:
// the recursive listing keeps hub documents where they were and gives other accounts' documents
// their addresses; readAccounts validates what it reads.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { startEmulator } from '../../infra/local/emulator.ts';
import type { Emulator } from '../../infra/local/emulator.ts';
import { readAccounts } from '../../functions/reconciler/desired/accounts-ssm.ts';
import { listDocuments, readDocument } from '../../functions/reconciler/desired/load-ssm.ts';

const PREFIX = '/transfer-reconciler/servers/';
const ID = 's-0123456789abcdef0';
const ACCOUNTS = {
  accounts: [{ id: '111111111111', role: 'arn:aws:iam::111111111111:role/spoke', externalId: 'ext-1', regions: ['eu-west-1'] }],
};

describe('accounts and nested documents in SSM (emulator)', () => {
  let emu: Emulator;
  let ssm: SSMClient;
  const put = (Name: string, Value: string): Promise<unknown> =>
    ssm.send(new PutParameterCommand({ Name, Value, Type: 'String', Overwrite: true }));

  before(async () => {
    emu = await startEmulator();
    ssm = new SSMClient({ endpoint: emu.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  });
  after(async () => {
    ssm.destroy();
    await emu.stop();
  });
  beforeEach(() => emu.reset());

  test("listDocuments: hub documents as before, other accounts' with their address, misnamed ones reported", async () => {
    await put(`${PREFIX}${ID}`, '{}');
    await put(`${PREFIX}111111111111/eu-west-1/${ID}`, '{"Protocols":["SFTP"]}');
    await put(`${PREFIX}111111111111/eu-wst-1/${ID}`, '{}');
    await put(`${PREFIX}111111111111/${ID}`, '{}');
    await put(`${PREFIX}archive/old/${ID}`, '{}');
    const listed = await listDocuments(ssm, PREFIX);
    assert.deepEqual(
      listed.documents.map((d) => [d.name, d.address]),
      [[`${PREFIX}${ID}`, undefined]],
    );
    assert.deepEqual(listed.addressed, [
      {
        serverId: ID,
        address: { accountId: '111111111111', region: 'eu-west-1', serverId: ID },
        name: `${PREFIX}111111111111/eu-west-1/${ID}`,
        version: 1,
        type: 'String',
        text: '{"Protocols":["SFTP"]}',
      },
    ]);
    const problems = new Map(listed.problems.map((p) => [p.name, p.message]));
    assert.match(problems.get(`${PREFIX}111111111111/eu-wst-1/${ID}`) ?? '', /"eu-wst-1" is not an AWS region/);
    assert.match(problems.get(`${PREFIX}111111111111/${ID}`) ?? '', /account 111111111111 has no region/);
    assert.equal(problems.size, 2, 'a nested name with no account part is not a document, as before');
    const read = await readDocument(ssm, PREFIX, { accountId: '111111111111', region: 'eu-west-1', serverId: ID });
    assert.equal(read.status === 'found' && read.text, '{"Protocols":["SFTP"]}');
  });

  test('readAccounts: found and validated, invalid with its issues, not found', async () => {
    const name = '/transfer-reconciler/accounts';
    assert.deepEqual(await readAccounts(ssm, name), { status: 'not-found', name });
    await put(name, JSON.stringify(ACCOUNTS));
    const found = await readAccounts(ssm);
    assert.equal(found.status, 'found');
    assert.deepEqual(found.status === 'found' && found.accounts, ACCOUNTS);
    await put(name, JSON.stringify({ accounts: [{ ...ACCOUNTS.accounts[0], role: 'arn:aws:iam::222222222222:role/x' }] }));
    const invalid = await readAccounts(ssm, name);
    assert.equal(invalid.status, 'invalid');
    assert.match(
      invalid.status === 'invalid' ? (invalid.issues[0]?.message ?? '') : '',
      /the role is in account 222222222222, not 111111111111/,
    );
    await put(name, '{not json');
    const malformed = await readAccounts(ssm, name);
    assert.equal(malformed.status === 'invalid' && malformed.issues[0]?.path, '$');
  });
});
