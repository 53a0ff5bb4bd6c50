// The emulator's record of every request it answered, for tests and benchmarks to assert on
// (calls per operation, retries, throttles). Bounded so that long benchmarks keep a fixed memory.
// Every entry names its account-region (from the request context); `list` can filter on them.
import { currentRequest } from './request-context.ts';
import type { CallLogEntry } from './types.ts';

export const DEFAULT_CALL_LOG_LIMIT = 100_000;

/** Which account-region's calls to list; an omitted member matches every value. */
export interface CallFilter {
  account?: string;
  region?: string;
}

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
    const context = currentRequest();
    if (full.principal === undefined && context) full.principal = context.caller.arn;
    if (full.account === undefined && context) full.account = context.caller.accountId;
    if (full.region === undefined && context) full.region = context.region;
    this.entries.push(full);
    // Trim in batches: one splice per tenth of the limit keeps add() cheap on average.
    if (this.entries.length > this.limit + Math.ceil(this.limit / 10)) this.entries.splice(0, this.entries.length - this.limit);
    return full;
  }

  /** Entries with seq greater than `since` (all when omitted), oldest first. */
  list(since = 0, filter: CallFilter = {}): CallLogEntry[] {
    let out: CallLogEntry[];
    if (since <= 0) out = this.entries.slice(-this.limit);
    else {
      const start = this.entries.findIndex((e) => e.seq > since);
      out = start === -1 ? [] : this.entries.slice(Math.max(start, this.entries.length - this.limit));
    }
    const { account, region } = filter;
    if (account === undefined && region === undefined) return out;
    return out.filter((e) => (account === undefined || e.account === account) && (region === undefined || e.region === region));
  }

  /** Forgets the entries; sequence numbers keep counting so `since` cursors stay valid. */
  clear(): void {
    this.entries = [];
  }

  get lastSeq(): number {
    return this.nextSeq - 1;
  }
}
