// The botocore-based CLI's library — Debian's python3-botocore, installed by
// scripts/ensure-test-tools.sh — against the emulator's EC2 query protocol and Transfer's host-key
// operations (test/fixtures/botocore/drive_emulator.py), under Debian's own /usr/bin/python3 so a
// pip botocore elsewhere on PATH cannot stand in for it.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parsePrivateKey } from '../../functions/shared/ssh-key.ts';
import { emulatorForTests } from '../helpers/emulator.ts';
import { assertNoKeyMaterial, captureOutput, markedHostKey } from '../helpers/secrets.ts';

const run = promisify(execFile);
const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('../fixtures/botocore/drive_emulator.py', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'botocore-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const emu = await emulatorForTests({ transitionDelayMs: 0 });

test("Debian's botocore: EC2 endpoints and groups, host keys, and their errors", async () => {
  const one = markedHostKey('ed25519');
  const two = markedHostKey('rsa');
  writeFileSync(join(dir, 'one.pem'), one, { mode: 0o600 });
  writeFileSync(join(dir, 'two.pem'), two, { mode: 0o600 });
  const { stdout, stderr } = await run(PYTHON, [SCRIPT, emu.url, join(dir, 'one.pem'), join(dir, 'two.pem')], {
    env: { PATH: '/usr/bin:/bin', HOME: dir, PYTHONNOUSERSITE: '1' },
  });
  captureOutput('botocore drive', `${stdout}\n${stderr}`);
  for (const key of [one, two]) assertNoKeyMaterial(`${stdout}\n${stderr}`, key);
  const out = JSON.parse(stdout) as Record<string, unknown>;
  assert.match(String(out.botocoreFile), /^\/usr\/lib\/python3\/dist-packages\/botocore\//, "Debian's package, not a pip copy");

  assert.deepEqual(out.groupsBefore, ['sg-0a1b2c3d4e5f60718']);
  assert.equal(out.creationIsDatetime, true);
  assert.equal(out.modifyReturn, true);
  assert.deepEqual(out.groupsAfter, ['sg-0a1b2c3d4e5f60719']);
  assert.deepEqual(out.securityGroups, [['sg-0a1b2c3d4e5f60719', 'vpc-0a1b2c3d']]);
  const errors = out.errors as Record<string, { code: string; status: number } | null>;
  assert.deepEqual(errors.unknownEndpoint, { code: 'InvalidVpcEndpointId.NotFound', status: 400 });
  assert.deepEqual(errors.lastGroup, { code: 'InvalidParameterValue', status: 400 });
  assert.deepEqual(errors.unknownGroup, { code: 'InvalidGroup.NotFound', status: 400 });

  const keys = out.hostKeys as { id: string; fingerprint: string; type: string }[];
  assert.deepEqual(
    keys.map((k) => [k.fingerprint, k.type]),
    [
      [parsePrivateKey(one).fingerprint, 'ssh-ed25519'],
      [parsePrivateKey(two).fingerprint, 'ssh-rsa'],
    ],
  );
  assert.equal(keys[1]?.id, out.newId);
  assert.equal(out.datesIncreasing, true);
  assert.equal(out.describedDescription, 'now active');
  assert.equal(errors.sameKey?.code, 'ResourceExistsException');
  assert.equal(out.fingerprintAfterRotation, parsePrivateKey(two).fingerprint);
  assert.equal(errors.deletedKey?.code, 'ResourceNotFoundException');
});
