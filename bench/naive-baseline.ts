// Benchmark 2 — the naive baseline: the sweep-1000 fleet, drift, quotas and latency, worked
// through by naive-sweep.ts (a plain sequential loop, SDK defaults) in its own process, the
// emulator in another.
import { runScenario } from './lib/sweep-run.ts';
import type { ScenarioResult } from './lib/sweep-run.ts';
import { median } from './lib/quota-math.ts';
import { LATENCY, QUOTAS, SWEEP_1000 } from './sweep-1000.ts';

export interface NaiveFigures {
  runs: ScenarioResult[];
  medianWallSeconds: number;
  throttledPercent: number;
  failedServers: number;
  converged: boolean;
}

export async function runNaive(repeats: number, log: (line: string) => void): Promise<NaiveFigures> {
  const runs: ScenarioResult[] = [];
  for (let i = 0; i < repeats; i++) {
    runs.push(
      await runScenario({ servers: SWEEP_1000.servers, driftFraction: SWEEP_1000.driftFraction, quotas: QUOTAS, latency: LATENCY }),
    );
    log(`  naive run ${i + 1}/${repeats}: ${(runs.at(-1)?.wallMs ?? 0) / 1000} s`);
  }
  const requests = runs.reduce((s, r) => s + r.emulator.requests, 0);
  const throttled = runs.reduce((s, r) => s + r.emulator.throttled, 0);
  return {
    runs,
    medianWallSeconds: median(runs.map((r) => r.wallMs / 1000)),
    throttledPercent: requests === 0 ? 0 : (100 * throttled) / requests,
    failedServers: Math.max(...runs.map((r) => (r.naive?.failed ?? 0) + (r.error ? r.scenario.servers : 0))),
    converged: runs.every((r) => r.converged),
  };
}
