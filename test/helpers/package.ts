// `osls package` as `npm run package` runs it, offline on a machine with no AWS credentials (AWS_*
// removed, HOME an empty folder), into a folder of the test's choosing; and the zips it writes,
// read without an unzip tool. Shared by the tests that check the deployment artefacts.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const OSLS = join(ROOT, 'node_modules', 'osls', 'bin', 'serverless.js');

export type Json = Record<string, unknown>;
export interface Template {
  Resources: Record<string, { Type: string; Properties: Json; DependsOn?: unknown }>;
  Conditions?: Json;
}

/** Packages the service into `dir` and returns the CloudFormation template it wrote. */
export function packageInto(dir: string, extra: string[] = []): Template {
  const home = mkdtempSync(join(tmpdir(), 'tr-home-'));
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_')) env[k] = v;
  Object.assign(env, {
    HOME: home,
    USERPROFILE: home,
    AWS_CONFIG_FILE: join(home, 'none'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'none'),
    AWS_EC2_METADATA_DISABLED: 'true',
  });
  const run = spawnSync(process.execPath, [OSLS, 'package', '--package', dir, ...extra], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
    timeout: 110_000,
  });
  rmSync(home, { recursive: true, force: true });
  assert.equal(run.status, 0, `osls package failed:\n${run.stdout}\n${run.stderr}`);
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
