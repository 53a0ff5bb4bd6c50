// `transfer-reconciler reconcile` as a child process: per-server outcomes, the summary table,
// --quiet, --verbose, --json, detect mode after a change "in the console", exit codes (detect: 0/2/1) — and no
// progress bar when stderr is not a terminal.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HOST_KEY_PARAMETER, IDS, VALID_EXAMPLES, cliWorld, ndjson, operations } from './cli-fixtures.ts';

const world = await cliWorld();
const { cli, emu } = world;
const PREFIX = '/rec/';

describe('reconcile', () => {
  test('--all: an outcome per server, then the table and the summary line; exit 1 because one is blocked', async () => {
    const pushed = await cli(['push', VALID_EXAMPLES, '--prefix', PREFIX]);
    assert.equal(pushed.code, 0, pushed.stderr);
    const r = await cli(['reconcile', '--all', '--prefix', PREFIX], { TRANSFER_RECONCILER_CONCURRENCY: '2' });
    assert.equal(r.code, 1, r.stdout);
    const out = r.stdout;
    for (const id of [IDS.lambdaSftp, IDS.ftpsVpc, IDS.as2, IDS.plainSftp])
      assert.match(out, new RegExp(`^${id} {2}updated {2}\\(${PREFIX}${id} v1, \\d+ ms\\)$`, 'm'));
    assert.match(out, new RegExp(`^${IDS.dualstack} {2}blocked {2}`, 'm'));
    assert.match(out, /^ {4}done: StopServer$/m, 'the PassiveIp change restarts the FTPS server');
    assert.match(out, /^SERVER {15}RESULT {3}CHANGES {2}CALLS +MS$/m);
    assert.match(out, new RegExp(`^${IDS.ftpsVpc} {2}updated +8 +\\d+ +\\d+$`, 'm'));
    assert.match(out, new RegExp(`^${IDS.dualstack} {2}blocked +4 +\\d+ +\\d+$`, 'm'));
    assert.match(out, /^5 servers: 1 blocked, 4 updated$/m);
    assert.ok(!r.stderr.includes('\r') && !r.stderr.includes('#'), 'no progress bar off a terminal');
    assert.ok(!out.includes('\u001b['));
  });

  test('--quiet: only servers that are not fine, and the summary line', async () => {
    const r = await cli(['reconcile', '--all', '--prefix', PREFIX, '--quiet']);
    assert.equal(r.code, 1);
    const lines = r.stdout.trimEnd().split('\n');
    assert.match(lines[0] ?? '', new RegExp(`^${IDS.dualstack} {2}blocked`));
    assert.equal(lines.at(-1), '5 servers: 1 blocked, 4 in-sync');
    assert.ok(!r.stdout.includes('SERVER '), 'no table');
    assert.ok(!r.stdout.includes(IDS.as2), 'in-sync servers are not listed');
  });

  test('--verbose: each outcome in full with mode, trigger and every call; exit 0 when all are in sync', async () => {
    const r = await cli(['reconcile', '--server', IDS.lambdaSftp, '--server', IDS.as2, '--prefix', PREFIX, '-v']);
    assert.equal(r.code, 0, r.stdout);
    assert.match(r.stdout, /^ {4}mode: enforce, trigger: cli$/m);
    assert.match(r.stdout, /^ {4}calls: DescribeServer×1, GetParameter×2$/m, 'document and host key for s-…a');
    assert.match(r.stdout, /^ {4}calls: DescribeServer×1, GetParameter×1$/m);
    assert.match(r.stdout, /^2 servers: 2 in-sync$/m);
  });

  test('--mode detect exit codes (terraform -detailed-exitcode): 0 all in sync, 2 drift (a blocked change counts), 1 on failure', async () => {
    world.mark();
    const inSync = await cli(['reconcile', '--server', IDS.lambdaSftp, '--server', IDS.as2, '--prefix', PREFIX, '--mode', 'detect']);
    assert.equal(inSync.code, 0, inSync.stdout);
    assert.match(inSync.stdout, /^2 servers: 2 in-sync$/m);
    const blocked = await cli(['reconcile', '--all', '--prefix', PREFIX, '--mode', 'detect', '--json']);
    assert.equal(blocked.code, 2, blocked.stdout);
    const dual = ndjson(blocked.stdout).find((o) => o.serverId === IDS.dualstack);
    assert.equal(dual?.result, 'drift-detected', 'in detect mode a blocked change is reported as drift');
    assert.ok(Array.isArray(dual?.issues) && dual.issues.length > 0, 'with the reasons it would be blocked');
    // A document for a server that does not exist: not-found, a failure that wins over drift.
    const missing = 's-00000000000000099';
    await emu.ssm.handle('PutParameter', { Name: `${PREFIX}${missing}`, Type: 'String', Value: '{}' });
    const failed = await cli(['reconcile', '--server', IDS.dualstack, '--server', missing, '--prefix', PREFIX, '--mode', 'detect']);
    await emu.ssm.handle('DeleteParameter', { Name: `${PREFIX}${missing}` });
    assert.equal(failed.code, 1, failed.stdout);
    assert.match(failed.stdout, new RegExp(`^${missing} {2}not-found`, 'm'));
    assert.match(failed.stdout, new RegExp(`^${IDS.dualstack} {2}drift-detected`, 'm'));
    const noDocument = await cli(['reconcile', '--server', missing, '--prefix', PREFIX, '--mode', 'detect']);
    assert.equal(noDocument.code, 1, 'no document (unmanaged) is an error too, as in enforce mode');
    assert.deepEqual(
      operations(world.calls()).filter((op) => /^(Put|Delete|Update|Start|Stop|Tag|Untag)/.test(op)),
      [],
      'detect writes nothing',
    );
  });

  test('--mode detect after a change in the console: drift-detected, nothing written, exit 2; then reconcile repairs it', async () => {
    await emu.transfer.handle('UpdateServer', { ServerId: IDS.plainSftp, PreAuthenticationLoginBanner: 'changed by hand' });
    world.mark();
    const detect = await cli(['reconcile', '--server', IDS.plainSftp, '--prefix', PREFIX, '--mode', 'detect']);
    assert.equal(detect.code, 2);
    assert.match(detect.stdout, new RegExp(`^${IDS.plainSftp} {2}drift-detected`, 'm'));
    assert.match(
      detect.stdout,
      /~ PreAuthenticationLoginBanner: "changed by hand" → "Example Corp internal SFTP\.\\nUnauthorised access is prohibited\."/,
    );
    assert.deepEqual(
      operations(world.calls()).filter((op) => op === 'UpdateServer'),
      [],
    );
    const fix = await cli(['reconcile', '--server', IDS.plainSftp, '--prefix', PREFIX]);
    assert.equal(fix.code, 0, fix.stdout);
    assert.match(fix.stdout, /^ {4}done: UpdateServer\(PreAuthenticationLoginBanner\)$/m);
  });

  test('--json: NDJSON outcomes only, nothing else on stdout', async () => {
    const r = await cli(['reconcile', '--all', '--prefix', PREFIX, '--json']);
    assert.equal(r.code, 1);
    const outcomes = ndjson(r.stdout);
    assert.equal(outcomes.length, 5);
    assert.deepEqual(outcomes.map((o) => o.result).sort(), ['blocked', 'in-sync', 'in-sync', 'in-sync', 'in-sync']);
    assert.equal(r.stderr, '');
  });

  test('a host-key rotation is applied and reported by fingerprint; no output holds the key', async () => {
    const dir = world.copyOfExamples();
    const file = join(dir, `${IDS.plainSftp}.yaml`);
    const text = readFileSync(file, 'utf8').replace(
      /^State: ONLINE$/m,
      `State: ONLINE\nHostKey:\n  SecureStringParameter: ${HOST_KEY_PARAMETER}\nReconciler:\n  AllowHostKeyRotation: true`,
    );
    writeFileSync(file, text);
    const pushed = await cli(['push', dir, '--prefix', '/rot/']);
    assert.equal(pushed.code, 0, pushed.stderr);
    const r = await cli(['reconcile', '--server', IDS.plainSftp, '--prefix', '/rot/', '--verbose']);
    assert.equal(r.code, 0, r.stdout);
    assert.match(r.stdout, /^ {4}~ HostKey: "SHA256:[A-Za-z0-9+/]{43}" → "SHA256:[A-Za-z0-9+/]{43}"$/m);
    assert.match(r.stdout, /^ {4}done: UpdateServer\(HostKey\)$/m);
    const json = await cli(['reconcile', '--server', IDS.plainSftp, '--prefix', '/rot/', '--json']);
    assert.equal(ndjson(json.stdout)[0]?.result, 'in-sync');
  });

  test('bad usage exits 1 with the reason', async () => {
    for (const [args, reason] of [
      [['--all', '--quiet', '--verbose'], /--quiet or --verbose, not both/],
      [['--all', '--json', '--quiet'], /--json prints outcome records only/],
      [['--all', '--mode', 'fix'], /--mode must be "detect"/],
      [['--all', '--server', IDS.as2], /either --server ID\.\.\. or --all/],
      [['--all', '--concurrency', '0'], /--concurrency must be a positive whole number/],
    ] as const) {
      const r = await cli(['reconcile', ...args]);
      assert.equal(r.code, 1, args.join(' '));
      assert.match(r.stderr, reason);
    }
  });
});
