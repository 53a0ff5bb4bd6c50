// Builds something at most once per cache folder, across processes: the test runner runs files
// in parallel processes, and the first one to need a build makes it while the others wait for it
// and reuse it. The lock is a directory (mkdir is atomic: exactly one process creates it) holding
// the owner's pid, so a lock left by a process that died is taken over instead of waited on.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Built {
  dir: string;
  /** True in the one process that ran the build, false where an existing build was reused. */
  built: boolean;
}

/** `<cache>/<key>`, built by `build(out)` into a private folder and published by an atomic rename. */
export async function buildOnce(cache: string, key: string, build: (out: string) => Promise<void>, waitMs = 300_000): Promise<Built> {
  const dir = `${cache}/${key}`;
  const lock = `${dir}.lock`;
  const failed = `${dir}.failed`;
  const deadline = Date.now() + waitMs;
  for (;;) {
    if (existsSync(dir)) return { dir, built: false };
    // A failed build fails its waiters too: the same inputs would fail the same way, only later.
    if (existsSync(failed)) throw new Error(`building ${key} failed in another process:\n${readFileSync(failed, 'utf8')}`);
    if (takeLock(lock)) {
      try {
        if (existsSync(dir)) return { dir, built: false };
        const out = `${dir}.building-${process.pid}`;
        try {
          await build(out);
        } catch (err) {
          rmSync(out, { recursive: true, force: true });
          writeFileSync(failed, err instanceof Error ? (err.stack ?? err.message) : String(err));
          throw err;
        }
        publish(out, dir);
        return { dir, built: true };
      } finally {
        rmSync(lock, { recursive: true, force: true });
      }
    }
    if (Date.now() > deadline) throw new Error(`waited ${waitMs} ms for the build of ${key} (lock ${lock})`);
    await sleep(200);
  }
}

function takeLock(lock: string): boolean {
  try {
    mkdirSync(lock);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    if (isStale(lock)) {
      // Renamed away rather than removed in place, so that two processes taking over the same
      // stale lock cannot remove the fresh lock one of them has just made.
      const stale = `${lock}.stale-${process.pid}-${Date.now()}`;
      try {
        renameSync(lock, stale);
        rmSync(stale, { recursive: true, force: true });
      } catch {
        // Someone else took it over first.
      }
    }
    return false;
  }
  writeFileSync(`${lock}/owner`, String(process.pid));
  return true;
}

function isStale(lock: string): boolean {
  try {
    const pid = Number(readFileSync(`${lock}/owner`, 'utf8'));
    process.kill(pid, 0);
    return false;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ESRCH') return true; // the owner is gone
    if (code === 'EPERM') return false; // alive, someone else's
    if (code !== 'ENOENT') return false;
    // No owner yet: made an instant ago, unless its maker died between mkdir and write.
    try {
      return Date.now() - statSync(lock).mtimeMs > 30_000;
    } catch {
      return false;
    }
  }
}

function publish(out: string, dir: string): void {
  try {
    renameSync(out, dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // Only after a lock was taken over twice at once: the other build is as good as ours.
    if ((code !== 'ENOTEMPTY' && code !== 'EEXIST') || !existsSync(dir)) throw err;
    rmSync(out, { recursive: true, force: true });
  }
}
