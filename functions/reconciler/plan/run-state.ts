// The run state the plan reasons with. DescribeServer has six states; the plan needs two.
// - STARTING counts as ONLINE and STOPPING as OFFLINE: each is on its way there (the reconcile
//   waits for a stable state before it plans, so the plan sees these only as another actor's).
// - START_FAILED and STOP_FAILED count as "not ONLINE": nothing is serving. A failed transition
//   needs a person: AWS refuses updates to the server and starting it again blindly hides the
//   fault. Unless the document says State OFFLINE (which a stopped, failed server meets), the
//   server is reported `failed` (ServerStateFailedError), never in sync, and nothing is written.
import type { DesiredServer, ObservedServer, RunState, ServerState } from '../types.ts';

export function runState(state: ServerState): RunState {
  return state === 'ONLINE' || state === 'STARTING' ? 'ONLINE' : 'OFFLINE';
}

export function failedState(desired: DesiredServer, observed: ObservedServer): 'START_FAILED' | 'STOP_FAILED' | undefined {
  if (observed.State !== 'START_FAILED' && observed.State !== 'STOP_FAILED') return undefined;
  return desired.document.State === 'OFFLINE' ? undefined : observed.State;
}

/** A failed server whose document says OFFLINE is met, but still worth a word. */
export function failedStateWarning(state: ServerState): string | undefined {
  if (state !== 'START_FAILED' && state !== 'STOP_FAILED') return undefined;
  return `The server reports ${state}; its document says State OFFLINE, which a server that is not serving meets. Check the server's logs and endpoint before starting it again.`;
}
