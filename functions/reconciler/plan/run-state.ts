// The run state the plan reasons with. DescribeServer has six states; the plan needs two.
// - STARTING counts as ONLINE and STOPPING as OFFLINE: each is on its way there, and AWS refuses
//   updates until it arrives (ConflictException), which the apply layer turns into a retry.
// - START_FAILED and STOP_FAILED count as "not ONLINE" (OFFLINE): nothing is serving. A desired
//   ONLINE (or a previous ONLINE) therefore means a `start`; a desired OFFLINE is met, so a
//   failed stop is not retried blindly — the plan warns instead, because a failed transition needs
//   a human to look at it.
import type { RunState, ServerState } from '../types.ts';

export function runState(state: ServerState): RunState {
  return state === 'ONLINE' || state === 'STARTING' ? 'ONLINE' : 'OFFLINE';
}

export function failedStateWarning(state: ServerState): string | undefined {
  if (state !== 'START_FAILED' && state !== 'STOP_FAILED') return undefined;
  return `The server reports ${state}: the reconciler treats it as not ONLINE (a desired or previous ONLINE state leads to a StartServer). Check the server's logs and endpoint; a failed ${state === 'START_FAILED' ? 'start' : 'stop'} is not retried automatically.`;
}
