// `transfer-reconciler emulator --pipeline` as a child process (the CLI bundled with the build
// script's settings, so the rules come from the bundle, not the repository): it prints what is
// wired, and a change made by a person (any access key not starting "reconciler") through the SDK
// is reconciled by the pipeline inside it — one line per reconcile — with the call log naming the
// person, then the worker's role. SIGTERM stops it with exit 0.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { CreateServerCommand, DescribeServerCommand, TransferClient, UpdateServerCommand } from '@aws-sdk/client-transfer';
import { captureOutput } from '../helpers/secrets.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const outDir = join(root, 'dist', `e2e-emulator-pipeline-${process.pid}`);
const cli = join(outDir, 'cli.mjs');
const person = { accessKeyId: 'AKIAPERSON', secretAccessKey: 'x' };
const run = promisify(execFile);
/** Debian's AWS CLI v2, as a person at a terminal would use it (its own key, no profile). */
const home = mkdtempSync(join(tmpdir(), 'emulator-pipeline-awscli-'));
writeFileSync(join(home, 'config'), '[default]\nregion = us-east-1\noutput = json\n');
const awsEnv = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: home,
  AWS_CONFIG_FILE: join(home, 'config'),
  AWS_SHARED_CREDENTIALS_FILE: join(home, 'none'),
  AWS_PAGER: '',
  AWS_ACCESS_KEY_ID: 'AKIACONSOLEUSER',
  AWS_SECRET_ACCESS_KEY: 'x',
};

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
  rmSync(home, { recursive: true, force: true });
});

test('--pipeline: a console edit is repaired by router → queue → worker, one line per reconcile', async () => {
  const child = spawn(process.execPath, [cli, 'emulator', '--pipeline', '--port', '0', '--transition-delay-ms', '20'], {
    cwd: outDir, // nothing is read from the repository at run time
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const waitFor = async (re: RegExp, what: string): Promise<RegExpExecArray> => {
    const until = Date.now() + 15_000; // a guard against a hang; the pipeline takes well under a second
    for (;;) {
      const m = re.exec(out);
      if (m) return m;
      if (Date.now() > until) throw new Error(`no ${what} within 15 s; output:\n${out}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  try {
    const url = (await waitFor(/^listening on (http:\/\/127\.0\.0\.1:\d+)$/m, 'URL'))[1] ?? '';
    assert.match(out, /^pipeline: rules documentChanges, hostKeyChanges, serverApiCalls → router$/m);
    assert.match(out, /^pipeline: queue http:\/\/127\.0\.0\.1:\d+\/000000000000\/transfer-reconciler-local-reconcile\.fifo /m);
    assert.match(out, /maximumConcurrency 4\); enumerator every 3600 s$/m);
    const c = { endpoint: url, region: 'us-east-1', credentials: person };
    const transfer = new TransferClient(c);
    const ssm = new SSMClient(c);
    try {
      const { ServerId: id = '' } = await transfer.send(new CreateServerCommand({ Protocols: ['SFTP'] }));
      const document = JSON.stringify({ SecurityPolicyName: 'TransferSecurityPolicy-2024-01' });
      await ssm.send(new PutParameterCommand({ Name: `/transfer-reconciler/servers/${id}`, Type: 'String', Value: document }));
      await waitFor(new RegExp(`^reconcile ${id}  trigger: event  reason: document  result: updated$`, 'm'), 'document reconcile');
      const mark = out.length;
      await transfer.send(new UpdateServerCommand({ ServerId: id, SecurityPolicyName: 'TransferSecurityPolicy-2018-11' }));
      const edit = new RegExp(`^reconcile ${id}  trigger: event  reason: api-call  result: updated$`, 'm');
      await waitFor({ exec: (s: string) => edit.exec(s.slice(mark)) } as RegExp, 'console-edit reconcile');
      assert.match(out.slice(mark), /SecurityPolicyName/);
      const { Server } = await transfer.send(new DescribeServerCommand({ ServerId: id }));
      assert.equal(Server?.SecurityPolicyName, 'TransferSecurityPolicy-2024-01');
      const calls = (await (await fetch(`${url}/_emulator/calls`)).json()) as Array<{ operation: string; principal?: string }>;
      assert.deepEqual(
        calls
          .filter((x) => x.operation === 'UpdateServer')
          .map((x) => x.principal?.replace(/^.*assumed-role\//, ''))
          .slice(-2),
        ['Admin/alice', 'transfer-reconciler-worker/reconcile'],
      );
      // The same edit with Debian's AWS CLI: reverted by the pipeline, no sweep.
      const cliMark = out.length;
      await run(
        '/usr/bin/aws',
        ['--endpoint-url', url, 'transfer', 'update-server', '--server-id', id, '--security-policy-name', 'TransferSecurityPolicy-2018-11'],
        { env: awsEnv },
      );
      await waitFor({ exec: (x: string) => edit.exec(x.slice(cliMark)) } as RegExp, 'AWS CLI edit reconcile');
      const repaired = await transfer.send(new DescribeServerCommand({ ServerId: id }));
      assert.equal(repaired.Server?.SecurityPolicyName, 'TransferSecurityPolicy-2024-01');
    } finally {
      transfer.destroy();
      ssm.destroy();
    }
    child.kill('SIGTERM');
    assert.equal(await exit, 0, out);
  } finally {
    child.kill('SIGKILL');
    captureOutput('emulator --pipeline', out);
  }
  assert.doesNotMatch(out, /PRIVATE KEY/);
});
