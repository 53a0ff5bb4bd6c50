// The fault soak, on the deployed pipeline (soak/pipeline.ts: rules → router → SQS FIFO → K
// workers, and the enumerator): a fleet of servers on the local emulator under a throttling storm,
// 500/503s, dropped connections and latency jitter on Transfer and SSM; servers caught
// STARTING/STOPPING; settings changed by a person (CloudTrail events: bursts of them) and new
// document versions pushed while enumerations run. Enumerations repeat until one finds nothing left
// to do. Then, with the faults off, every server is checked against its document and its run state,
// every output line for host-key material, every server for overlapping reconciles (two at once),
// and the worker's own writes for a reconcile they caused. `runSoak` returns the figures;
// soak/run.ts prints them, the smoke test asserts them.
import { mulberry32 } from '../infra/local/faults.ts';
import type { FaultConfig, FaultRule } from '../infra/local/types.ts';
import type { Outcome, Result } from '../functions/reconciler/types.ts';
import { DEFAULT_PREFIX } from '../functions/reconciler/reconcile.ts';
import { checkOverlaps } from '../bench/lib/overlaps.ts';
import { countRunStateCycles } from '../test/helpers/run-state-cycles.ts';
import type { CycleCounter } from '../test/helpers/run-state-cycles.ts';
import { keyMaterialLines } from '../test/helpers/secrets.ts';
import { CallTracker } from './calls.ts';
import { finalCheck } from './check.ts';
import { startChaos } from './chaos.ts';
import { startSoakPipeline } from './pipeline.ts';
import { buildProfile, pickKind } from './profiles.ts';
import type { ProfileKind, ServerProfile } from './profiles.ts';
import { runRound } from './rounds.ts';
import type { RoundRecord } from './rounds.ts';
import { buildReport } from './report.ts';
import type { SoakReport } from './report.ts';

export type { SoakReport };
export { lostTotal } from './report.ts';

export interface SoakOptions {
  servers: number;
  seed: number;
  /** Enumerations run while the chaos goes on; then they repeat until one has nothing left to do. */
  chaosRounds: number;
  maxRounds: number;
  /** The event source mapping's MaximumConcurrency (worker instances). */
  workers: number;
  /** Message groups reconciled at once within a batch. */
  concurrency: number;
  /** One disturbance (a person's edit, a transitional state, a new document version) every this many ms. */
  chaosEveryMs: number;
  /** Makes a private host key (the tests use markedHostKey, so the suite-wide scan knows it). */
  hostKey: () => string;
  /** Receives every line the Lambdas printed (the tests feed the suite-wide secret scan). */
  onOutput?: (line: string) => void;
  log?: (line: string) => void;
}

/** The mix on Transfer and SSM: 30 % throttled, 3 % 500/503, 1 % dropped connections, latency jitter. */
export function soakFaults(seed: number): FaultConfig {
  const rule = (throttleStatus: number): FaultRule => ({
    error500Rate: 0.015,
    error503Rate: 0.015,
    dropRate: 0.01,
    latency: { fixedMs: 1, jitterMs: 12 },
    // Transfer's ThrottlingException is modelled as HTTP 429, SSM's as 400.
    errors: [{ code: 'ThrottlingException', status: throttleStatus, rate: 0.3, message: 'Rate exceeded' }],
  });
  return { seed, services: { transfer: rule(429), ssm: rule(400) } };
}

