// The restart marker: a tag the reconciler puts on a server before it stops it for an offline-only
// change, and removes once it has started it again. If the process dies in between (Lambda killed
// at its timeout, Ctrl-C), the server is left OFFLINE; without the marker the next reconcile
// cannot tell that from a server its owner stopped, and would leave it OFFLINE for good.
import type { Change, DesiredServer, ObservedServer, Step } from '../types.ts';
import { runState } from './run-state.ts';

/** Tag keys the reconciler writes for itself; a document can neither set nor prune them. */
export const OWN_TAG_PREFIX = 'transfer-reconciler:';
export const RESTART_MARKER_KEY = `${OWN_TAG_PREFIX}restart-pending`;

export const setMarker: Step = { kind: 'tag', tags: [{ Key: RESTART_MARKER_KEY, Value: 'true' }] };
export const removeMarker: Step = { kind: 'untag', keys: [RESTART_MARKER_KEY] };

export function hasRestartMarker(observed: ObservedServer): boolean {
  return observed.Tags.some((t) => t.Key === RESTART_MARKER_KEY);
}

/**
 * The marker counts only on a server in a plain state. A START_FAILED or STOP_FAILED server is
 * left for a human (plan/run-state.ts); the marker stays on it, unused, until it leaves that state.
 */
export function restartPending(observed: ObservedServer): boolean {
  return hasRestartMarker(observed) && observed.State !== 'START_FAILED' && observed.State !== 'STOP_FAILED';
}

/**
 * A marker found on the server is a change of its own: it is removed (an untag step, no stop),
 * and when the document does not say State, the server it left OFFLINE is brought back ONLINE.
 */
export function leftoverMarkerChanges(desired: DesiredServer, observed: ObservedServer): Change[] {
  const marker = observed.Tags.find((t) => t.Key === RESTART_MARKER_KEY);
  if (marker === undefined || !restartPending(observed)) return [];
  const changes: Change[] = [];
  if (desired.document.State === undefined && runState(observed.State) === 'OFFLINE') {
    changes.push({ path: 'State', from: observed.State, to: 'ONLINE' });
  }
  changes.push({ path: `Tags.${RESTART_MARKER_KEY}`, from: marker.Value, to: undefined });
  return changes;
}
