// The emulator's optional state file: the back ends' snapshots as JSON, so a stopped emulator
// starts again with its servers and parameters. The default account-region's are at the top
// (the format of version 1, still loaded); the other account-regions' in `accountRegions`, the
// STS roles and sessions in `sts` (version 2). It holds secrets (SecureString values, host keys):
// it is a local development file, written with mode 0600. Writes are debounced (SAVE_DEBOUNCE_MS
// after the last change) and flushed on stop; each write goes to a temporary file then is renamed,
// so a crash never leaves half a file.
import { existsSync, readFileSync } from 'node:fs';
import { chmod, rename, writeFile } from 'node:fs/promises';
import type { AccountRegionState } from './account-region.ts';

export const SAVE_DEBOUNCE_MS = 250;
const FORMAT = 'transfer-reconciler-emulator-state';

export interface EmulatorState {
  transfer: unknown;
  ssm: unknown;
  /** Absent in files written before the emulator served EC2 (rebuilt from the servers). */
  ec2?: unknown;
  /** Every account-region but the default one (version 2). */
  accountRegions?: AccountRegionState[];
  /** The STS roles and issued sessions (version 2). */
  sts?: unknown;
  /** Accounts whose events are not forwarded to the hub (version 2). */
  unforwardedAccounts?: string[];
}

export function loadState(path: string): EmulatorState | undefined {
  if (!existsSync(path)) return undefined;
  const text = readFileSync(path, 'utf8');
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(text) as Record<string, unknown>;
  } catch (err) {
    throw new Error(`state file ${path} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  if (data.format !== FORMAT) throw new Error(`state file ${path} is not an emulator state file (format "${String(data.format)}")`);
  const state: EmulatorState = { transfer: data.transfer, ssm: data.ssm };
  if (data.ec2 !== undefined) state.ec2 = data.ec2;
  if (Array.isArray(data.accountRegions)) state.accountRegions = data.accountRegions as AccountRegionState[];
  if (data.sts !== undefined) state.sts = data.sts;
  if (Array.isArray(data.unforwardedAccounts)) state.unforwardedAccounts = data.unforwardedAccounts.map(String);
  return state;
}

export class StateWriter {
  private readonly path: string;
  private readonly collect: () => EmulatorState;
  private readonly log: (line: string) => void;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(path: string, collect: () => EmulatorState, log: (line: string) => void) {
    this.path = path;
    this.collect = collect;
    this.log = log;
  }

  schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush().catch((err: unknown) => this.log(`emulator: could not save state to ${this.path}: ${(err as Error).message}`));
    }, SAVE_DEBOUNCE_MS);
    this.timer.unref();
  }

  /** Writes the current state now (after any write in progress). */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const state = this.collect();
    this.writing = this.writing.catch(() => {}).then(() => this.write(state));
    return this.writing;
  }

  private async write(state: EmulatorState): Promise<void> {
    const tmp = `${this.path}.${process.pid}.tmp`;
    const text = `${JSON.stringify({ format: FORMAT, version: 2, savedAt: new Date().toISOString(), ...state }, null, 2)}\n`;
    await writeFile(tmp, text, { mode: 0o600 });
    await chmod(tmp, 0o600);
    await rename(tmp, this.path);
  }
}
