// Server lifecycle, evaluated lazily against the clock: a transitional state (STARTING,
// STOPPING) carries the time it ends, and every read settles it. No timers, so nothing keeps
// the process alive and tests can drive time with an injected clock.
import type { FailureState, Lifecycle, ServerState } from './server-types.ts';

export const TRANSITIONAL: readonly ServerState[] = ['STARTING', 'STOPPING'];

export function isTransitional(state: ServerState): boolean {
  return TRANSITIONAL.includes(state);
}

/** Where a transitional state ends on its own, honouring an injected failure. */
function endOf(lifecycle: Lifecycle, state: 'STARTING' | 'STOPPING'): ServerState {
  const failure: FailureState = state === 'STARTING' ? 'START_FAILED' : 'STOP_FAILED';
  if (lifecycle.pendingFailure === failure) {
    delete lifecycle.pendingFailure;
    return failure;
  }
  return state === 'STARTING' ? 'ONLINE' : 'OFFLINE';
}

/** Resolves a transition whose time has come. Mutates and returns the lifecycle. */
export function settle(lifecycle: Lifecycle, now: number): Lifecycle {
  const transition = lifecycle.transition;
  if (transition && transition.until !== null && now >= transition.until) {
    lifecycle.state = transition.to;
    delete lifecycle.transition;
  }
  return lifecycle;
}

export function beginTransition(lifecycle: Lifecycle, state: 'STARTING' | 'STOPPING', until: number | null): void {
  lifecycle.state = state;
  lifecycle.transition = { to: endOf(lifecycle, state), until };
}

export function newLifecycle(now: number, delayMs: number): Lifecycle {
  const lifecycle: Lifecycle = { state: 'STARTING' };
  beginTransition(lifecycle, 'STARTING', now + delayMs);
  return lifecycle;
}

/** StartServer: no effect when ONLINE; from OFFLINE or a failed state, STARTING then ONLINE. */
export function start(lifecycle: Lifecycle, now: number, delayMs: number): void {
  if (lifecycle.state === 'ONLINE') return;
  beginTransition(lifecycle, 'STARTING', now + delayMs);
}

/** StopServer: no effect when OFFLINE; otherwise STOPPING then OFFLINE. */
export function stop(lifecycle: Lifecycle, now: number, delayMs: number): void {
  if (lifecycle.state === 'OFFLINE') return;
  beginTransition(lifecycle, 'STOPPING', now + delayMs);
}

/** The next start or stop ends in `failure`; a transition already under way takes it at once. */
export function injectFailure(lifecycle: Lifecycle, failure: FailureState): void {
  const matching = failure === 'START_FAILED' ? 'STARTING' : 'STOPPING';
  if (lifecycle.transition && lifecycle.state === matching) {
    lifecycle.transition.to = failure;
    return;
  }
  lifecycle.pendingFailure = failure;
}

/** Test hook: a transitional state is held for holdMs (or until changed), then ends naturally. */
export function force(lifecycle: Lifecycle, state: ServerState, now: number, holdMs?: number): void {
  delete lifecycle.transition;
  if (state === 'STARTING' || state === 'STOPPING') {
    beginTransition(lifecycle, state, holdMs === undefined ? null : now + holdMs);
    return;
  }
  lifecycle.state = state;
}
