// npm run bench — every benchmark once, in one process tree: prints the tables, writes
// bench/results/latest.json (every figure, the raw runs and the machine) and puts the tables into
// bench/README.md between its result markers. `npm run bench -- pipeline` (or `--only a,b`) runs
// some (cold-start, overhead, sweep, naive, scale, pipeline, validate-large, org-sweep) and only prints,
// unless `--merge` puts their sections into the existing latest.json (and the README's tables) in
// place of the old ones (`--rerender`: no run, the tables again from latest.json); scale reuses the sweep-1000 runs for N = 1000 and the pipeline's K = 4
// quota run for N = 10000; the overlap check (7e) covers every pipeline run made.
import { cpus, loadavg, totalmem } from 'node:os';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runColdStart } from './cold-start.ts';
import { runNaive } from './naive-baseline.ts';
import { runOverhead } from './overhead.ts';
import { pipelineOverlapRows, runPipeline } from './pipeline.ts';
import { runPipelineQuota } from './pipeline-quota.ts';
import { runScale } from './scale.ts';
import { runSweep1000 } from './sweep-1000.ts';
import { runValidateLarge } from './validate-large.ts';
import { runOrgSweep } from './org-sweep.ts';
import { markdown } from './lib/report.ts';
import type { Results } from './lib/report.ts';

const ALL = ['cold-start', 'overhead', 'sweep', 'naive', 'scale', 'pipeline', 'validate-large', 'org-sweep'];
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    only: { type: 'string' },
    'sweep-runs': { type: 'string' },
    'no-write': { type: 'boolean' },
    merge: { type: 'boolean' },
    // Runs nothing: the tables again from results/latest.json (after a change to the report).
    rerender: { type: 'boolean' },
  },
});
const named = [...(values.only ? values.only.split(',') : []), ...positionals];
const only = new Set(values.rerender ? [] : named.length > 0 ? named : ALL);
for (const name of only) if (!ALL.includes(name)) throw new Error(`unknown benchmark ${name} (known: ${ALL.join(', ')})`);
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
    load: { start: loadavg()[0] ?? 0, end: 0 },
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
if (only.has('pipeline')) {
  log('pipeline: a/b reaction times, c calls per hour, d 10,000 servers under a quota');
  results.pipeline = await runPipeline(log);
}
if (only.has('scale') && results.sweep1000) {
  log('scale');
  const tenThousand =
    results.pipeline?.quota.runs.find((r) => r.workers === 4)?.run ?? (await runPipelineQuota({ workers: [4] }, log)).runs[0]?.run;
  results.scale = await runScale(results.sweep1000.runs, tenThousand, 2, log);
}
if (only.has('org-sweep')) {
  log('org sweep: 50 account-regions × 40 servers, Transfer 20/s each, K = 4');
  results.orgSweep = await runOrgSweep({}, log, 'node bench/run.ts --only org-sweep');
}
if (only.has('validate-large')) {
  log('validate-large: hostile documents through validateStatic and the CLI');
  results.validateLarge = runValidateLarge(log);
}
results.totalSeconds = (performance.now() - started) / 1000;
results.machine.load = { start: results.machine.load?.start ?? 0, end: loadavg()[0] ?? 0 };

const dir = fileURLToPath(new URL('./', import.meta.url));
const merging = (values.merge === true || values.rerender === true) && only.size < ALL.length;
// --merge: this run's sections replace the old ones; the rest (and the machine line) stay as measured.
const written: Results = merging
  ? { ...(JSON.parse(readFileSync(`${dir}results/latest.json`, 'utf8')) as Results), ...withoutRunInfo(results) }
  : results;
// 7e: no two reconciles of one server at once, over every pipeline run the results hold.
const overlaps = [
  ...pipelineOverlapRows(written.pipeline),
  ...(written.sweep1000?.runs.map((r, i) => ({ run: `sweep-1000 run ${i + 1}`, figures: r.overlaps })) ?? []),
];
if (overlaps.length > 0) written.overlaps = overlaps;
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
  const { machine: _machine, totalSeconds: _total, overlaps: _overlaps, ...sections } = r;
  return sections;
}
