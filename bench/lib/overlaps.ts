// "No two reconciles of one server at once", checked from the outside: each worker invocation's
// interval (receive → return, recorded by pipeline-rig.ts's wrapWorker) per server whose message
// group it held; per server, no two intervals may overlap, and every Transfer call the worker role
// made about that server (the emulator's call log) must fall inside one of them — so the intervals
// really are the reconciles, and no call of a server was made outside its group's turn.
import type { CallLogEntry } from '../../infra/local/types.ts';
import { RECONCILER_ROLE_NAME } from '../../infra/local/principals.ts';

export interface Interval {
  /** Epoch ms. */
  start: number;
  end: number;
  servers: string[];
}

export interface OverlapFigures {
  /** Worker invocations recorded. */
  invocations: number;
  /** Reconciles: (invocation, server) pairs. */
  reconciles: number;
  servers: number;
  /** Pairs of one server's reconciles that overlap in time: must be 0. */
  overlapping: number;
  /** The worker role's Transfer calls about a server, and those made outside every reconcile of it (must be 0). */
  workerCalls: number;
  callsOutside: number;
}

const SERVER = /s-[0-9a-f]{17}/;

export function isWorkerCall(e: CallLogEntry): boolean {
  return e.principal?.includes(`assumed-role/${RECONCILER_ROLE_NAME}/`) === true;
}

export function checkOverlaps(intervals: readonly Interval[], calls: readonly CallLogEntry[]): OverlapFigures {
  const byServer = new Map<string, Array<[number, number]>>();
  for (const i of intervals) for (const s of i.servers) byServer.set(s, [...(byServer.get(s) ?? []), [i.start, i.end]]);
  let overlapping = 0;
  let reconciles = 0;
  for (const list of byServer.values()) {
    list.sort((a, b) => a[0] - b[0]);
    reconciles += list.length;
    // Sorted by start: one overlaps an earlier one iff it starts before the latest end so far.
    let latestEnd = -Infinity;
    for (const [start, end] of list) {
      if (start < latestEnd) overlapping++;
      latestEnd = Math.max(latestEnd, end);
    }
  }
  let workerCalls = 0;
  let callsOutside = 0;
  for (const c of calls) {
    if (c.service !== 'transfer' || !isWorkerCall(c)) continue;
    const server = SERVER.exec(c.target ?? '')?.[0];
    if (server === undefined) continue;
    workerCalls++;
    const at = Date.parse(c.time);
    if (!(byServer.get(server) ?? []).some(([s, e]) => s <= at && at <= e)) callsOutside++;
  }
  return { invocations: intervals.length, reconciles, servers: byServer.size, overlapping, workerCalls, callsOutside };
}

/** Sums figures of several runs. */
export function addOverlaps(a: OverlapFigures, b: OverlapFigures): OverlapFigures {
  return {
    invocations: a.invocations + b.invocations,
    reconciles: a.reconciles + b.reconciles,
    servers: a.servers + b.servers,
    overlapping: a.overlapping + b.overlapping,
    workerCalls: a.workerCalls + b.workerCalls,
    callsOutside: a.callsOutside + b.callsOutside,
  };
}
