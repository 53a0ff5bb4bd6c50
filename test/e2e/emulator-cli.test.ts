// `transfer-reconciler emulator` as a child process: prints its real URL with --port 0, answers
// SSM and Transfer, applies its flags, saves its state file and exits 0 on SIGTERM/SIGINT.
// The CLI is bundled here into a private folder under dist/ (with the build script's settings)
// so that this file never races another test reading dist/cli.mjs.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { ListServersCommand, TransferClient } from '@aws-sdk/client-transfer';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { testCredentials } from '../helpers/emulator.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const outDir = join(root, 'dist', `e2e-emulator-${process.pid}`);
const cli = join(outDir, 'cli.mjs');
const work = mkdtempSync(join(tmpdir(), 'emu-cli-'));
/** A roles file whose role lacks its trust list: a usage error naming the file and the role, never a value. */
const badRoles = join(work, 'bad-roles.json');
writeFileSync(badRoles, JSON.stringify([{ arn: 'arn:aws:iam::111111111111:role/x', externalId: 'secret-ext' }]));

before(async () => {
  await build({
    entryPoints: [join(root, 'functions/cli/main.ts')],
    outfile: cli,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    logLevel: 'error',
  });
});
after(() => {
  rmSync(outDir, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

interface Running {
  child: ChildProcess;
  url: string;
  exit: Promise<number | null>;
  stdout: () => string;
}

function startCli(args: string[]): Promise<Running> {
  const child = spawn(process.execPath, [cli, 'emulator', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let out = '';
  let err = '';
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  return new Promise((resolve, reject) => {
    // A guard against a hang, not a performance assertion: startup normally takes well under 2 s.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`emulator did not print its URL within 15 s; stdout: ${out}; stderr: ${err}`));
    }, 15_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^listening on (http:\/\/127\.0\.0\.1:(\d+))\n/m.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve({ child, url: m[1], exit, stdout: () => out });
      }
    });
    void exit.then((code) => {
      clearTimeout(timer);
      reject(new Error(`emulator exited with ${code} before listening; stderr: ${err}`));
    });
  });
}

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [cli, 'emulator', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

function clients(url: string): { ssm: SSMClient; transfer: TransferClient } {
  const ssm = new SSMClient({ endpoint: url, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 });
  const transfer = new TransferClient({ endpoint: url, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 });
  after(() => {
    ssm.destroy();
    transfer.destroy();
  });
  return { ssm, transfer };
}

describe('transfer-reconciler emulator', () => {
  test('--port 0 prints exactly "listening on <url>" with the real port, serves both services, exits 0 on SIGTERM', async () => {
    const emu = await startCli(['--port', '0']);
    assert.equal(emu.stdout(), `${'listening on '}${emu.url}\n`);
    assert.notEqual(new URL(emu.url).port, '0');
    const { ssm, transfer } = clients(emu.url);
    await ssm.send(new PutParameterCommand({ Name: '/cli/p', Value: 'v', Type: 'String' }));
    assert.equal((await ssm.send(new GetParameterCommand({ Name: '/cli/p' }))).Parameter?.Value, 'v');
    assert.deepEqual((await transfer.send(new ListServersCommand({}))).Servers, []);
    emu.child.kill('SIGTERM');
    assert.equal(await emu.exit, 0);
  });

  test('--roles: STS issues credentials for a listed role (external id checked) and they land in its account', async () => {
    const roles = join(work, 'roles.json');
    const arn = 'arn:aws:iam::111111111111:role/transfer-reconciler-spoke';
    writeFileSync(
      roles,
      JSON.stringify([{ arn, trustedPrincipals: ['arn:aws:iam::000000000000:role/transfer-reconciler-worker'], externalId: 'ext-id-1' }]),
    );
    const emu = await startCli(['--port', '0', '--roles', roles]);
    const sts = new STSClient({
      endpoint: emu.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'reconciler-worker', secretAccessKey: 'x' },
    });
    try {
      const { Credentials: c } = await sts.send(
        new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'cli-test', ExternalId: 'ext-id-1' }),
      );
      const spoke = new STSClient({
        endpoint: emu.url,
        region: 'us-east-1',
        credentials: { accessKeyId: c?.AccessKeyId ?? '', secretAccessKey: c?.SecretAccessKey ?? '', sessionToken: c?.SessionToken ?? '' },
      });
      assert.equal((await spoke.send(new GetCallerIdentityCommand({}))).Account, '111111111111');
      spoke.destroy();
      await assert.rejects(
        sts.send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'cli-test', ExternalId: 'wrong-1' })),
        /AccessDenied/,
      );
    } catch (err) {
      emu.child.kill('SIGKILL');
      throw err;
    } finally {
      sts.destroy();
    }
    assert.doesNotMatch(emu.stdout(), /ext-id-1/);
    emu.child.kill('SIGTERM');
    assert.equal(await emu.exit, 0);
  });

  test('SIGINT saves the state file (mode 0600) and the next run loads it', async () => {
    const stateFile = join(work, 'state.json');
    const first = await startCli(['--port', '0', '--state-file', stateFile]);
    await clients(first.url).ssm.send(new PutParameterCommand({ Name: '/cli/kept', Value: 'kept', Type: 'String' }));
    first.child.kill('SIGINT');
    assert.equal(await first.exit, 0);
    assert.ok(existsSync(stateFile));
    assert.equal(statSync(stateFile).mode & 0o777, 0o600);
    const second = await startCli(['--port', '0', '--state-file', stateFile]);
    assert.equal((await clients(second.url).ssm.send(new GetParameterCommand({ Name: '/cli/kept' }))).Parameter?.Value, 'kept');
    second.child.kill('SIGTERM');
    assert.equal(await second.exit, 0);
  });

  test('--throttle-rate/--throttle-burst and --faults configure faults, visible at /_emulator/faults', async () => {
    const faultsFile = join(work, 'faults.json');
    writeFileSync(faultsFile, JSON.stringify({ seed: 3, operations: { UpdateServer: { error503Rate: 0.5 } } }));
    const emu = await startCli([
      '--port',
      '0',
      '--throttle-rate',
      '5',
      '--throttle-burst',
      '7',
      '--faults',
      faultsFile,
      '--nested-update',
      'replace',
      '--transition-delay-ms',
      '10',
    ]);
    const faults = await (await fetch(`${emu.url}/_emulator/faults`)).json();
    assert.deepEqual(faults, { seed: 3, operations: { UpdateServer: { error503Rate: 0.5 } }, global: { throttle: { rate: 5, burst: 7 } } });
    assert.deepEqual(await (await fetch(`${emu.url}/_emulator/config`)).json(), { nestedUpdate: 'replace', transitionDelayMs: 10 });
    emu.child.kill('SIGTERM');
    assert.equal(await emu.exit, 0);
  });

  test('--help exits 0; bad options exit 1 with a message', async () => {
    const help = await runCli(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /usage: transfer-reconciler emulator/);
    for (const args of [
      ['--nested-update', 'sometimes'],
      ['--port', 'abc'],
      ['--bogus'],
      ['--throttle-burst', '3'],
      ['--enumerate-every', '60'],
      ['--pipeline', '--enumerate-every', '0'],
      ['--faults', join(work, 'missing.json')],
      ['--roles', join(work, 'missing.json')],
      ['--roles', badRoles],
    ]) {
      const res = await runCli(args);
      assert.equal(res.code, 1, args.join(' '));
      assert.match(res.stderr, /transfer-reconciler emulator: /, args.join(' '));
    }
  });
});

