// `npm start` is the newcomer's first contact: it must run the whole story and exit 0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { captureOutput } from '../helpers/secrets.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

test('the demo tells the whole story on the local emulator and exits 0', async () => {
  const child = spawn(process.execPath, ['examples/demo/run.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent', NO_COLOR: '1', TR_SECRET_REGISTRY: process.env.TR_SECRET_REGISTRY ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  captureOutput('npm start', out);
  assert.equal(code, 0, out);
  for (const expected of [
    '$ transfer-reconciler validate examples/servers examples/invalid',
    '"Protocol" is not a known key; did you mean "Protocols"?',
    'Plan: 3 to change, 1 in sync, 1 blocked, 0 invalid.',
    'Push: 5 created, 0 updated, 0 unchanged.',
    's-0000000000000000b  updated',
    'done: StopServer',
    's-0000000000000000f  blocked',
    'AllowOfflineChanges',
    's-0000000000000000d  updated',
    'CloudTrail event → router → queue → worker, no sweep.',
    'UpdateServer   arn:aws:sts::000000000000:assumed-role/Admin/alice',
    'UpdateServer   arn:aws:sts::000000000000:assumed-role/transfer-reconciler-worker/reconcile',
    'ignored by the rules: no further reconcile.',
    's-0000000000000000e  invalid',
    's-0000000000000000f  updated',
  ])
    assert.ok(out.includes(expected), `missing: ${expected}`);
  assert.match(out, /s-0000000000000000f {2}updated +ONLINE +SFTP +DUALSTACK/);
  assert.match(out, /reverted \d+\.\d s after the edit/);
  // The person's calls come first, then the worker role's repair; nothing else wrote to the server.
  const writers = /who wrote to the server[^\n]*\n((?: {5}\S+ +\S+\n)+)/.exec(out)?.[1] ?? '';
  assert.deepEqual(
    writers
      .trim()
      .split('\n')
      .map((l) => l.trim().replace(/ +arn:aws:sts::\d+:assumed-role\//, ' ')),
    [
      'UpdateServer Admin/alice',
      'UntagResource Admin/alice',
      'UpdateServer transfer-reconciler-worker/reconcile',
      'TagResource transfer-reconciler-worker/reconcile',
    ],
  );
  assert.match(out, /→ 2 CloudTrail events routed \(the person's\); the worker's own 2 writes/);
  assert.doesNotMatch(out, /PRIVATE KEY/);
  assert.doesNotMatch(out, /Dimension "Trigger" has already been added/);
});
