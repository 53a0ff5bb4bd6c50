// Compatibility with a client nobody here wrote: Debian's AWS CLI v2 (package awscli, installed by
// scripts/ensure-test-tools.sh, which `npm test` runs first) against the emulator started as `transfer-reconciler emulator`.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startEmulatorProcess } from '../helpers/cli-process.ts';
import type { EmulatorProcess } from '../helpers/cli-process.ts';

const run = promisify(execFile);
const AWS = '/usr/bin/aws';
const home = mkdtempSync(join(tmpdir(), 'awscli-'));
writeFileSync(join(home, 'config'), '[default]\nregion = us-east-1\noutput = json\n');
writeFileSync(join(home, 'credentials'), '[default]\naws_access_key_id = test\naws_secret_access_key = test\n');
const env = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: home,
  AWS_CONFIG_FILE: join(home, 'config'),
  AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
  AWS_PAGER: '',
};

let emu: EmulatorProcess;

async function aws(...args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run(AWS, ['--endpoint-url', emu.url, '--output', 'json', ...args], { env });
  return stdout.trim() ? (JSON.parse(stdout) as Record<string, unknown>) : {};
}

async function awsFails(...args: string[]): Promise<string> {
  try {
    await run(AWS, ['--endpoint-url', emu.url, '--output', 'json', ...args], { env });
  } catch (err) {
    return String((err as { stderr?: string }).stderr);
  }
  throw new Error(`aws ${args.join(' ')} should have failed`);
}

async function waitFor(serverId: string, state: string): Promise<void> {
  for (let i = 0; i < 50; i++) {
    const d = await aws('transfer', 'describe-server', '--server-id', serverId);
    if ((d.Server as { State: string }).State === state) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${serverId} never reached ${state}`);
}

describe("Debian's AWS CLI against the emulator", () => {
  before(async () => {
    emu = await startEmulatorProcess(['--transition-delay-ms', '50']);
  });
  after(async () => {
    assert.equal(await emu.stop(), 0, 'the emulator exits 0 on SIGTERM');
  });

  test('is the Debian package, not another aws on PATH', () => {
    const version = execFileSync(AWS, ['--version'], { env }).toString();
    assert.match(version, /^aws-cli\/2\./);
  });

  test('transfer create-server, describe-server, list-servers', async () => {
    const created = await aws('transfer', 'create-server', '--protocols', 'SFTP', '--tags', 'Key=team,Value=files');
    const id = created.ServerId as string;
    assert.match(id, /^s-[0-9a-f]{17}$/);
    await waitFor(id, 'ONLINE');
    const d = (await aws('transfer', 'describe-server', '--server-id', id)).Server as Record<string, unknown>;
    assert.equal(d.ServerId, id);
    assert.equal(d.Arn, `arn:aws:transfer:us-east-1:000000000000:server/${id}`);
    assert.deepEqual(d.Protocols, ['SFTP']);
    assert.equal(d.EndpointType, 'PUBLIC');
    assert.equal(d.IdentityProviderType, 'SERVICE_MANAGED');
    assert.match(String(d.HostKeyFingerprint), /^SHA256:[A-Za-z0-9+/]{43}=$/);
    assert.deepEqual(d.Tags, [{ Key: 'team', Value: 'files' }]);
    const listed = await aws('transfer', 'list-servers');
    assert.ok((listed.Servers as { ServerId: string }[]).some((s) => s.ServerId === id));
  });

  test('transfer update-server, stop-server, start-server', async () => {
    const id = (await aws('transfer', 'create-server')).ServerId as string;
    await waitFor(id, 'ONLINE');
    const updated = await aws(
      'transfer',
      'update-server',
      '--server-id',
      id,
      '--pre-authentication-login-banner',
      'Authorised use only',
      '--protocol-details',
      'SetStatOption=ENABLE_NO_OP',
    );
    assert.equal(updated.ServerId, id);
    const d = (await aws('transfer', 'describe-server', '--server-id', id)).Server as Record<string, unknown>;
    assert.equal(d.PreAuthenticationLoginBanner, 'Authorised use only');
    assert.equal((d.ProtocolDetails as Record<string, unknown>).SetStatOption, 'ENABLE_NO_OP');
    await aws('transfer', 'stop-server', '--server-id', id);
    await waitFor(id, 'OFFLINE');
    await aws('transfer', 'start-server', '--server-id', id);
    await waitFor(id, 'ONLINE');
  });

  test('refuses an FTPS update without a certificate with InvalidRequestException', async () => {
    const id = (await aws('transfer', 'create-server')).ServerId as string;
    await waitFor(id, 'ONLINE');
    const stderr = await awsFails('transfer', 'update-server', '--server-id', id, '--protocols', 'FTPS');
    assert.match(stderr, /InvalidRequestException/);
    assert.match(stderr, /Certificate/);
  });

  test('an unknown server is ResourceNotFoundException', async () => {
    const stderr = await awsFails('transfer', 'describe-server', '--server-id', 's-0123456789abcdef0');
    assert.match(stderr, /ResourceNotFoundException/);
  });

  test('ssm put-parameter, get-parameter, get-parameters-by-path', async () => {
    const put = await aws('ssm', 'put-parameter', '--name', '/cli/servers/a', '--type', 'String', '--value', '{"Protocols":["SFTP"]}');
    assert.equal(put.Version, 1);
    const again = await aws('ssm', 'put-parameter', '--name', '/cli/servers/a', '--type', 'String', '--value', '{}', '--overwrite');
    assert.equal(again.Version, 2);
    await aws('ssm', 'put-parameter', '--name', '/cli/servers/b', '--type', 'SecureString', '--value', 'secret-value');
    const got = (await aws('ssm', 'get-parameter', '--name', '/cli/servers/a')).Parameter as Record<string, unknown>;
    assert.equal(got.Value, '{}');
    assert.equal(got.Version, 2);
    const hidden = (await aws('ssm', 'get-parameter', '--name', '/cli/servers/b')).Parameter as Record<string, unknown>;
    assert.notEqual(hidden.Value, 'secret-value');
    const shown = (await aws('ssm', 'get-parameter', '--name', '/cli/servers/b', '--with-decryption')).Parameter as Record<string, unknown>;
    assert.equal(shown.Value, 'secret-value');
    const byPath = await aws('ssm', 'get-parameters-by-path', '--path', '/cli/servers', '--with-decryption');
    const names = (byPath.Parameters as { Name: string }[]).map((p) => p.Name).sort();
    assert.deepEqual(names, ['/cli/servers/a', '/cli/servers/b']);
  });
});
