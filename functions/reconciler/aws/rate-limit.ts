// Pacing: a token bucket per service, so a sweep (Lambda) or a `reconcile --all` (CLI) runs at
// the API's pace instead of tripping its throttling and burning SDK retries. Each caller
// *reserves* a token (the count may go negative) and sleeps until that token is due, so
// concurrent callers are spaced exactly 1/rate apart in arrival order, with sub-millisecond
// bookkeeping (no 1-second windows). A bucket may run above its safe floor when the caller expects
// to have the quota to itself (shared-pace.ts); a throttled answer drops it to the floor for a while.
import { monotonicClock } from '../apply/clock.ts';
import { classifyError } from '../error-outcome.ts';
import type { Clock } from '../apply/clock.ts';

export interface BucketOptions {
  /** Tokens that may be spent at once after an idle spell. 1 = calls strictly spaced. */
  burst?: number;
  clock?: Clock;
  /**
   * The rate that is safe whoever else calls (below ratePerSecond): after a throttled answer the
   * bucket paces at this for `coolOffMs`, then goes back to ratePerSecond. Default: no floor.
   */
  floorPerSecond?: number;
  /**
   * How long a throttled answer keeps the bucket at its floor (default 10 s: long enough for the
   * meeting instances to move on, short enough that a straggler's overlap does not slow the rest
   * of a sweep).
   */
  coolOffMs?: number;
}

const DEFAULT_COOL_OFF_MS = 10_000;

export class TokenBucket {
  readonly ratePerSecond: number;
  readonly floorPerSecond: number;
  readonly burst: number;
  readonly #coolOffMs: number;
  #tokens: number;
  #last: number;
  #clock: Clock;
  #slowUntil = -Infinity;
  /** Throttled answers seen (each starts or extends a spell at the floor). */
  throttles = 0;

  constructor(ratePerSecond: number, options: BucketOptions = {}) {
    if (!(ratePerSecond > 0)) throw new RangeError(`rate must be positive, got ${ratePerSecond}`);
    const floor = options.floorPerSecond ?? ratePerSecond;
    if (!(floor > 0 && floor <= ratePerSecond)) throw new RangeError(`floor must be in (0, ${ratePerSecond}], got ${floor}`);
    this.ratePerSecond = ratePerSecond;
    this.floorPerSecond = floor;
    this.#coolOffMs = options.coolOffMs ?? DEFAULT_COOL_OFF_MS;
    this.burst = Math.max(1, options.burst ?? 1);
    this.#clock = options.clock ?? monotonicClock;
    this.#tokens = this.burst;
    this.#last = this.#clock.now();
  }

  /** The rate now: the floor during a spell after a throttled answer, else ratePerSecond. */
  currentRate(now = this.#clock.now()): number {
    return now < this.#slowUntil ? this.floorPerSecond : this.ratePerSecond;
  }

  /** Tokens earned since the last look, at the rate that held meanwhile. */
  #refill(now: number): void {
    this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#last) * this.currentRate(now)) / 1000);
    this.#last = now;
  }

  /** Takes one token now and returns how long (ms) the caller must wait before using it. */
  reserve(): number {
    const now = this.#clock.now();
    const rate = this.currentRate(now);
    this.#refill(now);
    this.#tokens -= 1;
    return this.#tokens >= 0 ? 0 : (-this.#tokens * 1000) / rate;
  }

  /** A call paced here was throttled: someone else shares the quota, so keep to the floor a while. */
  throttled(): void {
    this.throttles++;
    // The quota is spent right now: the next call waits a whole floor interval.
    this.#enterFloor(0);
  }

  /** Keeps to the floor for the cool-off from now: the quota is about to be shared (one call may go at once). */
  toFloor(): void {
    this.#enterFloor(1);
  }

  #enterFloor(keep: number): void {
    if (this.floorPerSecond === this.ratePerSecond) return;
    const now = this.#clock.now();
    this.#refill(now);
    // Tokens earned at the higher rate are not spent at once on entering the spell.
    if (now >= this.#slowUntil) this.#tokens = Math.min(this.#tokens, keep);
    this.#slowUntil = now + this.#coolOffMs;
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
 * too: AWS counts attempts, not operations; an attempt answered throttled (error-outcome.ts, the
 * one classifier) tells the bucket. Installed once per client.
 */
export function paceClient<T extends object>(client: T, bucket: TokenBucket): T {
  if (paced.has(client)) return client;
  paced.add(client);
  (client as unknown as StackClient).middlewareStack.add(
    (next) => async (args) => {
      await bucket.take();
      try {
        return await next(args);
      } catch (err) {
        if (classifyError(err).kind === 'throttled') bucket.throttled();
        throw err;
      }
    },
    { step: 'finalizeRequest', priority: 'normal', name: 'transferReconcilerPacing' },
  );
  return client;
}
