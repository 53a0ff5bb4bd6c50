// The arithmetic the sweep benchmark is judged by: the fewest calls the work needs, the fastest a
// sweep can possibly go under the quotas, and how close a run came to both.
import type { Drift } from './fleet.ts';

/** GetParametersByPath returns at most 10 parameters per page. */
export const PAGE_SIZE = 10;

export interface DriftCounts {
  servers: number;
  /** Servers with drift in at least one UpdateServer field. */
  updated: number;
  /** Servers with drift in any field (each needs a verifying DescribeServer). */
  drifted: number;
  /** Servers whose tags drifted (tags are not UpdateServer members: TagResource). */
  tagged: number;
}

export type Calls = Record<string, number>;

/**
 * ⌈N/10⌉ GetParametersByPath + N DescribeServer + per drifted server one GetParameter (the listed
 * document confirmed current before the first write), one UpdateServer and one verifying
 * DescribeServer (+ one TagResource per server whose tags drifted).
 */
export function minimumCalls(d: DriftCounts): Calls {
  const calls: Calls = {
    GetParametersByPath: Math.max(1, Math.ceil(d.servers / PAGE_SIZE)),
    DescribeServer: d.servers + d.drifted,
    UpdateServer: d.updated,
  };
  if (d.drifted > 0) calls.GetParameter = d.drifted;
  if (d.tagged > 0) calls.TagResource = d.tagged;
  return calls;
}

/**
 * The pipeline's minimum is the sweep's: the enumerator's listing carries each document to the
 * worker (functions/reconciler/queue/message.ts listedDocument), which confirms it with one
 * GetParameter only before writing.
 */
export const pipelineMinimumCalls = minimumCalls;

/**
 * What the pipeline makes beyond that minimum, at most, by design: the enumerator's ListServers
 * (one per 1000 servers: it finds the servers with no document, reported unmanaged) and a read of
 * the accounts file per function instance (the K workers and the enumerator) per minute (its cache's TTL).
 */
export function pipelineExtraCalls(servers: number, workers: number, wallSeconds: number): Calls {
  return { ListServers: Math.max(1, Math.ceil(servers / 1000)), GetParameter: (workers + 1) * Math.max(1, Math.ceil(wallSeconds / 60)) };
}

/** minimum ≤ actual ≤ minimum + extras, operation by operation (an operation in neither must not occur). */
export function withinExpected(actual: Calls, minimum: Calls, extras: Calls): boolean {
  const ops = new Set([...Object.keys(actual), ...Object.keys(minimum), ...Object.keys(extras)]);
  return [...ops].every((op) => {
    const n = actual[op] ?? 0;
    return n >= (minimum[op] ?? 0) && n <= (minimum[op] ?? 0) + (extras[op] ?? 0);
  });
}

export function driftCounts(servers: number, drift: readonly Drift[]): DriftCounts {
  return {
    servers,
    drifted: drift.length,
    updated: drift.filter((d) => Object.keys(d.update).length > 1).length,
    tagged: drift.filter((d) => d.tags !== undefined).length,
  };
}

export function addCalls(a: Calls, b: Calls): Calls {
  const out: Calls = { ...a };
  for (const [op, n] of Object.entries(b)) out[op] = (out[op] ?? 0) + n;
  return out;
}

export const SERVICE_OF: Record<string, 'transfer' | 'ssm'> = {
  GetParametersByPath: 'ssm',
  GetParameter: 'ssm',
  GetParameters: 'ssm',
  DescribeServer: 'transfer',
  UpdateServer: 'transfer',
  TagResource: 'transfer',
  UntagResource: 'transfer',
  ListServers: 'transfer',
  StartServer: 'transfer',
  StopServer: 'transfer',
};

export function callsPerService(calls: Calls): Record<'transfer' | 'ssm', number> {
  const out = { transfer: 0, ssm: 0 };
  for (const [op, n] of Object.entries(calls)) {
    const service = SERVICE_OF[op];
    if (service === undefined) throw new Error(`no service known for operation ${op}`);
    out[service] += n;
  }
  return out;
}

/** The fastest the calls can be made: max over the quotas of calls ÷ rate, in seconds. */
export function limitSeconds(calls: Calls, rates: Record<'transfer' | 'ssm', number>): number {
  const per = callsPerService(calls);
  return Math.max(per.transfer / rates.transfer, per.ssm / rates.ssm);
}

export function sumCalls(calls: Calls): number {
  return Object.values(calls).reduce((a, b) => a + b, 0);
}

/** Actual minus minimum per operation (operations the minimum does not list count in full). */
export function extraCalls(actual: Calls, minimum: Calls): Calls {
  const out: Calls = {};
  for (const op of new Set([...Object.keys(actual), ...Object.keys(minimum)])) {
    const extra = (actual[op] ?? 0) - (minimum[op] ?? 0);
    if (extra !== 0) out[op] = extra;
  }
  return out;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of nothing');
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}
