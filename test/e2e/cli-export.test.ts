// `transfer-reconciler export` as a child process against the emulator: the example servers and
// servers made with Debian's AWS CLI (every field its 2023 models can set) are exported, the
// files pass `validate`, and `plan --dir` on them exits 0 with every server in sync. Also: the
// refusal to overwrite, --force, JSON's host-key note, a missing server, and no key material in
// any output or file.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { promisify } from 'node:util';
import { IDS, VALID_EXAMPLES, cliWorld, operations } from './cli-fixtures.ts';
import { assertNoKeyMaterial, captureOutput, markedHostKey } from '../helpers/secrets.ts';

const run = promisify(execFile);
const world = await cliWorld();
const home = mkdtempSync(join(tmpdir(), 'tr-export-'));
after(() => rmSync(home, { recursive: true, force: true }));
writeFileSync(join(home, 'config'), '[default]\nregion = us-east-1\noutput = json\n');
writeFileSync(join(home, 'credentials'), '[default]\naws_access_key_id = test\naws_secret_access_key = test\n');
const awsEnv = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: home,
  AWS_CONFIG_FILE: join(home, 'config'),
  AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
  AWS_PAGER: '',
};
const cliKey = markedHostKey('rsa');
const keyFile = join(home, 'host-key.pem');
writeFileSync(keyFile, cliKey, { mode: 0o600 });

async function cli(args: string[]) {
  const r = await world.cli(args);
  assertNoKeyMaterial(`${r.stdout}\n${r.stderr}`, cliKey);
  return r;
}

async function awsCreate(...args: string[]): Promise<string> {
  const { stdout, stderr } = await run(
    '/usr/bin/aws',
    ['--endpoint-url', world.emu.url, '--output', 'json', 'transfer', 'create-server', ...args],
    {
      env: awsEnv,
    },
  );
  captureOutput('aws transfer create-server', `${stdout}${stderr}`);
  return (JSON.parse(stdout) as { ServerId: string }).ServerId;
}

function outDir(): string {
  return mkdtempSync(join(home, 'out-'));
}

/** Every file holds no key material; returns the file names. */
function files(dir: string): string[] {
  const names = readdirSync(dir).sort();
  for (const name of names) {
    const text = readFileSync(join(dir, name), 'utf8');
    assertNoKeyMaterial(text, cliKey);
    assertNoKeyMaterial(text, world.hostKey);
    assert.ok(text.endsWith('\n'), `${name} ends with a newline`);
  }
  return names;
}

async function assertRoundTrip(dir: string, ids: string[]): Promise<void> {
  const validated = await cli(['validate', dir]);
  assert.equal(validated.code, 0, validated.stdout + validated.stderr);
  world.mark();
  const planned = await cli(['plan', '--dir', dir]);
  assert.equal(planned.code, 0, planned.stdout + planned.stderr);
  for (const id of ids) assert.match(planned.stdout, new RegExp(`^${id} {2}in sync {2}`, 'm'));
  assert.match(planned.stdout, new RegExp(`^Plan: 0 to change, ${ids.length} in sync, 0 blocked, 0 invalid\\.$`, 'm'));
  assert.ok(!operations(world.calls()).some((op) => /^(Put|Delete|Update|Start|Stop|Tag|Untag|Import|Modify)/.test(op)));
}

const EXAMPLE_IDS = [IDS.lambdaSftp, IDS.ftpsVpc, IDS.as2, IDS.plainSftp, IDS.dualstack];

