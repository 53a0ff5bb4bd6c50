// The emulator's record of every request it answered, for tests and benchmarks to assert on
// (calls per operation, retries, throttles). Bounded so that long benchmarks keep a fixed memory.
import { currentRequest } from './request-context.ts';
import type { CallLogEntry } from './types.ts';

export const DEFAULT_CALL_LOG_LIMIT = 100_000;

export class CallLog {
  private entries: CallLogEntry[] = [];
  private nextSeq = 1;
  private readonly limit: number;

  constructor(limit = DEFAULT_CALL_LOG_LIMIT) {
    this.limit = limit;
  }

  add(entry: Omit<CallLogEntry, 'seq'>): CallLogEntry {
    const full: CallLogEntry = { seq: this.nextSeq++, ...entry };
    // Fronts that do not name the caller themselves (EC2's) run inside the request's context.
    const caller = currentRequest()?.caller;
    if (full.principal === undefined && caller) full.principal = caller.arn;
    this.entries.push(full);
    // Trim in batches: one splice per tenth of the limit keeps add() cheap on average.
    if (this.entries.length > this.limit + Math.ceil(this.limit / 10)) this.entries.splice(0, this.entries.length - this.limit);
    return full;
  }

  /** Entries with seq greater than `since` (all when omitted), oldest first. */
  list(since = 0): CallLogEntry[] {
    if (since <= 0) return this.entries.slice(-this.limit);
    const start = this.entries.findIndex((e) => e.seq > since);
    return start === -1 ? [] : this.entries.slice(Math.max(start, this.entries.length - this.limit));
  }

  /** Forgets the entries; sequence numbers keep counting so `since` cursors stay valid. */
  clear(): void {
    this.entries = [];
  }

  get lastSeq(): number {
    return this.nextSeq - 1;
  }
}