// npx runs the bin as npm does for every bin: `sh -c "transfer-reconciler emulator …"`, the shell in
// npm's process group. On SIGTERM npm forwards the signal to that shell only (dash dies, the
// emulator would be left running); a terminal's Ctrl-C reaches the whole group. Real npx needs
// the package linked into npm's cache, so these tests run bin/transfer-reconciler.mjs (which
// loads dist/cli.mjs, built by `npm run build`) behind the same `sh -c` wrapper, with
// npm_command=exec as npx sets it. Not covered: SIGINT sent to the npm process alone, which npm
// forwards to the shell and the shell, waiting for its child, never passes on.
const BIN = join(root, 'bin', 'transfer-reconciler.mjs');

interface Wrapped {
  sh: ChildProcess;
  shExit: Promise<number | null>;
  emulatorPid: number;
  url: string;
  stateFile: string;
}

function startUnderNpxWrapper(name: string): Promise<Wrapped> {
  const stateFile = join(work, `${name}.json`);
  const command = `"${process.execPath}" "${BIN}" emulator --port 0 --state-file "${stateFile}"`;
  const sh = spawn('sh', ['-c', command], {
    detached: true, // its own process group, as npx in a terminal
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, npm_command: 'exec', npm_lifecycle_event: 'npx' },
  });
  const shExit = new Promise<number | null>((resolve) => sh.once('exit', (code) => resolve(code)));
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL within 15 s: ${out}`)), 15_000);
    sh.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^listening on (http:\/\/127\.0\.0\.1:\d+)\n/m.exec(out);
      if (!m?.[1]) return;
      clearTimeout(timer);
      const pids = execFileSync('ps', ['-o', 'pid=', '--ppid', String(sh.pid)], { encoding: 'utf8' })
        .trim()
        .split(/\s+/);
      assert.equal(pids.length, 1, 'the shell stays between npm and the emulator');
      resolve({ sh, shExit, emulatorPid: Number(pids[0]), url: m[1], stateFile });
    });
  });
}

/** Gone, or a zombie nobody reaps (an orphan's exit in a container without an init). */
function exited(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z') === true;
  } catch {
    return true;
  }
}

async function assertStopped(w: Wrapped): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!exited(w.emulatorPid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  try {
    assert.ok(exited(w.emulatorPid), 'the emulator process ended');
    assert.ok(existsSync(w.stateFile), 'it stopped cleanly: the state file was saved on stop');
    await assert.rejects(fetch(`${w.url}/_emulator/health`), 'its server is closed');
  } finally {
    if (!exited(w.emulatorPid)) process.kill(w.emulatorPid, 'SIGKILL');
  }
}

describe('transfer-reconciler emulator through npx (bin behind sh -c)', () => {
  test('SIGTERM to the wrapper npx started: the emulator closes its server and exits', async () => {
    const w = await startUnderNpxWrapper('npx-term-wrapper');
    w.sh.kill('SIGTERM');
    await w.shExit;
    await assertStopped(w);
  });

  test('SIGINT to the process group (Ctrl-C): the emulator closes its server and exits', async () => {
    const w = await startUnderNpxWrapper('npx-int-group');
    process.kill(-(w.sh.pid ?? 0), 'SIGINT');
    await w.shExit;
    await assertStopped(w);
  });

  test('SIGTERM to the process group: the emulator closes its server and exits', async () => {
    const w = await startUnderNpxWrapper('npx-term-group');
    process.kill(-(w.sh.pid ?? 0), 'SIGTERM');
    await w.shExit;
    await assertStopped(w);
  });

  test('the bin itself exits 0 on SIGTERM and on SIGINT', async () => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const child = spawn(process.execPath, [BIN, 'emulator', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
      const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      await new Promise<void>((resolve) => child.stdout.on('data', (d: Buffer) => d.toString().includes('listening on') && resolve()));
      child.kill(signal);
      assert.equal(await exit, 0, signal);
    }
  });
});
