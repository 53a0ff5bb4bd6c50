// test/helpers/build-once.ts, the lock that lets test files share one `osls package` per run:
// one build for concurrent callers, waiters reuse it, a dead owner's lock is taken over, and a
// failure reaches the waiters instead of being rebuilt.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildOnce } from '../helpers/build-once.ts';

const root = mkdtempSync(join(tmpdir(), 'tr-build-once-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshCache = () => {
  const dir = join(root, String(++n));
  mkdirSync(dir);
  return dir;
};

const writeBuild = (counter: { builds: number }) => async (out: string) => {
  counter.builds++;
  await sleep(100);
  mkdirSync(out);
  writeFileSync(join(out, 'artefact'), 'x');
};

describe('buildOnce', () => {
  test('concurrent callers share one build, published whole, with no lock or half-built folder left', async () => {
    const cache = freshCache();
    const counter = { builds: 0 };
    const results = await Promise.all([1, 2, 3].map(() => buildOnce(cache, 'k', writeBuild(counter))));
    assert.equal(counter.builds, 1);
    assert.deepEqual(
      results.map((r) => r.built),
      [true, false, false],
    );
    assert.deepEqual(new Set(results.map((r) => r.dir)), new Set([join(cache, 'k')]));
    assert.deepEqual(readdirSync(join(cache, 'k')), ['artefact']);
    assert.deepEqual(readdirSync(cache), ['k']);
  });

  test('a caller waits while a live process holds the lock, then reuses what it published', async () => {
    const cache = freshCache();
    mkdirSync(join(cache, 'k.lock'));
    writeFileSync(join(cache, 'k.lock', 'owner'), String(process.pid));
    const waiting = buildOnce(cache, 'k', () => Promise.reject(new Error('must not build: the owner is alive')));
    await sleep(500);
    mkdirSync(join(cache, 'k'));
    rmSync(join(cache, 'k.lock'), { recursive: true });
    assert.deepEqual(await waiting, { dir: join(cache, 'k'), built: false });
  });

  test('a lock left by a process that died is taken over', async () => {
    const cache = freshCache();
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    mkdirSync(join(cache, 'k.lock'));
    writeFileSync(join(cache, 'k.lock', 'owner'), gone.stdout);
    const counter = { builds: 0 };
    const result = await buildOnce(cache, 'k', writeBuild(counter), 10_000);
    assert.deepEqual([result.built, counter.builds], [true, 1]);
    assert.deepEqual(readdirSync(cache), ['k']);
  });

  test('a failed build fails the callers after it without building again', async () => {
    const cache = freshCache();
    await assert.rejects(
      buildOnce(cache, 'k', () => Promise.reject(new Error('osls said no'))),
      /osls said no/,
    );
    const counter = { builds: 0 };
    await assert.rejects(buildOnce(cache, 'k', writeBuild(counter)), /failed in another process:[\s\S]*osls said no/);
    assert.equal(counter.builds, 0);
    assert.deepEqual(readdirSync(cache), ['k.failed']);
  });
});
