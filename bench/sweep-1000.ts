// Benchmark 1 — sweep-1000 through the pipeline: 1000 servers and documents, 10 % drifted in mixed
// fields, emulator quotas Transfer 20 requests/s (burst 20) and SSM 40/s (burst 40), latency
// 20 ± 10 ms per call (10 ms + uniform 0–20 ms, seeded). The enumerator runs once and the deployed
// MaximumConcurrency of 4 workers drains the queue, the account's rates set at the quotas
// (TRANSFER_CALLS_PER_SECOND=20, SSM_CALLS_PER_SECOND=40: each worker paces at a quarter of them).
// Pacing at the quota, not under it, is safe because the pacer spaces calls exactly 1/rate apart and
// never sends one early, so the requests arriving in any window never outnumber the tokens a bucket
// of that rate has refilled (the burst only has to absorb scheduling jitter).
import { runPipelineSweepApart } from './lib/pipeline-sweep.ts';
import type { PipelineSweepRun, PipelineSweepScenario } from './lib/pipeline-sweep.ts';
import { addCalls, limitSeconds, median, pipelineExtraCalls, withinExpected } from './lib/quota-math.ts';
import type { Calls } from './lib/quota-math.ts';

export const QUOTAS = { transfer: 20, ssm: 40 };
export const LATENCY = { fixedMs: 10, jitterMs: 20 };

export const SWEEP_1000: PipelineSweepScenario = {
  servers: 1000,
  driftFraction: 0.1,
  quotas: QUOTAS,
  pacing: QUOTAS,
  workers: 4,
  latency: LATENCY,
};

export interface SweepFigures {
  runs: PipelineSweepRun[];
  wallSeconds: number[];
  medianWallSeconds: number;
  limitSeconds: number;
  ratio: number;
  /** The minimum plus, at most, the pipeline's by-design extras (ListServers, the accounts file per instance). */
  expected: Calls;
  /** Every run: each operation at least its minimum, and beyond minimum + extras only SDK retries of throttled calls. */
  callsWithinExpected: boolean;
  throttledPercent: number;
  converged: boolean;
  targets: { ratio: number; throttledPercent: number };
}

/** Transfer and SSM requests of a run, per operation. */
export function awsCalls(r: PipelineSweepRun): Calls {
  return { ...r.calls.byService.transfer, ...r.calls.byService.ssm };
}

/**
 * A run's calls judged: every operation at least its minimum, and what goes beyond minimum + extras
 * (a retry is another request for the same call) no more than the SDK retries the run made.
 */
export function callsCheck(r: PipelineSweepRun): { ok: boolean; beyond: Calls } {
  const actual = awsCalls(r);
  const extras = pipelineExtraCalls(r.scenario.servers, r.scenario.workers, r.wallSeconds);
  if (withinExpected(actual, r.minimum, extras)) return { ok: true, beyond: {} };
  const beyond: Calls = {};
  let atLeastMinimum = true;
  for (const op of new Set([...Object.keys(actual), ...Object.keys(r.minimum)])) {
    const n = actual[op] ?? 0;
    if (n < (r.minimum[op] ?? 0)) atLeastMinimum = false;
    const over = n - (r.minimum[op] ?? 0) - (extras[op] ?? 0);
    if (over > 0) beyond[op] = over;
  }
  return { ok: atLeastMinimum && Object.values(beyond).reduce((a, b) => a + b, 0) <= r.calls.retries, beyond };
}

export function sweepFigures(runs: PipelineSweepRun[], quotas = QUOTAS): SweepFigures {
  const first = runs[0];
  if (!first) throw new Error('no runs');
  const wallSeconds = runs.map((r) => r.wallSeconds);
  const limit = limitSeconds(first.minimum, quotas);
  const medianWall = median(wallSeconds);
  const extras = (r: PipelineSweepRun) => pipelineExtraCalls(r.scenario.servers, r.scenario.workers, r.wallSeconds);
  const expected = addCalls(first.minimum, extras(first));
  const callsWithinExpected = runs.every((r) => callsCheck(r).ok);
  const requests = runs.reduce((s, r) => s + (r.calls.perService.transfer ?? 0) + (r.calls.perService.ssm ?? 0), 0);
  const throttled = runs.reduce((s, r) => s + r.calls.throttled, 0);
  return {
    runs,
    wallSeconds,
    medianWallSeconds: medianWall,
    limitSeconds: limit,
    ratio: medianWall / limit,
    expected,
    callsWithinExpected,
    throttledPercent: requests === 0 ? 0 : (100 * throttled) / requests,
    converged: runs.every((r) => r.converged),
    targets: { ratio: 1.1, throttledPercent: 2 },
  };
}

export async function runSweep1000(repeats: number, log: (line: string) => void): Promise<SweepFigures> {
  const runs: PipelineSweepRun[] = [];
  for (let i = 0; i < repeats; i++) {
    runs.push(await runPipelineSweepApart(SWEEP_1000));
    log(`  sweep-1000 run ${i + 1}/${repeats}: ${runs.at(-1)?.wallSeconds.toFixed(1)} s`);
  }
  return sweepFigures(runs);
}
