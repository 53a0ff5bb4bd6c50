// Child process: the local emulator, seeded with the benchmark fleet without going through HTTP,
// with drift applied behind the reconciler's back, faults switched on and off, and the call log
// summarised, all on request from the benchmark (lib/emulator-client.ts).
import { startEmulator } from '../../infra/local/emulator.ts';
import type { FaultConfig } from '../../infra/local/types.ts';
import { serveRequests } from './child.ts';
import { makeDrift } from './fleet.ts';
import type { Drift, FleetServer } from './fleet.ts';
import { applyDrift as applyOne, seedFleet } from './seed-fleet.ts';
import type { CallStats } from './emulator-client.ts';

const emu = await startEmulator({ port: 0, transitionDelayMs: 50 });
let fleet: FleetServer[] = [];
let drift: Drift[] = [];

function seed(args: { servers: number; seed?: number }): null {
  emu.reset();
  fleet = seedFleet(emu, args.servers, args.seed);
  return null;
}

const applyDrift = (d: Drift): void => applyOne(emu, d);

/** Drift on `fraction` of the fleet, made directly on the back end (the call log does not see it). */
async function driftFleet(args: { fraction: number; seed?: number; only?: string }): Promise<Drift[]> {
  drift = makeDrift(fleet, args.fraction, args.seed);
  if (args.only !== undefined) drift = drift.filter((d) => d.serverId === args.only);
  for (const d of drift) applyDrift(d);
  return drift;
}

/** The same drift again on one server (the overhead benchmark re-drifts between iterations). */
async function redrift(args: { serverId: string }): Promise<null> {
  const d = drift.find((x) => x.serverId === args.serverId);
  if (!d) throw new Error(`no drift planned for ${args.serverId}`);
  applyDrift(d);
  return null;
}

function callStats(): CallStats {
  const stats: CallStats = { requests: 0, byOperation: {}, throttled: 0, throttledByOperation: {}, retries: 0, errors: 0 };
  for (const c of emu.calls.list()) {
    stats.requests++;
    stats.byOperation[c.operation] = (stats.byOperation[c.operation] ?? 0) + 1;
    if (c.throttled) {
      stats.throttled++;
      stats.throttledByOperation[c.operation] = (stats.throttledByOperation[c.operation] ?? 0) + 1;
    }
    if ((c.attempt ?? 1) > 1) stats.retries++;
    if (c.status >= 400) stats.errors++;
  }
  return stats;
}

serveRequests({
  seed: (a) => seed(a as { servers: number; seed?: number }),
  drift: (a) => driftFleet(a as { fraction: number; seed?: number; only?: string }),
  redrift: (a) => redrift(a as { serverId: string }),
  faults: (a) => {
    emu.faults.set(a as FaultConfig);
    return null;
  },
  clearCalls: () => {
    emu.calls.clear();
    return null;
  },
  callStats: () => callStats(),
});
process.on('SIGTERM', () => {
  void emu.stop().then(() => process.exit(0));
});
process.send?.({ id: 0, ok: true, value: emu.url });
