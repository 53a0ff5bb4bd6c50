// A Node binary of a given major for tests that must run something on Node 20, 22 and 24.
// First any node already here (the one running the test, npm's, every node on PATH: the system
// Node 20, node_modules/.bin's node@24); otherwise the npm package `node@<pinned>` installed into
// the caller's temporary folder. Not a devDependency: that package's bin is called `node`, so a
// second one would fight node@24 over node_modules/.bin/node (the Node the whole suite runs on),
// and its preinstall fetches the platform binary outside the lockfile anyway.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Versions installed when no node of the major is present: 20 at least the engines' 20.19. */
export const PINNED: Record<number, string> = { 20: '20.20.2', 22: '22.23.3', 24: '24.9.0' };

export interface NodeBinary {
  major: number;
  version: string;
  path: string;
  /** Where it came from: "found" here, or "installed" from the npm registry into the scratch folder. */
  source: 'found' | 'installed';
}

function versionOf(path: string): string | undefined {
  try {
    return execFileSync(path, ['-p', 'process.versions.node'], { encoding: 'utf8', timeout: 10_000 }).trim();
  } catch {
    return undefined;
  }
}

function candidates(): string[] {
  const onPath = (process.env.PATH ?? '').split(delimiter).map((d) => join(d, 'node'));
  const all = [process.execPath, process.env.npm_node_execpath ?? '', ...onPath];
  return [...new Set(all.filter((p) => p !== '' && existsSync(p)))];
}

/** npm environment of the running `npm run` (prefix, config) must not steer a nested install. */
export function cleanNpmEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
  return env;
}

export function nodeOfMajor(major: number, scratch: string): NodeBinary {
  for (const path of candidates()) {
    const version = versionOf(path);
    if (version && Number(version.split('.')[0]) === major) return { major, version, path, source: 'found' };
  }
  const pinned = PINNED[major];
  if (!pinned) throw new Error(`no Node ${major} here and no pinned version to install`);
  const prefix = join(scratch, `node-${major}`);
  execFileSync(
    'npm',
    ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--prefer-offline', '--prefix', prefix, `node@${pinned}`],
    {
      env: cleanNpmEnv(),
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 170_000,
    },
  );
  const path = join(prefix, 'node_modules', 'node', 'bin', 'node');
  const version = versionOf(path);
  if (version !== pinned) throw new Error(`installed node@${pinned} at ${path} reports ${version ?? 'nothing'}`);
  return { major, version, path, source: 'installed' };
}
