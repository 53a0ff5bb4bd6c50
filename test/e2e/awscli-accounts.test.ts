// Debian's AWS CLI v2 (/usr/bin/aws) against the emulator with per-account access keys: a
// 12-digit key is its account, `aws sts assume-role` issues session credentials that land in the
// role's account, and a refusal is the CLI's ordinary AccessDenied error.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { RECONCILER_ROLE_ARN } from '../../infra/local/principals.ts';
import { emulatorForTests } from '../helpers/emulator.ts';

const run = promisify(execFile);
const AWS = '/usr/bin/aws';
const SPOKE = '111111111111';
const ROLE = `arn:aws:iam::${SPOKE}:role/transfer-reconciler-spoke`;
const home = mkdtempSync(join(tmpdir(), 'awscli-accounts-'));
after(() => rmSync(home, { recursive: true, force: true }));
writeFileSync(join(home, 'config'), '[default]\nregion = us-east-1\noutput = json\n');
const emu = await emulatorForTests({
  transitionDelayMs: 0,
  roles: [{ arn: ROLE, trustedPrincipals: [RECONCILER_ROLE_ARN], externalId: 'hub-ext' }],
});

interface Keys {
  id: string;
  secret?: string;
  token?: string;
}
function env(keys: Keys, region = 'us-east-1'): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    AWS_CONFIG_FILE: join(home, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'none'),
    AWS_PAGER: '',
    AWS_REGION: region,
    AWS_ACCESS_KEY_ID: keys.id,
    AWS_SECRET_ACCESS_KEY: keys.secret ?? 'x',
    ...(keys.token === undefined ? {} : { AWS_SESSION_TOKEN: keys.token }),
  };
}
async function aws(keys: Keys, region: string, ...args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run(AWS, ['--endpoint-url', emu.url, '--output', 'json', ...args], { env: env(keys, region) });
  return stdout.trim() ? (JSON.parse(stdout) as Record<string, unknown>) : {};
}

describe('AWS CLI with per-account access keys', () => {
  test('get-caller-identity: a 12-digit key is its account; a plain key the default account', async () => {
    const spoke = await aws({ id: '222222222222' }, 'us-east-1', 'sts', 'get-caller-identity');
    assert.equal(spoke.Account, '222222222222');
    assert.equal(spoke.Arn, 'arn:aws:sts::222222222222:assumed-role/Admin/alice');
    const worker = await aws({ id: 'reconciler' }, 'us-east-1', 'sts', 'get-caller-identity');
    assert.equal(worker.Arn, 'arn:aws:sts::000000000000:assumed-role/transfer-reconciler-worker/reconcile');
  });

  test('assume-role credentials land in the role account; another account sees nothing', async () => {
    const out = await aws(
      { id: 'reconciler' },
      'us-east-1',
      'sts',
      'assume-role',
      '--role-arn',
      ROLE,
      '--role-session-name',
      'cli',
      '--external-id',
      'hub-ext',
      '--duration-seconds',
      '900',
    );
    const c = out.Credentials as { AccessKeyId: string; SecretAccessKey: string; SessionToken: string; Expiration: string };
    assert.match(c.AccessKeyId, /^ASIA/);
    const lifetime = (Date.parse(c.Expiration) - Date.now()) / 1000;
    assert.ok(lifetime > 890 && lifetime <= 901, `lifetime ${lifetime}`);
    const session = { id: c.AccessKeyId, secret: c.SecretAccessKey, token: c.SessionToken };
    const who = await aws(session, 'eu-west-1', 'sts', 'get-caller-identity');
    assert.equal(who.Arn, `arn:aws:sts::${SPOKE}:assumed-role/transfer-reconciler-spoke/cli`);
    const created = await aws(session, 'eu-west-1', 'transfer', 'create-server');
    const listed = await aws({ id: SPOKE }, 'eu-west-1', 'transfer', 'list-servers');
    const servers = listed.Servers as Array<{ ServerId: string; Arn: string }>;
    assert.deepEqual(
      servers.map((s) => s.ServerId),
      [created.ServerId],
    );
    assert.equal(servers[0]?.Arn, `arn:aws:transfer:eu-west-1:${SPOKE}:server/${String(created.ServerId)}`);
    assert.deepEqual((await aws({ id: '222222222222' }, 'eu-west-1', 'transfer', 'list-servers')).Servers, []);
    assert.deepEqual((await aws({ id: SPOKE }, 'us-east-1', 'transfer', 'list-servers')).Servers, []);
    const entry = emu
      .at(SPOKE, 'eu-west-1')
      .calls.list()
      .find((e) => e.operation === 'CreateServer');
    assert.equal(entry?.principal, `arn:aws:sts::${SPOKE}:assumed-role/transfer-reconciler-spoke/cli`);
  });

  test('a refused assume-role is the CLI AccessDenied error', async () => {
    const failed = await run(
      AWS,
      ['--endpoint-url', emu.url, 'sts', 'assume-role', '--role-arn', ROLE, '--role-session-name', 'refused', '--external-id', 'wrong'],
      {
        env: env({ id: 'reconciler' }),
      },
    ).then(
      () => '',
      (err: { stderr?: string }) => String(err.stderr),
    );
    assert.match(
      failed,
      /An error occurred \(AccessDenied\) when calling the AssumeRole operation: User: arn:aws:sts::000000000000:assumed-role\/transfer-reconciler-worker\/reconcile is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::111111111111:role\/transfer-reconciler-spoke/,
    );
  });
});
