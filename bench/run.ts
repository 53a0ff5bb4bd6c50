// npm run bench — every benchmark once, in one process tree: prints the tables, writes
// bench/results/latest.json (every figure, the raw runs and the machine) and puts the tables into
// bench/README.md between its result markers. `--only a,b` runs some (sweep, naive, scale,
// overhead, cold-start, validate-large) and only prints, unless `--merge` puts their sections into
// the existing latest.json (and the README's tables) in place of the old ones; scale reuses the
// sweep-1000 runs for N = 1000.
import { cpus, totalmem } from 'node:os';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runColdStart } from './cold-start.ts';
import { runNaive } from './naive-baseline.ts';
import { runOverhead } from './overhead.ts';
import { runScale } from './scale.ts';
import { runSweep1000 } from './sweep-1000.ts';
import { runValidateLarge } from './validate-large.ts';
import { markdown } from './lib/report.ts';
import type { Results } from './lib/report.ts';

const ALL = ['cold-start', 'overhead', 'sweep', 'naive', 'scale', 'validate-large'];
const { values } = parseArgs({
  options: { only: { type: 'string' }, 'sweep-runs': { type: 'string' }, 'no-write': { type: 'boolean' }, merge: { type: 'boolean' } },
});
const only = new Set(values.only ? values.only.split(',') : ALL);
for (const name of only) if (!ALL.includes(name)) throw new Error(`--only: unknown benchmark ${name} (known: ${ALL.join(', ')})`);
const sweepRuns = Number(values['sweep-runs'] ?? 2);

const started = performance.now();
const log = (line: string): void => {
  console.error(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);
};
const cpu = cpus();
const results: Results = {
  machine: {
    cpus: cpu.length,
    cpuModel: cpu[0]?.model.trim() ?? 'unknown',
    memoryGiB: totalmem() / 2 ** 30,
    node: process.versions.node,
    platform: `${process.platform}-${process.arch}`,
    date: new Date().toISOString(),
  },
  totalSeconds: 0,
};

if (only.has('cold-start')) {
  log('cold start: packaging with osls, then 20 fresh processes per bundle');
  results.coldStart = await runColdStart({ processes: 20 });
}
if (only.has('overhead')) {
  log('reconcile overhead');
  results.overhead = await runOverhead();
}
if (only.has('sweep') || only.has('scale') || only.has('naive')) {
  log(`sweep-1000 × ${sweepRuns}`);
  results.sweep1000 = await runSweep1000(sweepRuns, log);
}
if (only.has('naive')) {
  log('naive baseline');
  results.naive = await runNaive(2, log);
}
if (only.has('scale') && results.sweep1000) {
  log('scale');
  results.scale = await runScale(results.sweep1000.runs, 2, log);
}
if (only.has('validate-large')) {
  log('validate-large: hostile documents through validateStatic and the CLI');
  results.validateLarge = runValidateLarge(log);
}
results.totalSeconds = (performance.now() - started) / 1000;

const dir = fileURLToPath(new URL('./', import.meta.url));
const merging = values.merge === true && only.size < ALL.length;
// --merge: this run's sections replace the old ones; the rest (and the machine line) stay as measured.
const written: Results = merging
  ? { ...(JSON.parse(readFileSync(`${dir}results/latest.json`, 'utf8')) as Results), ...withoutRunInfo(results) }
  : results;
const text = markdown(written);
console.log(text);
if (!values['no-write'] && (only.size === ALL.length || merging)) {
  writeFileSync(`${dir}results/latest.json`, `${JSON.stringify(written, null, 2)}\n`);
  const readmePath = `${dir}README.md`;
  const readme = readFileSync(readmePath, 'utf8');
  const start = '<!-- results:start -->';
  const end = '<!-- results:end -->';
  const [before, rest] = readme.split(start);
  const after = rest?.split(end)[1];
  if (before !== undefined && after !== undefined) writeFileSync(readmePath, `${before}${start}\n${text}\n${end}${after}`);
  log('wrote bench/results/latest.json and the tables in bench/README.md');
}

function withoutRunInfo(r: Results): Partial<Results> {
  const { machine: _machine, totalSeconds: _total, ...sections } = r;
  return sections;
}
