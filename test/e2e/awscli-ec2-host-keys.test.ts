// Debian's AWS CLI v2 (/usr/bin/aws, package awscli) against the emulator's EC2 query protocol
// and Transfer's host-key operations: a client nobody here wrote parsing our XML and our errors.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parsePrivateKey } from '../../functions/shared/ssh-key.ts';
import { emulatorForTests } from '../helpers/emulator.ts';
import { assertNoKeyMaterial, captureOutput, markedHostKey } from '../helpers/secrets.ts';

const run = promisify(execFile);
const AWS = '/usr/bin/aws';
const home = mkdtempSync(join(tmpdir(), 'awscli-ec2-'));
after(() => rmSync(home, { recursive: true, force: true }));
writeFileSync(join(home, 'config'), '[default]\nregion = us-east-1\noutput = json\n');
writeFileSync(join(home, 'credentials'), '[default]\naws_access_key_id = test\naws_secret_access_key = test\n');
const env = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: home,
  AWS_CONFIG_FILE: join(home, 'config'),
  AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
  AWS_PAGER: '',
};
const emu = await emulatorForTests({ transitionDelayMs: 0 });
const keys: string[] = [];
const SG_A = 'sg-0a1b2c3d4e5f60718';
const SG_B = 'sg-0a1b2c3d4e5f60719';

function checked(label: string, text: string): string {
  captureOutput(label, text);
  for (const key of keys) assertNoKeyMaterial(text, key);
  return text;
}

