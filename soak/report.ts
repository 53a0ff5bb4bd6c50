// The soak's figures, gathered into the report soak/run.ts prints and the smoke test asserts.
import type { Outcome, Result } from '../functions/reconciler/types.ts';
import type { Counters } from '../infra/local/pipeline/runner.ts';
import type { OverlapFigures } from '../bench/lib/overlaps.ts';
import type { CallFigures } from './calls.ts';
import type { ChaosCounts } from './chaos.ts';
import type { FinalCheck } from './check.ts';
import type { ProfileKind } from './profiles.ts';
import type { RoundRecord } from './rounds.ts';
import type { SoakOptions } from './soak.ts';

export interface SoakReport {
  options: Omit<SoakOptions, 'hostKey' | 'onOutput' | 'log'>;
  profiles: Partial<Record<ProfileKind, number>>;
  rounds: RoundRecord[];
  /** Enumerations until one found nothing left to write (counting the ones under chaos). */
  convergenceRounds: number | undefined;
  /** Enumerations whose document listing failed part-way (throttled past the SDK's retries; the next covers the rest). */
  incompleteEnumerations: number;
  chaos: ChaosCounts;
  /** The runner's counters (events matched by the rules, router invocations and retries, worker batches). */
  pipeline: Counters & { deadLetterQueue: number };
  calls: Omit<CallFigures, 'writesByServer' | 'invalidUpdates'> & { invalidUpdates: number; perServerPerRound: number };
  failures: { outcomes: number; byCode: Record<string, number>; withoutReason: number };
  cycles: { offlineChanges: number; stops: number; starts: number; maxStopsOneServer: number };
  overlaps: OverlapFigures;
  /** CloudTrail events of the worker's own writes, and how many of them led to a reconcile (must be 0). */
  ownWrites: { events: number; reconciled: number };
  /** Each must be 0. */
  lost: FinalCheck & {
    invalidUpdates: number;
    silentFailures: number;
    keyLeaks: number;
    overlappingReconciles: number;
    callsOutsideReconcile: number;
    ownWritesReconciled: number;
  };
  badInputs: { invalidDocuments: number; blockedDocuments: number };
  durationMs: number;
}

export function lostTotal(lost: SoakReport['lost']): number {
  return (
    lost.notConverged.length +
    lost.wrongRunState.length +
    lost.writesToHandsOff.length +
    lost.invalidUpdates +
    lost.silentFailures +
    lost.keyLeaks +
    lost.overlappingReconciles +
    lost.callsOutsideReconcile +
    lost.ownWritesReconciled
  );
}

export interface ReportInput {
  options: SoakOptions;
  profiles: Partial<Record<ProfileKind, number>>;
  rounds: RoundRecord[];
  convergenceRounds: number | undefined;
  chaos: ChaosCounts;
  counters: Counters;
  deadLetterQueue: number;
  incompleteEnumerations: number;
  outcomes: Outcome[];
  calls: CallFigures;
  check: FinalCheck;
  overlaps: OverlapFigures;
  ownWrites: { events: number; reconciled: number };
  cycles: Map<string, { stops: number; starts: number }>;
  offline: string[];
  keyLeaks: number;
  durationMs: number;
  log: (line: string) => void;
}

export function buildReport(i: ReportInput): SoakReport {
  const o = i.options;
  const failed = i.outcomes.filter((x) => x.result === ('failed' satisfies Result));
  const byCode: Record<string, number> = {};
  let withoutReason = 0;
  for (const x of failed) {
    const code = x.error?.code ?? 'none';
    byCode[code] = (byCode[code] ?? 0) + 1;
    if (!x.error || x.error.code === '' || x.error.message === '') withoutReason += 1;
  }
  const f = i.calls;
  for (const e of f.invalidUpdates) i.log(`INVALID UpdateServer: ${JSON.stringify(e)}`);
  const all = [...i.cycles.values()];
  return {
    options: {
      servers: o.servers,
      seed: o.seed,
      chaosRounds: o.chaosRounds,
      maxRounds: o.maxRounds,
      workers: o.workers,
      concurrency: o.concurrency,
      chaosEveryMs: o.chaosEveryMs,
    },
    profiles: i.profiles,
    rounds: i.rounds,
    convergenceRounds: i.convergenceRounds,
    incompleteEnumerations: i.incompleteEnumerations,
    chaos: i.chaos,
    pipeline: { ...i.counters, deadLetterQueue: i.deadLetterQueue },
    calls: {
      total: f.total,
      byOperation: f.byOperation,
      faults: f.faults,
      conflicts: f.conflicts,
      unknownMembers: f.unknownMembers,
      invalidUpdates: f.invalidUpdates.length,
      perServerPerRound: Math.round((f.total / Math.max(1, o.servers * i.rounds.length)) * 10) / 10,
    },
    failures: { outcomes: failed.length, byCode, withoutReason },
    cycles: {
      offlineChanges: i.offline.length,
      stops: all.reduce((s, c) => s + c.stops, 0),
      starts: all.reduce((s, c) => s + c.starts, 0),
      maxStopsOneServer: Math.max(0, ...i.offline.map((id) => i.cycles.get(id)?.stops ?? 0)),
    },
    overlaps: i.overlaps,
    ownWrites: i.ownWrites,
    lost: {
      ...i.check,
      invalidUpdates: f.invalidUpdates.length,
      silentFailures: withoutReason,
      keyLeaks: i.keyLeaks,
      overlappingReconciles: i.overlaps.overlapping,
      callsOutsideReconcile: i.overlaps.callsOutside,
      ownWritesReconciled: i.ownWrites.reconciled,
    },
    badInputs: { invalidDocuments: i.profiles.invalid ?? 0, blockedDocuments: i.profiles.blocked ?? 0 },
    durationMs: i.durationMs,
  };
}
