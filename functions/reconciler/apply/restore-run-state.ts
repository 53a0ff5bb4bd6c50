// The run-state policy's repair, used by every path that ends a reconcile without finishing it
// (a terminal step failure, the retry loop giving up at its deadline, a document that became
// blocked, invalid or deleted while the server was stopped). The restart marker alone says that
// the server's OFFLINE state is a reconcile's, mid-change, and not its owner's choice
// (plan/restart-marker.ts): a server carrying it is started again (unless the document says
// State OFFLINE) and the marker is removed, so a deliberate stop by its owner later is respected.
// Leaving a server OFFLINE is worse than overrunning the deadline a little, so the restore gets
// its own time and retries throttling, 5xx and conflicts with backoff past the SDK's attempts.
import { classifyError, retriedWithinRun } from '../error-outcome.ts';
import type { Classified } from '../error-outcome.ts';
import { observeServer } from '../aws/transfer-api.ts';
import { hasRestartMarker, removeMarker, setMarker } from '../plan/restart-marker.ts';
import { runState } from '../plan/run-state.ts';
import type { ObservedServer, RunState, ServerState } from '../types.ts';
import { describeStep, runCheckedStep } from './apply-plan.ts';
import type { ApplyContext } from './apply-plan.ts';
import { nextBackoff } from './backoff.ts';
import { waitForStable } from './wait-for-state.ts';

export interface RestoreResult {
  /** The marker was found and the server put back as its document wants it. */
  restored: boolean;
  /** Where the server was left, when it could be read. */
  state?: ServerState;
  /** What the outcome's message should add (empty when there was nothing to restore). */
  note: string;
}

export const RESTORE_START = 'StartServer (restore)';

export async function restoreRunState(ctx: ApplyContext, documentState: RunState | undefined, done: string[]): Promise<RestoreResult> {
  const own: ApplyContext = { ...ctx, deadline: Math.max(ctx.deadline, ctx.clock.now() + ctx.offlineWindowMs) };
  for (let retry = 0; ; retry++) {
    try {
      const server = await waitForStable(own);
      if (!hasRestartMarker(server)) return { restored: false, state: server.State, note: '' };
      if (server.State === 'START_FAILED' || server.State === 'STOP_FAILED') {
        return { restored: false, state: server.State, note: `; the server is ${server.State}, left for a person to look at` };
      }
      let state = server.State;
      if (documentState !== 'OFFLINE' && runState(server.State) === 'OFFLINE') {
        await runCheckedStep({ kind: 'start' }, own);
        done.push(RESTORE_START);
        state = 'ONLINE';
      }
      await runCheckedStep(removeMarker, own);
      done.push(describeStep(removeMarker));
      return { restored: true, state, note: state === 'ONLINE' && done.includes(RESTORE_START) ? '; the server was started again' : '' };
    } catch (err) {
      const c = classifyError(err);
      const wait = nextBackoff(retry, c);
      if (retriedWithinRun(c) && own.deadline - own.clock.now() > wait) {
        await own.clock.sleep(wait);
        continue;
      }
      const state = await observeServer(own.transfer, own.serverId).then(
        (s) => s.State,
        () => undefined,
      );
      const stopped = state === undefined || runState(state) === 'OFFLINE';
      const left = documentState !== 'OFFLINE' && stopped ? ': THE SERVER IS LEFT STOPPED' : '';
      return { restored: false, ...(state ? { state } : {}), note: `; putting the server back failed (${c.code})${left}` };
    }
  }
}

/** Failures in a row, while the reconcile has the server stopped, before it gives up and puts it back. */
export const MAX_FAILURES_WHILE_STOPPED = 2;

/** The restart marker may be on the server: it was seen there, or this reconcile set it, and no removal followed. */
export function markerMayBeOn(done: readonly string[], observed: ObservedServer | undefined): boolean {
  const seen = observed !== undefined && hasRestartMarker(observed);
  return seen || done.lastIndexOf(describeStep(setMarker)) > done.lastIndexOf(describeStep(removeMarker));
}

/**
 * The retry loop's hook (apply/converge.ts): a server the reconcile stopped gets quick retries to
 * finish the change while it is down; after MAX_FAILURES_WHILE_STOPPED failures in a row the
 * reconcile gives up and puts it back, so a persistent fault costs one short outage, never an
 * outage until the deadline nor a second stop/start cycle. Another actor's Start/Stop is not a
 * fault: the next attempt waits for it and plans again.
 */
export function retryWhileStopped(stopped: () => boolean): (failure: Classified) => boolean {
  let failures = 0;
  return (failure) => failure.kind === 'concurrent' || !stopped() || ++failures < MAX_FAILURES_WHILE_STOPPED;
}
