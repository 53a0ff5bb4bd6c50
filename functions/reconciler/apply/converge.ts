// The reconcile's retry loop: a failure that may pass (throttling past the SDK's attempts, 5xx, a
// reset connection, a conflict, another actor's Start/Stop) is followed by a fresh attempt —
// observe → plan → apply → verify from what the server and the document are now, never a replay of
// the old plan (level-triggered, so a retry is always safe and writes already done are not
// repeated: the fresh plan no longer contains them). It backs off between attempts and stops when
// the deadline leaves no time for the next one; only then does the reconcile report `failed`.
import { classifyError, retriedWithinRun } from '../error-outcome.ts';
import type { Classified } from '../error-outcome.ts';
import { nextBackoff } from './backoff.ts';
import type { Clock } from './clock.ts';

/** A guard against a pathological loop (two actors undoing each other); the deadline is the real bound. */
export const MAX_ATTEMPTS = 20;

export interface RetryOptions {
  clock: Clock;
  deadline: number;
  /** Runs before each retry; false ends the loop with the error (the reconcile gives up on a stopped server). */
  beforeRetry?: (failure: Classified) => Promise<boolean> | boolean;
}

export async function retryToDeadline<T>(attempt: (retry: number) => Promise<T>, opts: RetryOptions): Promise<T> {
  for (let retry = 0; ; retry++) {
    try {
      return await attempt(retry);
    } catch (err) {
      const c = classifyError(err);
      if (!retriedWithinRun(c) || retry + 1 >= MAX_ATTEMPTS) throw err;
      const wait = nextBackoff(retry, c);
      if (opts.deadline - opts.clock.now() <= wait) throw err;
      if (opts.beforeRetry && !(await opts.beforeRetry(c))) throw err;
      await opts.clock.sleep(wait);
    }
  }
}
