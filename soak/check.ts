// The soak's final check, with the faults off and fresh clients (a person's, not the worker's): a
// dry-run reconcile of every document (the engine, reconcile-many.ts) says each enforced server is
// in sync with its latest document (detect servers: in sync or drift detected; blocked stay
// blocked; invalid stay invalid), every server is in the run state it should be, and no server
// the reconciler must leave alone was written by it.
import { createClients, destroyClients } from '../functions/reconciler/aws/clients.ts';
import { reconcileSelection } from '../functions/reconciler/reconcile-many.ts';
import { DEFAULT_PREFIX } from '../functions/reconciler/reconcile.ts';
import type { Result } from '../functions/reconciler/types.ts';
import type { Emulator } from '../infra/local/emulator.ts';
import { soakClock } from './pipeline.ts';
import type { ProfileKind, ServerProfile } from './profiles.ts';

const EXPECTED_FINAL: Record<ProfileKind, readonly Result[]> = {
  online: ['in-sync'],
  offline: ['in-sync'],
  'state-online': ['in-sync'],
  'state-offline': ['in-sync'],
  stopped: ['in-sync'],
  'host-key': ['in-sync'],
  // The check is a dry run, which reports a blocked change as drift (it never gets to "blocked").
  detect: ['in-sync', 'drift-detected'],
  blocked: ['drift-detected'],
  invalid: ['invalid'],
};
/** Profiles whose servers the reconciler must never write to. */
export const HANDS_OFF: ReadonlySet<ProfileKind> = new Set(['detect', 'blocked', 'invalid']);

export interface FinalCheck {
  notConverged: string[];
  wrongRunState: string[];
  writesToHandsOff: string[];
}

export async function finalCheck(
  emu: Emulator,
  fleet: readonly ServerProfile[],
  writesByServer: ReadonlyMap<string, number>,
): Promise<FinalCheck> {
  const clients = createClients({ endpointUrl: emu.url, region: emu.region });
  let outcomes;
  try {
    ({ outcomes } = await reconcileSelection(
      { all: true },
      {
        clients,
        prefix: DEFAULT_PREFIX,
        trigger: 'schedule',
        modeOverride: 'detect',
        deadline: Date.now() + 120_000,
        concurrency: 16,
        clock: soakClock,
        offlineWindowMs: 3_000,
      },
    ));
  } finally {
    destroyClients(clients);
  }
  const final = new Map(outcomes.map((o) => [o.serverId, o]));
  const out: FinalCheck = { notConverged: [], wrongRunState: [], writesToHandsOff: [] };
  for (const p of fleet) {
    const o = final.get(p.serverId);
    if (!o || !EXPECTED_FINAL[p.kind].includes(o.result))
      out.notConverged.push(
        `${p.serverId} (${p.kind}): ${o?.result ?? 'no outcome'}${o?.changes.length ? ` ${o.changes.map((c) => c.path).join(',')}` : ''}`,
      );
    const { Server } = (await emu.transfer.handle('DescribeServer', { ServerId: p.serverId })) as { Server: { State: string } };
    if (Server.State !== p.expected) out.wrongRunState.push(`${p.serverId} (${p.kind}): ${Server.State}, should be ${p.expected}`);
    if (HANDS_OFF.has(p.kind) && (writesByServer.get(p.serverId) ?? 0) > 0) out.writesToHandsOff.push(`${p.serverId} (${p.kind})`);
  }
  return out;
}
