// Packaging in tests neither touches the project nor collides with itself. osls stages its output
// in `<service>/.serverless/` (emptying it first) and serverless-esbuild builds in
// `<service>/.esbuild/` (removing it after), whatever --package says; run in the project, that
// emptied the user's `.serverless/`, and two test files packaging at once (the runner runs two)
// failed with ENOENT on each other's zips. test/helpers/package.ts packages from a private copy
// of the service and builds each parameter set once per run.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_CACHE_ENV, ROOT, packageInto } from '../helpers/package.ts';

const PROJECT_DIRS = ['.serverless', '.esbuild'].map((d) => join(ROOT, d));
const SENTINEL = `tr-sentinel-${process.pid}`;
// Another run of this file (someone else's, in the same tree) may plant its own at the same time.
const othersSentinel = (name: string) => /^tr-sentinel-\d+$/.test(name) && name !== SENTINEL;
const listing = (dir: string) =>
  readdirSync(dir)
    .filter((n) => !othersSentinel(n))
    .sort();

const created = new Set<string>();
const listedBefore: Record<string, string[]> = {};
const scratch = mkdtempSync(join(tmpdir(), 'tr-package-isolation-'));

before(() => {
  for (const dir of PROJECT_DIRS) {
    if (!existsSync(dir)) {
      mkdirSync(dir);
      created.add(dir);
    }
    writeFileSync(join(dir, SENTINEL), 'left here by test/e2e/package-isolation.test.ts; must survive packaging\n');
    listedBefore[dir] = listing(dir);
  }
});
after(() => {
  for (const dir of PROJECT_DIRS) {
    rmSync(join(dir, SENTINEL), { force: true });
    try {
      if (created.has(dir)) rmdirSync(dir); // only if empty: never remove what someone else put there
    } catch {
      // not empty: left as found
    }
  }
  rmSync(scratch, { recursive: true, force: true });
});

function assertProjectUntouched(): void {
  for (const dir of PROJECT_DIRS) {
    assert.ok(existsSync(join(dir, SENTINEL)), `${dir} was emptied or removed by packaging`);
    assert.deepEqual(listing(dir), listedBefore[dir], `packaging changed ${dir}`);
  }
}

interface ChildResult {
  dir: string;
  built: boolean;
  schedule: unknown;
}

/** `packaged(extra)` in a fresh Node process, as a test file of the run would call it. */
function packagedInChild(cache: string, extra: string[]): Promise<ChildResult> {
  const helper = new URL('../helpers/package.ts', import.meta.url).href;
  const script = `const { packaged } = await import(${JSON.stringify(helper)});
    const p = await packaged(${JSON.stringify(extra)});
    const rule = Object.values(p.template.Resources).find((r) => r.Properties.Description === 'Enumerate the documents into the reconcile queue');
    console.log(JSON.stringify({ dir: p.dir, built: p.built, schedule: rule && rule.Properties.ScheduleExpression }));`;
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--input-type=module', '-e', script],
      { env: { ...process.env, [PACKAGE_CACHE_ENV]: cache }, encoding: 'utf8', timeout: 170_000 },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`${err.message}\n${stdout}\n${stderr}`));
        resolve(JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as ChildResult);
      },
    );
  });
}

describe('packaging in tests: private folders, one build per parameter set', () => {
  test("osls package leaves the project's .serverless/ and .esbuild/ as they were", async () => {
    const out = join(scratch, 'one');
    const cf = await packageInto(out);
    assert.equal(Object.values(cf.Resources).filter((r) => r.Type === 'AWS::Lambda::Function').length, 3);
    assert.deepEqual(
      readdirSync(out)
        .filter((n) => n.endsWith('.zip'))
        .sort(),
      ['enumerator.zip', 'router.zip', 'worker.zip'],
    );
    assertProjectUntouched();
  });

  test('processes asking at once for one package share one build; another parameter set builds beside it', async (t) => {
    const cache = join(scratch, 'cache');
    mkdirSync(cache);
    const started = performance.now();
    const [a, b, other] = await Promise.all([
      packagedInChild(cache, []),
      packagedInChild(cache, []),
      packagedInChild(cache, ['--param=enumeratorSchedule=rate(7 hours)']),
    ]);
    t.diagnostic(`three processes done in ${Math.round(performance.now() - started)} ms: ${JSON.stringify([a, b, other])}`);
    assert.ok(a && b && other);
    assert.equal(a.dir, b.dir);
    assert.deepEqual([a.built, b.built].sort(), [false, true], 'exactly one of the two ran osls');
    assert.deepEqual([a.schedule, b.schedule], ['rate(1 hour)', 'rate(1 hour)']);
    assert.notEqual(other.dir, a.dir);
    assert.equal(other.built, true);
    assert.equal(other.schedule, 'rate(7 hours)');
    for (const dir of [a.dir, other.dir])
      assert.deepEqual(
        readdirSync(dir)
          .filter((n) => n.endsWith('.zip'))
          .sort(),
        ['enumerator.zip', 'router.zip', 'worker.zip'],
      );
    // Nothing but the two published packages is left: no lock, no half-built folder.
    assert.deepEqual(readdirSync(cache).sort(), [a.dir, other.dir].map((d) => d.slice(cache.length + 1)).sort());
    assertProjectUntouched();
  });
});
