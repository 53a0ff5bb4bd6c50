// One sweep through the deployed pipeline, end to end: an in-process emulator seeded with the
// fleet (fleet.ts) and its drift, quotas and latency switched on, then the enumerator run once and
// the queue drained by K workers (the event source mapping's MaximumConcurrency; each paces at the
// configured rate ÷ K), timed from the enumerator's start to the runner settled. Then the faults are
// lifted and an untimed reconcile of every document in detect mode (the engine, reconcile-many.ts)
// must find every server in sync. The emulator, the runner and every function share this process.
import { createClients, destroyClients } from '../../functions/reconciler/aws/clients.ts';
import { reconcileSelection } from '../../functions/reconciler/reconcile-many.ts';
import type { FaultRule } from '../../infra/local/types.ts';
import { countCalls } from './call-counts.ts';
import type { CallCounts } from './call-counts.ts';
import { PREFIX } from './fleet.ts';
import { checkOverlaps } from './overlaps.ts';
import type { OverlapFigures } from './overlaps.ts';
import { startRig } from './pipeline-rig.ts';
import { driftCounts, pipelineMinimumCalls } from './quota-math.ts';
import type { Calls, DriftCounts } from './quota-math.ts';
import { driftFleet, seedFleet } from './seed-fleet.ts';
import { startChild } from './child.ts';

export interface PipelineSweepScenario {
  servers: number;
  driftFraction: number;
  /** Emulator throttling in requests/s (burst = rate); a service left out is not throttled. */
  quotas: { transfer?: number; ssm?: number };
  /** TRANSFER_/SSM_CALLS_PER_SECOND: the account's rate, each of the K workers pacing at it ÷ K. */
  pacing: { transfer: number; ssm: number };
  workers: number;
  latency?: { fixedMs: number; jitterMs: number };
  seed?: number;
}

export interface PipelineSweepRun {
  scenario: PipelineSweepScenario;
  wallSeconds: number;
  /** The enumerator's own run (listing, ListServers, sending), and the Transfer calls made after it. */
  enumerateSeconds: number;
  transferCallsAfterEnumeration: number;
  drift: DriftCounts;
  minimum: Calls;
  /** Every request the emulator answered (the runner's own CreateQueue/GetQueueAttributes left out). */
  calls: CallCounts;
  results: Record<string, number>;
  deadLettered: number;
  /** Peak RSS of the process (emulator, runner and functions together). */
  peakRssMiB: number;
  /** The detect-mode check afterwards: servers in sync. */
  inSyncAfter: number;
  converged: boolean;
  overlaps: OverlapFigures;
}

export async function runPipelineSweep(s: PipelineSweepScenario): Promise<PipelineSweepRun> {
  let drift: DriftCounts = { servers: s.servers, drifted: 0, updated: 0, tagged: 0 };
  const rig = await startRig({
    env: {
      TRANSFER_CALLS_PER_SECOND: String(s.pacing.transfer),
      SSM_CALLS_PER_SECOND: String(s.pacing.ssm),
      WORKER_MAX_CONCURRENCY: String(s.workers),
    },
    seed: (emu) => {
      const fleet = seedFleet(emu, s.servers, s.seed);
      drift = driftCounts(s.servers, driftFleet(emu, fleet, s.driftFraction, s.seed === undefined ? undefined : s.seed + 1));
    },
  });
  try {
    const rule = (rate: number | undefined): FaultRule => ({
      ...(rate !== undefined ? { throttle: { rate, burst: rate } } : {}),
      ...(s.latency ? { latency: s.latency } : {}),
    });
    rig.emu.faults.set({ seed: s.seed ?? 7, services: { transfer: rule(s.quotas.transfer), ssm: rule(s.quotas.ssm) } });
    rig.resetCalls();
    const t0 = performance.now();
    const epoch0 = Date.now();
    await rig.pipeline.enumerate();
    const enumerateSeconds = (performance.now() - t0) / 1000;
    await rig.pipeline.settled();
    const wallSeconds = (performance.now() - t0) / 1000;
    rig.emu.faults.set({});
    const log = [...rig.calls()];
    const calls = countCalls(log, (c) => c.operation !== 'CreateQueue' && c.operation !== 'GetQueueAttributes');
    const enumerated = epoch0 + enumerateSeconds * 1000;
    const transferCallsAfterEnumeration = log.filter((c) => c.service === 'transfer' && Date.parse(c.time) > enumerated).length;
    const results: Record<string, number> = {};
    for (const o of rig.pipeline.outcomes) results[o.result] = (results[o.result] ?? 0) + 1;
    const overlaps = checkOverlaps(rig.intervals, log);
    const deadLettered = (await rig.pipeline.depth(rig.pipeline.dlqUrl)).visible;

    const clients = createClients({ endpointUrl: rig.emu.url, region: rig.emu.region });
    let inSyncAfter = 0;
    try {
      const check = await reconcileSelection(
        { all: true },
        { clients, prefix: PREFIX, trigger: 'schedule', modeOverride: 'detect', deadline: Date.now() + 600_000, concurrency: 16 },
      );
      inSyncAfter = check.outcomes.filter((o) => o.result === 'in-sync').length;
    } finally {
      destroyClients(clients);
    }
    return {
      scenario: s,
      wallSeconds,
      enumerateSeconds,
      transferCallsAfterEnumeration,
      drift,
      minimum: pipelineMinimumCalls(drift),
      calls,
      results,
      deadLettered,
      peakRssMiB: process.resourceUsage().maxRSS / 1024,
      inSyncAfter,
      converged: inSyncAfter === s.servers,
      overlaps,
    };
  } finally {
    await rig.stop();
  }
}

const SCRIPT = new URL('./pipeline-sweep-process.ts', import.meta.url).pathname;

/** runPipelineSweep in a fresh child process (pipeline-sweep-process.ts). */
export async function runPipelineSweepApart(s: PipelineSweepScenario): Promise<PipelineSweepRun> {
  const child = startChild(SCRIPT);
  try {
    return await child.request<PipelineSweepRun>('run', s);
  } finally {
    await child.request('exit').catch(() => undefined);
    await child.stop();
  }
}
