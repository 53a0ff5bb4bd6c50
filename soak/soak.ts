// The fault soak: a fleet of servers on the local emulator under a throttling storm, 500/503s,
// dropped connections and latency jitter; servers caught STARTING/STOPPING; settings changed by
// hand and new document versions pushed while the drift sweep runs, with the event Lambda racing
// it. Sweeps are repeated until one finds nothing left to do. Then, with the faults off, every
// server is checked against its document and its run state, and every output line for host-key
// material. `runSoak` returns the figures; soak/run.ts prints them, the smoke test asserts them.
import { startEmulator } from '../infra/local/emulator.ts';
import { mulberry32 } from '../infra/local/faults.ts';
import type { FaultConfig } from '../infra/local/types.ts';
import { createClients } from '../functions/reconciler/aws/clients.ts';
import { sweep } from '../functions/reconciler/sweep.ts';
import type { SweepSummary } from '../functions/reconciler/sweep.ts';
import type { Outcome, Result } from '../functions/reconciler/types.ts';
import type { ParameterChangeEvent } from '../functions/handlers/lib/parameter-event.ts';
import { DEFAULT_PREFIX } from '../functions/reconciler/reconcile.ts';
import { countRunStateCycles } from '../test/helpers/run-state-cycles.ts';
import { keyMaterialLines } from '../test/helpers/secrets.ts';
import { CallTracker } from './calls.ts';
import type { CallFigures } from './calls.ts';
import { startChaos } from './chaos.ts';
import type { ChaosCounts } from './chaos.ts';
import { soakClock, soakConfig, startLambdas } from './lambdas.ts';
import { buildProfile, pickKind } from './profiles.ts';
import type { ProfileKind, ServerProfile } from './profiles.ts';

export interface SoakOptions {
  servers: number;
  seed: number;
  /** Sweeps run while the chaos goes on; then sweeps repeat until one has nothing left to do. */
  chaosSweeps: number;
  maxSweeps: number;
  concurrency: number;
  eventInstances: number;
  /** One disturbance (drift, transitional state, new document version) every this many ms. */
  chaosEveryMs: number;
  /** Makes a private host key (the tests use markedHostKey, so the suite-wide scan knows it). */
  hostKey: () => string;
  /** Receives every line the Lambdas printed (the tests feed the suite-wide secret scan). */
  onOutput?: (line: string) => void;
  log?: (line: string) => void;
}

/** The issue's mix: 30 % throttled, 3 % 500/503, 1 % dropped connections, latency jitter. */
export function soakFaults(seed: number): FaultConfig {
  return {
    seed,
    global: { error500Rate: 0.015, error503Rate: 0.015, dropRate: 0.01, latency: { fixedMs: 1, jitterMs: 12 } },
    // Transfer's ThrottlingException is modelled as HTTP 429, SSM's as 400.
    services: {
      transfer: { errors: [{ code: 'ThrottlingException', status: 429, rate: 0.3, message: 'Rate exceeded' }] },
      ssm: { errors: [{ code: 'ThrottlingException', status: 400, rate: 0.3, message: 'Rate exceeded' }] },
    },
  };
}

export interface SweepRecord {
  n: number;
  during: 'chaos' | 'settling';
  durationMs: number;
  results: Partial<Record<Result, number>>;
  unfinished: number;
  leftForNextRun: number;
  /** The sweep Lambda failed as a whole (listing the documents was throttled past the SDK's retries); the next scheduled run takes over. */
  error?: string;
}

export interface SoakReport {
  options: Omit<SoakOptions, 'hostKey' | 'onOutput' | 'log'>;
  profiles: Partial<Record<ProfileKind, number>>;
  sweeps: SweepRecord[];
  /** Sweeps until one found nothing left to write (counting the ones under chaos). */
  convergenceSweeps: number | undefined;
  chaos: ChaosCounts;
  events: { delivered: number; retries: number; deadLettered: number };
  calls: Omit<CallFigures, 'writesByServer' | 'invalidUpdates'> & { invalidUpdates: number; perServerPerSweep: number };
  failures: { outcomes: number; byCode: Record<string, number>; withoutReason: number };
  cycles: { offlineChanges: number; stops: number; starts: number; maxStopsOneServer: number };
  /** Each must be 0. */
  lost: {
    notConverged: string[];
    wrongRunState: string[];
    writesToHandsOff: string[];
    invalidUpdates: number;
    silentFailures: number;
    keyLeaks: number;
  };
  badInputs: { invalidDocuments: number; blockedDocuments: number };
  durationMs: number;
}

