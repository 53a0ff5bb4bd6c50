// Pacing: a token bucket per service, so a sweep (Lambda) or a `reconcile --all` (CLI) runs at
// the API's pace instead of tripping its throttling and burning SDK retries. Each caller
// *reserves* a token (the count may go negative) and sleeps until that token is due, so
// concurrent callers are spaced exactly 1/rate apart in arrival order, with sub-millisecond
// bookkeeping (no 1-second windows).
import { monotonicClock } from '../apply/clock.ts';
import type { Clock } from '../apply/clock.ts';

export interface BucketOptions {
  /** Tokens that may be spent at once after an idle spell. 1 = calls strictly spaced. */
  burst?: number;
  clock?: Clock;
}

export class TokenBucket {
  readonly ratePerSecond: number;
  readonly burst: number;
  #tokens: number;
  #last: number;
  #clock: Clock;

  constructor(ratePerSecond: number, options: BucketOptions = {}) {
    if (!(ratePerSecond > 0)) throw new RangeError(`rate must be positive, got ${ratePerSecond}`);
    this.ratePerSecond = ratePerSecond;
    this.burst = Math.max(1, options.burst ?? 1);
    this.#clock = options.clock ?? monotonicClock;
    this.#tokens = this.burst;
    this.#last = this.#clock.now();
  }

  /** Takes one token now and returns how long (ms) the caller must wait before using it. */
  reserve(): number {
    const now = this.#clock.now();
    this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#last) * this.ratePerSecond) / 1000);
    this.#last = now;
    this.#tokens -= 1;
    return this.#tokens >= 0 ? 0 : (-this.#tokens * 1000) / this.ratePerSecond;
  }

  async take(): Promise<void> {
    const wait = this.reserve();
    if (wait > 0) await this.#clock.sleep(wait);
  }
}

interface StackClient {
  middlewareStack: {
    add: (
      middleware: (next: (args: unknown) => Promise<unknown>) => (args: unknown) => Promise<unknown>,
      options: { step: 'finalizeRequest'; priority: 'normal'; name: string },
    ) => void;
  };
}

const paced = new WeakSet<object>();

/**
 * Makes every attempt of every call on `client` wait for a token. The middleware sits in the
 * finalizeRequest step below the SDK's retry middleware (priority high), so retries are paced
 * too: AWS counts attempts, not operations. Installed once per client.
 */
export function paceClient<T extends object>(client: T, bucket: TokenBucket): T {
  if (paced.has(client)) return client;
  paced.add(client);
  (client as unknown as StackClient).middlewareStack.add(
    (next) => async (args) => {
      await bucket.take();
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'normal', name: 'transferReconcilerPacing' },
  );
  return client;
}
