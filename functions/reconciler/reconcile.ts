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
import type { ServerAddress } from './desired/server-address.ts';
import { isHubAddress, parameterName } from './desired/server-address.ts';

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
  /** The server's account and region when not the hub's (or pass the address as the first argument). */
  address?: ServerAddress;
}

/**
 * One server, by ServerId (the hub's) or by address: a spoke's document is read from the hub's SSM
 * (`<prefix><AccountId>/<Region>/<ServerId>`), its server through `opts.clients`, which the caller
 * got for this address from AccountClients (aws/account-clients.ts).
 */
export async function reconcileServer(server: string | ServerAddress, opts: ReconcileOptions): Promise<Outcome> {
  const address = typeof server === 'string' ? (opts.address ?? { serverId: server }) : server;
  const serverId = address.serverId;
  const clock = opts.clock ?? systemClock;
  const started = clock.now();
  const { address: _given, ...rest } = opts;
  const inner = isHubAddress(address) ? rest : { ...rest, address };
  const { value: draft, tally } = await withCallTally(() => reconcileInner(serverId, inner, clock));
  return { ...draft, calls: tally.calls, retries: tally.retries, throttled: tally.throttled, durationMs: clock.now() - started };
}

/**
 * The outcome of a server that could not be reconciled at all (no clients for its address: the
 * accounts file does not list it), through the one error mapper; no AWS call was made.
 */
export function outcomeWithoutReconcile(
  address: ServerAddress,
  err: unknown,
  opts: Pick<ReconcileOptions, 'prefix' | 'trigger' | 'modeOverride'> & { name?: string },
): Outcome {
  const mapped = outcomeOfError(err);
  return {
    serverId: address.serverId,
    ...(isHubAddress(address) ? {} : { accountId: address.accountId, region: address.region }),
    parameter: { name: opts.name ?? parameterName(opts.prefix, address) },
    trigger: opts.trigger,
    mode: opts.modeOverride ?? 'enforce',
    result: mapped.result,
    changes: [],
    calls: {},
    durationMs: 0,
    warnings: [],
    error: mapped.error,
  };
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