const EXPECTED_FINAL: Record<ProfileKind, readonly Result[]> = {
  online: ['in-sync'],
  offline: ['in-sync'],
  'state-online': ['in-sync'],
  'state-offline': ['in-sync'],
  stopped: ['in-sync'],
  'host-key': ['in-sync'],
  // The check is a dry run, which reports a blocked change as drift (it never gets to "blocked").
  detect: ['in-sync', 'drift-detected'],
  blocked: ['drift-detected'],
  invalid: ['invalid'],
};
const SETTLED: ReadonlySet<Result> = new Set(['in-sync', 'drift-detected', 'blocked', 'invalid']);
/** Profiles whose servers the reconciler must never write to. */
const HANDS_OFF: ReadonlySet<ProfileKind> = new Set(['detect', 'blocked', 'invalid']);

export function lostTotal(lost: SoakReport['lost']): number {
  return (
    lost.notConverged.length +
    lost.wrongRunState.length +
    lost.writesToHandsOff.length +
    lost.invalidUpdates +
    lost.silentFailures +
    lost.keyLeaks
  );
}

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const log = options.log ?? (() => {});
  const started = Date.now();
  const random = mulberry32(options.seed);
  const emu = await startEmulator({ transitionDelayMs: 40 });
  const cycles = countRunStateCycles(emu);
  const lines: string[] = [];
  const lambdas = startLambdas(emu.url, soakConfig(options.concurrency), options.eventInstances, (raw) => {
    lines.push(raw);
    options.onOutput?.(raw);
  });
  const unsubscribe = emu.events.subscribe((event) => lambdas.deliver(event as unknown as ParameterChangeEvent));
  const tracker = new CallTracker(emu);
  const drainTimer = setInterval(() => tracker.drain(), 500);
  try {
    // The fleet, and every private key the soak made (to look for in the output afterwards).
    const keyLines = new Set<string>();
    const inlineKey = options.hostKey();
    for (const l of keyMaterialLines(inlineKey)) keyLines.add(l);
    const fleet: ServerProfile[] = [];
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
    const profiles: Partial<Record<ProfileKind, number>> = {};
    for (const p of fleet) profiles[p.kind] = (profiles[p.kind] ?? 0) + 1;
    log(`fleet: ${options.servers} servers ${JSON.stringify(profiles)}`);

    // Faults on, then the documents go in: every put is an event, racing the first sweep.
    emu.faults.set(soakFaults(options.seed));
    const versions = new Map<string, number>();
    for (const p of fleet)
      await emu.ssm.handle('PutParameter', { Name: `${DEFAULT_PREFIX}${p.serverId}`, Value: p.text, Type: 'String', Overwrite: true });
    const chaos = startChaos(emu, fleet, random, options.chaosEveryMs, versions);

    const sweeps: SweepRecord[] = [];
    const runSweep = async (during: SweepRecord['during']): Promise<SweepSummary | undefined> => {
      const t0 = Date.now();
      let summary: SweepSummary | undefined;
      let error: string | undefined;
      try {
        summary = await lambdas.sweep();
      } catch (err) {
        error = (err as Error).name;
      }
      const record: SweepRecord = {
        n: sweeps.length + 1,
        during,
        durationMs: Date.now() - t0,
        results: summary?.results ?? {},
        unfinished: summary?.unfinished.length ?? 0,
        leftForNextRun: summary?.leftForNextRun.length ?? 0,
        ...(error ? { error } : {}),
      };
      sweeps.push(record);
      log(
        `sweep ${record.n} (${during}): ${error ? `failed as a whole: ${error}` : JSON.stringify(record.results)} in ${record.durationMs} ms`,
      );
      return summary;
    };
    try {
      for (let i = 0; i < options.chaosSweeps; i++) await runSweep('chaos');
    } finally {
      await chaos.stop();
    }
    log(`chaos: ${JSON.stringify(chaos.counts)}; waiting for the event Lambdas`);
    await lambdas.drained();

    let convergenceSweeps: number | undefined;
    const confirmed = new Set<string>();
    let seen = lambdas.captured[0]?.outcomes().length ?? 0;
    while (sweeps.length < options.maxSweeps) {
      const s = await runSweep('settling');
      if (s === undefined) continue;
      // Converged: since the last sweep that wrote anything, every server has been found with
      // nothing to do. Under a storm that never ends some reads fail each sweep (the SDK's retry
      // budget runs dry), so a server may be confirmed by the next sweep rather than this one.
      if ((s.results.updated ?? 0) > 0 || s.unfinished.length > 0 || s.leftForNextRun.length > 0) confirmed.clear();
      for (const o of lambdas.captured[0]?.outcomes().slice(seen) ?? []) if (SETTLED.has(o.result)) confirmed.add(o.serverId);
      seen = lambdas.captured[0]?.outcomes().length ?? 0;
      if ((s.results.updated ?? 0) === 0 && fleet.every((p) => confirmed.has(p.serverId))) {
        convergenceSweeps = sweeps.length;
        break;
      }
    }
    await lambdas.drained();

    // The check, with the faults off and fresh clients: a dry-run sweep and each server's state.
    emu.faults.set({});
    tracker.drain();
    const checkClients = createClients({ endpointUrl: emu.url });
    const check = await sweep({
      clients: checkClients,
      prefix: DEFAULT_PREFIX,
      deadline: Date.now() + 120_000,
      stopStartingAt: Date.now() + 110_000,
      concurrency: 16,
      clock: soakClock,
      modeOverride: 'detect',
      offlineWindowMs: 3_000,
    });
    checkClients.transfer.destroy();
    checkClients.ssm.destroy();
    const final = new Map(check.outcomes.map((o) => [o.serverId, o]));
    const notConverged: string[] = [];
    const wrongRunState: string[] = [];
    const writesToHandsOff: string[] = [];
    for (const p of fleet) {
      const o = final.get(p.serverId);
      if (!o || !EXPECTED_FINAL[p.kind].includes(o.result))
        notConverged.push(
          `${p.serverId} (${p.kind}): ${o?.result ?? 'no outcome'}${o?.changes.length ? ` ${o.changes.map((c) => c.path).join(',')}` : ''}`,
        );
      const { Server } = (await emu.transfer.handle('DescribeServer', { ServerId: p.serverId })) as { Server: { State: string } };
      if (Server.State !== p.expected) wrongRunState.push(`${p.serverId} (${p.kind}): ${Server.State}, should be ${p.expected}`);
      if (HANDS_OFF.has(p.kind) && (tracker.figures.writesByServer.get(p.serverId) ?? 0) > 0)
        writesToHandsOff.push(`${p.serverId} (${p.kind})`);
    }

    const outcomes: Outcome[] = lambdas.captured.flatMap((c) => c.outcomes());
    const failed = outcomes.filter((o) => o.result === 'failed');
    const byCode: Record<string, number> = {};
    let withoutReason = 0;
    for (const o of failed) {
      const code = o.error?.code ?? 'none';
      byCode[code] = (byCode[code] ?? 0) + 1;
      if (!o.error || o.error.code === '' || o.error.message === '') withoutReason += 1;
    }
    let keyLeaks = 0;
    for (const line of lines) for (const k of keyLines) if (line.includes(k)) keyLeaks += 1;

    const offlineServers = fleet.filter((p) => p.kind === 'offline');
    const all = cycles.all();
    const f = tracker.figures;
    const report: SoakReport = {
      options: {
        servers: options.servers,
        seed: options.seed,
        chaosSweeps: options.chaosSweeps,
        maxSweeps: options.maxSweeps,
        concurrency: options.concurrency,
        eventInstances: options.eventInstances,
        chaosEveryMs: options.chaosEveryMs,
      },
      profiles,
      sweeps,
      convergenceSweeps,
      chaos: chaos.counts,
      events: { delivered: lambdas.counts.events, retries: lambdas.counts.retries, deadLettered: lambdas.counts.deadLettered },
      calls: {
        total: f.total,
        byOperation: f.byOperation,
        faults: f.faults,
        conflicts: f.conflicts,
        unknownMembers: f.unknownMembers,
        invalidUpdates: f.invalidUpdates.length,
        perServerPerSweep: Math.round((f.total / Math.max(1, options.servers * sweeps.length)) * 10) / 10,
      },
      failures: { outcomes: failed.length, byCode, withoutReason },
      cycles: {
        offlineChanges: offlineServers.length,
        stops: [...all.values()].reduce((s, c) => s + c.stops, 0),
        starts: [...all.values()].reduce((s, c) => s + c.starts, 0),
        maxStopsOneServer: Math.max(0, ...offlineServers.map((p) => cycles.stops(p.serverId))),
      },
      lost: {
        notConverged,
        wrongRunState,
        writesToHandsOff,
        invalidUpdates: f.invalidUpdates.length,
        silentFailures: withoutReason,
        keyLeaks,
      },
      badInputs: { invalidDocuments: profiles.invalid ?? 0, blockedDocuments: profiles.blocked ?? 0 },
      durationMs: Date.now() - started,
    };
    for (const e of f.invalidUpdates) log(`INVALID UpdateServer: ${JSON.stringify(e)}`);
    return report;
  } finally {
    clearInterval(drainTimer);
    unsubscribe();
    lambdas.destroy();
    await emu.stop();
  }
}
