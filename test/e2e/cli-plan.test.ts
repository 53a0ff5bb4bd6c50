// `transfer-reconciler plan` as a child process: the terraform-like text, Markdown for a pull
// request, NDJSON, planning files before they are pushed (--dir), exit codes, and no colour or
// secret in any output.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXAMPLES, HOST_KEY_PARAMETER, IDS, VALID_EXAMPLES, cliWorld, ndjson, operations } from './cli-fixtures.ts';
import { CLI } from '../helpers/cli-process.ts';

const world = await cliWorld();
const { cli } = world;
const PREFIX = '/plan/';

describe('plan', () => {
  test('--dir plans files before they are pushed: documents come from the files, only the host key from SSM', async () => {
    world.mark();
    const r = await cli(['plan', '--dir', VALID_EXAMPLES, '--prefix', PREFIX]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stdout,
      new RegExp(
        `^${IDS.ftpsVpc} {2}\\d+ changes to apply {2}\\(${VALID_EXAMPLES.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/${IDS.ftpsVpc}\\.json\\)$`,
        'm',
      ),
    );
    const ssm = world.calls().filter((c) => c.service === 'ssm');
    // The host key by its recorded fingerprint: its parameter read without decryption, and its tags.
    assert.deepEqual(operations(ssm), ['GetParameter', 'ListTagsForResource'], 'the host key reference only');
    assert.ok(ssm.every((c) => c.errorCode === undefined));
    assert.ok(!operations(world.calls()).some((op) => /^(Put|Delete|Update|Start|Stop|Tag|Untag)/.test(op)), 'plan writes nothing');
  });

  test('--dir with an invalid document reports it with its problems and exits 1', async () => {
    // examples/servers and examples/invalid (examples/features has its own test: its server is not in this world).
    const r = await cli(['plan', '--dir', VALID_EXAMPLES, '--dir', join(EXAMPLES, 'invalid'), '--prefix', PREFIX]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, new RegExp(`^${IDS.invalid} {2}invalid document, nothing will be written`, 'm'));
    assert.match(r.stdout, /^ {4}! invalid: \$\.Protocol: "Protocol" is not a known key; did you mean "Protocols"\?/m);
    assert.match(r.stdout, /^Plan: 4 to change, 0 in sync, 1 blocked, 1 invalid\.$/m);
  });

  test('--dir with --server plans only that file', async () => {
    const r = await cli(['plan', '--dir', EXAMPLES, '--server', IDS.plainSftp, '--json']);
    assert.equal(r.code, 2, r.stderr);
    const outcomes = ndjson(r.stdout);
    assert.deepEqual(
      outcomes.map((o) => o.serverId),
      [IDS.plainSftp],
    );
    assert.deepEqual(outcomes[0]?.parameter, { name: join(VALID_EXAMPLES, `${IDS.plainSftp}.yaml`) });
  });

  test('from SSM (after push): terraform-like lines, needs restart / needs OFFLINE, blocked reasons, summary; no colour off a terminal', async () => {
    const pushed = await cli(['push', VALID_EXAMPLES, '--prefix', PREFIX]);
    assert.equal(pushed.code, 0, pushed.stderr);
    const r = await cli(['plan', '--all', '--prefix', PREFIX]);
    assert.equal(r.code, 2, r.stderr);
    const out = r.stdout;
    assert.match(out, new RegExp(`^${IDS.ftpsVpc} {2}8 changes to apply {2}\\(${PREFIX}${IDS.ftpsVpc} v1\\)$`, 'm'));
    assert.match(out, /^ {4}~ ProtocolDetails\.PassiveIp: "AUTO" → "203\.0\.113\.10" \(needs restart\)$/m);
    assert.match(out, /^ {4}\+ Tags\.team: "finance-ops"$/m);
    assert.match(out, /^ {4}~ IdentityProviderType: "SERVICE_MANAGED" → "AWS_LAMBDA"$/m);
    assert.match(out, new RegExp(`^${IDS.dualstack} {2}blocked: 4 changes, nothing will be written`, 'm'));
    assert.match(out, /^ {4}~ IpAddressType: "IPV4" → "DUALSTACK" \(needs OFFLINE\)$/m);
    assert.match(out, /^ {4}! blocked: \$\.IpAddressType: .*AllowOfflineChanges/m);
    assert.match(out, /^Plan: 4 to change, 0 in sync, 1 blocked, 0 invalid\.$/m);
    assert.ok(!out.includes('HostKey'), 'the server already has the desired key: no host-key change');
    assert.ok(!`${out}${r.stderr}`.includes('\u001b['), 'no ANSI codes when stdout is not a terminal');
  });

  test('a host key change shows fingerprints only', async () => {
    // s-…d has no HostKey in its document; point a copy at the SecureString (another server's key).
    const dir = world.copyOfExamples();
    const file = join(dir, `${IDS.plainSftp}.yaml`);
    writeFileSync(file, `${readFileSync(file, 'utf8')}HostKey:\n  SecureStringParameter: ${HOST_KEY_PARAMETER}\n`);
    const withKey = await cli(['plan', '--dir', dir, '--server', IDS.plainSftp]);
    assert.equal(withKey.code, 2, withKey.stderr);
    assert.match(withKey.stdout, /^ {4}~ HostKey: "SHA256:[A-Za-z0-9+/]{43}" → "SHA256:[A-Za-z0-9+/]{43}"$/m);
    assert.match(withKey.stdout, /! blocked: \$\.HostKey: .*AllowHostKeyRotation/);
  });

  test('--format markdown: heading, summary, table, a diff block per server with changes', async () => {
    const r = await cli(['plan', '--all', '--prefix', PREFIX, '--format', 'markdown']);
    assert.equal(r.code, 2, r.stderr);
    const md = r.stdout;
    assert.ok(md.startsWith('### transfer-reconciler plan\n\n**Plan: 4 to change, 0 in sync, 1 blocked, 0 invalid.**\n'), md);
    assert.match(md, /^\| Server \| Plan \| Changes \| Document \|$/m);
    assert.match(
      md,
      new RegExp(
        `^\\| \`${IDS.dualstack}\` \\| blocked: 4 changes, nothing will be written \\| 4 \\| \`${PREFIX}${IDS.dualstack}\` v1 \\|$`,
        'm',
      ),
    );
    assert.equal((md.match(/^```diff$/gm) ?? []).length, 5);
    assert.match(md, /^! ProtocolDetails\.PassiveIp: "AUTO" → "203\.0\.113\.10" \(needs restart\)$/m);
    assert.match(md, /^- \*\*Blocked\*\* `\$\.IpAddressType`: /m);
    assert.ok(!md.includes('\u001b['));
  });

  test('--json (= --format json): one outcome per line and nothing else on stdout', async () => {
    for (const args of [['--json'], ['--format', 'json']]) {
      const r = await cli(['plan', '--all', '--prefix', PREFIX, ...args]);
      assert.equal(r.code, 2, r.stderr);
      const outcomes = ndjson(r.stdout);
      assert.equal(outcomes.length, 5);
      for (const o of outcomes) {
        assert.deepEqual(
          Object.keys(o).filter((k) =>
            ['serverId', 'parameter', 'trigger', 'mode', 'result', 'changes', 'calls', 'durationMs', 'warnings'].includes(k),
          ).length,
          9,
        );
        assert.equal(o.mode, 'detect');
        assert.equal(o.trigger, 'cli');
      }
      const blocked = outcomes.find((o) => o.serverId === IDS.dualstack);
      assert.equal(blocked?.result, 'drift-detected');
      assert.deepEqual(
        (blocked?.issues as Array<{ path: string }>).map((i) => i.path),
        ['$.IpAddressType'],
      );
    }
  });

  test('exit 0 when every server is in sync, 1 for a missing server or bad usage', async () => {
    const rec = await cli(['reconcile', '--server', IDS.as2, '--prefix', PREFIX]);
    assert.equal(rec.code, 0, rec.stdout);
    const inSync = await cli(['plan', '--server', IDS.as2, '--prefix', PREFIX]);
    assert.equal(inSync.code, 0);
    assert.match(inSync.stdout, new RegExp(`^${IDS.as2} {2}in sync {2}`, 'm'));
    assert.match(inSync.stdout, /^Plan: 0 to change, 1 in sync, 0 blocked, 0 invalid\.$/m);

    const missing = await cli(['plan', '--server', 's-0000000000000fff0', '--prefix', PREFIX]);
    assert.equal(missing.code, 1);
    assert.match(missing.stdout, /1 error\.$/m);

    const conflict = await cli(['plan', '--all', '--json', '--format', 'markdown']);
    assert.equal(conflict.code, 1);
    assert.match(conflict.stderr, /--json and --format markdown disagree/);
    const bad = await cli(['plan', '--all', '--format', 'html']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /--format must be text, markdown or json/);
    const neither = await cli(['plan']);
    assert.equal(neither.code, 1);
    assert.match(neither.stderr, /give --server ID \(repeatable\) or --all/);
  });
});

/** Runs the built CLI with stdout read like `| head -1`: the pipe is closed after the first line. */
function runIntoHead(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; signal: string | null; first: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let out = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    if (out.includes('\n')) child.stdout.destroy();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  return new Promise((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal, first: out.split('\n')[0] ?? '', stderr })),
  );
}

describe('plan into a reader that stops early (plan --json | head -1)', () => {
  test("exits quietly (0, or the plan's exit 2) with nothing on stderr: no EPIPE, no stack trace", async () => {
    // Enough output (24 outcomes with 4000-character banners, several times the pipe's 64 KiB
    // buffer) that the CLI is still writing when the reader has gone.
    const ids = Array.from({ length: 24 }, (_, i) => `s-${(0xe00 + i).toString(16).padStart(17, '0')}`);
    for (const [i, id] of ids.entries()) {
      world.emu.transfer.createServerWithId(id, { Protocols: ['SFTP'] });
      const doc = { PreAuthenticationLoginBanner: `${String(i).padStart(2, '0')}${'x'.repeat(3998)}` };
      await world.emu.ssm.handle('PutParameter', { Name: `/pipe/${id}`, Type: 'String', Tier: 'Advanced', Value: JSON.stringify(doc) });
    }
    const env = {
      TRANSFER_RECONCILER_ENDPOINT_URL: world.emu.url,
      TRANSFER_RECONCILER_TRANSFER_RATE: '1000',
      TRANSFER_RECONCILER_SSM_RATE: '1000',
      NO_COLOR: '1',
    };
    for (const format of [['--json'], ['--format', 'text']]) {
      const r = await runIntoHead(['plan', '--all', '--prefix', '/pipe/', ...format], env);
      assert.doesNotMatch(r.stderr, /EPIPE|Error| {4}at /, r.stderr);
      assert.equal(r.stderr, '', format.join(' '));
      // 0: the reader left while the CLI was still writing (EPIPE, taken quietly); 2 (drift found,
      // plan's own code): the CLI had written everything into the pipe before the reader left.
      // Either way no signal, and nothing on stderr.
      assert.ok(r.code === 0 || r.code === 2, `${format.join(' ')}: exit ${String(r.code)}`);
      assert.equal(r.signal, null, format.join(' '));
      assert.ok(r.first.length > 0, 'the reader got its line');
    }
  });
});