describe('export', () => {
  test('--help lists the options and exit codes; bad usage exits 1', async () => {
    const help = await cli(['export', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^usage: transfer-reconciler export/);
    assert.match(help.stdout, /^exit: 0 /m);
    assert.ok(help.stdout.includes('TRANSFER_RECONCILER_ENDPOINT_URL'));
    const listed = await cli(['--help']);
    assert.match(listed.stdout, /^ {2}export +\S/m);
    for (const [args, message] of [
      [['export', '--all'], /give --out DIR/],
      [['export', '--out', outDir()], /give --server ID \(repeatable\) or --all/],
      [['export', '--all', '--out', outDir(), '--format', 'xml'], /--format must be yaml or json/],
    ] as const) {
      const r = await cli([...args]);
      assert.equal(r.code, 1);
      assert.match(r.stderr, message);
    }
  });

  test('the example servers, as created and after reconciling their documents: export, then plan --dir = no changes', async () => {
    const asCreated = outDir();
    const first = await cli(['export', ...EXAMPLE_IDS.flatMap((id) => ['--server', id]), '--out', asCreated]);
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(files(asCreated), EXAMPLE_IDS.map((id) => `${id}.yaml`).sort());
    await assertRoundTrip(asCreated, EXAMPLE_IDS);

    // Make the servers what examples/ says (s-…f stays blocked: its IpAddressType needs OFFLINE).
    assert.equal((await cli(['push', VALID_EXAMPLES, '--prefix', '/export/'])).code, 0);
    await cli(['reconcile', '--all', '--prefix', '/export/']);
    const reconciled = outDir();
    for (const format of ['yaml', 'json']) {
      const r = await cli(['export', ...EXAMPLE_IDS.flatMap((id) => ['--server', id]), '--out', reconciled, '--format', format, '--force']);
      assert.equal(r.code, 0, r.stderr);
      if (format === 'yaml') {
        const b = readFileSync(join(reconciled, `${IDS.ftpsVpc}.yaml`), 'utf8');
        assert.match(b, /^ {2}PassiveIp: 203\.0\.113\.10$/m);
        assert.match(b, /^ {2}SecurityGroupIds: \[sg-[0-9a-f]+\]$/m);
        assert.match(b, /^ {2}- Key: team\n {4}Value: finance-ops$/m);
        assert.ok(!/VpcEndpointId|^State:/m.test(b));
        assert.match(readFileSync(join(reconciled, `${IDS.lambdaSftp}.yaml`), 'utf8'), /^# The server holds: ssh-ed25519 SHA256:/m);
        await assertRoundTrip(reconciled, EXAMPLE_IDS);
        for (const id of EXAMPLE_IDS) rmSync(join(reconciled, `${id}.yaml`));
      } else {
        // JSON has no comments: the host-key placeholder is a note on stderr, one per server.
        assert.equal((r.stderr.match(/: HostKey left out /g) ?? []).length, EXAMPLE_IDS.length);
        const a = JSON.parse(readFileSync(join(reconciled, `${IDS.lambdaSftp}.json`), 'utf8')) as Record<string, unknown>;
        assert.equal(a.IdentityProviderType, 'AWS_LAMBDA');
        assert.equal(a.HostKey, undefined);
        await assertRoundTrip(reconciled, EXAMPLE_IDS);
      }
    }
  });

  test("servers made with Debian's AWS CLI, every field its models can set: export --all, then plan --dir exits 0", async () => {
    const vpc = 'VpcId=vpc-0a1b2c3d4e5f60001,SubnetIds=subnet-0a1b2c3d4e5f60011,subnet-0a1b2c3d4e5f60012';
    const created = [
      await awsCreate(
        ...['--protocols', 'SFTP', 'FTPS', 'FTP', '--domain', 'S3', '--host-key', `file://${keyFile}`],
        ...['--certificate', 'arn:aws:acm:us-east-1:000000000000:certificate/4f1c2d3e-5a6b-4c7d-8e9f-0a1b2c3d4e5f'],
        ...['--endpoint-type', 'VPC', '--endpoint-details', `${vpc},SecurityGroupIds=sg-0a1b2c3d4e5f60021,sg-0a1b2c3d4e5f60022`],
        ...['--identity-provider-type', 'API_GATEWAY'],
        ...[
          '--identity-provider-details',
          'Url=https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod,InvocationRole=arn:aws:iam::000000000000:role/idp',
        ],
        ...['--logging-role', 'arn:aws:iam::000000000000:role/transfer-logging'],
        ...['--pre-authentication-login-banner', 'Example Corp.\nAuthorised users only.', '--post-authentication-login-banner', 'Welcome'],
        ...['--protocol-details', 'PassiveIp=203.0.113.10,TlsSessionResumptionMode=ENABLED,SetStatOption=ENABLE_NO_OP'],
        ...['--security-policy-name', 'TransferSecurityPolicy-2024-01'],
        '--workflow-details',
        'OnUpload=[{WorkflowId=w-0123456789abcdef0,ExecutionRole=arn:aws:iam::000000000000:role/wf}],OnPartialUpload=[{WorkflowId=w-0123456789abcdef1,ExecutionRole=arn:aws:iam::000000000000:role/wf}]',
        ...['--tags', 'Key=team,Value=files', 'Key=env,Value=prod', 'Key=transfer:customHostname,Value=sftp.example.com'],
      ),
      await awsCreate(
        '--protocols',
        'AS2',
        '--domain',
        'S3',
        '--endpoint-type',
        'VPC',
        '--endpoint-details',
        vpc,
        '--protocol-details',
        'As2Transports=HTTP',
      ),
      await awsCreate(
        '--identity-provider-type',
        'AWS_LAMBDA',
        '--identity-provider-details',
        'Function=arn:aws:lambda:us-east-1:000000000000:function:auth',
        '--domain',
        'EFS',
      ),
      await awsCreate(
        ...['--protocols', 'FTP', '--endpoint-type', 'VPC', '--endpoint-details', vpc, '--identity-provider-type', 'AWS_DIRECTORY_SERVICE'],
        ...['--identity-provider-details', 'DirectoryId=d-1234567890'],
      ),
      await awsCreate('--tags', 'Key=team,Value=platform'),
    ];
    const dir = outDir();
    const r = await cli(['export', '--all', '--out', dir]);
    assert.equal(r.code, 0, r.stderr);
    const all = [...EXAMPLE_IDS, IDS.invalid, ...created];
    assert.deepEqual(files(dir), all.map((id) => `${id}.yaml`).sort());
    const full = readFileSync(join(dir, `${created[0] ?? ''}.yaml`), 'utf8');
    for (const line of [
      /^Protocols: \[FTP, FTPS, SFTP\]$/m,
      /^ {2}OnPartialUpload:$/m,
      /^ {2}Hostname: sftp\.example\.com$/m,
      /^ {2}TlsSessionResumptionMode: ENABLED$/m,
    ])
      assert.match(full, line);
    assert.ok(!/transfer:customHostname$|^State:/m.test(full.replace(/^#.*$/gm, '')));
    await assertRoundTrip(dir, all);
  });

  test('existing files are refused before anything is written; a missing server exits 1', async () => {
    const dir = outDir();
    writeFileSync(join(dir, `${IDS.plainSftp}.json`), '{}\n');
    const refused = await cli(['export', '--server', IDS.plainSftp, '--server', IDS.as2, '--out', dir]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /a second document for s-0000000000000000d would make the folder invalid/);
    assert.deepEqual(files(dir), [`${IDS.plainSftp}.json`]);
    const same = await cli(['export', '--server', IDS.plainSftp, '--out', dir, '--format', 'json']);
    assert.equal(same.code, 1);
    assert.match(same.stderr, /exists; give --force to overwrite it/);
    const forced = await cli(['export', '--server', IDS.plainSftp, '--out', dir, '--format', 'json', '--force']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(readFileSync(join(dir, `${IDS.plainSftp}.json`), 'utf8'), /"ServerId": "s-0000000000000000d"/);
    const missing = await cli(['export', '--server', 's-0000000000000fff0', '--server', IDS.as2, '--out', outDir()]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /s-0000000000000fff0: not exported: .*does not exist/);
    assert.match(missing.stdout, /^wrote .*s-0000000000000000c\.yaml$/m);
  });
});
