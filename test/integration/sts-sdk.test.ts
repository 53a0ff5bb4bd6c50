// The emulator's STS through @aws-sdk/client-sts over HTTP: GetCallerIdentity for a plain key, a
// 12-digit key and assumed-role credentials; AssumeRole's credentials, durations and refusals
// (AccessDenied for an unknown role, a wrong or missing external id, an untrusted caller), as
// the SDK surfaces them; roles registered by option, in process and by the control endpoint.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { ListServersCommand, TransferClient } from '@aws-sdk/client-transfer';
import type { AssumeRoleCommandInput } from '@aws-sdk/client-sts';
import { startEmulator } from '../../infra/local/emulator.ts';
import type { Emulator } from '../../infra/local/emulator.ts';
import { RECONCILER_ROLE_ARN } from '../../infra/local/principals.ts';
import { emulatorForTests } from '../helpers/emulator.ts';

const SPOKE = '111111111111';
const SPOKE_ROLE = `arn:aws:iam::${SPOKE}:role/transfer-reconciler-spoke`;
const emu = await emulatorForTests({
  roles: [{ arn: SPOKE_ROLE, trustedPrincipals: [RECONCILER_ROLE_ARN], externalId: 'hub-000000000000' }],
});
const clients: STSClient[] = [];
after(() => {
  for (const c of clients) c.destroy();
});

function sts(target: Emulator, accessKeyId: string, extra: { secretAccessKey?: string; sessionToken?: string } = {}): STSClient {
  const client = new STSClient({
    endpoint: target.url,
    region: target.region,
    maxAttempts: 1,
    credentials: {
      accessKeyId,
      secretAccessKey: extra.secretAccessKey ?? 'x',
      ...(extra.sessionToken ? { sessionToken: extra.sessionToken } : {}),
    },
  });
  clients.push(client);
  return client;
}
const worker = sts(emu, 'reconciler-worker');
const person = sts(emu, 'console');
const assume = (input: Partial<AssumeRoleCommandInput>, client = worker) =>
  client.send(new AssumeRoleCommand({ RoleArn: SPOKE_ROLE, RoleSessionName: 'reconcile', ExternalId: 'hub-000000000000', ...input }));

