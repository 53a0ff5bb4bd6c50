// The soak's enumerations (the pipeline's sweep): the enumerator run once, then the queue worked
// off. Under chaos the queue never drains (every disturbance is another event), so a round under
// chaos ends once every server has had a reconcile since the enumeration began; a settling round
// waits for the runner to settle (queue empty, redeliveries and their backoff included).
import type { Outcome, Result } from '../functions/reconciler/types.ts';
import type { PipelineRunner } from '../infra/local/pipeline/runner.ts';

export interface RoundRecord {
  n: number;
  during: 'chaos' | 'settling';
  durationMs: number;
  /** Outcomes logged during the round (workers: event and schedule; enumerator: unmanaged). */
  results: Partial<Record<Result, number>>;
  /** Servers whose reconcile ran out of time (RetryLater): their message comes back. */
  unfinished: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runRound(
  runner: PipelineRunner,
  n: number,
  during: RoundRecord['during'],
  servers: readonly string[],
  timeoutMs = 120_000,
): Promise<{ record: RoundRecord; outcomes: Outcome[] }> {
  const t0 = Date.now();
  const seen = runner.outcomes.length;
  await runner.enumerate();
  if (during === 'settling') await runner.settled();
  else {
    const want = new Set(servers);
    while (Date.now() - t0 < timeoutMs) {
      for (const o of runner.outcomes.slice(seen)) want.delete(o.serverId);
      if (want.size === 0) break;
      await sleep(50);
    }
  }
  const outcomes = runner.outcomes.slice(seen);
  const results: Partial<Record<Result, number>> = {};
  for (const o of outcomes) results[o.result] = (results[o.result] ?? 0) + 1;
  const unfinished = outcomes.filter((o) => o.error?.code === 'RetryLater').length;
  return { record: { n, during, durationMs: Date.now() - t0, results, unfinished }, outcomes };
}
