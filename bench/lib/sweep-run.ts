// The naive loop's scenario end to end (the reference the pipeline's sweep is compared with): an
// emulator process seeded with the fleet and its drift, faults (quotas, latency) switched on, the
// loop run in its own process, the emulator's call log read, then the faults lifted and a second,
// untimed pass in detect mode (the engine) to check convergence.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FaultConfig } from '../../infra/local/types.ts';
import { bundle, REPO } from './bundle.ts';
import { startChild } from './child.ts';
import { startEmulatorChild } from './emulator-client.ts';
import type { CallStats } from './emulator-client.ts';
import { driftCounts, minimumCalls } from './quota-math.ts';
import type { Calls, DriftCounts } from './quota-math.ts';
import type { Convergence, WorkerRun } from './sweep-worker.ts';

export interface Quotas {
  transfer: number;
  ssm: number;
}

export interface Scenario {
  servers: number;
  driftFraction: number;
  /** Emulator throttling (requests/s, burst = rate); undefined = lifted. */
  quotas?: Quotas;
  latency: { fixedMs: number; jitterMs: number };
  seed?: number;
}

export interface ScenarioResult {
  scenario: Scenario;
  wallMs: number;
  maxRssMiB: number;
  drift: DriftCounts;
  minimum: Calls;
  /** Requests the emulator answered, per operation (every attempt). */
  emulator: CallStats;
  naive?: WorkerRun['naive'];
  error?: string;
  convergence: Convergence;
  converged: boolean;
}

let workerScript: Promise<string> | undefined;

/** The worker, bundled once per benchmark run. */
function workerBundle(): Promise<string> {
  workerScript ??= (async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'tr-bench-')), 'sweep-worker.mjs');
    await bundle(join(REPO, 'bench/lib/sweep-worker.ts'), out);
    return out;
  })();
  return workerScript;
}

export function faultsFor(s: Scenario): FaultConfig {
  const rule = (rate: number | undefined) => ({ latency: s.latency, ...(rate !== undefined ? { throttle: { rate, burst: rate } } : {}) });
  return { services: { transfer: rule(s.quotas?.transfer), ssm: rule(s.quotas?.ssm) }, seed: s.seed ?? 7 };
}

export async function runScenario(s: Scenario): Promise<ScenarioResult> {
  const script = await workerBundle();
  const emu = await startEmulatorChild();
  try {
    await emu.seed(s.servers, s.seed);
    const drift = await emu.drift(s.driftFraction);
    const counts = driftCounts(s.servers, drift);
    const worker = startChild(script, [], {
      env: {
        AWS_ENDPOINT_URL: emu.url,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
      },
    });
    try {
      await emu.faults(faultsFor(s));
      await emu.clearCalls();
      const run = await worker.request<WorkerRun>('run');
      const emulator = await emu.callStats();
      await emu.faults({});
      const convergence = await worker.request<Convergence>('converged');
      const inSync = convergence.results['in-sync'] ?? 0;
      return {
        scenario: s,
        wallMs: run.wallMs,
        maxRssMiB: run.maxRssKiB / 1024,
        drift: counts,
        minimum: minimumCalls(counts),
        emulator,
        ...(run.naive ? { naive: run.naive } : {}),
        ...(run.error ? { error: run.error } : {}),
        convergence,
        converged: inSync === s.servers,
      };
    } finally {
      await worker.stop();
    }
  } finally {
    await emu.stop();
  }
}
