// Runs the whole suite with Node's test runner on Node 24 (the Lambda runtime's major).
// npm puts node_modules/.bin first on PATH, where the `node@24` dev dependency provides `node`.
// Afterwards it runs the suite-wide secret scan (see test/helpers/secrets.ts).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanSecrets } from './scan-secrets.mjs';

const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  console.error(
    `tests need Node 24 (the Lambda runtime); this is ${process.version}. Run them with "npm test", which uses the node@24 dev dependency.`,
  );
  process.exit(1);
}
const patterns = process.argv.slice(2);
const files = patterns.length > 0 ? patterns : ['test/**/*.test.ts'];
const registry = mkdtempSync(join(tmpdir(), 'tr-secrets-'));
// Where the test files' `osls package` builds live for this run (test/helpers/package.ts): each
// parameter set is packaged once and shared by the files that read it, never in the project.
const packages = mkdtempSync(join(tmpdir(), 'tr-packages-'));
const child = spawn(process.execPath, ['--test', '--test-reporter=spec', '--test-concurrency=2', '--test-timeout=180000', ...files], {
  stdio: ['ignore', 'pipe', 'pipe'],
  env: { ...process.env, NODE_NO_WARNINGS: '1', TR_SECRET_REGISTRY: registry, TR_PACKAGE_CACHE: packages },
});
let output = '';
child.stdout.on('data', (d) => {
  output += d;
  process.stdout.write(d);
});
child.stderr.on('data', (d) => {
  output += d;
  process.stderr.write(d);
});
const code = await new Promise((resolve) => child.on('close', (c) => resolve(c ?? 1)));
const scan = scanSecrets(registry, output);
rmSync(registry, { recursive: true, force: true });
rmSync(packages, { recursive: true, force: true });
console.log(
  `secret scan: ${scan.keyLines} host-key lines from marked test keys looked for in ${scan.outputs} outputs (${scan.bytes} bytes): ${scan.hits} hits`,
);
process.exit(code !== 0 ? code : scan.hits > 0 ? 1 : 0);