async function aws(...args: string[]): Promise<Record<string, unknown>> {
  const { stdout, stderr } = await run(AWS, ['--endpoint-url', emu.url, '--output', 'json', ...args], { env });
  checked(`aws ${args[0]} ${args[1]} stderr`, stderr);
  const text = checked(`aws ${args[0]} ${args[1]}`, stdout).trim();
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

async function awsFails(...args: string[]): Promise<string> {
  try {
    await run(AWS, ['--endpoint-url', emu.url, '--output', 'json', ...args], { env });
  } catch (err) {
    return checked(`aws ${args[0]} ${args[1]} (failed)`, String((err as { stderr?: string }).stderr));
  }
  throw new Error(`aws ${args.join(' ')} should have failed`);
}

function keyFile(key: string): string {
  keys.push(key);
  const path = join(home, `key-${keys.length}.pem`);
  writeFileSync(path, key, { mode: 0o600 });
  return `file://${path}`;
}

describe("Debian's AWS CLI: EC2 and host keys", () => {
  test('ec2 describe-vpc-endpoints, modify-vpc-endpoint, describe-security-groups on a VPC server', async () => {
    const created = await aws(
      'transfer',
      'create-server',
      '--endpoint-type',
      'VPC',
      '--endpoint-details',
      `VpcId=vpc-0a1b2c3d,SubnetIds=subnet-1111,SecurityGroupIds=${SG_A}`,
    );
    const server = (await aws('transfer', 'describe-server', '--server-id', String(created.ServerId))).Server as {
      EndpointDetails: { VpcEndpointId: string };
    };
    const endpointId = server.EndpointDetails.VpcEndpointId;
    const described = await aws('ec2', 'describe-vpc-endpoints', '--vpc-endpoint-ids', endpointId);
    const endpoint = (described.VpcEndpoints as Record<string, unknown>[])[0];
    assert.equal(endpoint?.VpcEndpointId, endpointId);
    assert.equal(endpoint?.VpcId, 'vpc-0a1b2c3d');
    assert.deepEqual(
      (endpoint?.Groups as { GroupId: string }[]).map((g) => g.GroupId),
      [SG_A],
    );

    const modified = await aws(
      'ec2',
      'modify-vpc-endpoint',
      '--vpc-endpoint-id',
      endpointId,
      '--add-security-group-ids',
      SG_B,
      '--remove-security-group-ids',
      SG_A,
    );
    assert.equal(modified.Return, true);
    const byVpc = await aws(
      'ec2',
      'describe-vpc-endpoints',
      '--filters',
      'Name=vpc-id,Values=vpc-0a1b2c3d',
      '--query',
      'VpcEndpoints[].Groups[].GroupId',
    );
    assert.deepEqual(byVpc, [SG_B] as unknown);

    const groups = await aws('ec2', 'describe-security-groups', '--group-ids', SG_B);
    assert.deepEqual(
      (groups.SecurityGroups as Record<string, unknown>[]).map((g) => [g.GroupId, g.VpcId]),
      [[SG_B, 'vpc-0a1b2c3d']],
    );
    const filtered = await aws('ec2', 'describe-security-groups', '--filters', `Name=group-id,Values=${SG_A}`);
    assert.equal((filtered.SecurityGroups as unknown[]).length, 1);

    assert.match(
      await awsFails('ec2', 'describe-vpc-endpoints', '--vpc-endpoint-ids', 'vpce-0123456789abcdef0'),
      /\(InvalidVpcEndpointId\.NotFound\).*vpce-0123456789abcdef0/,
    );
    assert.match(
      await awsFails('ec2', 'modify-vpc-endpoint', '--vpc-endpoint-id', endpointId, '--remove-security-group-ids', SG_B),
      /\(InvalidParameterValue\)/,
    );
    assert.match(await awsFails('ec2', 'describe-security-groups', '--group-ids', 'sg-0123456789abcdef0'), /\(InvalidGroup\.NotFound\)/);
  });

  test('transfer import-host-key, list-host-keys, describe-host-key, update-host-key, delete-host-key', async () => {
    const own = markedHostKey('ed25519');
    const created = await aws('transfer', 'create-server', '--host-key', keyFile(own));
    const serverId = String(created.ServerId);
    const next = markedHostKey('ecdsa');
    const imported = await aws(
      'transfer',
      'import-host-key',
      '--server-id',
      serverId,
      '--host-key-body',
      keyFile(next),
      '--description',
      'next key',
    );
    const hostKeyId = String(imported.HostKeyId);
    assert.match(hostKeyId, /^hostkey-[0-9a-f]{17}$/);

    const listed = (await aws('transfer', 'list-host-keys', '--server-id', serverId)).HostKeys as Record<string, unknown>[];
    assert.deepEqual(
      listed.map((k) => [k.Fingerprint, k.Type]),
      [
        [parsePrivateKey(own).fingerprint, 'ssh-ed25519'],
        [parsePrivateKey(next).fingerprint, 'ecdsa-sha2-nistp256'],
      ],
    );
    const dates = listed.map((k) => Date.parse(String(k.DateImported)));
    assert.ok(
      (dates[1] ?? 0) > (dates[0] ?? Infinity),
      `DateImported parsed and increasing: ${listed.map((k) => k.DateImported).join(', ')}`,
    );

    await aws('transfer', 'update-host-key', '--server-id', serverId, '--host-key-id', hostKeyId, '--description', 'now active');
    const described = (await aws('transfer', 'describe-host-key', '--server-id', serverId, '--host-key-id', hostKeyId)).HostKey as Record<
      string,
      unknown
    >;
    assert.equal(described.Description, 'now active');
    assert.equal(described.HostKeyFingerprint, parsePrivateKey(next).fingerprint);

    assert.match(
      await awsFails('transfer', 'import-host-key', '--server-id', serverId, '--host-key-body', keyFile(next)),
      /ResourceExistsException/,
    );
    await aws('transfer', 'delete-host-key', '--server-id', serverId, '--host-key-id', String(listed[0]?.HostKeyId));
    const server = (await aws('transfer', 'describe-server', '--server-id', serverId)).Server as Record<string, unknown>;
    assert.equal(server.HostKeyFingerprint, parsePrivateKey(next).fingerprint);
    assert.match(
      await awsFails('transfer', 'describe-host-key', '--server-id', serverId, '--host-key-id', String(listed[0]?.HostKeyId)),
      /ResourceNotFoundException/,
    );
  });
});
