// `osls package` as `npm run package` runs it, offline on a machine with no AWS credentials (AWS_*
// removed, HOME an empty folder), and the zips it writes, read without an unzip tool. Shared by
// the tests that check the deployment artefacts.
//
// osls always stages its output in `<service>/.serverless/` (emptied first, whatever --package
// says) and serverless-esbuild always builds in `<service>/.esbuild/` (removed afterwards), so two
// packagings in one folder collide, and packaging in the project would empty the user's
// `.serverless/`. Each packaging therefore runs from its own temporary copy of the service, with
// node_modules linked in; and `packaged()` builds each parameter set once per test run.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';
import { buildOnce } from './build-once.ts';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const OSLS = join(ROOT, 'node_modules', 'osls', 'bin', 'serverless.js');

/**
 * What `osls package` reads from the service folder: its configuration, the files that names
 * (infra/aws/), the handlers and all they import (functions/, infra/, schema/), and the package
 * and TypeScript settings the plugin and esbuild look up. A file missing here fails packaging.
 */
const SERVICE_FILES = ['serverless.yml', 'package.json', 'tsconfig.json', 'functions', 'infra', 'schema'];

/** Set by scripts/run-tests.mjs: one folder per test run where `packaged()` keeps its builds. */
export const PACKAGE_CACHE_ENV = 'TR_PACKAGE_CACHE';

export type Json = Record<string, unknown>;
export interface Template {
  Resources: Record<string, { Type: string; Properties: Json; DependsOn?: unknown }>;
  Conditions?: Json;
}

export interface Packaged {
  /** The package folder: CloudFormation and one zip per function. Shared: read it, never write to it. */
  dir: string;
  template: Template;
  /** Whether this process ran `osls package` (false: another test's build was reused). */
  built: boolean;
}

/**
 * The service packaged with `extra` osls arguments, built once per test run (per process when
 * run without scripts/run-tests.mjs): concurrent callers wait for the first one's build.
 */
export async function packaged(extra: string[] = []): Promise<Packaged> {
  const key = extra.length === 0 ? 'default' : createHash('sha256').update(JSON.stringify(extra)).digest('hex').slice(0, 16);
  const { dir, built } = await buildOnce(packageCache(), key, async (out) => {
    await packageInto(out, extra);
  });
  return { dir, built, template: readTemplate(dir) };
}

let ownCache: string | undefined;
function packageCache(): string {
  const shared = process.env[PACKAGE_CACHE_ENV];
  if (shared) return shared;
  if (ownCache === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'tr-package-cache-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    ownCache = dir;
  }
  return ownCache;
}

/** Packages the service into `dir` (always a fresh `osls package`) and returns the CloudFormation template. */
export async function packageInto(dir: string, extra: string[] = []): Promise<Template> {
  const work = mkdtempSync(join(tmpdir(), 'tr-osls-'));
  try {
    const service = copyService(join(work, 'service'));
    const home = join(work, 'home');
    mkdirSync(home);
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_')) env[k] = v;
    Object.assign(env, {
      HOME: home,
      USERPROFILE: home,
      AWS_CONFIG_FILE: join(home, 'none'),
      AWS_SHARED_CREDENTIALS_FILE: join(home, 'none'),
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    const run = await new Promise<{ code: number | null; output: string }>((done) => {
      execFile(
        process.execPath,
        [OSLS, 'package', '--package', resolve(dir), ...extra],
        { cwd: service, env, encoding: 'utf8', timeout: 110_000, maxBuffer: 16 * 1024 * 1024 },
        (err, stdout, stderr) =>
          done({
            code: err ? (typeof err.code === 'number' ? err.code : null) : 0,
            output: `${stdout}\n${stderr}${err?.signal ? `\n(stopped by ${err.signal}: over 110 s)` : ''}`,
          }),
      );
    });
    assert.equal(run.code, 0, `osls package failed:\n${run.output}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return readTemplate(dir);
}

function copyService(service: string): string {
  // Other work may be changing the tree while it is copied: a file removed between listing and
  // copying is an ENOENT, and a second copy sees the tree as it now is.
  for (let attempt = 1; ; attempt++) {
    try {
      for (const name of SERVICE_FILES) cpSync(join(ROOT, name), join(service, name), { recursive: true });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || attempt === 3) throw err;
      rmSync(service, { recursive: true, force: true });
    }
  }
  symlinkSync(join(ROOT, 'node_modules'), join(service, 'node_modules'), 'dir');
  return service;
}

function readTemplate(dir: string): Template {
  return JSON.parse(readFileSync(join(dir, 'cloudformation-template-update-stack.json'), 'utf8')) as Template;
}

export interface ZipEntry {
  name: string;
  size: number;
  data: () => Buffer;
}

/** The entries of a zip, from its central directory (stored or deflated, as osls writes them). */
export function zipEntries(file: string): ZipEntry[] {
  const buf = readFileSync(file);
  const central = Buffer.from([0x50, 0x4b, 0x01, 0x02]);
  const entries: ZipEntry[] = [];
  for (let i = buf.indexOf(central); i !== -1; i = buf.indexOf(central, i + 46)) {
    const method = buf.readUInt16LE(i + 10);
    const compressed = buf.readUInt32LE(i + 20);
    const size = buf.readUInt32LE(i + 24);
    const nameLength = buf.readUInt16LE(i + 28);
    const local = buf.readUInt32LE(i + 42);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = () => buf.subarray(start, start + compressed);
    entries.push({
      name: buf.subarray(i + 46, i + 46 + nameLength).toString('utf8'),
      size,
      data: () => (method === 8 ? inflateRawSync(raw()) : raw()),
    });
  }
  return entries;
}
