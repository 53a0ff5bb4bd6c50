// Installing without the registry's name: `npm pack` of this repository, installed into an empty
// project, runs `validate` and `plan --dir` (against the emulator, in this process) on Node 20,
// 22 and 24. The tarball must carry the built CLI (installing a tarball runs no `prepare`) and
// declare in `dependencies` every package the CLI imports.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { EXAMPLES, VALID_EXAMPLES, cliWorld } from './cli-fixtures.ts';
import { ACTION_ROOT } from '../helpers/action-step.ts';
import { cleanNpmEnv, nodeOfMajor } from '../helpers/node-majors.ts';
import { assertNoKeyMaterial, captureOutput } from '../helpers/secrets.ts';

const world = await cliWorld();
// Only this file's own folders: the tarball, the consumer project, Node binaries, a cwd.
const tmp = mkdtempSync(join(tmpdir(), 'tr-pack-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

interface PackFile {
  path: string;
  size: number;
}
interface PackResult {
  filename: string;
  size: number;
  files: PackFile[];
}

// --ignore-scripts: `prepare` would rebuild dist/ in the shared tree under other test files that
// are running it; `npm run build` has made it already (as for every e2e test).
const packJson = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], {
  cwd: ACTION_ROOT,
  env: cleanNpmEnv(),
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'pipe'],
});
const [pack] = JSON.parse(packJson) as PackResult[];
assert.ok(pack);
const tarball = join(tmp, pack.filename);

const consumer = join(tmp, 'consumer');
mkdirSync(consumer);
writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], {
  cwd: consumer,
  env: cleanNpmEnv(),
  stdio: ['ignore', 'ignore', 'pipe'],
  timeout: 170_000,
});
const installed = join(consumer, 'node_modules', 'transfer-reconciler');

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, cwd: string) {
  const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.once('close', (code) => {
      captureOutput(`${cmd} ${args.join(' ')}`, `${stdout}${stderr}`);
      assertNoKeyMaterial(`${stdout}${stderr}`, world.hostKey);
      resolve({ code, stdout, stderr });
    }),
  );
}

describe('npm pack → npm install <tarball>', () => {
  test('the tarball holds the built CLI, the schema and nothing of the source tree; it stays private', () => {
    const paths = pack.files.map((f) => f.path).sort();
    for (const p of ['bin/transfer-reconciler.mjs', 'dist/cli.mjs', 'package.json', 'schema/desired-state.schema.json'])
      assert.ok(paths.includes(p), `${p} in ${paths.join(', ')}`);
    assert.deepEqual(
      paths.filter((p) => !/^(bin|dist|schema)\//.test(p) && p !== 'package.json' && p !== 'README.md'),
      [],
    );
    assert.ok(pack.size < 1024 * 1024, `tarball ${pack.size} bytes`);
    const pkg = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { private?: boolean };
    assert.equal(pkg.private, true, 'private: npm publish refuses it, so the name is never ours to lose');
    assert.equal(readFileSync(join(installed, 'dist', 'cli.mjs'), 'utf8'), readFileSync(join(ACTION_ROOT, 'dist', 'cli.mjs'), 'utf8'));
    assert.ok(lstatSync(installed).isDirectory() && !lstatSync(installed).isSymbolicLink(), 'a copy, not a link to the checkout');
  });

  test('every package the CLI imports is a runtime dependency, installed beside it', () => {
    const cli = readFileSync(join(installed, 'dist', 'cli.mjs'), 'utf8');
    const bare = new Set<string>();
    // esbuild writes each import as a top-level statement, one or several lines, ending in `from "x";`.
    for (const m of cli.matchAll(/^(?:import|export)\s(?:[^;"']*?\sfrom\s*)?"([^"]+)";$/gm)) {
      const spec = m[1] ?? '';
      if (spec.startsWith('node:') || spec.startsWith('.')) continue;
      bare.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] ?? spec));
    }
    assert.ok(bare.size > 0);
    const pkg = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    for (const name of bare) {
      assert.ok(pkg.dependencies?.[name], `${name} is imported by dist/cli.mjs but is not in dependencies`);
      assert.ok(lstatSync(join(consumer, 'node_modules', name)).isDirectory(), `${name} installed`);
    }
  });

  for (const major of [20, 22, 24]) {
    test(`on Node ${major}: validate and plan --dir from the installed bin`, async () => {
      const node = nodeOfMajor(major, tmp);
      // `node` first on PATH is this major, so the bin's `#!/usr/bin/env node` runs on it.
      const shim = join(tmp, `bin-${major}`);
      mkdirSync(shim, { recursive: true });
      symlinkSync(node.path, join(shim, 'node'));
      const cwd = join(tmp, `cwd-${major}`);
      mkdirSync(cwd);
      const env: NodeJS.ProcessEnv = {
        PATH: [shim, join(consumer, 'node_modules', '.bin'), '/usr/bin', '/bin'].join(':'),
        HOME: process.env.HOME,
        TRANSFER_RECONCILER_ENDPOINT_URL: world.emu.url,
      };
      const v = await run('node', ['-p', 'process.versions.node'], env, cwd);
      assert.equal(Number(v.stdout.trim().split('.')[0]), major, `${node.path} (${node.source})`);

      const ok = await run('transfer-reconciler', ['validate', VALID_EXAMPLES], env, cwd);
      assert.equal(ok.code, 0, ok.stderr);
      assert.match(ok.stdout + ok.stderr, /^5 valid, 0 invalid$/m);

      const bad = await run('transfer-reconciler', ['validate', join(EXAMPLES, 'invalid')], env, cwd);
      assert.equal(bad.code, 1);
      assert.match(bad.stdout + bad.stderr, /s-0000000000000000e\.json: \$\.Protocol: "Protocol" is not a known key/);

      const plan = await run('transfer-reconciler', ['plan', '--dir', VALID_EXAMPLES, '--prefix', '/pack/'], env, cwd);
      assert.equal(plan.code, 2, plan.stderr);
      assert.match(plan.stdout, /^Plan: 4 to change, 0 in sync, 1 blocked, 0 invalid\.$/m);
      assert.match(plan.stdout, /ProtocolDetails\.PassiveIp: "AUTO" → "203\.0\.113\.10" \(needs restart\)/);
    });
  }
});
