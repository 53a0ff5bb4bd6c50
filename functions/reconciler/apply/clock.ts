// Time, injectable so tests and the Lambda deadline agree on "now". One interface for every user:
// deadlines and polling (wall-clock epoch ms) and the pacing token buckets (a monotonic clock, so a
// clock step cannot stall or burst the pacing).
import { performance } from 'node:perf_hooks';

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

// setTimeout never fires early, but it works in whole milliseconds: round up.
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.ceil(ms)));

export const systemClock: Clock = { now: () => Date.now(), sleep };

export const monotonicClock: Clock = { now: () => performance.now(), sleep };
