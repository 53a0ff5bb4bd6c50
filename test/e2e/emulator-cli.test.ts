// `transfer-reconciler emulator` as a child process: prints its real URL with --port 0, answers
// SSM and Transfer, applies its flags, saves its state file and exits 0 on SIGTERM/SIGINT.
// The CLI is bundled here into a private folder under dist/ (with the build script's settings)
// so that this file never races another test reading dist/cli.mjs.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { ListServersCommand, TransferClient } from '@aws-sdk/client-transfer';
import { testCredentials } from '../helpers/emulator.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const outDir = join(root, 'dist', `e2e-emulator-${process.pid}`);
const cli = join(outDir, 'cli.mjs');
const work = mkdtempSync(join(tmpdir(), 'emu-cli-'));

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
      ['--faults', join(work, 'missing.json')],
    ]) {
      const res = await runCli(args);
      assert.equal(res.code, 1, args.join(' '));
      assert.match(res.stderr, /transfer-reconciler emulator: /, args.join(' '));
    }
  });
});
