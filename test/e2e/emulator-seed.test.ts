// `transfer-reconciler emulator --seed DIR`: a bare emulator gets one server per document file,
// with the file's ServerId, so the examples/README.md walk-through works without the demo: plan
// --dir finds every server (none not-found, the host key the document names is there), push and
// reconcile converge them, and a wrong folder is refused before listening.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { runCli, startEmulatorProcess } from '../helpers/cli-process.ts';
import type { EmulatorProcess } from '../helpers/cli-process.ts';
import type { Outcome } from '../../functions/reconciler/types.ts';

const SERVERS = fileURLToPath(new URL('../../examples/servers', import.meta.url));
const IDS = ['s-0000000000000000a', 's-0000000000000000b', 's-0000000000000000c', 's-0000000000000000d', 's-0000000000000000f'];

let emu: EmulatorProcess;
before(async () => {
  emu = await startEmulatorProcess(['--seed', SERVERS, '--transition-delay-ms', '0']);
});
after(async () => {
  await emu.stop();
});

/** The CLI against the seeded emulator, with a prefix of this file's own. */
function cli(args: string[]) {
  return runCli([...args, '--endpoint-url', emu.url, '--prefix', '/emulator-seed-test/'], { AWS_PROFILE: undefined });
}

function outcomes(stdout: string): Outcome[] {
  return stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Outcome);
}

const results = (list: Outcome[]) => list.map((o) => [o.serverId, o.result]).sort(([a], [b]) => String(a).localeCompare(String(b)));

describe('emulator --seed', () => {
  test('plan --dir examples/servers finds every server: changes or blocked, none not-found or invalid', async () => {
    const r = await cli(['plan', '--dir', SERVERS, '--json']);
    assert.equal(r.code, 2, r.stderr);
    const found = results(outcomes(r.stdout));
    assert.deepEqual(
      found.map(([id]) => id),
      IDS,
    );
    // s-…f's DUALSTACK change is blocked (its plan says so); how plan's JSON names that is not this test's business.
    for (const [id, result] of found) assert.ok(['drift-detected', 'blocked'].includes(String(result)), `${id}: ${result}`);
  });

  test('push, then reconcile --all converges them; a second plan is in sync but for the blocked one', async () => {
    const push = await cli(['push', SERVERS]);
    assert.equal(push.code, 0, push.stdout + push.stderr);
    const rec = await cli(['reconcile', '--all', '--json']);
    assert.deepEqual(results(outcomes(rec.stdout)), [
      [IDS[0], 'updated'],
      [IDS[1], 'updated'],
      [IDS[2], 'updated'],
      [IDS[3], 'updated'],
      [IDS[4], 'blocked'],
    ]);
    const again = results(outcomes((await cli(['plan', '--all', '--json'])).stdout));
    assert.deepEqual(
      again.slice(0, 4),
      IDS.slice(0, 4).map((id) => [id, 'in-sync']),
    );
    assert.equal(again[4]?.[0], IDS[4]);
    assert.notEqual(again[4]?.[1], 'in-sync', 'the DUALSTACK change still waits for AllowOfflineChanges');
  });

  test('a seed folder that does not exist: exit 1 before listening', async () => {
    const r = await runCli(['emulator', '--port', '0', '--seed', join(SERVERS, 'missing')]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /--seed .*missing: no such file or folder/);
    assert.doesNotMatch(r.stdout, /listening on/);
  });
});
