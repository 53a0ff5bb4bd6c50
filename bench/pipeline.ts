// Benchmark 7 — the pipeline (router → SQS FIFO → workers; enumerator), through the local pipeline
// runner (infra/local/pipeline) in background mode, emulator eventDelayMs 0:
//   a/b. hand edit → repaired, document put → converged (pipeline-latency.ts)
//   c.   Transfer calls per hour, steady 1,000-server fleet: hourly enumerator vs the 10-minute sweep (pipeline-calls.ts)
//   d.   10,000 servers through the queue under a Transfer quota, K = 4 and 8 workers (pipeline-quota.ts)
//   e.   overlapping reconciles of one server, over every pipeline run (lib/overlaps.ts; run.ts adds sweep-1000's and scale's)
import { runCallsPerHour } from './pipeline-calls.ts';
import type { CallsPerHourResult } from './pipeline-calls.ts';
import { runPipelineLatency } from './pipeline-latency.ts';
import type { LatencyResult } from './pipeline-latency.ts';
import { runPipelineQuota } from './pipeline-quota.ts';
import type { QuotaFigures } from './pipeline-quota.ts';
import type { OverlapFigures } from './lib/overlaps.ts';

export interface PipelineFigures {
  latency: LatencyResult;
  callsPerHour: CallsPerHourResult;
  quota: QuotaFigures;
}

export interface OverlapRow {
  run: string;
  figures: OverlapFigures;
}

export async function runPipeline(
  log: (line: string) => void,
  options: { trials?: number; quotaServers?: number } = {},
): Promise<PipelineFigures> {
  log('  pipeline a/b: hand edits and document puts');
  const latency = await runPipelineLatency({ trials: options.trials ?? 30 });
  log(`  hand edit median ${latency.handEdit.medianMs.toFixed(0)} ms, document put median ${latency.documentPut.medianMs.toFixed(0)} ms`);
  log('  pipeline c: calls per hour, 1,000 in-sync servers');
  const callsPerHour = await runCallsPerHour({ servers: 1000 });
  log('  pipeline d: 10,000 servers under a Transfer quota of 200/s');
  const quota = await runPipelineQuota({ servers: options.quotaServers ?? 10_000, rate: 200, workers: [4, 8] }, log);
  return { latency, callsPerHour, quota };
}

export function pipelineOverlapRows(p: PipelineFigures | undefined): OverlapRow[] {
  if (!p) return [];
  return [
    { run: 'a/b hand edits and document puts', figures: p.latency.overlaps },
    { run: `c enumeration of ${p.callsPerHour.servers}`, figures: p.callsPerHour.overlaps },
    ...p.quota.runs.map((r) => ({ run: `d ${p.quota.servers} servers, K = ${r.workers}`, figures: r.run.overlaps })),
  ];
}
