// Benchmark 7d — a 10,000-server sweep through the queue under the account's Transfer quota: the
// emulator throttles Transfer at `rate` requests/s (burst = rate) and the workers'
// TRANSFER_CALLS_PER_SECOND is set to it, so each of the K workers (MaximumConcurrency) paces at
// rate ÷ K; K = the deployed 4 and another. 10 % of the fleet drifted (bench/lib/fleet.ts), emulator
// latency 0. Wall time from the enumerator's start to the queue drained, against the limit = the
// Transfer calls made ÷ rate. SSM is not throttled and is paced at 1000/s, so Transfer's quota is
// the one bound (a real account's GetParameter quota is not: see bench/README.md).
import { runPipelineSweepApart } from './lib/pipeline-sweep.ts';
import type { PipelineSweepRun } from './lib/pipeline-sweep.ts';

export interface QuotaRun {
  workers: number;
  wallSeconds: number;
  transferCalls: number;
  /** transferCalls ÷ rate. */
  limitSeconds: number;
  ratio: number;
  throttled: number;
  /** After the enumerator's own run: (wall − enumeration) ÷ (Transfer calls after it ÷ rate). */
  drainRatio: number;
  run: PipelineSweepRun;
}

export interface QuotaFigures {
  servers: number;
  rate: number;
  runs: QuotaRun[];
  target: number;
}

export async function runPipelineQuota(
  options: { servers?: number; rate?: number; workers?: number[] },
  log: (line: string) => void,
): Promise<QuotaFigures> {
  const servers = options.servers ?? 10_000;
  const rate = options.rate ?? 200;
  const runs: QuotaRun[] = [];
  for (const workers of options.workers ?? [4, 8]) {
    const run = await runPipelineSweepApart({
      servers,
      driftFraction: 0.1,
      quotas: { transfer: rate },
      pacing: { transfer: rate, ssm: 1000 },
      workers,
    });
    const transferCalls = run.calls.perService.transfer ?? 0;
    const limitSeconds = transferCalls / rate;
    runs.push({
      workers,
      wallSeconds: run.wallSeconds,
      transferCalls,
      limitSeconds,
      ratio: run.wallSeconds / limitSeconds,
      throttled: run.calls.throttledByService.transfer ?? 0,
      drainRatio: (run.wallSeconds - run.enumerateSeconds) / (run.transferCallsAfterEnumeration / rate),
      run,
    });
    log(`  quota N=${servers} K=${workers}: ${run.wallSeconds.toFixed(1)} s, limit ${limitSeconds.toFixed(1)} s`);
  }
  return { servers, rate, runs, target: 1.1 };
}
