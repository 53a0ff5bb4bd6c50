// Counts the stop/start cycles the emulator's Transfer back end really went through, per server:
// a StopServer that moved an ONLINE server to STOPPING, a StartServer that moved a stopped one to
// STARTING. Calls that changed nothing (StopServer on an OFFLINE server) or were refused
// (ConflictException) are not cycles. Used by the race tests and the soak ("at most one cycle").
import type { Emulator } from '../../infra/local/emulator.ts';

export interface CycleCounter {
  stops(serverId: string): number;
  starts(serverId: string): number;
  /** Every server's counts. */
  all(): Map<string, { stops: number; starts: number }>;
  reset(): void;
}

export function countRunStateCycles(emu: Emulator): CycleCounter {
  const counts = new Map<string, { stops: number; starts: number }>();
  const backend = emu.transfer;
  const original = backend.handle.bind(backend);
  const stateOf = async (serverId: string): Promise<string | undefined> => {
    try {
      const described = (await original('DescribeServer', { ServerId: serverId })) as { Server: { State?: string } };
      return described.Server.State;
    } catch {
      return undefined;
    }
  };
  backend.handle = async (operation, input) => {
    if (operation !== 'StopServer' && operation !== 'StartServer') return original(operation, input);
    const id = String(input.ServerId);
    const before = await stateOf(id);
    const result = await original(operation, input);
    const after = await stateOf(id);
    const c = counts.get(id) ?? { stops: 0, starts: 0 };
    if (operation === 'StopServer' && before !== 'STOPPING' && after === 'STOPPING') c.stops += 1;
    if (operation === 'StartServer' && before !== 'STARTING' && after === 'STARTING') c.starts += 1;
    counts.set(id, c);
    return result;
  };
  return {
    stops: (id) => counts.get(id)?.stops ?? 0,
    starts: (id) => counts.get(id)?.starts ?? 0,
    all: () => new Map(counts),
    reset: () => counts.clear(),
  };
}
