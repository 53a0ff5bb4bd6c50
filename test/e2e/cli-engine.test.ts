// The built CLI (dist/cli.mjs, built by `npm test` before the tests) as a child process against
// an in-process emulator: exit codes, the `<file>: <json-path>: <message>` lines of validate,
// NDJSON on stdout with --json, --all, and dummy credentials for a loopback endpoint in an
// environment with no AWS configuration at all.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { Outcome } from '../../functions/reconciler/types.ts';
import { runCli } from '../helpers/cli-process.ts';
import type { CliResult } from '../helpers/cli-process.ts';
import { PREFIX, engineForTests } from '../helpers/engine.ts';
import { assertNoKeyMaterial, markedHostKey } from '../helpers/secrets.ts';

const engine = await engineForTests();
const work = mkdtempSync(join(tmpdir(), 'cli-engine-'));
const home = mkdtempSync(join(tmpdir(), 'cli-engine-home-'));
after(() => {
  rmSync(work, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
});

/** No AWS configuration reachable: variables removed (spawn drops undefined ones), HOME empty. */
const bareEnv: NodeJS.ProcessEnv = {
  HOME: home,
  USERPROFILE: home,
  AWS_ACCESS_KEY_ID: undefined,
  AWS_SECRET_ACCESS_KEY: undefined,
  AWS_SESSION_TOKEN: undefined,
  AWS_PROFILE: undefined,
  AWS_DEFAULT_PROFILE: undefined,
  AWS_REGION: undefined,
  AWS_DEFAULT_REGION: undefined,
  AWS_CONFIG_FILE: undefined,
  AWS_SHARED_CREDENTIALS_FILE: undefined,
  AWS_ENDPOINT_URL: undefined,
  AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined,
  AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined,
  AWS_WEB_IDENTITY_TOKEN_FILE: undefined,
  TRANSFER_RECONCILER_ENDPOINT_URL: undefined,
  TRANSFER_RECONCILER_PREFIX: undefined,
};

function cli(args: string[]): Promise<CliResult> {
  return runCli([...args, '--endpoint-url', engine.emu.url], bareEnv);
}

/** Outcomes stream in the order they finish (servers run concurrently): compare them by server. */
function byServer(outcomes: readonly { serverId: string; result: string }[]): [string, string][] {
  return outcomes.map((o): [string, string] => [o.serverId, o.result]).sort(([a], [b]) => a.localeCompare(b));
}

function ndjson(stdout: string): Outcome[] {
  const lines = stdout.split('\n').filter((l) => l !== '');
  return lines.map((l) => {
    try {
      return JSON.parse(l) as Outcome;
    } catch {
      throw new Error(`stdout line is not JSON: ${l}`);
    }
  });
}

async function serverWithDocument(
  document: Record<string, unknown>,
  create: Parameters<typeof engine.createServer>[0] = {},
): Promise<string> {
  const id = await engine.createServer(create);
  await engine.putDocument(id, document);
  return id;
}

describe('transfer-reconciler validate', () => {
  test('valid documents (JSON and YAML, in a folder): exit 0, no problem lines', async () => {
    const dir = mkdtempSync(join(work, 'valid-'));
    writeFileSync(join(dir, 's-0123456789abcdef0.json'), JSON.stringify({ Protocols: ['SFTP'], State: 'ONLINE' }));
    writeFileSync(join(dir, 's-0123456789abcdef1.yaml'), 'PreAuthenticationLoginBanner: hello\nReconciler:\n  Mode: detect\n');
    const r = await runCli(['validate', dir], bareEnv);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /2 valid, 0 invalid/);
    assert.doesNotMatch(r.stdout, /: \$/);
  });

  test('invalid documents: exit 1, one `<file>: <json-path>: <message>` line per problem', async () => {
    const file = join(work, 's-00000000000000001.json');
    writeFileSync(file, JSON.stringify({ Protocol: ['SFTP'], LoggingRole: null, Tags: [{ Key: 'aws:x', Value: 'y' }] }));
    const r = await runCli(['validate', file], bareEnv);
    assert.equal(r.code, 1);
    const lines = r.stdout.split('\n').filter((l) => l.startsWith(`${file}: $`));
    assert.ok(lines.length >= 3, r.stdout);
    for (const path of ['$.Protocol', '$.LoggingRole', '$.Tags[0].Key']) {
      assert.ok(
        lines.some((l) => l.startsWith(`${file}: ${path}: `) && l.length > `${file}: ${path}: `.length),
        `${path} in ${r.stdout}`,
      );
    }
  });
});

describe('transfer-reconciler plan', () => {
  test('no changes: exit 0; pending: exit 2 with NDJSON; nothing written', async () => {
    const same = await serverWithDocument({ Protocols: ['SFTP'] });
    const drift = await serverWithDocument({ PreAuthenticationLoginBanner: 'pending' });
    engine.mark();
    const quiet = await cli(['plan', '--server', same]);
    assert.equal(quiet.code, 0, quiet.stderr);
    const pending = await cli(['plan', '--server', same, '--server', drift, '--json']);
    assert.equal(pending.code, 2, pending.stderr);
    const outcomes = ndjson(pending.stdout);
    assert.deepEqual(
      byServer(outcomes),
      byServer([
        { serverId: same, result: 'in-sync' },
        { serverId: drift, result: 'drift-detected' },
      ]),
    );
    const drifted = outcomes.find((o) => o.serverId === drift);
    assert.deepEqual(
      drifted?.changes.map((c) => c.path),
      ['PreAuthenticationLoginBanner'],
    );
    assert.equal(drifted?.mode, 'detect');
    assert.equal(drifted?.trigger, 'cli');
    assert.deepEqual(engine.writes(), []);
  });

  test('an error (invalid document, or no document): exit 1', async () => {
    const invalid = await serverWithDocument({ Protocol: ['SFTP'] });
    const r = await cli(['plan', '--server', invalid, '--json']);
    assert.equal(r.code, 1);
    assert.equal(ndjson(r.stdout)[0]?.result, 'invalid');
    const bare = await engine.createServer();
    const unmanaged = await cli(['plan', '--server', bare]);
    assert.equal(unmanaged.code, 1);
    assert.match(unmanaged.stdout, /unmanaged/);
  });
});

