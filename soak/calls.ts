// Reads the emulator's call log as the soak goes (it is bounded, so it is drained often) and
// keeps the figures the report needs about the reconciler's own Transfer and SSM calls (the worker
// role's; the people's hand edits and the pipeline's SQS traffic are left out): calls per
// operation, the faults injected and survived, and any UpdateServer that AWS would have refused as
// invalid — the one thing that must never happen.
import type { Emulator } from '../infra/local/emulator.ts';
import type { CallLogEntry } from '../infra/local/types.ts';
import { isWorkerCall } from '../bench/lib/overlaps.ts';

/** Answers of the service's own logic that mean "this request was wrong". */
const INVALID_CODES = new Set(['InvalidRequestException', 'ValidationException', 'SerializationException', 'ResourceExistsException']);

export interface CallFigures {
  total: number;
  byOperation: Record<string, number>;
  faults: { throttled: number; error500: number; error503: number; dropped: number; otherInjected: number };
  /** Refused by the emulator's own rules (not injected): must stay empty. */
  invalidUpdates: CallLogEntry[];
  conflicts: number;
  /** Writes (Update/Start/Stop/Tag/Untag) per server, for "no write to a server that must not be written". */
  writesByServer: Map<string, number>;
  unknownMembers: number;
}

const WRITES = new Set(['UpdateServer', 'StartServer', 'StopServer', 'TagResource', 'UntagResource']);

export class CallTracker {
  readonly figures: CallFigures = {
    total: 0,
    byOperation: {},
    faults: { throttled: 0, error500: 0, error503: 0, dropped: 0, otherInjected: 0 },
    invalidUpdates: [],
    conflicts: 0,
    writesByServer: new Map(),
    unknownMembers: 0,
  };
  private cursor = 0;
  private readonly emu: Emulator;

  constructor(emu: Emulator) {
    this.emu = emu;
    this.cursor = emu.calls.list().at(-1)?.seq ?? 0;
  }

  drain(): void {
    const entries = this.emu.calls.list(this.cursor);
    for (const e of entries) this.add(e);
    if (entries.length > 0) this.cursor = entries.at(-1)?.seq ?? this.cursor;
  }

  private add(e: CallLogEntry): void {
    if (!isWorkerCall(e) || (e.service !== 'transfer' && e.service !== 'ssm')) return;
    const f = this.figures;
    f.total += 1;
    f.byOperation[e.operation] = (f.byOperation[e.operation] ?? 0) + 1;
    if (e.unknownMembers && e.unknownMembers.length > 0) f.unknownMembers += 1;
    if (e.injected === 'error' && (e.errorCode === 'ThrottlingException' || e.throttled)) f.faults.throttled += 1;
    else if (e.injected === 'throttle') f.faults.throttled += 1;
    else if (e.injected === '500') f.faults.error500 += 1;
    else if (e.injected === '503') f.faults.error503 += 1;
    else if (e.injected === 'drop') f.faults.dropped += 1;
    else if (e.injected !== undefined) f.faults.otherInjected += 1;
    if (e.injected !== undefined) return;
    if (e.errorCode === 'ConflictException') f.conflicts += 1;
    if (e.operation === 'UpdateServer' && e.errorCode !== undefined && INVALID_CODES.has(e.errorCode)) f.invalidUpdates.push(e);
    if (WRITES.has(e.operation) && e.status < 300 && e.target) {
      const id = /s-[0-9a-f]{17}/.exec(e.target)?.[0] ?? e.target;
      f.writesByServer.set(id, (f.writesByServer.get(id) ?? 0) + 1);
    }
  }
}
