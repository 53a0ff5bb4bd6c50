// The benchmark's results as Markdown tables (printed, and pasted into bench/README.md).
import type { ColdStartResult } from '../cold-start.ts';
import type { NaiveFigures } from '../naive-baseline.ts';
import type { OverheadResult } from '../overhead.ts';
import type { ScalePoint } from '../scale.ts';
import type { SweepFigures } from '../sweep-1000.ts';
import type { ValidateLargeResult } from '../validate-large.ts';
import { callsPerService, sumCalls } from './quota-math.ts';

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  platform: string;
  date: string;
}

export interface Results {
  machine: Machine;
  totalSeconds: number;
  sweep1000?: SweepFigures;
  naive?: NaiveFigures;
  scale?: ScalePoint[];
  overhead?: OverheadResult;
  coldStart?: ColdStartResult;
  validateLarge?: ValidateLargeResult;
}

const ok = (pass: boolean): string => (pass ? '✅' : '❌');
const s1 = (n: number): string => n.toFixed(1);
const s2 = (n: number): string => n.toFixed(2);
const kib = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KiB`;

function table(head: string[], rows: string[][]): string[] {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}

function sweepSection(f: SweepFigures): string[] {
  const run = f.runs[0];
  if (!run) return [];
  const per = callsPerService(run.minimum);
  const q = run.scenario.quotas ?? { transfer: 0, ssm: 0 };
  const listServers = run.emulator.byOperation.ListServers ?? 0;
  const ops = [...new Set([...Object.keys(run.minimum), ...Object.keys(run.emulator.byOperation)])];
  return [
    `### 1. sweep-1000 (${run.scenario.servers} servers, ${run.drift.drifted} drifted, Transfer ${q.transfer}/s burst ${q.transfer}, SSM ${q.ssm}/s, latency 20 ± 10 ms)`,
    '',
    ...table(
      ['figure', 'value', 'target'],
      [
        [`wall time (median of ${f.runs.length} runs: ${f.wallSeconds.map(s1).join(' s, ')} s)`, `${s1(f.medianWallSeconds)} s`, ''],
        [`limit = max(Transfer ${per.transfer} calls ÷ ${q.transfer}/s, SSM ${per.ssm} ÷ ${q.ssm}/s)`, `${s1(f.limitSeconds)} s`, ''],
        ['ratio wall / limit', s2(f.ratio), `≤ 1.10 ${ok(f.ratio <= f.targets.ratio)}`],
        [
          'calls = minimum (every operation, every run)',
          f.callsEqualMinimum ? `yes, + ${listServers} ListServers` : 'no',
          `= minimum ${ok(f.callsEqualMinimum)}`,
        ],
        [
          'throttled responses',
          `${f.runs.map((r) => r.emulator.throttled).join(', ')} of ${run.emulator.requests} (${s2(f.throttledPercent)} %)`,
          `≤ 2 % ${ok(f.throttledPercent <= f.targets.throttledPercent)}`,
        ],
        ['SDK retries', f.runs.map((r) => r.emulator.retries).join(', '), ''],
        [
          'converged (second pass, detect mode: all in-sync)',
          f.runs.map((r) => `${r.convergence.results['in-sync'] ?? 0}/${r.scenario.servers}`).join(', '),
          ok(f.converged),
        ],
        [
          'results (first run)',
          Object.entries(run.results ?? {})
            .map(([k, v]) => `${k} ${v}`)
            .join(', '),
          '',
        ],
      ],
    ),
    '',
    ...table(
      ['operation', 'requests (emulator log)', 'minimum', ''],
      [
        ...ops.map((op) => [
          op,
          String(run.emulator.byOperation[op] ?? 0),
          String(run.minimum[op] ?? 0),
          op === 'ListServers'
            ? "beyond the issue's minimum: finds servers with no document (reported unmanaged); 1 per 1000 servers"
            : op === 'TagResource'
              ? 'tags are not UpdateServer members: one per server whose tags drifted'
              : '',
        ]),
        ['total', String(run.emulator.requests), String(sumCalls(run.minimum)), ''],
      ],
    ),
  ];
}

function naiveSection(n: NaiveFigures, ours?: SweepFigures): string[] {
  const run = n.runs[0];
  if (!run) return [];
  const speedUp = ours ? n.medianWallSeconds / ours.medianWallSeconds : undefined;
  return [
    '### 2. naive baseline (bench/naive-sweep.ts: sequential loop, SDK defaults, same fleet, quotas and latency)',
    '',
    ...table(
      ['figure', 'naive loop', 'drift-sweep'],
      [
        [
          'wall time (median)',
          `${s1(n.medianWallSeconds)} s (runs: ${n.runs.map((r) => s1(r.wallMs / 1000)).join(', ')})`,
          ours ? `${s1(ours.medianWallSeconds)} s` : '',
        ],
        ['speed-up (naive ÷ drift-sweep)', '', speedUp !== undefined ? `${s2(speedUp)}×` : ''],
        ['requests', String(run.emulator.requests), ours?.runs[0] ? String(ours.runs[0].emulator.requests) : ''],
        [
          'throttled responses',
          `${run.emulator.throttled} (${s2(n.throttledPercent)} %)`,
          ours ? `${ours.runs[0]?.emulator.throttled ?? 0} (${s2(ours.throttledPercent)} %)` : '',
        ],
        ['servers failed', String(n.failedServers), ours ? String(ours.runs[0]?.results?.failed ?? 0) : ''],
        ['converged', ok(n.converged), ours ? ok(ours.converged) : ''],
      ],
    ),
  ];
}