describe('transfer-reconciler reconcile', () => {
  test('--json prints only NDJSON on stdout; exit 0 when every server is in-sync or updated; a second run writes nothing', async () => {
    const a = await serverWithDocument({ PreAuthenticationLoginBanner: 'from the CLI', Tags: [{ Key: 'team', Value: 'files' }] });
    const b = await serverWithDocument({ Protocols: ['SFTP'] });
    const r = await cli(['reconcile', '--server', a, '--server', b, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const outcomes = ndjson(r.stdout);
    assert.deepEqual(
      byServer(outcomes),
      byServer([
        { serverId: a, result: 'updated' },
        { serverId: b, result: 'in-sync' },
      ]),
    );
    assert.equal((await engine.describe(a)).PreAuthenticationLoginBanner, 'from the CLI');
    engine.mark();
    const again = await cli(['reconcile', '--server', a, '--json']);
    assert.equal(again.code, 0);
    assert.equal(ndjson(again.stdout)[0]?.result, 'in-sync');
    assert.deepEqual(engine.writes(), []);
  });

  test('exit 1 when a server is blocked, and the other servers are still reconciled', async () => {
    const blocked = await serverWithDocument({ IpAddressType: 'DUALSTACK' });
    const fine = await serverWithDocument({ LoggingRole: 'arn:aws:iam::000000000000:role/logging' });
    const r = await cli(['reconcile', '--server', blocked, '--server', fine, '--json']);
    assert.equal(r.code, 1);
    assert.deepEqual(
      byServer(ndjson(r.stdout)),
      byServer([
        { serverId: blocked, result: 'blocked' },
        { serverId: fine, result: 'updated' },
      ]),
    );
    assert.equal((await engine.describe(blocked)).IpAddressType, 'IPV4');
  });

  test('--all reconciles every document under the prefix; the text output names each server and its result', async () => {
    const prefix = '/cli-engine/all/';
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const id = await engine.createServer();
      await engine.putText(`${prefix}${id}`, JSON.stringify({ PostAuthenticationLoginBanner: `hello ${i}` }));
      ids.push(id);
    }
    const json = await cli(['reconcile', '--all', '--prefix', prefix, '--json']);
    assert.equal(json.code, 0, json.stderr);
    const outcomes = ndjson(json.stdout);
    assert.deepEqual(new Set(outcomes.map((o) => o.serverId)), new Set(ids));
    assert.ok(outcomes.every((o) => o.result === 'updated' && o.parameter.name.startsWith(prefix)));
    const text = await cli(['reconcile', '--all', '--prefix', prefix]);
    assert.equal(text.code, 0, text.stderr);
    for (const id of ids) assert.match(text.stdout, new RegExp(`${id}\\b.*in-sync`));
    assert.ok(!PREFIX.startsWith(prefix));
  });

  test('--all with a parameter that is not a server document: reported on stderr, exit 1, the others reconciled', async () => {
    const prefix = '/cli-engine/problems/';
    const id = await engine.createServer();
    await engine.putText(`${prefix}${id}`, JSON.stringify({ LoggingRole: '' }));
    await engine.putText(`${prefix}not-a-server`, '{}');
    const r = await cli(['reconcile', '--all', '--prefix', prefix, '--json']);
    assert.equal(r.code, 1);
    assert.deepEqual(byServer(ndjson(r.stdout)), [[id, 'in-sync']]);
    assert.match(r.stderr, new RegExp(`^${prefix}not-a-server: not a server document`, 'm'));
  });

  test('host-key rotation through the CLI: no line of the key in stdout or stderr, blocked or applied', async () => {
    const key = markedHostKey('ed25519');
    const id = await engine.createServer();
    const parameter = `/transfer-reconciler/host-keys/${id}`;
    await engine.putText(parameter, key, 'SecureString');
    await engine.putDocument(id, { HostKey: { SecureStringParameter: parameter } });
    const blocked = await cli(['reconcile', '--server', id]);
    assert.equal(blocked.code, 1);
    assert.match(blocked.stdout, /blocked/);
    await engine.putDocument(id, { HostKey: { SecureStringParameter: parameter }, Reconciler: { AllowHostKeyRotation: true } });
    // The key was stored by hand (no push recorded its fingerprint): plan decrypts it.
    const planned = await cli(['plan', '--server', id, '--json', '--decrypt']);
    assert.equal(planned.code, 2);
    const applied = await cli(['reconcile', '--server', id, '--json']);
    assert.equal(applied.code, 0, applied.stderr);
    assert.equal(ndjson(applied.stdout)[0]?.result, 'updated');
    for (const r of [blocked, planned, applied]) {
      assertNoKeyMaterial(r.stdout, key);
      assertNoKeyMaterial(r.stderr, key);
    }
  });
});