const SETTLED: ReadonlySet<Result> = new Set(['in-sync', 'drift-detected', 'blocked', 'invalid']);

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const log = options.log ?? (() => {});
  const started = Date.now();
  const random = mulberry32(options.seed);
  const lines: string[] = [];
  const keyLines = new Set<string>();
  const fleet: ServerProfile[] = [];
  let cycles: CycleCounter | undefined;
  const pipe = await startSoakPipeline({
    workers: options.workers,
    concurrency: options.concurrency,
    onLine: (raw) => {
      lines.push(raw);
      options.onOutput?.(raw);
    },
    // The fleet, and every private key the soak made (to look for in the output afterwards).
    seed: async (emu) => {
      cycles = countRunStateCycles(emu);
      const inlineKey = options.hostKey();
      for (const l of keyMaterialLines(inlineKey)) keyLines.add(l);
      for (let i = 0; i < options.servers; i++) {
        const { ServerId } = (await emu.transfer.handle('CreateServer', {})) as { ServerId: string };
        const profile = buildProfile(ServerId, pickKind(random()), i, inlineKey);
        emu.transfer.forceState(ServerId, profile.initial);
        // Some servers are still coming up when the first triggers arrive.
        if (profile.initial === 'ONLINE' && random() < 0.1) emu.transfer.forceState(ServerId, 'STARTING', 100 + Math.floor(random() * 400));
        if (profile.hostKeyParameter) {
          const key = options.hostKey();
          for (const l of keyMaterialLines(key)) keyLines.add(l);
          await emu.ssm.handle('PutParameter', { Name: profile.hostKeyParameter, Value: key, Type: 'SecureString', Overwrite: true });
        }
        fleet.push(profile);
      }
    },
  });
  const { rig } = pipe;
  const emu = rig.emu;
  const tracker = new CallTracker(emu);
  const drainTimer = setInterval(() => tracker.drain(), 500);
  try {
    const profiles: Partial<Record<ProfileKind, number>> = {};
    for (const p of fleet) profiles[p.kind] = (profiles[p.kind] ?? 0) + 1;
    log(`fleet: ${options.servers} servers ${JSON.stringify(profiles)}; ${options.workers} workers`);

    // Faults on, then the documents go in: every put is an event (a burst of them), racing the first enumeration.
    emu.faults.set(soakFaults(options.seed));
    const versions = new Map<string, number>();
    for (const p of fleet)
      await emu.ssm.handle('PutParameter', { Name: `${DEFAULT_PREFIX}${p.serverId}`, Value: p.text, Type: 'String', Overwrite: true });
    const chaos = startChaos(emu, fleet, random, options.chaosEveryMs, versions);
    const ids = fleet.map((p) => p.serverId);
    const rounds: RoundRecord[] = [];
    const round = async (during: RoundRecord['during']): Promise<Outcome[]> => {
      const { record, outcomes } = await runRound(rig.pipeline, rounds.length + 1, during, ids);
      rounds.push(record);
      log(`enumeration ${record.n} (${during}): ${JSON.stringify(record.results)} in ${record.durationMs} ms`);
      return outcomes;
    };
    try {
      for (let i = 0; i < options.chaosRounds; i++) await round('chaos');
    } finally {
      await chaos.stop();
    }
    log(`chaos: ${JSON.stringify(chaos.counts)}; waiting for the queue to drain`);
    await rig.pipeline.settled();

    // Converged: since the last round that wrote anything, every server has been found with nothing
    // to do (under a storm that never ends some reconciles fail each round and come back later).
    let convergenceRounds: number | undefined;
    const confirmed = new Set<string>();
    while (rounds.length < options.maxRounds) {
      const outcomes = await round('settling');
      const wrote = outcomes.some((o) => o.result === 'updated' || o.error?.code === 'RetryLater');
      if (wrote) confirmed.clear();
      for (const o of outcomes) if (SETTLED.has(o.result)) confirmed.add(o.serverId);
      if (!wrote && fleet.every((p) => confirmed.has(p.serverId))) {
        convergenceRounds = rounds.length;
        break;
      }
    }

    emu.faults.set({});
    tracker.drain();
    const check = await finalCheck(emu, fleet, tracker.figures.writesByServer);
    const overlaps = checkOverlaps(rig.intervals, rig.calls());
    const dlq = await rig.pipeline.depth(rig.pipeline.dlqUrl);
    return buildReport({
      options,
      profiles,
      rounds,
      convergenceRounds,
      chaos: chaos.counts,
      counters: { ...rig.pipeline.counters },
      deadLetterQueue: dlq.visible + dlq.inFlight,
      incompleteEnumerations: pipe.incompleteEnumerations,
      outcomes: [...rig.pipeline.outcomes],
      calls: tracker.figures,
      check,
      overlaps,
      ownWrites: { events: pipe.ownEvents.size, reconciled: [...pipe.ownEvents].filter((id) => pipe.reconciledSources.has(id)).length },
      cycles: cycles?.all() ?? new Map(),
      offline: fleet.filter((p) => p.kind === 'offline').map((p) => p.serverId),
      keyLeaks: lines.reduce((n, line) => n + [...keyLines].filter((k) => line.includes(k)).length, 0),
      durationMs: Date.now() - started,
      log,
    });
  } finally {
    clearInterval(drainTimer);
    await pipe.stop();
  }
}