function scaleSection(points: ScalePoint[]): string[] {
  return [
    '### 3. scale (10 % drifted, latency 20 ± 10 ms; peak RSS of the sweep process)',
    '',
    ...table(
      ['N', 'quotas', 'runs', 'time (median)', 'requests', 'minimum', 'requests / server', 'throttled', 'peak RSS', 'converged'],
      points.map((p) => [
        String(p.servers),
        p.quotas,
        String(p.runs),
        `${s1(p.medianWallSeconds)} s`,
        String(p.calls),
        String(p.minimumCalls),
        s2(p.callsPerServer),
        String(p.throttled),
        `${s1(p.peakRssMiB)} MiB${p.servers >= 10_000 ? ` (≤ 256 ${ok(p.peakRssMiB <= 256)})` : ''}`,
        ok(p.converged),
      ]),
    ),
  ];
}

function overheadSection(o: OverheadResult): string[] {
  const row = (name: string, c: OverheadResult['inSync']): string[] => [
    name,
    c.result,
    Object.entries(c.calls)
      .map(([k, v]) => `${k} ${v}`)
      .join(', '),
    `${s2(c.medianWallMs)} ms`,
    `${s2(c.medianHttpMs)} ms`,
    `${s2(c.medianOutsideMs)} ms`,
    `${s2(c.p90OutsideMs)} ms`,
    `≤ ${o.targetMs} ms ${ok(c.medianOutsideMs <= o.targetMs)}`,
  ];
  return [
    `### 4. reconcile overhead (latency 0; ${o.inSync.iterations} iterations each after ${o.warmup} warm-up)`,
    '',
    ...table(
      ['reconcile', 'result', 'calls', 'total (median)', 'in HTTP (median)', 'outside HTTP (median)', 'outside HTTP (p90)', 'target'],
      [row('in-sync', o.inSync), row('drifted', o.drifted)],
    ),
  ];
}

function coldStartSection(c: ColdStartResult): string[] {
  const row = (b: ColdStartResult['baseline'], isBase: boolean): string[] => [
    b.name,
    kib(b.bundleBytes),
    b.zipBytes !== undefined ? kib(b.zipBytes) : '',
    `${s1(b.medianMs)} ms`,
    isBase ? '1.00' : s2(b.ratio),
    isBase
      ? ''
      : `≤ 1.15 ${ok(b.ratio <= c.targets.ratio)}, ≤ 1.5 MiB ${ok(b.bundleBytes <= c.targets.bundleBytes && (b.zipBytes ?? 0) <= c.targets.bundleBytes)}`,
  ];
  return [
    `### 5. cold start (median of ${c.processes} fresh Node ${process.versions.node} processes each, NODE_OPTIONS="${c.nodeOptions}" as deployed; time to import the bundle and build the handler)`,
    '',
    ...table(
      ['bundle', 'size (.mjs)', 'zip (with source map)', 'import + build', 'ratio to baseline', 'targets'],
      [row(c.baseline, true), ...c.bundles.map((b) => row(b, false))],
    ),
  ];
}

function validateSection(v: ValidateLargeResult): string[] {
  return [
    `### 6. validate-large (measured ${v.date}, Node ${v.node}; validateStatic: median of 5 in one process; \`validate\` (${v.cli}): median of 3 fresh processes, ${v.cliBaselineMs.toFixed(0)} ms for a small document)`,
    '',
    ...table(
      ['document', 'size', 'issues reported', 'first issue', 'validateStatic', 'CLI validate', 'target'],
      v.cases.map((c) => [
        c.name,
        `${(c.bytes / 1e6).toFixed(2)} MB`,
        String(c.issues),
        c.firstIssue.replace(/\|/g, '\\|'),
        `${c.medianInProcessMs.toFixed(0)} ms`,
        `${c.medianCliMs.toFixed(0)} ms (exit ${c.cliExit})`,
        `< ${v.targetMs} ms ${ok(c.medianInProcessMs < v.targetMs)}`,
      ]),
    ),
  ];
}

export function markdown(r: Results): string {
  const m = r.machine;
  return [
    `Measured ${m.date} on ${m.cpus} × ${m.cpuModel}, ${s1(m.memoryGiB)} GiB, Node ${m.node} (${m.platform}); whole run ${s1(r.totalSeconds)} s.`,
    '',
    ...(r.sweep1000 ? [...sweepSection(r.sweep1000), ''] : []),
    ...(r.naive ? [...naiveSection(r.naive, r.sweep1000), ''] : []),
    ...(r.scale ? [...scaleSection(r.scale), ''] : []),
    ...(r.overhead ? [...overheadSection(r.overhead), ''] : []),
    ...(r.coldStart ? [...coldStartSection(r.coldStart), ''] : []),
    ...(r.validateLarge ? [...validateSection(r.validateLarge), ''] : []),
  ].join('\n');
}
