// The benchmark's results as Markdown tables (printed, and pasted into bench/README.md).
import type { ColdStartResult } from '../cold-start.ts';
import type { OverheadResult } from '../overhead.ts';
import type { ValidateLargeResult } from '../validate-large.ts';
import type { NaiveFigures } from '../naive-baseline.ts';
import type { OverlapRow, PipelineFigures } from '../pipeline.ts';
import type { ScalePoint } from '../scale.ts';
import { awsCalls, callsCheck } from '../sweep-1000.ts';
import type { SweepFigures } from '../sweep-1000.ts';
import { ok, s1, s2, table } from './markdown-table.ts';
import { coldStartSection, overheadSection, validateSection } from './report-lambdas.ts';
import { callsPerService, sumCalls } from './quota-math.ts';
import { pipelineSections } from './report-pipeline.ts';
import { orgSweepSection } from './org-report.ts';
import type { OrgSweepFigures } from './org-report.ts';

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  platform: string;
  date: string;
  /** Load average when the run began and ended (other work on the machine). */
  load?: { start: number; end: number };
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
  orgSweep?: OrgSweepFigures;
  pipeline?: PipelineFigures;
  overlaps?: OverlapRow[];
}

const EXTRA_NOTE: Record<string, string> = {
  ListServers: 'beyond the minimum: the enumerator finds servers with no document (reported unmanaged); 1 per 1000 servers',
  GetParameter:
    'one per drifted server (the listed document confirmed before the first write; an in-sync one needs none: the message carries the listing), + the accounts file: one read per function instance (4 workers, the enumerator) per minute',
  TagResource: 'tags are not UpdateServer members: one per server whose tags drifted',
};

function sweepSection(f: SweepFigures): string[] {
  const run = f.runs[0];
  if (!run) return [];
  const per = callsPerService(run.minimum);
  const q = run.scenario.quotas;
  const actual = awsCalls(run);
  const ops = [...new Set([...Object.keys(f.expected), ...Object.keys(actual)])];
  return [
    `### 1. sweep-1000 through the pipeline (${run.scenario.servers} servers, ${run.drift.drifted} drifted, Transfer ${q.transfer}/s burst ${q.transfer}, SSM ${q.ssm}/s, latency 20 ± 10 ms; enumerator + ${run.scenario.workers} workers, each paced at ${q.transfer} ÷ ${run.scenario.workers} Transfer, ${q.ssm} ÷ ${run.scenario.workers} SSM)`,
    '',
    ...table(
      ['figure', 'value', 'target'],
      [
        [
          `wall time, enumerator start → queue drained (median of ${f.runs.length} runs: ${f.wallSeconds.map(s1).join(' s, ')} s)`,
          `${s1(f.medianWallSeconds)} s`,
          '',
        ],
        [`limit = max(Transfer ${per.transfer} calls ÷ ${q.transfer}/s, SSM ${per.ssm} ÷ ${q.ssm}/s)`, `${s1(f.limitSeconds)} s`, ''],
        ['ratio wall / limit', s2(f.ratio), `≤ 1.10 ${ok(f.ratio <= f.targets.ratio)}`],
        [
          'Transfer and SSM calls: every operation at least its minimum; beyond minimum + the extras below, only SDK retries of throttled calls (every run)',
          f.runs
            .map((r) => {
              const c = callsCheck(r);
              const beyond = Object.entries(c.beyond).map(([op, n]) => `${op} +${n}`);
              return `${c.ok ? 'yes' : 'no'}${beyond.length > 0 ? ` (retried: ${beyond.join(', ')})` : ''}`;
            })
            .join('; '),
          ok(f.runs.every((r) => callsCheck(r).ok)),
        ],
        [
          'throttled responses',
          `${f.runs.map((r) => r.calls.throttled).join(', ')} (${s2(f.throttledPercent)} %)`,
          `≤ 2 % ${ok(f.throttledPercent <= f.targets.throttledPercent)}`,
        ],
        ['SDK retries', f.runs.map((r) => r.calls.retries).join(', '), ''],
        ['dead-lettered', f.runs.map((r) => r.deadLettered).join(', '), ''],
        [
          'converged (engine pass afterwards, detect mode: all in-sync)',
          f.runs.map((r) => `${r.inSyncAfter}/${r.scenario.servers}`).join(', '),
          ok(f.converged),
        ],
        [
          'results (first run)',
          Object.entries(run.results)
            .map(([k, v]) => `${k} ${v}`)
            .join(', '),
          '',
        ],
      ],
    ),
    '',
    ...table(
      ['operation', 'requests (emulator log)', 'minimum', 'at most (minimum + extras)', ''],
      [
        ...ops.map((op) => [op, String(actual[op] ?? 0), String(run.minimum[op] ?? 0), String(f.expected[op] ?? 0), EXTRA_NOTE[op] ?? '']),
        ['total', String(sumCalls(actual)), String(sumCalls(run.minimum)), String(sumCalls(f.expected)), ''],
        [
          'SQS (the pipeline itself, not quota-bound here)',
          String(run.calls.perService.sqs ?? 0),
          '',
          '',
          'SendMessageBatch, ReceiveMessage, DeleteMessage',
        ],
      ],
    ),
  ];
}

