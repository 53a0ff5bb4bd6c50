// The benchmark's side of the emulator child process (lib/emulator-process.ts).
import { fileURLToPath } from 'node:url';
import type { FaultConfig } from '../../infra/local/types.ts';
import { startChild } from './child.ts';
import type { Child, Reply } from './child.ts';
import type { Drift } from './fleet.ts';

export interface CallStats {
  /** HTTP requests the emulator answered (every attempt, retries included). */
  requests: number;
  byOperation: Record<string, number>;
  throttled: number;
  throttledByOperation: Record<string, number>;
  /** Requests that were an SDK retry (attempt > 1). */
  retries: number;
  /** Answers with HTTP status ≥ 400 (throttles included). */
  errors: number;
}

export interface EmulatorChild {
  url: string;
  seed(servers: number, seed?: number): Promise<void>;
  drift(fraction: number, options?: { seed?: number; only?: string }): Promise<Drift[]>;
  redrift(serverId: string): Promise<void>;
  faults(config: FaultConfig): Promise<void>;
  clearCalls(): Promise<void>;
  callStats(): Promise<CallStats>;
  stop(): Promise<void>;
}

const SCRIPT = fileURLToPath(new URL('./emulator-process.ts', import.meta.url));

export async function startEmulatorChild(): Promise<EmulatorChild> {
  const child: Child = startChild(SCRIPT);
  const url = await new Promise<string>((resolve, reject) => {
    const onMessage = (msg: Reply): void => {
      if (msg.id !== 0) return;
      child.proc.off('message', onMessage);
      if (msg.ok) resolve(msg.value as string);
      else reject(new Error(msg.error));
    };
    child.proc.on('message', onMessage);
    void child.exited.then((code) => reject(new Error(`emulator process exited (code ${code}) before it was ready`)));
  });
  return {
    url,
    seed: async (servers, seed) => {
      await child.request('seed', { servers, seed });
    },
    drift: (fraction, options = {}) => child.request<Drift[]>('drift', { fraction, ...options }),
    redrift: async (serverId) => {
      await child.request('redrift', { serverId });
    },
    faults: async (config) => {
      await child.request('faults', config);
    },
    clearCalls: async () => {
      await child.request('clearCalls');
    },
    callStats: () => child.request<CallStats>('callStats'),
    stop: () => child.stop(),
  };
}
