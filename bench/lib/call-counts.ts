// Call-log figures the pipeline benchmarks report: requests per service and operation, throttled
// answers, and the worker role's share.
import type { CallLogEntry } from '../../infra/local/types.ts';

export interface CallCounts {
  total: number;
  /** `service` → operation → requests (every attempt). */
  byService: Record<string, Record<string, number>>;
  perService: Record<string, number>;
  throttled: number;
  throttledByService: Record<string, number>;
  retries: number;
}

export function countCalls(calls: readonly CallLogEntry[], keep: (e: CallLogEntry) => boolean = () => true): CallCounts {
  const out: CallCounts = { total: 0, byService: {}, perService: {}, throttled: 0, throttledByService: {}, retries: 0 };
  for (const c of calls) {
    if (!keep(c)) continue;
    out.total++;
    const ops = (out.byService[c.service] ??= {});
    ops[c.operation] = (ops[c.operation] ?? 0) + 1;
    out.perService[c.service] = (out.perService[c.service] ?? 0) + 1;
    if (c.throttled) {
      out.throttled++;
      out.throttledByService[c.service] = (out.throttledByService[c.service] ?? 0) + 1;
    }
    if ((c.attempt ?? 1) > 1) out.retries++;
  }
  return out;
}

/** `Op n, Op n` in descending order. */
export function opsText(ops: Record<string, number> | undefined): string {
  return Object.entries(ops ?? {})
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
}
