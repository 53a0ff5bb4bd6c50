// How long the reconcile waits before it tries again after a failure it retries itself
// (error-outcome.ts `retriedWithinRun`). Exponential with jitter, like the SDK's own strategy, but
// above it: the SDK's attempts (and its retry budget, which a storm drains) are spent by then.
// Another actor's transition needs no pause: the next attempt waits for the server to settle.
import type { Classified } from '../error-outcome.ts';

export const RETRY_BASE_MS = 1_000;
export const RETRY_CAP_MS = 20_000;

export function nextBackoff(retry: number, c: Classified, random: () => number = Math.random): number {
  if (c.kind === 'concurrent') return 0;
  const ceiling = Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** retry);
  return Math.round(ceiling * (0.5 + random() / 2));
}
