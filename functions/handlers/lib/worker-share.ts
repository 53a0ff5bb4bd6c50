// THE pacing rule of the workers (docs/pipeline.md "Pacing"): how much of one account-region's
// quota each worker instance may use. The event source mapping runs at most K =
// WORKER_MAX_CONCURRENCY instances, each holding a batch of at most 10 message groups (whatever
// RECONCILE_CONCURRENCY runs of it at once), so K × 10 servers are held. The enumerator sends an
// organisation's documents round-robin across its P account-regions (interleave.ts), so at most
// ⌈K × 10 ÷ P⌉ instances — never more than K — work on one
// account-region at a time: each paces it at rate ÷ that. The hub's own account-region, and any
// organisation small enough that K instances may meet on one account-region, get rate ÷ K, which
// holds whatever the queue holds. When the work is not spread (a push of many documents of one
// account-region), instances may meet there above its rate: the first throttled answer drops the
// instance's bucket to rate ÷ K for 10 s (aws/rate-limit.ts), and the SDK retries the call.
import type { AccountEntry, AccountsFile } from '../../reconciler/desired/accounts-rules.ts';
import type { HandlerConfig } from './config.ts';

/** A batch holds at most this many messages (the event source mapping's BatchSize, serverless.yml). */
export const BATCH_SIZE = 10;

export interface Pace {
  /** Calls per second this instance may make. */
  rate: number;
  /** The share that holds with every instance on the account-region at once (rate ÷ K). */
  floor: number;
}

type ShareConfig = Pick<HandlerConfig, 'workerMaxConcurrency'>;

/** Account-regions the workers spread over: every listed one, and the hub's own. */
export function placesOf(accounts: AccountsFile | undefined): number {
  return 1 + (accounts?.accounts.reduce((n, a) => n + a.regions.length, 0) ?? 0);
}

/** Instances that may be on one account-region at once when the work is spread over `places`. */
export function instancesPerPlace(config: ShareConfig, places: number): number {
  const k = config.workerMaxConcurrency;
  // Every message an instance holds counts, not only those it runs now: it runs the rest next.
  return Math.min(k, Math.max(1, Math.ceil((k * BATCH_SIZE) / Math.max(1, places))));
}

/** One instance's pace of a spoke account-region: the entry's rate (else the hub's) shared as above. */
export function spokeShare(
  config: ShareConfig & Pick<HandlerConfig, 'transferCallsPerSecond'>,
  entry: Pick<AccountEntry, 'transferCallsPerSecond'>,
  accounts: AccountsFile | undefined,
): Pace {
  const quota = entry.transferCallsPerSecond ?? config.transferCallsPerSecond;
  return { rate: quota / instancesPerPlace(config, placesOf(accounts)), floor: quota / config.workerMaxConcurrency };
}
