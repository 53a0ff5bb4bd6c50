// Puts the benchmark fleet (fleet.ts) into an emulator straight through its back ends — no HTTP,
// no call-log entries — and makes the drift behind the reconciler's back the same way. Shared by
// the emulator child process (emulator-process.ts) and the in-process pipeline rig (pipeline-rig.ts).
import type { Emulator } from '../../infra/local/emulator.ts';
import { PREFIX, makeDrift, makeFleet } from './fleet.ts';
import type { Drift, FleetServer } from './fleet.ts';

/** N servers ONLINE as their documents say, and the documents (each put publishes a Parameter Store event). */
export function seedFleet(emu: Emulator, servers: number, seed?: number): FleetServer[] {
  const fleet = makeFleet(servers, seed);
  for (const s of fleet) {
    emu.transfer.createServerWithId(s.serverId, s.create);
    emu.transfer.forceState(s.serverId, 'ONLINE');
    emu.ssm.handle('PutParameter', { Name: `${PREFIX}${s.serverId}`, Type: 'String', Value: JSON.stringify(s.document), Overwrite: true });
  }
  return fleet;
}

export function applyDrift(emu: Emulator, d: Drift): void {
  emu.transfer.handle('UpdateServer', d.update);
  if (d.tags) {
    const arn = emu.transfer.getServer(d.serverId)?.Arn;
    emu.transfer.handle('TagResource', { Arn: arn, Tags: d.tags });
  }
}

/** Drift on `fraction` of the fleet, made on the back end (no call-log entry, no CloudTrail event). */
export function driftFleet(emu: Emulator, fleet: readonly FleetServer[], fraction: number, seed?: number): Drift[] {
  const drift = makeDrift(fleet, fraction, seed);
  for (const d of drift) applyDrift(emu, d);
  return drift;
}
