// One reconcile of one server: attempts of load desired → observe → plan → act → verify
// (reconcile-attempt.ts), retried to the deadline (apply/converge.ts), then one outcome. Every
// trigger (event, schedule, CLI) ends here with the *current* document and server, so duplicated,
// reordered or lost events cannot make it wrong (level-triggered). Whatever ends the reconcile
// without finishing it goes through the one restore (apply/restore-run-state.ts) and the one error
// mapper (error-outcome.ts).
import type { AwsClients } from './aws/clients.ts';
import { withCallTally } from './aws/call-count.ts';
import { systemClock } from './apply/clock.ts';
import type { Clock } from './apply/clock.ts';
import { retryToDeadline } from './apply/converge.ts';
import { markerMayBeOn, restoreRunState, retryWhileStopped } from './apply/restore-run-state.ts';
import { outcomeOfError } from './error-outcome.ts';
import { ServerNotFoundError } from './errors.ts';
import { attempt, newRun } from './reconcile-attempt.ts';
import type { Draft, PreloadedDocument, RunRecord } from './reconcile-attempt.ts';
import type { Outcome, Trigger } from './types.ts';

export type { PreloadedDocument };

export const DEFAULT_PREFIX = '/transfer-reconciler/servers/';
/** Stopping and starting a real server takes minutes; don't begin one with less time than this. */
export const DEFAULT_OFFLINE_WINDOW_MS = 5 * 60_000;

export interface ReconcileOptions {
  clients: AwsClients;
  prefix: string;
  trigger: Trigger;
  /** Epoch ms after which no new attempt, wait or offline change starts (Lambda remaining time, CLI timeout). */
  deadline: number;
  clock?: Clock;
  /** `detect` forces a dry run whatever the document's Reconciler.Mode says. */
  modeOverride?: 'detect';
  /** false (with modeOverride 'detect' only): host keys by the fingerprint push recorded, never decrypted (plan). Default true. */
  decryptHostKeys?: boolean;
  offlineWindowMs?: number;
  /** The document as a listing (GetParametersByPath) or a file gave it, so it is not read again. */
  document?: PreloadedDocument;
}

export async function reconcileServer(serverId: string, opts: ReconcileOptions): Promise<Outcome> {
  const clock = opts.clock ?? systemClock;
  const started = clock.now();
  const { value: draft, tally } = await withCallTally(() => reconcileInner(serverId, opts, clock));
  return { ...draft, calls: tally.calls, retries: tally.retries, throttled: tally.throttled, durationMs: clock.now() - started };
}

async function reconcileInner(serverId: string, opts: ReconcileOptions, clock: Clock): Promise<Draft> {
  const attemptOpts = { ...opts, clock, offlineWindowMs: opts.offlineWindowMs ?? DEFAULT_OFFLINE_WINDOW_MS };
  const run = newRun(serverId, attemptOpts);
  let ended: Draft;
  const beforeRetry = retryWhileStopped(() => markerMayBeOn(run.done, run.observed));
  try {
    ended = await retryToDeadline((retry) => attempt(run, retry, serverId, attemptOpts), { clock, deadline: opts.deadline, beforeRetry });
  } catch (err) {
    const mapped = outcomeOfError(err);
    ended = {
      ...run.draft,
      result: mapped.result,
      error: mapped.error,
      ...(mapped.issues ? { issues: mapped.issues } : {}),
      ...(mapped.serverState ? { serverState: mapped.serverState } : {}),
    };
    if (err instanceof ServerNotFoundError) return withDone(ended, run);
  }
  if (ended.result === 'in-sync' || ended.result === 'updated') return ended;
  return withDone(await putBack(ended, run), run);
}

/** A reconcile that ends unfinished while its restart marker may be on the server puts the server back. */
async function putBack(ended: Draft, run: RunRecord): Promise<Draft> {
  const ctx = run.applyContext;
  if (!run.enforce || ctx === undefined || !markerMayBeOn(run.done, run.observed)) return ended;
  const restore = await restoreRunState(ctx, run.documentState, run.done);
  if (restore.note === '' && restore.state === undefined) return ended;
  const error = ended.error ? { ...ended.error, message: `${ended.error.message}${restore.note}` } : ended.error;
  return { ...ended, ...(error ? { error } : {}), ...(restore.state ? { serverState: restore.state } : {}) };
}

/** A failed outcome says where the server was left and what was written before the failure. */
function withDone(ended: Draft, run: RunRecord): Draft {
  const done = run.done.length > 0 || (ended.result === 'failed' && run.applied) ? { done: [...run.done] } : {};
  if (ended.result !== 'failed' || ended.error === undefined || !run.applied) return { ...ended, ...done };
  const serverState = ended.serverState ?? run.observed?.State;
  const where = serverState === undefined ? '' : `; server is ${serverState}`;
  const message = `${ended.error.message}${where}; done before: ${run.done.join(', ') || 'nothing'}`;
  return { ...ended, ...done, ...(serverState ? { serverState } : {}), error: { ...ended.error, message } };
}