function naiveSection(n: NaiveFigures, ours?: SweepFigures): string[] {
  const run = n.runs[0];
  if (!run) return [];
  const speedUp = ours ? n.medianWallSeconds / ours.medianWallSeconds : undefined;
  const mine = ours?.runs[0];
  return [
    '### 2. naive baseline (bench/naive-sweep.ts: sequential loop, SDK defaults, same fleet, quotas and latency; own process)',
    '',
    ...table(
      ['figure', 'naive loop', 'pipeline (sweep-1000)'],
      [
        [
          'wall time (median)',
          `${s1(n.medianWallSeconds)} s (runs: ${n.runs.map((r) => s1(r.wallMs / 1000)).join(', ')})`,
          ours ? `${s1(ours.medianWallSeconds)} s` : '',
        ],
        ['speed-up (naive ÷ pipeline)', '', speedUp !== undefined ? `${s2(speedUp)}×` : ''],
        ['Transfer + SSM requests', String(run.emulator.requests), mine ? String(sumCalls(awsCalls(mine))) : ''],
        [
          'throttled responses',
          `${run.emulator.throttled} (${s2(n.throttledPercent)} %)`,
          ours ? `${mine?.calls.throttled ?? 0} (${s2(ours.throttledPercent)} %)` : '',
        ],
        ['servers failed', String(n.failedServers), mine ? String(mine.results.failed ?? 0) : ''],
        ['converged', ok(n.converged), ours ? ok(ours.converged) : ''],
      ],
    ),
  ];
}

function scaleSection(points: ScalePoint[]): string[] {
  return [
    "### 3. scale (the pipeline's sweep, 10 % drifted; each run its own process: emulator, runner and functions, so its peak RSS is theirs together)",
    '',
    ...table(
      [
        'N',
        'quotas',
        'runs',
        'time (median)',
        'Transfer + SSM requests',
        'minimum + extras',
        'requests / server',
        'throttled',
        'peak RSS',
        'converged',
      ],
      points.map((p) => [
        String(p.servers),
        p.quotas,
        String(p.runs),
        `${s1(p.medianWallSeconds)} s`,
        String(p.calls),
        String(p.minimumCalls),
        s2(p.callsPerServer),
        String(p.throttled),
        `${s1(p.peakRssMiB)} MiB`,
        ok(p.converged),
      ]),
    ),
  ];
}

export function markdown(r: Results): string {
  const m = r.machine;
  const load = m.load
    ? `; load average ${s1(m.load.start)} at the start, ${s1(m.load.end)} at the end (a shared machine: other work ran on these cores)`
    : '';
  return [
    `Measured ${m.date} on ${m.cpus} × ${m.cpuModel}, ${s1(m.memoryGiB)} GiB, Node ${m.node} (${m.platform}); whole run ${s1(r.totalSeconds)} s${load}.`,
    '',
    ...(r.sweep1000 ? [...sweepSection(r.sweep1000), ''] : []),
    ...(r.naive ? [...naiveSection(r.naive, r.sweep1000), ''] : []),
    ...(r.scale ? [...scaleSection(r.scale), ''] : []),
    ...(r.overhead ? [...overheadSection(r.overhead), ''] : []),
    ...(r.coldStart ? [...coldStartSection(r.coldStart), ''] : []),
    ...(r.validateLarge ? [...validateSection(r.validateLarge), ''] : []),
    ...(r.orgSweep ? [...orgSweepSection(r.orgSweep), ''] : []),
    ...pipelineSections(r.pipeline, r.overlaps ?? []),
  ].join('\n');
}
