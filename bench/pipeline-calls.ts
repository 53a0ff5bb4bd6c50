// Benchmark 7c — Transfer calls per hour for a steady fleet of 1,000 in-sync servers. The default
// schedule: the hourly enumerator, and events only when something changes (none in steady state),
// so one enumeration and its drain through the queue per hour — measured through the local
// pipeline runner, every call counted from the emulator's call log. Today's (the direct path's
// 10-minute drift sweep): 6 runs per hour, each the engine's reconcile of every document
// (functions/reconciler/reconcile-many.ts, the CLI's `reconcile --all`), measured the same way.
import { createClients, destroyClients } from '../functions/reconciler/aws/clients.ts';
import { reconcileSelection } from '../functions/reconciler/reconcile-many.ts';
import { countCalls } from './lib/call-counts.ts';
import type { CallCounts } from './lib/call-counts.ts';
import { PREFIX } from './lib/fleet.ts';
import { checkOverlaps } from './lib/overlaps.ts';
import type { OverlapFigures } from './lib/overlaps.ts';
import { startRig } from './lib/pipeline-rig.ts';
import { isWorkerCall } from './lib/overlaps.ts';
import { seedFleet } from './lib/seed-fleet.ts';

export interface CallsPerHourResult {
  servers: number;
  /** One enumeration + drain (every principal: enumerator, router, workers). */
  pipelineRun: CallCounts;
  pipelineResults: Record<string, number>;
  /** Events the deployed rules matched during the run (steady state: none; the workers' own writes never match). */
  eventsMatched: number;
  /** One engine reconcile of all servers (today's sweep, per run). */
  sweepRun: CallCounts;
  sweepRunsPerHour: number;
  enumerationsPerHour: number;
  perHour: { pipeline: { transfer: number; describeServer: number }; sweep: { transfer: number; describeServer: number } };
  ratio: { transfer: number; describeServer: number };
  target: number;
  overlaps: OverlapFigures;
}

export async function runCallsPerHour(options: { servers?: number } = {}): Promise<CallsPerHourResult> {
  const servers = options.servers ?? 1000;
  // Pacing lifted (the counts do not depend on it); the deployed MaximumConcurrency.
  const env = { TRANSFER_CALLS_PER_SECOND: '2000', SSM_CALLS_PER_SECOND: '2000', WORKER_MAX_CONCURRENCY: '4' };
  const rig = await startRig({ env, seed: (emu) => void seedFleet(emu, servers) });
  try {
    await rig.pipeline.enumerate();
    await rig.pipeline.settled();
    // CreateQueue and GetQueueAttributes are the runner's own (queue set-up, settled()), not the deployment's.
    const pipelineRun = countCalls(rig.calls(), (c) => c.operation !== 'CreateQueue' && c.operation !== 'GetQueueAttributes');
    const pipelineResults: Record<string, number> = {};
    for (const o of rig.pipeline.outcomes) pipelineResults[o.result] = (pipelineResults[o.result] ?? 0) + 1;
    const overlaps = checkOverlaps(rig.intervals, rig.calls());

    rig.resetCalls();
    const clients = createClients({ endpointUrl: rig.emu.url, region: rig.emu.region });
    try {
      await reconcileSelection(
        { all: true },
        { clients, prefix: PREFIX, trigger: 'schedule', deadline: Date.now() + 600_000, concurrency: 16 },
      );
    } finally {
      destroyClients(clients);
    }
    // The idle workers' long polls are not the sweep's.
    const sweepRun = countCalls(rig.calls(), (c) => !isWorkerCall(c));
    const transferOf = (c: CallCounts) => c.perService.transfer ?? 0;
    const describeOf = (c: CallCounts) => c.byService.transfer?.DescribeServer ?? 0;
    const perHour = {
      pipeline: { transfer: transferOf(pipelineRun), describeServer: describeOf(pipelineRun) },
      sweep: { transfer: 6 * transferOf(sweepRun), describeServer: 6 * describeOf(sweepRun) },
    };
    return {
      servers,
      pipelineRun,
      pipelineResults,
      eventsMatched: rig.pipeline.counters.eventsMatched,
      sweepRun,
      sweepRunsPerHour: 6,
      enumerationsPerHour: 1,
      perHour,
      ratio: {
        transfer: perHour.sweep.transfer / perHour.pipeline.transfer,
        describeServer: perHour.sweep.describeServer / perHour.pipeline.describeServer,
      },
      target: 6,
      overlaps,
    };
  } finally {
    await rig.stop();
  }
}
