// Benchmark 3 — scale: the sweep at N = 100, 1000 and 10000 servers (10 % drifted, latency
// 20 ± 10 ms), to show how time, calls and memory grow. N = 100 and 1000 run under the sweep-1000
// quotas with pacing at the quotas (N = 1000 is the sweep-1000 runs themselves); for N = 10000 the
// quotas are lifted and so is the pacing, leaving the default concurrency (4 servers at once) as
// the only bound. Peak RSS is the sweep process's own (the emulator runs in another process).
import { runScenario } from './lib/sweep-run.ts';
import type { ScenarioResult } from './lib/sweep-run.ts';
import { median, sumCalls } from './lib/quota-math.ts';
import { LATENCY, QUOTAS } from './sweep-1000.ts';

export interface ScalePoint {
  servers: number;
  quotas: string;
  runs: number;
  medianWallSeconds: number;
  calls: number;
  minimumCalls: number;
  callsPerServer: number;
  peakRssMiB: number;
  throttled: number;
  converged: boolean;
}

export const LAMBDA_MEMORY_MIB = 256;

export function scalePoint(runs: ScenarioResult[], quotas: string): ScalePoint {
  const first = runs[0];
  if (!first) throw new Error('no runs');
  const calls = median(runs.map((r) => r.emulator.requests));
  return {
    servers: first.scenario.servers,
    quotas,
    runs: runs.length,
    medianWallSeconds: median(runs.map((r) => r.wallMs / 1000)),
    calls,
    minimumCalls: sumCalls(first.minimum),
    callsPerServer: calls / first.scenario.servers,
    peakRssMiB: Math.max(...runs.map((r) => r.maxRssMiB)),
    throttled: runs.reduce((s, r) => s + r.emulator.throttled, 0),
    converged: runs.every((r) => r.converged),
  };
}

export async function runScale(sweep1000: ScenarioResult[], repeats100: number, log: (line: string) => void): Promise<ScalePoint[]> {
  const hundred: ScenarioResult[] = [];
  for (let i = 0; i < repeats100; i++) {
    hundred.push(
      await runScenario({ servers: 100, driftFraction: 0.1, quotas: QUOTAS, latency: LATENCY, engine: 'handler', pacing: QUOTAS }),
    );
    log(`  scale N=100 run ${i + 1}/${repeats100}: ${(hundred.at(-1)?.wallMs ?? 0) / 1000} s`);
  }
  const tenThousand = await runScenario({ servers: 10_000, driftFraction: 0.1, latency: LATENCY, engine: 'handler' });
  log(`  scale N=10000: ${tenThousand.wallMs / 1000} s`);
  const atQuota = `Transfer ${QUOTAS.transfer}/s, SSM ${QUOTAS.ssm}/s`;
  return [scalePoint(hundred, atQuota), scalePoint(sweep1000, atQuota), scalePoint([tenThousand], 'lifted')];
}
