// Runs the whole suite with Node's test runner on Node 24 (the Lambda runtime's major).
// npm puts node_modules/.bin first on PATH, where the `node@24` dev dependency provides `node`.
import { spawnSync } from 'node:child_process';

const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  console.error(`tests need Node 24 (the Lambda runtime); this is ${process.version}. Run them with "npm test", which uses the node@24 dev dependency.`);
  process.exit(1);
}
const patterns = process.argv.slice(2);
const files = patterns.length > 0 ? patterns : ['test/**/*.test.ts'];
const result = spawnSync(
  process.execPath,
  ['--test', '--test-reporter=spec', '--test-concurrency=2', '--test-timeout=120000', ...files],
  { stdio: 'inherit', env: { ...process.env, NODE_NO_WARNINGS: '1' } },
);
process.exit(result.status ?? 1);
