// Benchmarks 7a and 7b — the pipeline's reaction time, through the local pipeline runner with the
// deployed defaults (TRANSFER_CALLS_PER_SECOND 10, SSM 20, MaximumConcurrency 4: each worker paces
// at rate ÷ 4), emulator latency 0 and eventDelayMs 0, on a fleet of in-sync servers:
//   a. hand edit → repaired: a person's UpdateServer (console-style, their own key) on a managed
//      server; from the edit's response to the worker's outcome `updated`, then one read confirms
//      the server is back as its document says.
//   b. document put → converged: PutParameter of a changed document (a person's key); from its
//      response to the worker's outcome `updated`, then one read confirms the server shows it.
// One trial at a time, each on the next server, the pipeline settled and then idle for `pauseMs`
// in between (edits are not back to back: each worker's pacer has its token back, as it would).
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { TransferClient, UpdateServerCommand } from '@aws-sdk/client-transfer';
import { PREFIX } from './lib/fleet.ts';
import type { FleetServer } from './lib/fleet.ts';
import { checkOverlaps } from './lib/overlaps.ts';
import type { OverlapFigures } from './lib/overlaps.ts';
import { startRig } from './lib/pipeline-rig.ts';
import { median } from './lib/quota-math.ts';
import { seedFleet } from './lib/seed-fleet.ts';

export interface LatencyCase {
  trials: number;
  samplesMs: number[];
  medianMs: number;
  p95Ms: number;
  /** Trials whose server read back as its document says after the outcome. */
  confirmed: number;
  targetMs: number;
}

export interface LatencyResult {
  servers: number;
  pauseMs: number;
  env: Record<string, string>;
  handEdit: LatencyCase;
  documentPut: LatencyCase;
  overlaps: OverlapFigures;
}

const PERSON = { accessKeyId: 'console-bench', secretAccessKey: 'x' };
const EDITED_POLICY = 'TransferSecurityPolicy-2018-11';

export function percentile(values: readonly number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] as number;
}

function summarise(samplesMs: number[], confirmed: number, targetMs: number): LatencyCase {
  return { trials: samplesMs.length, samplesMs, medianMs: median(samplesMs), p95Ms: percentile(samplesMs, 95), confirmed, targetMs };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runPipelineLatency(options: { trials?: number; pauseMs?: number } = {}): Promise<LatencyResult> {
  const trials = options.trials ?? 30;
  const pauseMs = options.pauseMs ?? 1000;
  let fleet: FleetServer[] = [];
  const env = { WORKER_MAX_CONCURRENCY: '4' };
  const rig = await startRig({ env, seed: (emu) => void (fleet = seedFleet(emu, trials)) });
  const settings = { endpoint: rig.emu.url, region: rig.emu.region, credentials: PERSON };
  const transfer = new TransferClient(settings);
  const ssm = new SSMClient(settings);
  try {
    const updated = (serverId: string) => (o: { serverId: string; result: string }) => o.serverId === serverId && o.result === 'updated';
    const edits: number[] = [];
    let editsBack = 0;
    for (const s of fleet) {
      const outcome = rig.nextOutcome(updated(s.serverId));
      await transfer.send(new UpdateServerCommand({ ServerId: s.serverId, SecurityPolicyName: EDITED_POLICY }));
      const t0 = performance.now();
      edits.push((await outcome).at - t0);
      if (rig.emu.transfer.getServer(s.serverId)?.SecurityPolicyName === s.document.SecurityPolicyName) editsBack++;
      await rig.pipeline.settled();
      await sleep(pauseMs);
    }
    const puts: number[] = [];
    let putsShown = 0;
    for (const [i, s] of fleet.entries()) {
      const banner = `Changed by a pull request (${i}).`;
      const outcome = rig.nextOutcome(updated(s.serverId));
      const value = JSON.stringify({ ...s.document, PreAuthenticationLoginBanner: banner });
      await ssm.send(new PutParameterCommand({ Name: `${PREFIX}${s.serverId}`, Type: 'String', Value: value, Overwrite: true }));
      const t0 = performance.now();
      puts.push((await outcome).at - t0);
      if (rig.emu.transfer.getServer(s.serverId)?.PreAuthenticationLoginBanner === banner) putsShown++;
      await rig.pipeline.settled();
      await sleep(pauseMs);
    }
    return {
      servers: fleet.length,
      pauseMs,
      env: { TRANSFER_CALLS_PER_SECOND: '10 (default)', SSM_CALLS_PER_SECOND: '20 (default)', ...env },
      handEdit: summarise(edits, editsBack, 2000),
      documentPut: summarise(puts, putsShown, 1000),
      overlaps: checkOverlaps(rig.intervals, rig.calls()),
    };
  } finally {
    transfer.destroy();
    ssm.destroy();
    await rig.stop();
  }
}
