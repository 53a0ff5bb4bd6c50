// Benchmark 1 — sweep-1000: 1000 servers and documents, 10 % drifted in mixed fields, emulator
// quotas Transfer 20 requests/s (burst 20) and SSM 40/s (burst 40), latency 20 ± 10 ms per call
// (10 ms + uniform 0–20 ms, seeded). The drift-sweep Lambda's code (bundled as deployed) runs
// with its default settings except the pacing, set at the quotas: TRANSFER_CALLS_PER_SECOND=20,
// SSM_CALLS_PER_SECOND=40. Pacing at the quota, not under it, is safe because the pacer spaces
// calls exactly 1/rate apart and never sends one early, so the requests arriving in any window
// never outnumber the tokens a bucket of that rate has refilled (the burst only has to absorb
// scheduling jitter); pacing below it would only add time.
import { runScenario } from './lib/sweep-run.ts';
import type { Scenario, ScenarioResult } from './lib/sweep-run.ts';
import { limitSeconds, median, sumCalls } from './lib/quota-math.ts';

export const QUOTAS = { transfer: 20, ssm: 40 };
export const LATENCY = { fixedMs: 10, jitterMs: 20 };

export const SWEEP_1000: Scenario = {
  servers: 1000,
  driftFraction: 0.1,
  quotas: QUOTAS,
  latency: LATENCY,
  engine: 'handler',
  pacing: QUOTAS,
};

export interface SweepFigures {
  runs: ScenarioResult[];
  wallSeconds: number[];
  medianWallSeconds: number;
  limitSeconds: number;
  ratio: number;
  throttledPercent: number;
  callsEqualMinimum: boolean;
  converged: boolean;
  targets: { ratio: number; throttledPercent: number };
}

export function sweepFigures(runs: ScenarioResult[], quotas = QUOTAS): SweepFigures {
  const first = runs[0];
  if (!first) throw new Error('no runs');
  const wallSeconds = runs.map((r) => r.wallMs / 1000);
  const limit = limitSeconds(first.minimum, quotas);
  const medianWall = median(wallSeconds);
  const requests = runs.reduce((s, r) => s + r.emulator.requests, 0);
  const throttled = runs.reduce((s, r) => s + r.emulator.throttled, 0);
  // Every operation of the minimum made exactly as often, in every run (ListServers is judged apart).
  const callsEqualMinimum = runs.every(
    (r) =>
      Object.entries(r.minimum).every(([op, n]) => r.emulator.byOperation[op] === n) &&
      sumCalls(r.emulator.byOperation) - (r.emulator.byOperation.ListServers ?? 0) === sumCalls(r.minimum),
  );
  return {
    runs,
    wallSeconds,
    medianWallSeconds: medianWall,
    limitSeconds: limit,
    ratio: medianWall / limit,
    throttledPercent: requests === 0 ? 0 : (100 * throttled) / requests,
    callsEqualMinimum,
    converged: runs.every((r) => r.converged),
    targets: { ratio: 1.1, throttledPercent: 2 },
  };
}

export async function runSweep1000(repeats: number, log: (line: string) => void): Promise<SweepFigures> {
  const runs: ScenarioResult[] = [];
  for (let i = 0; i < repeats; i++) {
    runs.push(await runScenario(SWEEP_1000));
    log(`  sweep-1000 run ${i + 1}/${repeats}: ${(runs.at(-1)?.wallMs ?? 0) / 1000} s`);
  }
  return sweepFigures(runs);
}
