// Benchmark 3 — scale: the pipeline's sweep at N = 100, 1000 and 10000 servers (10 % drifted), to
// show how time, calls and memory grow. N = 100 runs under the sweep-1000 quotas, latency and
// pacing; N = 1000 is the sweep-1000 runs themselves; N = 10000 is the quota benchmark's run with
// the deployed 4 workers (Transfer 200/s, latency 0). Each run is its own process (emulator,
// runner and functions together): its peak RSS is theirs, not one Lambda's.
import { runPipelineSweepApart } from './lib/pipeline-sweep.ts';
import type { PipelineSweepRun } from './lib/pipeline-sweep.ts';
import { addCalls, median, pipelineExtraCalls, sumCalls } from './lib/quota-math.ts';
import { LATENCY, QUOTAS, SWEEP_1000, awsCalls } from './sweep-1000.ts';

export interface ScalePoint {
  servers: number;
  quotas: string;
  runs: number;
  medianWallSeconds: number;
  /** Transfer and SSM requests (median over the runs). */
  calls: number;
  /** The minimum plus, at most, the by-design extras (ListServers, the accounts file per instance). */
  minimumCalls: number;
  callsPerServer: number;
  peakRssMiB: number;
  throttled: number;
  converged: boolean;
}

export function scalePoint(runs: PipelineSweepRun[], quotas: string): ScalePoint {
  const first = runs[0];
  if (!first) throw new Error('no runs');
  const calls = median(runs.map((r) => sumCalls(awsCalls(r))));
  return {
    servers: first.scenario.servers,
    quotas,
    runs: runs.length,
    medianWallSeconds: median(runs.map((r) => r.wallSeconds)),
    calls,
    minimumCalls: sumCalls(addCalls(first.minimum, pipelineExtraCalls(first.scenario.servers, first.scenario.workers, first.wallSeconds))),
    callsPerServer: calls / first.scenario.servers,
    peakRssMiB: Math.max(...runs.map((r) => r.peakRssMiB)),
    throttled: runs.reduce((s, r) => s + r.calls.throttled, 0),
    converged: runs.every((r) => r.converged),
  };
}

export async function runScale(
  sweep1000: PipelineSweepRun[],
  tenThousand: PipelineSweepRun | undefined,
  repeats100: number,
  log: (line: string) => void,
): Promise<ScalePoint[]> {
  const hundred: PipelineSweepRun[] = [];
  for (let i = 0; i < repeats100; i++) {
    hundred.push(await runPipelineSweepApart({ ...SWEEP_1000, servers: 100, latency: LATENCY }));
    log(`  scale N=100 run ${i + 1}/${repeats100}: ${hundred.at(-1)?.wallSeconds.toFixed(1)} s`);
  }
  const atQuota = `Transfer ${QUOTAS.transfer}/s, SSM ${QUOTAS.ssm}/s`;
  const points = [scalePoint(hundred, atQuota), scalePoint(sweep1000, atQuota)];
  if (tenThousand) points.push(scalePoint([tenThousand], `Transfer ${tenThousand.scenario.quotas.transfer}/s, latency 0`));
  return points;
}
