// Benchmark 5 — cold start: for each packaged Lambda bundle (`osls package`, the zips that would
// be deployed: router, worker, enumerator), packaged from a temporary copy of the service as the
// tests package it (test/helpers/package.ts: never in the project folder, whose .serverless/ and
// .esbuild/ osls would empty), its size and the median time over fresh Node processes to import it, which
// builds the SDK clients and the handler (module-level code, as in a Lambda init), against a
// baseline bundle that only imports and constructs the same two SDK clients, built with the same
// esbuild settings. Processes run round-robin across the bundles so that machine noise spreads
// evenly; NODE_OPTIONS is what serverless.yml gives the functions.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { packageInto } from '../test/helpers/package.ts';
import { bundle, lambdaNodeOptions, REPO, serverlessYml } from './lib/bundle.ts';
import { median } from './lib/quota-math.ts';
import { readZip } from './lib/unzip.ts';

export interface BundleFigures {
  name: string;
  bundleBytes: number;
  sourceMapBytes: number;
  zipBytes?: number;
  samplesMs: number[];
  medianMs: number;
  /** medianMs ÷ the baseline's medianMs. */
  ratio: number;
}

export interface ColdStartResult {
  processes: number;
  nodeOptions: string;
  packageSeconds: number;
  baseline: BundleFigures;
  bundles: BundleFigures[];
  targets: { ratio: number; bundleBytes: number };
}

// Runs as plain JavaScript so the child loads nothing but the bundle (no type stripping).
const PROBE = `
const { pathToFileURL } = await import('node:url');
const file = process.argv[1];
const t0 = performance.now();
const mod = await import(pathToFileURL(file).href);
const ms = performance.now() - t0;
if (typeof mod.handler !== 'function' && mod.clients === undefined) throw new Error(file + ' exports neither a handler nor clients');
process.stdout.write(ms + '\\n');
`;

function probe(file: string, nodeOptions: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', PROBE, file], {
      env: { PATH: process.env.PATH ?? '', AWS_REGION: 'us-east-1', AWS_LAMBDA_FUNCTION_NAME: 'bench', NODE_OPTIONS: nodeOptions },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.on('close', (code) => {
      const ms = Number(out.trim());
      if (code === 0 && Number.isFinite(ms)) resolve(ms);
      else reject(new Error(`cold-start probe of ${file} failed (exit ${code}): ${err.trim().slice(0, 500)}`));
    });
  });
}

/** `osls package` from a temporary copy of the service into `dir`, offline (test/helpers/package.ts). */
async function packageFunctions(dir: string): Promise<number> {
  const t0 = performance.now();
  await packageInto(dir);
  return (performance.now() - t0) / 1000;
}

export async function runColdStart(options: { processes?: number } = {}): Promise<ColdStartResult> {
  const processes = options.processes ?? 10;
  const work = mkdtempSync(join(tmpdir(), 'tr-bench-cold-'));
  try {
    return await measure(work, await packageFunctions(join(work, 'package')), processes);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function measure(work: string, packageSeconds: number, processes: number): Promise<ColdStartResult> {
  const candidates: Array<{ name: string; file: string; zipBytes?: number }> = [];
  for (const [name, fn] of Object.entries(serverlessYml().functions ?? {})) {
    const zip = join(work, 'package', `${name}.zip`);
    const handlerPath = (fn.handler ?? '').replace(/\.[^.]+$/, '');
    const dir = join(work, name);
    let file: string | undefined;
    for (const entry of readZip(zip)) {
      const out = join(dir, entry.name);
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, entry.data);
      if (entry.name === `${handlerPath}.mjs`) file = out;
    }
    if (!file) throw new Error(`${name}.zip holds no ${handlerPath}.mjs`);
    candidates.push({ name, file, zipBytes: statSync(zip).size });
  }
  const baselineFile = join(work, 'baseline', 'baseline.mjs');
  await bundle(join(REPO, 'bench/lib/baseline-entry.ts'), baselineFile);
  const all = [{ name: 'baseline (SDK clients only)', file: baselineFile }, ...candidates];

  const nodeOptions = lambdaNodeOptions();
  const samples = new Map<string, number[]>(all.map((b) => [b.name, []]));
  for (const b of all) await probe(b.file, nodeOptions); // first read of each file from disk, not counted
  for (let i = 0; i < processes; i++) {
    for (const b of all) samples.get(b.name)?.push(await probe(b.file, nodeOptions));
  }
  const figures = all.map((b): Omit<BundleFigures, 'ratio'> => {
    const s = samples.get(b.name) ?? [];
    const mapFile = readdirSync(dirname(b.file)).find((f) => f === `${b.file.split('/').pop()}.map`);
    return {
      name: b.name,
      bundleBytes: statSync(b.file).size,
      sourceMapBytes: mapFile ? statSync(`${b.file}.map`).size : 0,
      ...('zipBytes' in b && b.zipBytes !== undefined ? { zipBytes: b.zipBytes } : {}),
      samplesMs: s,
      medianMs: median(s),
    };
  });
  const [base, ...rest] = figures as [Omit<BundleFigures, 'ratio'>, ...Array<Omit<BundleFigures, 'ratio'>>];
  return {
    processes,
    nodeOptions,
    packageSeconds,
    baseline: { ...base, ratio: 1 },
    bundles: rest.map((f) => ({ ...f, ratio: f.medianMs / base.medianMs })),
    targets: { ratio: 1.15, bundleBytes: 1.5 * 1024 * 1024 },
  };
}