async function refused(p: Promise<unknown>, code: string, status: number, message?: RegExp): Promise<void> {
  await assert.rejects(p, (err: Error & { $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(err.name, code);
    assert.equal(err.$metadata?.httpStatusCode, status);
    if (message) assert.match(err.message, message);
    return true;
  });
}

describe('STS GetCallerIdentity', () => {
  test('a plain key is in the default account, as its principal rule says', async () => {
    const who = await worker.send(new GetCallerIdentityCommand({}));
    assert.equal(who.Account, '000000000000');
    assert.equal(who.Arn, 'arn:aws:sts::000000000000:assumed-role/transfer-reconciler-worker/reconcile');
    assert.match(who.UserId ?? '', /^AROA[0-9A-F]{17}:reconcile$/);
    const other = await person.send(new GetCallerIdentityCommand({}));
    assert.equal(other.Arn, 'arn:aws:sts::000000000000:assumed-role/Admin/alice');
  });

  test('a 12-digit key is that account', async () => {
    const who = await sts(emu, '222222222222').send(new GetCallerIdentityCommand({}));
    assert.equal(who.Account, '222222222222');
    assert.equal(who.Arn, 'arn:aws:sts::222222222222:assumed-role/Admin/alice');
  });

  test('assumed-role credentials are the role session in the role account', async () => {
    const { Credentials: c } = await assume({ RoleSessionName: 'sweep-1' });
    const spoke = sts(emu, c?.AccessKeyId ?? '', { secretAccessKey: c?.SecretAccessKey ?? '', sessionToken: c?.SessionToken ?? '' });
    const who = await spoke.send(new GetCallerIdentityCommand({}));
    assert.equal(who.Account, SPOKE);
    assert.equal(who.Arn, `arn:aws:sts::${SPOKE}:assumed-role/transfer-reconciler-spoke/sweep-1`);
    assert.match(who.UserId ?? '', /^AROA[0-9A-F]{17}:sweep-1$/);
  });
});

describe('STS AssumeRole', () => {
  test('issues ASIA credentials for the role, expiring after 3600 s by default or DurationSeconds', async () => {
    const before = Date.now();
    const out = await assume({});
    const c = out.Credentials;
    assert.match(c?.AccessKeyId ?? '', /^ASIA[A-Z2-7]{16}$/);
    assert.equal(c?.SecretAccessKey?.length, 40);
    assert.ok((c?.SessionToken?.length ?? 0) > 100);
    assert.ok(c?.Expiration instanceof Date);
    const lifetime = (c.Expiration.getTime() - before) / 1000;
    assert.ok(lifetime > 3595 && lifetime <= 3601, `lifetime ${lifetime}`);
    assert.equal(out.AssumedRoleUser?.Arn, `arn:aws:sts::${SPOKE}:assumed-role/transfer-reconciler-spoke/reconcile`);
    assert.match(out.AssumedRoleUser?.AssumedRoleId ?? '', /^AROA[0-9A-F]{17}:reconcile$/);
    for (const seconds of [900, 43200]) {
      const exp = (await assume({ DurationSeconds: seconds })).Credentials?.Expiration as Date;
      const got = (exp.getTime() - Date.now()) / 1000;
      assert.ok(got > seconds - 5 && got <= seconds + 1, `DurationSeconds ${seconds}: ${got}`);
    }
    const again = await assume({});
    assert.notEqual(again.Credentials?.AccessKeyId, c.AccessKeyId, 'every call issues new credentials');
  });

  test('DurationSeconds outside 900-43200 and bad session names are ValidationError', async () => {
    await refused(assume({ DurationSeconds: 899 }), 'ValidationError', 400, /durationSeconds.*greater than or equal to 900/);
    await refused(assume({ DurationSeconds: 43201 }), 'ValidationError', 400, /less than or equal to 43200/);
    await refused(assume({ RoleSessionName: 'has space' }), 'ValidationError', 400, /roleSessionName/);
  });

  test('AccessDenied for an unknown role, a wrong or missing external id, an untrusted caller', async () => {
    const denied = (who: string, role: string) =>
      new RegExp(`^User: ${who} is not authorized to perform: sts:AssumeRole on resource: ${role}$`);
    const workerArn = 'arn:aws:sts::000000000000:assumed-role/transfer-reconciler-worker/reconcile';
    const unknown = `arn:aws:iam::${SPOKE}:role/nobody`;
    await refused(assume({ RoleArn: unknown }), 'AccessDenied', 403, denied(workerArn, unknown));
    await refused(assume({ ExternalId: 'wrong' }), 'AccessDenied', 403, denied(workerArn, SPOKE_ROLE));
    await refused(assume({ ExternalId: undefined }), 'AccessDenied', 403, denied(workerArn, SPOKE_ROLE));
    await refused(assume({}, person), 'AccessDenied', 403, denied('arn:aws:sts::000000000000:assumed-role/Admin/alice', SPOKE_ROLE));
    const refusals = emu.calls.list(0, { account: '000000000000' }).filter((c) => c.service === 'sts' && c.errorCode === 'AccessDenied');
    assert.equal(refusals.length, 4);
    assert.ok(refusals.every((c) => c.status === 403 && c.operation === 'AssumeRole'));
  });

  test('roles registered in process and by POST /_emulator/roles; account trust; a session may assume a further role', async () => {
    const inProcess = 'arn:aws:iam::333333333333:role/ops/spoke';
    emu.roles.add({ arn: inProcess, trustedPrincipals: ['arn:aws:iam::000000000000:root'] });
    const viaHttp = 'arn:aws:iam::444444444444:role/spoke';
    const res = await fetch(`${emu.url}/_emulator/roles`, {
      method: 'POST',
      body: JSON.stringify({ arn: viaHttp, trustedPrincipals: [`arn:aws:sts::${SPOKE}:assumed-role/transfer-reconciler-spoke/hop`] }),
    });
    assert.equal(res.status, 200);
    const bad = await fetch(`${emu.url}/_emulator/roles`, {
      method: 'POST',
      body: JSON.stringify({ arn: 'arn:aws:iam::1:role/x', trustedPrincipals: [] }),
    });
    assert.equal(bad.status, 400);
    const listed = (await (await fetch(`${emu.url}/_emulator/roles`)).json()) as Array<{ arn: string }>;
    assert.deepEqual(listed.map((r) => r.arn).sort(), [SPOKE_ROLE, inProcess, viaHttp].sort());

    // Any principal of the trusted account; the session ARN names the role (path left out).
    const ops = await assume({ RoleArn: inProcess, ExternalId: undefined }, person);
    assert.equal(ops.AssumedRoleUser?.Arn, 'arn:aws:sts::333333333333:assumed-role/spoke/reconcile');
    const hop = (await assume({ RoleSessionName: 'hop' })).Credentials;
    const hopClient = sts(emu, hop?.AccessKeyId ?? '', { secretAccessKey: hop?.SecretAccessKey ?? '' });
    const chained = await assume({ RoleArn: viaHttp, ExternalId: undefined }, hopClient);
    assert.equal(chained.AssumedRoleUser?.Arn, 'arn:aws:sts::444444444444:assumed-role/spoke/reconcile');
  });

  test('expired session credentials: ExpiredTokenException from Transfer, ExpiredToken from STS', async () => {
    const c = (await assume({ RoleSessionName: 'old' })).Credentials;
    const credentials = {
      accessKeyId: c?.AccessKeyId ?? '',
      secretAccessKey: c?.SecretAccessKey ?? '',
      sessionToken: c?.SessionToken ?? '',
    };
    const transfer = new TransferClient({ endpoint: emu.url, region: emu.region, credentials, maxAttempts: 1 });
    try {
      await transfer.send(new ListServersCommand({}));
      assert.equal(emu.roles.expire(credentials.accessKeyId), true);
      assert.equal(emu.roles.expire('ASIANOTISSUED0000000'), false);
      await refused(
        transfer.send(new ListServersCommand({})),
        'ExpiredTokenException',
        403,
        /security token included in the request is expired/,
      );
      const session = sts(emu, credentials.accessKeyId, credentials);
      await refused(session.send(new GetCallerIdentityCommand({})), 'ExpiredToken', 403);
    } finally {
      transfer.destroy();
    }
  });

  test('sessionDurationSeconds sets the default lifetime', async () => {
    const other = await startEmulator({
      sessionDurationSeconds: 1200,
      roles: [{ arn: SPOKE_ROLE, trustedPrincipals: [RECONCILER_ROLE_ARN] }],
    });
    try {
      const exp = (await assume({ ExternalId: undefined }, sts(other, 'reconciler'))).Credentials?.Expiration as Date;
      const got = (exp.getTime() - Date.now()) / 1000;
      assert.ok(got > 1195 && got <= 1201, `lifetime ${got}`);
    } finally {
      await other.stop();
    }
  });
});
