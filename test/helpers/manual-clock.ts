// A clock for pacing tests that only moves when told; sleeps are recorded, then complete at once.
import type { Clock } from '../../functions/reconciler/apply/clock.ts';

export function manualClock(): Clock & { t: number; slept: number[] } {
  const c = {
    t: 1_000,
    slept: [] as number[],
    now: () => c.t,
    sleep: async (ms: number) => {
      c.slept.push(ms);
    },
  };
  return c;
}
