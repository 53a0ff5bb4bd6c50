// The pipeline benchmarks' Markdown (benchmark 7: a–e), printed and put into bench/README.md.
import type { OverlapRow, PipelineFigures } from '../pipeline.ts';
import { opsText } from './call-counts.ts';
import { ms, ok, s1, s2, table } from './markdown-table.ts';

function latencySection(p: PipelineFigures): string[] {
  const l = p.latency;
  const row = (name: string, c: typeof l.handEdit, what: string): string[] => [
    name,
    String(c.trials),
    ms(c.medianMs),
    ms(c.p95Ms),
    `${ms(Math.min(...c.samplesMs))} – ${ms(Math.max(...c.samplesMs))}`,
    `${c.confirmed}/${c.trials} ${what}`,
    `≤ ${c.targetMs / 1000} s median ${ok(c.medianMs <= c.targetMs)}`,
  ];
  return [
    `### 7a/7b. reaction time (${l.servers} in-sync servers; deployed defaults ${Object.entries(l.env)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')}; latency 0; one trial at a time, ${l.pauseMs} ms idle between)`,
    '',
    ...table(
      ['trigger', 'trials', 'median', 'p95', 'range', 'read back', 'goal'],
      [
        row('a. hand edit (a person’s UpdateServer) → repaired', l.handEdit, 'back as the document says'),
        row('b. document put (PutParameter) → converged', l.documentPut, 'showing the new document'),
      ],
    ),
  ];
}

function callsSection(p: PipelineFigures): string[] {
  const c = p.callsPerHour;
  const h = c.perHour;
  return [
    `### 7c. Transfer calls per hour, steady fleet of ${c.servers} in-sync servers (no change: no event)`,
    '',
    ...table(
      ['schedule', 'runs / hour', 'one run (measured)', 'Transfer / hour', 'DescribeServer / hour'],
      [
        [
          'pipeline: hourly enumerator + drain (default)',
          String(c.enumerationsPerHour),
          `Transfer: ${opsText(c.pipelineRun.byService.transfer)}; SSM: ${opsText(c.pipelineRun.byService.ssm)}; SQS: ${opsText(c.pipelineRun.byService.sqs)}; events matched ${c.eventsMatched}`,
          String(h.pipeline.transfer),
          String(h.pipeline.describeServer),
        ],
        [
          'today: 10-minute sweep (engine `reconcile --all`)',
          String(c.sweepRunsPerHour),
          `Transfer: ${opsText(c.sweepRun.byService.transfer)}; SSM: ${opsText(c.sweepRun.byService.ssm)}`,
          String(h.sweep.transfer),
          String(h.sweep.describeServer),
        ],
        [
          'ratio (today ÷ pipeline)',
          '',
          `goal ≥ ${c.target}× fewer`,
          `${s2(c.ratio.transfer)}× (6 × ${h.sweep.transfer / 6} ÷ (${h.pipeline.describeServer} + the enumerator's ${h.pipeline.transfer - h.pipeline.describeServer} ListServers))`,
          `${s2(c.ratio.describeServer)}× ${ok(c.ratio.describeServer >= c.target)}`,
        ],
      ],
    ),
  ];
}

function quotaSection(p: PipelineFigures): string[] {
  const q = p.quota;
  return [
    `### 7d. ${q.servers} servers through the queue, Transfer quota ${q.rate}/s (burst ${q.rate}), TRANSFER_CALLS_PER_SECOND=${q.rate} (each worker ${q.rate} ÷ K), 10 % drifted, latency 0`,
    '',
    ...table(
      [
        'K workers',
        'wall (enumerator start → drained)',
        'Transfer calls',
        'limit = calls ÷ rate',
        'ratio',
        'enumerator',
        'ratio after it',
        'throttled',
        'results',
        'dead-lettered',
        'goal',
      ],
      q.runs.map((r) => [
        String(r.workers),
        `${s1(r.wallSeconds)} s`,
        `${r.transferCalls} (${opsText(r.run.calls.byService.transfer)})`,
        `${s1(r.limitSeconds)} s`,
        s2(r.ratio),
        `${s1(r.run.enumerateSeconds)} s`,
        s2(r.drainRatio),
        String(r.throttled),
        Object.entries(r.run.results)
          .map(([k, v]) => `${k} ${v}`)
          .join(', '),
        String(r.run.deadLettered),
        `≤ ${q.target} ${ok(r.ratio <= q.target)}`,
      ]),
    ),
  ];
}

export function overlapSection(rows: readonly OverlapRow[]): string[] {
  const total = rows.reduce((s, r) => s + r.figures.overlapping + r.figures.callsOutside, 0);
  return [
    '### 7e. overlapping reconciles of one server (worker invocations per message group, checked against the call log)',
    '',
    ...table(
      [
        'run',
        'worker invocations',
        'reconciles',
        'servers',
        'overlapping pairs',
        'worker Transfer calls',
        'outside their server’s reconcile',
      ],
      rows.map((r) => [
        r.run,
        String(r.figures.invocations),
        String(r.figures.reconciles),
        String(r.figures.servers),
        String(r.figures.overlapping),
        String(r.figures.workerCalls),
        String(r.figures.callsOutside),
      ]),
    ),
    '',
    `Overlapping reconciles of one server, all runs: ${total} (must be 0 ${ok(total === 0)}).`,
  ];
}

export function pipelineSections(p: PipelineFigures | undefined, overlaps: readonly OverlapRow[]): string[] {
  return [
    ...(p ? [...latencySection(p), '', ...callsSection(p), '', ...quotaSection(p), ''] : []),
    ...(overlaps.length > 0 ? [...overlapSection(overlaps), ''] : []),
  ];
}
